/**
 * `sim compare`: several runs in one report (before/after a change, several seeds). The runs' curves are
 * put side by side in one results object, every id prefixed by a short run name (`before/ae74`) and every
 * label too, so the existing report draws them as one set of curves. The analysis is not copied: the caller
 * runs annotateResults on the combined object (the one writer of analysis fields), which then finds the
 * gaps of the pairs listed here.
 *
 * Compared pairs: each run's own `compare` pairs (prefixed), and every curve of a later run against the
 * curve with the same id in the first run (`after/ae74` vs `before/ae74`: positive dB means the later run
 * needs more Eb/N0). Claim checks are dropped: they find curves by what the systems are, and with two copies
 * of each system they would mix the runs.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { cliMsg } from '../messages.ts';
import type { StoppingRules } from '../montecarlo/types.ts';
import { checkResults, readResults, RESULTS_FORMAT, type Curve, type ResultsFile } from '../results/results.ts';
import type { CompiledScenario } from '../scenario/compiled.ts';
import { stableJson } from '../data/stable-json.ts';

export interface CompareInput {
  /** Short run name: the prefix of its curve ids and labels. */
  name: string;
  file: string;
  results: ResultsFile;
}

/** A run folder means its results.json; anything else is taken as a results file. */
export function compareResultsFile(arg: string): string {
  const isDir = existsSync(arg) && statSync(arg).isDirectory();
  if (!isDir) return arg;
  const file = join(arg, 'results.json');
  if (!existsSync(file)) throw new UserError(cliMsg.compareNoResults(arg));
  return file;
}

const sanitize = (s: string): string => s.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');

/**
 * Run names: given ones (`--names`), else the run folder's name (`reports/quick/results.json` → `quick`, or
 * the file name without `.json` for another file). When two runs share it (the same scenario run into two
 * output folders, the usual before/after case), the folder above is tried (`before/quick` → `before`), and
 * when those clash too, the runs are called run1, run2, … in argument order.
 */
export function runNames(files: string[], given?: string[]): string[] {
  if (given) {
    const names = given.map(sanitize);
    if (names.length !== files.length || names.some((n) => !n) || new Set(names).size !== names.length)
      throw new UserError(cliMsg.compareBadNames(given, files.length));
    return names;
  }
  const unique = (names: string[]): boolean => names.every((n) => n) && new Set(names).size === names.length;
  const runDir = (f: string): string => (basename(f) === 'results.json' ? dirname(f) : f.replace(/\.json$/i, ''));
  const own = files.map((f) => sanitize(basename(runDir(f))));
  if (unique(own)) return own;
  const above = files.map((f) => sanitize(basename(dirname(resolve(runDir(f))))));
  if (unique(above)) return above;
  return files.map((_, i) => `run${i + 1}`);
}

/** Reads every run (a UserError names the file that is missing or damaged). */
export async function readCompareInputs(args: string[], given?: string[]): Promise<CompareInput[]> {
  const files = args.map(compareResultsFile);
  const results = await Promise.all(files.map((f) => readResults(f)));
  const names = runNames(files, given);
  return files.map((file, i) => ({ name: names[i], file, results: results[i] }));
}

const prefixed = (name: string, id: string): string => `${name}/${id}`;

/** One run's curve in the combined object: ids and labels prefixed, the analysis left to annotateResults. */
function prefixCurve(name: string, c: Curve): Curve {
  const { ebnoAtBler: _a, analyticEbnoAtBler: _b, ebnoAtBer: _c, analyticEbnoAtBer: _d, ...rest } = c;
  return {
    ...structuredClone(rest),
    id: prefixed(name, c.id),
    label: `${name}: ${c.label}`,
    ...(c.mlOf ? { mlOf: prefixed(name, c.mlOf) } : {}),
    ...(c.labelledOf ? { labelledOf: prefixed(name, c.labelledOf) } : {}),
  };
}

const distinct = <T>(values: T[]): T[] => [...new Set(values)];

