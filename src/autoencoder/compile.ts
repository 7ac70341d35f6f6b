/**
 * Compiles a trained decoder (tfjs Sequential) into a plain MlpSpec of typed arrays, for the Monte Carlo
 * fast path and for worker threads. The final softmax is dropped: argmax of the logits decides the same
 * message. Each layer's compiled form comes from its layer kind (src/network/registry.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import { isRadioTransformer } from '../layers/radio-transformer.ts';
import { rtnMonteCarlo } from '../network/kinds/rtn.ts';
import { mlpForm } from '../network/registry.ts';
import type { RtnSpec } from '../decoders/rtn.ts';
import type { MlpLayer, MlpSpec } from '../mlp/spec.ts';

export { activationOf } from '../network/kinds/activation.ts';

/**
 * Compiles a trained plain decoder (no RTN front end) into an MlpSpec of typed arrays for the Monte Carlo fast path
 * and worker threads. The final softmax is dropped (argmax of the logits decides the same message); a final sigmoid
 * of a bit-wise decoder too (the sign of each logit decides its bit). Throws for a layer no layer kind compiles.
 */
export function compileDecoder(decoder: tf.LayersModel): MlpSpec {
  const inShape = decoder.inputs[0].shape;
  return compileDecoderLayers(decoder.layers, inShape[inShape.length - 1] as number);
}

/** The decision function of a decoder with an RTN front end: the RTN as plain arrays, then the rest. */
export function compileRtnDecoder(decoder: tf.LayersModel): RtnSpec {
  const [first, ...rest] = decoder.layers;
  if (!isRadioTransformer(first)) throw new Error('compileRtnDecoder: the decoder does not start with a RadioTransformer');
  return { kind: 'rtn', rtn: rtnMonteCarlo(first), mlp: compileDecoderLayers(rest, first.outputDim) };
}

export function compileDecoderLayers(decoderLayers: tf.layers.Layer[], inputDim: number): MlpSpec {
  const layers: MlpLayer[] = [];
  let dim = inputDim;
  for (const layer of decoderLayers) dim = mlpForm(layer, dim, layers);
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
