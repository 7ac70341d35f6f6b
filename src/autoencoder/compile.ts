/**
 * Compiles a trained decoder (tfjs Sequential) into a plain MlpSpec of typed arrays, for the Monte Carlo
 * fast path and for worker threads. The final softmax is dropped: argmax of the logits decides the same
 * message. Weight normalization is folded into an ordinary kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { LayerNorm } from '../layers/layer-norm.ts';
import { WeightNormDense } from '../layers/weight-norm-dense.ts';
import { isRadioTransformer } from '../layers/radio-transformer.ts';
import type { RtnSpec } from '../decoders/rtn.ts';
import type { MlpLayer, MlpSpec } from '../mlp-spec.ts';
import { ACTIVATIONS, type Activation } from '../vocabulary.ts';

/** A layer's activation by name; throws for one this simulator cannot run. */
export function activationOf(layer: tf.layers.Layer): Activation {
  const name = String((layer.getConfig() as { activation?: string }).activation ?? 'linear');
  if (!(ACTIVATIONS as readonly string[]).includes(name)) {
    throw new Error(`decoder layer ${layer.name}: activation ${name} is not supported by the fast path`);
  }
  return name as Activation;
}

export function compileDecoder(decoder: tf.LayersModel): MlpSpec {
  const inShape = decoder.inputs[0].shape;
  return compileDecoderLayers(decoder.layers, inShape[inShape.length - 1] as number);
}

/** The decision function of a decoder with an RTN front end: the RTN as plain arrays, then the rest. */
export function compileRtnDecoder(decoder: tf.LayersModel): RtnSpec {
  const [first, ...rest] = decoder.layers;
  if (!isRadioTransformer(first)) throw new Error('compileRtnDecoder: the decoder does not start with a RadioTransformer');
  const weights = first.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
  const layers: MlpLayer[] = [];
  let dim = first.received;
  const units = [...first.estimator.map((l) => ({ units: l.units, activation: l.activation as Activation })), { units: first.parameterCount, activation: 'linear' as Activation }];
  units.forEach((l, i) => {
    layers.push({ kind: 'dense', inDim: dim, outDim: l.units, kernel: weights[2 * i], bias: weights[2 * i + 1], activation: l.activation });
    dim = l.units;
  });
  return {
    kind: 'rtn',
    rtn: { n: first.n, taps: first.taps, received: first.received, transform: first.transform, estimator: { inputDim: first.received, outputDim: dim, layers } },
    mlp: compileDecoderLayers(rest, first.outputDim),
  };
}

export function compileDecoderLayers(decoderLayers: tf.layers.Layer[], inputDim: number): MlpSpec {
  const layers: MlpLayer[] = [];
  let dim = inputDim;
  for (const layer of decoderLayers) {
    const cls = layer.getClassName();
    if (layer instanceof WeightNormDense) {
      const kernel = tf.tidy(() => layer.kernel().dataSync() as Float32Array);
      const bias = layer.getWeights()[2].dataSync() as Float32Array;
      layers.push({ kind: 'dense', inDim: dim, outDim: layer.units, kernel: Float32Array.from(kernel), bias: Float32Array.from(bias), activation: 'linear' });
      dim = layer.units;
    } else if (cls === 'Dense') {
      const [k, b] = layer.getWeights();
      const outDim = k.shape[1] as number;
      const bias = b ? Float32Array.from(b.dataSync() as Float32Array) : new Float32Array(outDim);
      layers.push({ kind: 'dense', inDim: dim, outDim, kernel: Float32Array.from(k.dataSync() as Float32Array), bias, activation: activationOf(layer) });
      dim = outDim;
    } else if (layer instanceof LayerNorm) {
      layers.push({ kind: 'layerNorm', dim, ...layer.parameters(), epsilon: layer.epsilon });
    } else if (cls === 'LayerNormalization') {
      // tfjs-layers' own layer (models saved before LayerNorm replaced it).
      const cfg = layer.getConfig() as { epsilon?: number; center?: boolean; scale?: boolean };
      const weights = layer.getWeights();
      let wi = 0;
      const gamma = cfg.scale === false ? new Float32Array(dim).fill(1) : Float32Array.from(weights[wi++].dataSync() as Float32Array);
      const beta = cfg.center === false ? new Float32Array(dim) : Float32Array.from(weights[wi++].dataSync() as Float32Array);
      layers.push({ kind: 'layerNorm', dim, gamma, beta, epsilon: cfg.epsilon ?? 1e-3 });
    } else if (cls === 'Activation') {
      layers.push({ kind: 'activation', activation: activationOf(layer) });
    } else {
      throw new Error(`decoder layer ${layer.name} (${cls}) is not supported by the fast path`);
    }
  }
  // Drop a trailing softmax (on its own or fused into the last dense): argmax is unchanged. A trailing
  // sigmoid is a bit-wise decoder (bit-output.ts): the sign of each logit decides its bit.
  const last = layers[layers.length - 1];
  if (last?.kind === 'activation' && last.activation === 'sigmoid') {
    layers.pop();
    return { inputDim, outputDim: dim, layers, output: 'bits' };
  }
  if (last?.kind === 'activation' && last.activation === 'softmax') layers.pop();
  else if (last?.kind === 'dense' && last.activation === 'softmax') last.activation = 'linear';
  return { inputDim, outputDim: dim, layers };
}
