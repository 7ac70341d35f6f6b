/**
 * What the system kinds (src/systems/) compile alike: hidden layers, the training recipe and its `--quick`
 * budgets, and the (n,k) naming of codes.
 */
import { hasIntersymbolInterference, type ChannelSpec } from '../channels/registry.ts';
import { DEFAULTS } from '../defaults.ts';
import type { Signalling } from '../vocabulary.ts';
import type { DecoderRefinement } from '../autoencoder/train.ts';
import { autoTrainingEbno } from '../autoencoder/recipe.ts';
import type { TrainEbno } from '../autoencoder/spec.ts';
import type { CompiledLayer, CompiledTrain } from './compiled-parts.ts';
import type { HiddenLayerInput, TrainInput } from './schema-parts.ts';

/**
 * Hidden layers with their defaults filled (activation relu, no normalization); absent layers give the paper's one
 * Dense(M, relu).
 */
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

/**
 * A training recipe with its defaults filled. `ebnoDb` absent or `auto` becomes the Eb/N0 (dB) where uncoded
 * transmission of the same k bits has the reference BLER (or `autoEbno`); `steps` gives a fixed-length run at a
 * constant learning rate, otherwise training stops on convergence within `maxSteps`, with a decoder refinement for
 * auto Eb/N0 or multipath unless `refine: false`.
 */
export function compileTrain(t: TrainInput, k: number, n: number, signalling: Signalling, channel: ChannelSpec, autoEbno?: TrainEbno): CompiledTrain {
  const e = t.ebnoDb;
  const auto = e === undefined || e === 'auto';
  const ebnoDb: TrainEbno =
    e === undefined || e === 'auto' ? (autoEbno ?? autoTrainingEbno(k, n, signalling, channel)) : typeof e === 'number' ? e : { from: e.from, to: e.to };
  const common = {
    ebnoDb,
    ebnoDbChoice: auto ? ('auto' as const) : ('scenario' as const),
    batchSize: t.batchSize ?? DEFAULTS.train.batchSize,
    learningRate: t.learningRate ?? DEFAULTS.train.learningRate,
  };
  if (t.steps !== undefined) return { ...common, stop: 'fixed', steps: t.steps };
  const r = DEFAULTS.train.refine;
  // Over intersymbol interference (multipath) the refinement also follows a training Eb/N0 range the scenario gives (fig9-rtn's 10–20 dB):
  // the receiver must learn to equalize, and its last steps pay there (docs/measurements.md,
  // "Multipath and the RTN"); elsewhere a scenario's own training Eb/N0 means its own recipe.
  const refine: DecoderRefinement | undefined =
    (auto || hasIntersymbolInterference(channel)) && (t.refine ?? true)
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
    convergence: { ...DEFAULTS.train.convergence, validationBlocks: DEFAULTS.train.validationBlocks, ...t.convergence },
    ...(refine ? { refine } : {}),
  };
}

/**
 * The one naming convention of curves, tables and findings: "(n,k)" with n the scenario's n, i.e. channel
 * uses, and " complex" said when they are complex uses. k = 4 on one complex use is "(1,4) complex" (the
 * paper counts real dimensions and calls it "(2,4)"; findings may mention that, as "the paper's (2,4)").
 */
export function codeName(n: number, k: number, signalling: Signalling): string {
  return `(${n},${k})${signalling === 'complex' ? ' complex' : ''}`;
}

/** Budgets of a `--quick` smoke run (DEFAULTS.quick), and the text the report shows about them. */
export const QUICK = {
  ...DEFAULTS.quick,
  /** The `--quick` budgets in words, for the report. */
  describe(): string {
    return `training steps ÷ ${this.stepsDivisor} (at least ${this.minSteps}), targetErrors ≤ ${this.targetErrors}, targetBitErrors ≤ ${this.targetBitErrors}, maxBlocks ≤ ${this.maxBlocks.toLocaleString('en-US')}`;
  },
};

/** A training recipe with `--quick` budgets: its steps (and its refinement's) divided, with a floor. */
export function quickTrain(train: CompiledTrain): CompiledTrain {
  return {
    ...train,
    steps: Math.min(train.steps, Math.max(QUICK.minSteps, Math.round(train.steps / QUICK.stepsDivisor))),
    ...(train.refine
      ? {
          refine: {
            ...train.refine,
            maxSteps: Math.min(train.refine.maxSteps, Math.max(QUICK.minSteps, Math.round(train.refine.maxSteps / QUICK.stepsDivisor))),
          },
        }
      : {}),
  };
}

/** The trainers' options of a compiled recipe (both trainers take the same), without the seed. */
export const trainingOptions = (t: CompiledTrain) => ({
  ebnoDb: t.ebnoDb,
  batchSize: t.batchSize,
  steps: t.steps,
  learningRate: t.learningRate,
  ...(t.convergence ? { convergence: t.convergence } : {}),
  ...(t.refine ? { refine: t.refine } : {}),
});
