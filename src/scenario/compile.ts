/**
 * Compile a validated scenario into plain objects with every default filled in. The result is JSON-safe;
 * results.json records it as `scenario`, and `sim run --resume` compares it with the stored one.
 */
import type { ChannelSpec } from '../channels/types.ts';
import { DEFAULTS } from '../defaults.ts';
import type { StoppingRules } from '../montecarlo/types.ts';
import type { ClaimName } from '../analysis/claim-registry.ts';
import {
  BITS_PER_SYMBOL,
  MODULATION_NAMES,
  POWER_CONSTRAINT_LABELS,
  type HammingDecoding,
  type HiddenActivation,
  type Modulation,
  type PowerConstraint,
  type Signalling,
  type AutoencoderOutput,
  type Labelling,
  type RtnTransform,
} from '../vocabulary.ts';
import type { ConvergenceRule } from '../autoencoder/convergence.ts';
import type { DecoderRefinement } from '../autoencoder/train.ts';
import { autoTrainingEbno } from '../autoencoder/recipe.ts';
import { defaultDecoder, type AutoencoderSpec, type TrainEbno } from '../autoencoder/spec.ts';
import { compileTimeSharing, compileTwoUser, twoUserCurvePlans, type CompiledTimeSharing, type CompiledTwoUser } from '../twouser/compile.ts';
import type { AutoencoderInput, ChannelInput, HiddenLayerInput, ScenarioInput, SystemInput } from './schema.ts';

/** @deprecated name kept for readers of older code: the power constraint. */
export type PowerMode = PowerConstraint;
export type { HiddenActivation, Modulation } from '../vocabulary.ts';
export { BITS_PER_SYMBOL } from '../vocabulary.ts';

/** How an autoencoder trains, every choice resolved (results.json records it as the recipe used). */
export interface CompiledTrain {
  /** Training Eb/N0: fixed, or { from, to } drawn per batch. */
  ebnoDb: TrainEbno;
  /** `auto`: chosen by the trainer's rule (src/autoencoder/recipe.ts); `scenario`: written in the scenario. */
  ebnoDbChoice: 'auto' | 'scenario';
  batchSize: number;
  /** Adam's (initial) learning rate. */
  learningRate: number;
  /** `converged`: stop on convergence, at most `steps` steps; `fixed`: exactly `steps` steps at a constant rate. */
  stop: 'converged' | 'fixed';
  steps: number;
  /** The convergence rule (stop: converged). */
  convergence?: ConvergenceRule;
  /** The decoder refinement stage (auto Eb/N0 and stop on convergence, unless `refine: false`). */
  refine?: DecoderRefinement;
}

export interface CompiledLayer {
  units: number;
  activation: HiddenActivation;
  layerNorm: boolean;
  weightNorm: boolean;
  /** Present only when true (compiled scenarios from before it read the same). */
  batchNorm?: true;
}

/** What every compiled system has (two-user and time-sharing systems too, src/twouser/compile.ts). */
export interface CompiledCommon {
  /**
   * Present when the system's curves are measured by importance sampling (`montecarlo: { method: importance }`
   * on the system or the scenario; src/montecarlo/importance.ts); absent: plain Monte Carlo.
   */
  importance?: { targetRelativeHalfWidth: number };
  id: string;
  label: string;
  channel: ChannelSpec;
  k: number;
  n: number;
  signalling: Signalling;
}

export interface CompiledAutoencoder extends CompiledCommon {
  type: 'autoencoder';
  normalization: PowerMode;
  encoder: CompiledLayer[];
  decoder: CompiledLayer[];
  train: CompiledTrain;
  mlReference: boolean;
  /** The decoder's output: softmax over the messages, or k sigmoid bits (src/autoencoder/bit-output.ts). */
  output: AutoencoderOutput;
  /** `search`: the run also measures the labelling the binary switching algorithm finds, as `<id>-searched`. */
  labelling: Labelling;
  /** With labelling: search, the Eb/N0 (dB) the search minimizes the BER at. */
  labellingEbnoDb?: number;
  /** A radio transformer network before the decoder (absent: the plain decoder). */
  receiver?: CompiledReceiver;
}

/** The receiver front end of an autoencoder: a radio transformer network (src/layers/radio-transformer.ts). */
export interface CompiledReceiver {
  rtn: { estimator: CompiledLayer[]; transform: RtnTransform };
}

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

export interface CompiledHamming74 extends CompiledCommon {
  type: 'hamming74';
  decoding: HammingDecoding;
}

export interface CompiledUncoded extends CompiledCommon {
  type: 'uncoded';
  modulation: Modulation;
}

/** Hamming (7,4) + DBPSK over 8 complex uses with MLSE (src/baselines/dbpsk-mlse.ts); its channel has csi: perfect. */
export interface CompiledHamming74Dbpsk extends CompiledCommon {
  type: 'hamming74-dbpsk';
}

export type CompiledSystem = CompiledAutoencoder | CompiledHamming74 | CompiledUncoded | CompiledHamming74Dbpsk | CompiledTwoUser | CompiledTimeSharing;
export type { CompiledTwoUser, CompiledTimeSharing } from '../twouser/compile.ts';

export interface CompiledScenario {
  name: string;
  description: string;
  seed: number | string;
  channel: ChannelSpec;
  sweep: { ebnoDb: number[] };
  montecarlo: StoppingRules;
  compare: [string, string][];
  systems: CompiledSystem[];
  /** Claim checks to run on the results (src/analysis/claim-registry.ts), in the order listed; [] by default. */
  claims: ClaimName[];
}


