/**
 * Builds the encoder and decoder as two tfjs Sequential models from an AutoencoderSpec.
 *   encoder: one-hot [M] → hidden stack → Dense(dims, linear) → PowerNormalization   (dims = n or 2n)
 *   decoder: y [dims]    → hidden stack → Dense(M, linear) → softmax   (output `bits`: Dense(k, linear) → sigmoid)
 * Every initializer is seeded from the label path (seed, 'init', part, layer), so the same seed gives the
 * same initial weights.
 */
import * as tf from '@tensorflow/tfjs';
import { realDims } from '../conventions.ts';
import { PowerNormalization } from '../layers/power-normalization.ts';
import { plainDenseMap } from '../network/kinds/dense.ts';
import { HIDDEN_OPTIONS } from '../network/registry.ts';
import { deriveIntSeed, type SeedPart } from '../random.ts';
import { makeChannel } from '../channels/index.ts';
import { RadioTransformer, rtnArgs } from '../layers/radio-transformer.ts';
import { messageCount, withDefaults, type AutoencoderSpec, type HiddenLayerSpec } from './spec.ts';

export interface AutoencoderModels {
  encoder: tf.Sequential;
  decoder: tf.Sequential;
}

function addHidden(model: tf.Sequential, layers: HiddenLayerSpec[], inputDim: number, seed: SeedPart, part: string, after = false): void {
  layers.forEach((l, i) => {
    const first = i === 0 && !after ? { inputShape: [inputDim] } : {};
    const args = { units: l.units, seed: deriveIntSeed(seed, 'init', part, i), first };
    // The dense map (a plain one unless an option replaces it), the normalizations the options add, the activation.
    const map = HIDDEN_OPTIONS.find((o) => o.role === 'map' && l[o.key]);
    model.add(map ? map.layer(args) : plainDenseMap(args));
    for (const o of HIDDEN_OPTIONS) if (o.role === 'norm' && l[o.key]) model.add(o.layer(args));
    if (l.activation && l.activation !== 'linear') model.add(tf.layers.activation({ activation: l.activation }));
  });
}

/** The linear output map of the encoder or decoder; inputDim only when it is the model's first layer. */
function outputDense(units: number, seed: SeedPart, part: string, inputDim?: number): tf.layers.Layer {
  return tf.layers.dense({
    units,
    kernelInitializer: tf.initializers.glorotUniform({ seed: deriveIntSeed(seed, 'init', part, 'out') }),
    ...(inputDim === undefined ? {} : { inputShape: [inputDim] }),
  });
}

/**
 * Builds the untrained encoder and decoder of `specIn` (defaults filled in by withDefaults) as two tfjs Sequential
 * models. The encoder maps a one-hot message [M] to a power-normalized codeword of n real values, or 2n (I, Q
 * interleaved) with complex signalling; the decoder maps what the channel delivers (plus `sideInputs`) to softmax
 * probabilities over the M messages, or k bit probabilities with output `bits`. Every initializer is seeded from
 * (seed, 'init', part, layer), so the same seed gives the same initial weights. tfjs must be initialized first
 * (initBackend).
 */
export function buildAutoencoder(specIn: AutoencoderSpec, seed: SeedPart): AutoencoderModels {
  const spec = withDefaults(specIn);
  const M = messageCount(spec);
  const dims = realDims(spec.n, spec.signalling);

  const encoder = tf.sequential({ name: 'encoder' });
  addHidden(encoder, spec.encoder, M, seed, 'encoder');
  encoder.add(outputDense(dims, seed, 'encoder', spec.encoder.length === 0 ? M : undefined));
  encoder.add(new PowerNormalization({ mode: spec.normalization, n: spec.n }));

  const decoder = tf.sequential({ name: 'decoder' });
  // What the receiver gets per block: y, and with multipath perfect CSI the taps after it (src/channels/).
  const received = makeChannel(spec.channel, spec.n, spec.signalling).outDims + (spec.sideInputs ?? 0);
  let decoderIn = received;
  if (spec.receiver) {
    const rtn = new RadioTransformer({ ...rtnArgs(spec, spec.receiver), seed: deriveIntSeed(seed, 'init', 'rtn'), inputShape: [received] });
    decoder.add(rtn);
    decoderIn = rtn.outputDim;
  }
  addHidden(decoder, spec.decoder, decoderIn, seed, 'decoder', spec.receiver !== undefined);
  const bits = spec.output === 'bits';
  decoder.add(outputDense(bits ? spec.k : M, seed, 'decoder', spec.decoder.length === 0 && !spec.receiver ? decoderIn : undefined));
  decoder.add(tf.layers.activation({ activation: bits ? 'sigmoid' : 'softmax' }));
  return { encoder, decoder };
}

/** Decoder logits (everything but the final softmax or sigmoid), for a numerically stable cross-entropy. */
export function decoderLogits(decoder: tf.LayersModel, y: tf.Tensor, training: boolean): tf.Tensor2D {
  let h: tf.Tensor = y;
  const layers = decoder.layers;
  for (let i = 0; i < layers.length - 1; i++) h = layers[i].apply(h, { training }) as tf.Tensor;
  return h as tf.Tensor2D;
}

/** The power-normalization layer of an encoder. */
export function powerLayer(encoder: tf.LayersModel): PowerNormalization {
  const last = encoder.layers[encoder.layers.length - 1];
  if (!(last instanceof PowerNormalization)) throw new Error('encoder does not end in PowerNormalization');
  return last;
}

/**
 * The number of trainable weights of encoder and decoder together (non-trainable ones, such as batch-norm moving
 * statistics, left out).
 */
export const trainableParameterCount = (models: AutoencoderModels): number =>
  models.encoder.countParams() + models.decoder.countParams() - nonTrainable(models);

function nonTrainable(models: AutoencoderModels): number {
  let count = 0;
  for (const m of [models.encoder, models.decoder]) {
    for (const w of m.nonTrainableWeights) count += w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
  }
  return count;
}
