/**
 * Budgets from the command line (`--target-errors N`, `--max-blocks N`, `--ebno FROM:TO:STEP` or `--ebno
 * 0,2,4`): they replace the scenario's for one run, with the scenario fields' rules (whole numbers ≥ 1; an
 * Eb/N0 range with step > 0 and to ≥ from, or a list without repeats, at most LIMITS.maxSweepPoints points,
 * measured in increasing order). results.json records the scenario as run (its budgets are these) and which
 * were given, as `overrides`; --resume refuses overrides that differ from the run it continues.
 */
import { LIMITS } from '../defaults.ts';
import { stableJson } from '../data/stable-json.ts';
import { cliMsg } from '../messages.ts';
import { expandRange } from '../scenario/compile.ts';
import type { CompiledScenario } from '../scenario/compiled.ts';

/** The budgets given on the command line (only those given). */
export interface BudgetOverrides {
  targetErrors?: number;
  maxBlocks?: number;
  ebnoDb?: number[];
}

const NUMBER = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;
const num = (s: string): number => (NUMBER.test(s) ? Number(s) : Number.NaN);

/** `--ebno FROM:TO:STEP` or a comma list → the sorted points; throws an Error whose message is the usage error. */
export function parseEbnoOption(v: string): number[] {
  const bad = (why: string) => new Error(cliMsg.badEbno(v, why));
  const parts = v.split(':');
  if (parts.length === 3) {
    const [from, to, step] = parts.map(num) as [number, number, number];
    if (![from, to, step].every(Number.isFinite)) throw bad('FROM, TO and STEP must be numbers');
    if (!(step > 0)) throw bad('STEP must be > 0');
    if (to < from) throw bad('TO must be ≥ FROM');
    const count = Math.floor((to - from) / step + 1e-9) + 1;
    if (count > LIMITS.maxSweepPoints) throw bad(`at most ${LIMITS.maxSweepPoints} points (this range gives ${count})`);
    return expandRange({ from, to, step });
  }
  if (parts.length !== 1) throw bad('a range is FROM:TO:STEP');
  const list = v.split(',').map(num);
  if (!list.every(Number.isFinite)) throw bad('every value must be a number');
  if (list.length > LIMITS.maxSweepPoints) throw bad(`at most ${LIMITS.maxSweepPoints} points`);
  const repeated = list.find((x, i) => list.indexOf(x) !== i);
  if (repeated !== undefined) throw bad(`${repeated} is listed twice`);
  return [...list].sort((a, b) => a - b);
}

/** The scenario with the overrides applied (unchanged without any). */
export function withOverrides(sc: CompiledScenario, o: BudgetOverrides | undefined): CompiledScenario {
  if (!o || Object.keys(o).length === 0) return sc;
  return {
    ...sc,
    ...(o.ebnoDb ? { sweep: { ...sc.sweep, ebnoDb: [...o.ebnoDb] } } : {}),
    montecarlo: {
      ...sc.montecarlo,
      ...(o.targetErrors !== undefined ? { targetErrors: o.targetErrors } : {}),
      ...(o.maxBlocks !== undefined ? { maxBlocks: o.maxBlocks } : {}),
    },
  };
}

/** Why --resume cannot continue a run made with other overrides (undefined: the same ones). */
export function overridesDifference(previous: BudgetOverrides | undefined, now: BudgetOverrides | undefined): string | undefined {
  const a = stableJson(previous ?? {});
  const b = stableJson(now ?? {});
  return a === b ? undefined : cliMsg.overridesDiffer(a, b);
}
