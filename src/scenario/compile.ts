/**
 * Compile a validated scenario into plain objects with every default filled in. The result is JSON-safe;
 * results.json records it as `scenario`, and `sim run --resume` compares it with the stored one.
 */
import { compileChannelSpec, type ChannelSpec } from '../channels/registry.ts';
import { DEFAULTS } from '../defaults.ts';
import { compileSystemEntry, curvePlansOf, kindOf } from '../systems/registry.ts';
import { distinctLabels } from './labels.ts';
import { QUICK } from './compile-parts.ts';
import type { CompiledScenario, CompiledSystem, CurvePlan } from './compiled.ts';
import type { ChannelInput, ScenarioInput, SystemInput } from './schema.ts';

export type { HiddenActivation } from '../vocabulary.ts';
export { BITS_PER_SYMBOL, type Modulation } from '../modulations/registry.ts';
export type {
  PowerMode,
  CompiledTrain,
  CompiledLayer,
  CompiledCommon,
  CompiledAutoencoder,
  CompiledReceiver,
  CompiledHamming74,
  CompiledUncoded,
  CompiledHamming74Dbpsk,
  CompiledTwoUser,
  CompiledTimeSharing,
  CompiledSystem,
  CompiledScenario,
  CurvePlan,
} from './compiled.ts';
export { codeName, compileLayers, compileTrain, QUICK, quickTrain, trainingOptions } from './compile-parts.ts';
export { autoencoderSpecOf, wantsMlReference } from '../systems/autoencoder.ts';

/** The values of a { from, to, step } range, rounded to 1e-9 dB so 0.1-steps do not drift. */
export function expandRange(r: { from: number; to: number; step: number }): number[] {
  const count = Math.floor((r.to - r.from) / r.step + 1e-9) + 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(Math.round((r.from + i * r.step) * 1e9) / 1e9);
  return out;
}

/**
 * The compiled spec of a system's `channel:` (its kind's defaults filled), or `fallback` (the scenario's channel)
 * when the system gives none.
 */
export function compileChannel(c: ChannelInput | undefined, fallback: ChannelSpec): ChannelSpec {
  return c ? compileChannelSpec(c) : fallback;
}

function compileSystem(s: SystemInput, fallback: ChannelSpec): CompiledSystem {
  return compileSystemEntry(s, compileChannel(s.channel as ChannelInput | undefined, fallback));
}

/** Fills every default. The input must already have passed validateScenario (load.ts). */
export function compileScenario(s: ScenarioInput): CompiledScenario {
  const channel = compileChannel(s.channel, DEFAULTS.channel);
  const mc = s.montecarlo ?? {};
  return {
    name: s.name,
    description: s.description ?? '',
    seed: s.seed ?? DEFAULTS.seed,
    channel,
    // Increasing order: the stopping rules (zero errors, minBler) end a curve at the first point past them.
    sweep: { ebnoDb: Array.isArray(s.sweep.ebnoDb) ? [...s.sweep.ebnoDb].sort((a, b) => a - b) : expandRange(s.sweep.ebnoDb) },
    montecarlo: {
      // "Whichever the scenario sets": a scenario that gives only a bit-error target has no block-error target.
      targetErrors: mc.targetErrors ?? (mc.targetBitErrors !== undefined ? 0 : DEFAULTS.montecarlo.targetErrors),
      targetBitErrors: mc.targetBitErrors ?? DEFAULTS.montecarlo.targetBitErrors,
      maxBlocks: mc.maxBlocks ?? DEFAULTS.montecarlo.maxBlocks,
      minBler: mc.minBler ?? DEFAULTS.montecarlo.minBler,
      minBer: mc.minBer ?? DEFAULTS.montecarlo.minBer,
      stopOnZeroErrors: mc.stopOnZeroErrors ?? DEFAULTS.montecarlo.stopOnZeroErrors,
      // Recorded only when set, so a plain run's compiled scenario (and --resume's comparison) stays as it was.
      ...(mc.method === 'importance'
        ? { method: 'importance' as const, targetRelativeHalfWidth: mc.targetRelativeHalfWidth ?? DEFAULTS.importance.targetRelativeHalfWidth }
        : {}),
    },
    compare: (s.compare ?? []).map(([a, b]) => [a, b] as [string, string]),
    systems: distinctLabels(
      s.systems.map((sys) => withMethod(compileSystem(sys, channel), sys, mc)),
      s.systems.map((sys) => typeof sys.label === 'string'),
    ),
    // Listed twice is asked for once.
    claims: [...new Set(s.claims ?? [])],
  };
}

/** Asked of the channel's kind (src/channels/registry.ts); re-exported for the claims that word their findings with them. */
export { nearestCodewordIsMl, referenceDecoding } from '../channels/registry.ts';

/** Every curve a run measures: each system's, in the order of the systems (src/systems/ kinds' curve plans). */
export function curvePlan(sc: CompiledScenario): CurvePlan[] {
  return sc.systems.flatMap(curvePlansOf);
}

/** The scenario with budgets scaled down for `--quick`. */
export function quickScenario(sc: CompiledScenario): CompiledScenario {
  return {
    ...sc,
    montecarlo: {
      ...sc.montecarlo,
      targetErrors: Math.min(sc.montecarlo.targetErrors, QUICK.targetErrors),
      targetBitErrors: Math.min(sc.montecarlo.targetBitErrors, QUICK.targetBitErrors),
      maxBlocks: Math.min(sc.montecarlo.maxBlocks, QUICK.maxBlocks),
    },
    systems: sc.systems.map((s) => kindOf(s).quick?.(s) ?? s),
  };
}

/** The system with its Monte Carlo method: its own `montecarlo`, else the scenario's, else the default. */
function withMethod(c: CompiledSystem, s: SystemInput, mc: NonNullable<ScenarioInput['montecarlo']>): CompiledSystem {
  const own = s.montecarlo as NonNullable<ScenarioInput['montecarlo']> | undefined;
  const method = own?.method ?? mc.method ?? DEFAULTS.importance.method;
  // (A kind importance sampling cannot measure is refused by the scenario checks, load.ts.)
  if (method !== 'importance' || !kindOf(c).importanceSampling) return c;
  const targetRelativeHalfWidth = own?.targetRelativeHalfWidth ?? mc.targetRelativeHalfWidth ?? DEFAULTS.importance.targetRelativeHalfWidth;
  return { ...c, importance: { targetRelativeHalfWidth } } as CompiledSystem;
}
