/**
 * The decoder's whole training pass — forward, softmax cross-entropy and backward — as one tfjs program on
 * the backend, for large decoders in JsTrainGraph (js-train-graph.ts).
 *
 * Why: for the (8,8) network (a 16 → 256 → 256 decoder, batch 1000) the JavaScript step with backend matrix
 * products spent half its time outside the products: Math.exp of the softmax (≈15 ns × 256,000), the
 * activations and their derivatives, bias sums, and a download and upload of every intermediate array
 * between JavaScript and the backend. Here the intermediates stay on the backend and only the results
 * come back (the loss, the correct count, each layer's dW and db, and dL/dy for the channel's backward
 * pass): about 20 backend ops, whose fixed cost (≈21 µs each on tfjs-node) is small beside the products.
 * Measured on the 2-core machine, (8,8) at batch 1000 on tfjs-node: 23 ms per step before, see
 * `npm run bench` for the figure after.
 *
 * The same function as JsTrainGraph's JavaScript path, to float32 rounding (the tests hold both to tfjs
 * autodiff). Supports decoders of dense layers and activations (what buildAutoencoder makes without
 * weight or layer normalization); `BackendDecoderPass.supports` says whether a decoder qualifies.
 */
import * as tf from '@tensorflow/tfjs';
import { SELU_ALPHA, SELU_SCALE } from '../mlp.ts';
import type { Activation } from '../vocabulary.ts';

/** One layer of the pass: a dense product (weights as views into θ and its gradient), then an activation. */
export interface PassLayer {
  inDim: number;
  outDim: number;
  kernel: Float32Array;
  bias: Float32Array;
  dKernel: Float32Array;
  dBias: Float32Array;
  /** Applied after the product; the last layer's is 'linear' (the softmax is part of the loss). */
  activation: Exclude<Activation, 'softmax'>;
}

type FusedActivation = 'linear' | 'relu' | 'elu' | 'sigmoid';
const FUSED: readonly string[] = ['linear', 'relu', 'elu', 'sigmoid'];

export class BackendDecoderPass {
  constructor(private readonly layers: PassLayer[]) {}

  /**
   * Runs the pass on y (rows × the first layer's inputs): adds each layer's dW and db to its gradient
   * views, writes dL/dy into dy, returns the mean cross-entropy and the correct decisions.
   */
  run(y: Float32Array, labels: Int32Array, rows: number, dy: Float32Array): { loss: number; correct: number } {
    const layers = this.layers;
    const M = layers[layers.length - 1].outDim;
    const results = tf.tidy(() => {
      const kernels = layers.map((l) => tf.tensor2d(l.kernel, [l.inDim, l.outDim]));
      const inputs: tf.Tensor2D[] = [tf.tensor2d(y.subarray(0, rows * layers[0].inDim), [rows, layers[0].inDim])];
      const outputs: tf.Tensor2D[] = [];
      for (let i = 0; i < layers.length; i++) {
        const l = layers[i];
        const fused = FUSED.includes(l.activation);
        let h: tf.Tensor2D = tf.fused.matMul({
          a: inputs[i],
          b: kernels[i],
          bias: tf.tensor1d(l.bias),
          activation: fused ? (l.activation as FusedActivation) : 'linear',
        }) as tf.Tensor2D;
        if (!fused) h = l.activation === 'tanh' ? tf.tanh(h) : tf.selu(h);
        // (tanh and selu are not among fused.matMul's activations.)
        outputs.push(h);
        inputs.push(h);
      }
      const z = outputs[outputs.length - 1];
      const labelTensor = tf.tensor1d(labels.subarray(0, rows), 'int32');
      const oneHot = tf.oneHot(labelTensor, M);
      const logSoftmax = tf.logSoftmax(z);
      const loss = tf.neg(tf.sum(tf.mul(logSoftmax, oneHot))).div(rows);
      const correct = tf.sum(tf.cast(tf.equal(tf.argMax(z, 1), labelTensor), 'int32'));
      // dL/dz = (softmax(z) − onehot)/B, then back through the layers.
      let d: tf.Tensor2D = tf.sub(tf.exp(logSoftmax), oneHot).div(rows);
      const grads: tf.Tensor[] = [];
      for (let i = layers.length - 1; i >= 0; i--) {
        d = activationBackward(layers[i].activation, outputs[i], d);
        grads.push(tf.matMul(inputs[i], d, true, false), tf.sum(d, 0));
        d = tf.matMul(d, kernels[i], false, true);
      }
      return [loss, correct, d, ...grads];
    });
    const [loss, correct, dIn, ...grads] = results;
    const lossValue = loss.dataSync()[0];
    const correctValue = correct.dataSync()[0];
    dy.set(dIn.dataSync() as Float32Array);
    for (let g = 0; g < layers.length; g++) {
      const l = layers[layers.length - 1 - g];
      addInto(l.dKernel, grads[2 * g].dataSync() as Float32Array);
      addInto(l.dBias, grads[2 * g + 1].dataSync() as Float32Array);
    }
    for (const t of results) t.dispose();
    return { loss: lossValue, correct: correctValue };
  }
}

/** d·act'(x), written with the output y = act(x) (as js-train-graph.ts's activationBackward). */
function activationBackward(a: PassLayer['activation'], y: tf.Tensor2D, d: tf.Tensor2D): tf.Tensor2D {
  switch (a) {
    case 'linear':
      return d;
    case 'relu':
      return tf.mul(d, tf.step(y));
    case 'elu':
      return tf.mul(d, tf.where(tf.greater(y, 0), tf.onesLike(y), tf.add(y, 1)));
    case 'selu':
      return tf.mul(d, tf.where(tf.greater(y, 0), tf.fill(y.shape, SELU_SCALE), tf.add(y, SELU_SCALE * SELU_ALPHA)));
    case 'tanh':
      return tf.mul(d, tf.sub(1, tf.square(y)));
    case 'sigmoid':
      return tf.mul(d, tf.mul(y, tf.sub(1, y)));
  }
}

function addInto(acc: Float32Array, v: Float32Array): void {
  for (let i = 0; i < acc.length; i++) acc[i] += v[i];
}
