/**
 * Compile a validated scenario into plain objects with every default filled in. The result is JSON-safe;
 * results.json records it as `scenario`, and `sim run --resume` compares it with the stored one.
 */
import { compileChannelSpec, referenceDecoding, type ChannelSpec } from '../channels/registry.ts';
import { DEFAULTS } from '../defaults.ts';
import { BITS_PER_SYMBOL, MODULATION_NAMES, modulationKind } from '../modulations/registry.ts';
import { POWER_CONSTRAINT_LABELS, type Signalling } from '../vocabulary.ts';
import { defaultDecoder, type AutoencoderSpec } from '../autoencoder/spec.ts';
import { compileLayers, compileTrain } from './compile-parts.ts';
import { compileTimeSharing, compileTwoUser, twoUserCurvePlans } from './compile-two-user.ts';
import type { CompiledAutoencoder, CompiledReceiver, CompiledScenario, CompiledSystem, CurvePlan } from './compiled.ts';
import type { AutoencoderInput, ChannelInput, ScenarioInput, SystemInput } from './schema.ts';

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
export { compileLayers, compileTrain } from './compile-parts.ts';

/** The network a compiled autoencoder system describes (what the trainer and the backend choice take). */
export const autoencoderSpecOf = (s: CompiledAutoencoder): AutoencoderSpec => ({
  k: s.k,
  n: s.n,
  signalling: s.signalling,
  normalization: s.normalization,
  channel: s.channel,
  encoder: s.encoder,
  decoder: s.decoder,
  output: s.output,
  ...(s.receiver ? { receiver: s.receiver } : {}),
});


/** The values of a { from, to, step } range, rounded to 1e-9 dB so 0.1-steps do not drift. */
export function expandRange(r: { from: number; to: number; step: number }): number[] {
  const count = Math.floor((r.to - r.from) / r.step + 1e-9) + 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(Math.round((r.from + i * r.step) * 1e9) / 1e9);
  return out;
}

export function compileChannel(c: ChannelInput | undefined, fallback: ChannelSpec): ChannelSpec {
  return c ? compileChannelSpec(c) : fallback;
}

function compileReceiver(r: NonNullable<AutoencoderInput['receiver']>): CompiledReceiver {
  const rtn = r.rtn ?? {};
  return {
    rtn: {
      estimator: compileLayers(rtn.estimator ?? [...DEFAULTS.rtn.estimator], 0),
      transform: rtn.transform ?? DEFAULTS.rtn.transform,
    },
  };
}

/** Whether an autoencoder input gets its `<id>-ml` curve. */
export function wantsMlReference(s: { k: number; mlReference?: boolean }): boolean {
  return s.mlReference ?? s.k <= DEFAULTS.autoencoder.mlReferenceMaxK;
}

/**
 * The one naming convention of curves, tables and findings: "(n,k)" with n the scenario's n, i.e. channel
 * uses, and " complex" said when they are complex uses. k = 4 on one complex use is "(1,4) complex" (the
 * paper counts real dimensions and calls it "(2,4)"; findings may mention that, as "the paper's (2,4)").
 */
export function codeName(n: number, k: number, signalling: Signalling): string {
  return `(${n},${k})${signalling === 'complex' ? ' complex' : ''}`;
}

