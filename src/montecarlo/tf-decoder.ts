/**
 * The learned decoder's forward pass on the tfjs backend, for decoders too large for the plain TypeScript
 * pass: above about 2k multiply-adds per block (e.g. the (8,8) decoder 8→256→256, 67k) the wasm backend's
 * SIMD matrix products are ~20× faster than scalar JavaScript, while for small decoders such as (7,4)'s
 * (368) the per-op overhead of tfjs loses. The choice depends on the system alone, so every worker (and
 * the inline engine) decodes a system the same way and counts stay identical whatever the worker count.
 */
import * as tf from '@tensorflow/tfjs';
import { readyBackend } from '../backend.ts';
import type { Activation, BlockSystem, MlpSpec } from '../system.ts';

export const TF_DECODER_MIN_MACS = 2048;
const SUB_BATCH = 8192;

export function mlpMacs(mlp: MlpSpec): number {
  return mlp.layers.reduce((s, l) => s + (l.kind === 'dense' ? l.inDim * l.outDim : 0), 0);
}

/** Whether this system's decoder runs on tfjs (the caller must then await initBackend() first). */
export const decodesOnTf = (system: BlockSystem): boolean =>
  system.decoder.kind === 'mlp' && mlpMacs(system.decoder.mlp) >= TF_DECODER_MIN_MACS;

function activate(x: tf.Tensor, a: Activation): tf.Tensor {
  switch (a) {
    case 'linear':
      return x;
    case 'softmax': // only inside a network: compileDecoder drops a final one, argmax does not need it
      return tf.softmax(x);
    case 'relu':
      return tf.relu(x);
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
  }
}

export type DecodeFn = (y: Float32Array, blocks: number, decided: Int32Array) => void;

/** argmax of the decoder outputs, computed with tfjs in sub-batches; weights stay on the backend. */
export function makeTfArgmax(mlp: MlpSpec): DecodeFn {
  if (!readyBackend()) throw new Error('tfjs decoder requested before initBackend() finished');
  const layers = mlp.layers.map((l) => {
    if (l.kind === 'dense') return { ...l, k: tf.keep(tf.tensor2d(l.kernel, [l.inDim, l.outDim])), b: tf.keep(tf.tensor1d(l.bias)) };
    if (l.kind === 'layerNorm') return { ...l, g: tf.keep(tf.tensor1d(l.gamma)), be: tf.keep(tf.tensor1d(l.beta)) };
    return l;
  });
  const { inputDim } = mlp;
  return (y, blocks, decided) => {
    for (let b0 = 0; b0 < blocks; b0 += SUB_BATCH) {
      const nb = Math.min(SUB_BATCH, blocks - b0);
      const out = tf.tidy(() => {
        let h: tf.Tensor = tf.tensor2d(y.subarray(b0 * inputDim, (b0 + nb) * inputDim), [nb, inputDim]);
        for (const l of layers) {
          if (l.kind === 'dense') h = activate(tf.add(tf.matMul(h as tf.Tensor2D, l.k), l.b), l.activation);
          else if (l.kind === 'layerNorm') {
            const { mean, variance } = tf.moments(h, -1, true);
            h = tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, l.epsilon))), l.g), l.be);
          } else h = activate(h, l.activation);
        }
        return tf.argMax(h, 1).dataSync() as Int32Array;
      });
      decided.set(out, b0);
    }
  };
}