/** The values of a { from, to, step } range, rounded to 1e-9 dB so 0.1-steps do not drift. */
export function expandRange(r: { from: number; to: number; step: number }): number[] {
  const count = Math.floor((r.to - r.from) / r.step + 1e-9) + 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(Math.round((r.from + i * r.step) * 1e9) / 1e9);
  return out;
}

export function compileChannel(c: ChannelInput | undefined, fallback: ChannelSpec): ChannelSpec {
  if (!c) return fallback;
  if (c.type === 'awgn') return { type: 'awgn' };
  if (c.type === 'multipath') return { type: 'multipath', taps: c.taps ?? DEFAULTS.multipath.taps, profile: c.profile ?? DEFAULTS.multipath.profile, csi: c.csi ?? DEFAULTS.multipath.csi };
  return { type: 'rayleigh', coherence: c.coherence ?? DEFAULTS.rayleigh.coherence, csi: c.csi ?? DEFAULTS.rayleigh.csi };
}

export function compileLayers(layers: HiddenLayerInput[] | undefined, M: number): CompiledLayer[] {
  // The paper's default: one hidden Dense(M, relu) layer.
  const src = layers ?? [{ units: M }];
  return src.map((l) => ({
    units: l.units,
    activation: l.activation ?? DEFAULTS.hiddenLayer.activation,
    layerNorm: l.layerNorm ?? DEFAULTS.hiddenLayer.layerNorm,
    weightNorm: l.weightNorm ?? DEFAULTS.hiddenLayer.weightNorm,
    ...(l.batchNorm ? { batchNorm: true as const } : {}),
  }));
}


export function compileTrain(t: NonNullable<AutoencoderInput['train']>, k: number, n: number, signalling: Signalling, channel: ChannelSpec, autoEbno?: TrainEbno): CompiledTrain {
  const e = t.ebnoDb;
  const auto = e === undefined || e === 'auto';
  const ebnoDb: TrainEbno = e === undefined || e === 'auto' ? (autoEbno ?? autoTrainingEbno(k, n, signalling, channel)) : typeof e === 'number' ? e : { from: e.from, to: e.to };
  const common = { ebnoDb, ebnoDbChoice: auto ? ('auto' as const) : ('scenario' as const), batchSize: t.batchSize ?? DEFAULTS.train.batchSize, learningRate: t.learningRate ?? DEFAULTS.train.learningRate };
  if (t.steps !== undefined) return { ...common, stop: 'fixed', steps: t.steps };
  const r = DEFAULTS.train.refine;
  // Over multipath the refinement also follows a training Eb/N0 range the scenario gives (fig9-rtn's 10–20 dB):
  // the receiver must learn to equalize, and its last steps pay there (README "Multipath fading and radio
  // transformer networks"); elsewhere a scenario's own training Eb/N0 means its own recipe.
  const refine: DecoderRefinement | undefined =
    (auto || channel.type === 'multipath') && (t.refine ?? true)
      ? {
          ebnoDb: autoTrainingEbno(k, n, signalling, channel, r.referenceBler),
          learningRate: common.learningRate * r.learningRateFactor,
          maxSteps: r.maxSteps,
          convergence: { ...r.convergence, validationBlocks: DEFAULTS.train.validationBlocks },
        }
      : undefined;
  return {
    ...common,
    stop: 'converged',
    steps: t.maxSteps ?? DEFAULTS.train.maxSteps,
    convergence: { ...DEFAULTS.train.convergence, validationBlocks: DEFAULTS.train.validationBlocks },
    ...(refine ? { refine } : {}),
  };
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
      const real = s.modulation === 'bpsk';
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

/** One measured curve: every system, plus `<id>-ml` for autoencoders with mlReference. */
export interface CurvePlan {
  id: string;
  label: string;
  system: CompiledSystem;
  /** For `<id>-ml`: the curve measures ML decoding of the system's learned codebook. */
  mlOf?: string;
  /** For `<id>-searched`: the curve measures the system with its searched bit labelling. */
  labelledOf?: string;
  /** Two-user systems: the receiver this curve measures (`<id>-u1`, `<id>-u2` and their `-ml` curves). */
  user?: 1 | 2;
}

/**
 * Nearest-codeword decoding is maximum likelihood for AWGN with equal priors, and for Rayleigh block fading
 * after perfect-CSI zero forcing (one gain scales the noise of the whole block alike); otherwise (no CSI, or
 * per-symbol gains) it is only a reference decoder, and the curve label says so.
 */
export const nearestCodewordIsMl = (c: ChannelSpec): boolean =>
  c.type === 'awgn' || c.type === 'multipath' || (c.coherence === 'block' && c.csi === 'perfect');

/**
 * What the `<id>-ml` curve decodes with, in the words every label, table and finding uses. Over multipath
 * it is the genie: ML decoding with the block's taps known (src/decoders/genie-ml.ts), whatever the CSI of
 * the system itself.
 */
export const referenceDecoding = (c: ChannelSpec): string =>
  c.type === 'multipath' ? 'ML decoding, channel known (genie)' : nearestCodewordIsMl(c) ? 'ML decoding' : 'nearest-codeword decoding (not ML here)';

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
