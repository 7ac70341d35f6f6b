/**
 * What single-link and two-user systems (compile.ts, compile-two-user.ts) compile alike: hidden layers and
 * the training recipe.
 */
import type { ChannelSpec } from '../channels/registry.ts';
import { DEFAULTS } from '../defaults.ts';
import type { Signalling } from '../vocabulary.ts';
import type { DecoderRefinement } from '../autoencoder/train.ts';
import { autoTrainingEbno } from '../autoencoder/recipe.ts';
import type { TrainEbno } from '../autoencoder/spec.ts';
import type { CompiledLayer, CompiledTrain } from './compiled.ts';
import type { AutoencoderInput, HiddenLayerInput } from './schema.ts';

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