/** The stopping rules in words, for the description when runs used different ones. */
const rulesText = (m: StoppingRules): string =>
  `${m.targetErrors} errors / ${m.targetBitErrors ?? 0} bit errors / ${m.maxBlocks} blocks, minBler ${m.minBler}, minBer ${m.minBer ?? 0}, stopOnZeroErrors ${m.stopOnZeroErrors}`;

/** The combined results object (no analysis yet: run annotateResults on it). */
export function combineResults(inputs: CompareInput[]): ResultsFile {
  if (!inputs.length) throw new Error('combineResults: no runs');
  const first = inputs[0].results;
  const curves = inputs.flatMap(({ name, results }, run) =>
    results.curves.map((c) => {
      const curve = prefixCurve(name, c);
      // A closed form the first run already draws (same curve id, same values) would only be a second dashed line.
      const same = run > 0 && c.analytic && first.curves.find((f) => f.id === c.id && f.analytic && stableJson(f.analytic) === stableJson(c.analytic));
      if (same) delete curve.analytic;
      const sameBer =
        run > 0 && c.analyticBer && first.curves.find((f) => f.id === c.id && f.analyticBer && stableJson(f.analyticBer) === stableJson(c.analyticBer));
      if (sameBer) delete curve.analyticBer;
      return curve;
    }),
  );

  const pairs: [string, string][] = inputs.flatMap(({ name, results }) =>
    results.scenario.compare.map(([a, b]) => [prefixed(name, a), prefixed(name, b)] as [string, string]),
  );
  for (const { name, results } of inputs.slice(1))
    for (const c of results.curves) if (first.curves.some((f) => f.id === c.id)) pairs.push([prefixed(name, c.id), prefixed(inputs[0].name, c.id)]);

  const rules = inputs.map((i) => i.results.scenario.montecarlo);
  const sameRules = distinct(rules.map((r) => stableJson(r))).length === 1;
  const seeds = distinct(inputs.map((i) => String(i.results.seed)));
  const scenario: CompiledScenario = {
    name: inputs.map((i) => i.name).join(' vs '),
    description: cliMsg.compareDescription(
      inputs.map((i) => ({ name: i.name, scenario: i.results.scenario.name, seed: i.results.seed, file: i.file, quick: i.results.quick })),
      sameRules ? undefined : inputs.map((i) => `${i.name}: ${rulesText(i.results.scenario.montecarlo)}`),
    ),
    seed: seeds.length === 1 ? first.seed : inputs.map((i) => `${i.name}: ${i.results.seed}`).join(', '),
    channel: first.scenario.channel,
    sweep: { ebnoDb: distinct(inputs.flatMap((i) => i.results.scenario.sweep.ebnoDb)).sort((a, b) => a - b) },
    montecarlo: { ...first.scenario.montecarlo },
    compare: pairs,
    systems: inputs.flatMap(({ name, results }) =>
      results.scenario.systems.map((s) => ({ ...structuredClone(s), id: prefixed(name, s.id), label: `${name}: ${s.label}` })),
    ),
    claims: [],
  };
  const joined = (pick: (r: ResultsFile) => string): string => distinct(inputs.map((i) => pick(i.results))).join(', ');
  const combined: ResultsFile = {
    format: RESULTS_FORMAT,
    scenario,
    seed: scenario.seed,
    backend: joined((r) => r.backend),
    versions: { node: joined((r) => r.versions.node), tfjs: joined((r) => r.versions.tfjs), project: joined((r) => r.versions.project) },
    startedAt: inputs.map((i) => i.results.startedAt).sort()[0],
    seconds: inputs.reduce((sum, i) => sum + i.results.seconds, 0),
    quick: inputs.some((i) => i.results.quick),
    complete: inputs.every((i) => i.results.complete),
    curves,
  };
  // The combined object must be a results object like any other (the report and sim report rely on it).
  const problems = checkResults(combined);
  if (problems.length) throw new Error(`combineResults built an invalid results object: ${problems.join('; ')}`);
  return combined;
}