function compileSystem(s: SystemInput, fallback: ChannelSpec): CompiledSystem {
  const channel = compileChannel(s.channel, fallback);
  switch (s.type) {
    case 'autoencoder': {
      const signalling = s.signalling ?? DEFAULTS.autoencoder.signalling;
      const normalization = s.normalization ?? DEFAULTS.autoencoder.powerConstraint;
      const M = 2 ** s.k;
      const t = s.train ?? {};
      const train = compileTrain(t, s.k, s.n, signalling, channel);
      const labelling = s.labelling ?? DEFAULTS.autoencoder.labelling;
      const middle = typeof train.ebnoDb === 'number' ? train.ebnoDb : (train.ebnoDb.from + train.ebnoDb.to) / 2;
      return {
        type: 'autoencoder',
        id: s.id,
        label: s.label ?? `AE ${codeName(s.n, s.k, signalling)}, ${POWER_CONSTRAINT_LABELS[normalization]}`,
        channel,
        k: s.k,
        n: s.n,
        signalling,
        normalization,
        encoder: compileLayers(s.encoder, M),
        decoder: compileLayers(s.decoder ?? defaultDecoder(s), M),
        train,
        mlReference: wantsMlReference(s),
        output: s.output ?? DEFAULTS.autoencoder.output,
        labelling,
        ...(labelling === 'search' ? { labellingEbnoDb: s.labellingEbnoDb ?? middle } : {}),
        ...(s.receiver ? { receiver: compileReceiver(s.receiver) } : {}),
      };
    }
    case 'hamming74-dbpsk':
      return {
        type: 'hamming74-dbpsk',
        id: s.id,
        label: s.label ?? `Hamming ${codeName(7, 4, 'real')} + DBPSK ${codeName(8, 4, 'complex')}, MLSE`,
        // The classical receiver knows the channel (MLSE needs the taps): the taps reach it with y.
        channel: channel.type === 'multipath' ? { ...channel, csi: 'perfect' } : channel,
        k: 4,
        n: 8,
        signalling: 'complex',
      };
    case 'hamming74':
      return {
        type: 'hamming74',
        id: s.id,
        label: s.label ?? `Hamming ${codeName(7, 4, 'real')} ${s.decoding === 'ml' ? 'ML' : 'hard decision'}`,
        channel,
        k: 4,
        n: 7,
        signalling: 'real',
        decoding: s.decoding,
      };
    case 'uncoded': {
      const bits = BITS_PER_SYMBOL[s.modulation];
      const real = modulationKind(s.modulation).signalling === 'real';
      return {
        type: 'uncoded',
        id: s.id,
        label: s.label ?? `Uncoded ${MODULATION_NAMES[s.modulation]} ${codeName(real ? s.k : s.k / bits, s.k, real ? 'real' : 'complex')}`,
        channel,
        k: s.k,
        n: real ? s.k : s.k / bits,
        signalling: real ? 'real' : 'complex',
        modulation: s.modulation,
      };
    }
    case 'two-user':
      return compileTwoUser(s, channel);
    case 'time-sharing':
      return compileTimeSharing(s, channel);
  }
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
    sweep: { ebnoDb: Array.isArray(s.sweep.ebnoDb) ? [...s.sweep.ebnoDb] : expandRange(s.sweep.ebnoDb) },
    montecarlo: {
      // "Whichever the scenario sets": a scenario that gives only a bit-error target has no block-error target.
      targetErrors: mc.targetErrors ?? (mc.targetBitErrors !== undefined ? 0 : DEFAULTS.montecarlo.targetErrors),
      targetBitErrors: mc.targetBitErrors ?? DEFAULTS.montecarlo.targetBitErrors,
      maxBlocks: mc.maxBlocks ?? DEFAULTS.montecarlo.maxBlocks,
      minBler: mc.minBler ?? DEFAULTS.montecarlo.minBler,
      minBer: mc.minBer ?? DEFAULTS.montecarlo.minBer,
      stopOnZeroErrors: mc.stopOnZeroErrors ?? DEFAULTS.montecarlo.stopOnZeroErrors,
    },
    compare: (s.compare ?? []).map(([a, b]) => [a, b] as [string, string]),
    systems: s.systems.map((sys) => withMethod(compileSystem(sys, channel), sys, mc)),
    // Listed twice is asked for once.
    claims: [...new Set(s.claims ?? [])],
  };
}

/** Asked of the channel's kind (src/channels/registry.ts); re-exported for the claims that word their findings with them. */
export { nearestCodewordIsMl, referenceDecoding } from '../channels/registry.ts';

export function curvePlan(sc: CompiledScenario): CurvePlan[] {
  const out: CurvePlan[] = [];
  for (const s of sc.systems) {
    if (s.type === 'two-user') {
      out.push(...twoUserCurvePlans(s));
      continue;
    }
    out.push({ id: s.id, label: s.label, system: s });
    if (s.type === 'autoencoder' && s.labelling === 'search') out.push({ id: `${s.id}-searched`, label: `${s.label}, searched labelling`, system: s, labelledOf: s.id });
    if (s.type === 'autoencoder' && s.mlReference) {
      out.push({ id: `${s.id}-ml`, label: `${s.label} + ${referenceDecoding(s.channel)}`, system: s, mlOf: s.id });
    }
  }
  return out;
}

/** Budgets of a `--quick` smoke run (DEFAULTS.quick), and the text the report shows about them. */
export const QUICK = {
  ...DEFAULTS.quick,
  describe(): string {
    return `training steps ÷ ${this.stepsDivisor} (at least ${this.minSteps}), targetErrors ≤ ${this.targetErrors}, targetBitErrors ≤ ${this.targetBitErrors}, maxBlocks ≤ ${this.maxBlocks.toLocaleString('en-US')}`;
  },
};

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
    systems: sc.systems.map((s) =>
      s.type === 'autoencoder' || s.type === 'two-user'
        ? {
            ...s,
            train: {
              ...s.train,
              steps: Math.min(s.train.steps, Math.max(QUICK.minSteps, Math.round(s.train.steps / QUICK.stepsDivisor))),
              ...(s.train.refine
                ? { refine: { ...s.train.refine, maxSteps: Math.min(s.train.refine.maxSteps, Math.max(QUICK.minSteps, Math.round(s.train.refine.maxSteps / QUICK.stepsDivisor))) } }
                : {}),
            },
          }
        : s,
    ),
  };
}

/** The system with its Monte Carlo method: its own `montecarlo`, else the scenario's, else the default. */
function withMethod(c: CompiledSystem, s: SystemInput, mc: NonNullable<ScenarioInput['montecarlo']>): CompiledSystem {
  const method = s.montecarlo?.method ?? mc.method ?? DEFAULTS.importance.method;
  // (A two-user system with importance sampling is refused by the scenario checks, load.ts.)
  if (method !== 'importance' || c.type === 'two-user') return c;
  const targetRelativeHalfWidth = s.montecarlo?.targetRelativeHalfWidth ?? mc.targetRelativeHalfWidth ?? DEFAULTS.importance.targetRelativeHalfWidth;
  return { ...c, importance: { targetRelativeHalfWidth } };
}
