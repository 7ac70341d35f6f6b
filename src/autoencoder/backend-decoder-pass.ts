/**
 * The decoder's whole training pass — forward, softmax cross-entropy and backward — as one tfjs program on
 * the backend, for large decoders in JsTrainGraph (js-train-graph.ts).
 *
 * Why: for the (8,8) network (a 16 → 256 → 256 decoder, batch 1000) the JavaScript step with backend matrix
 * products spent half its time outside the products: Math.exp of the softmax (≈15 ns × 256,000), the
 * activations and their derivatives, bias sums, and a download and upload of every intermediate array
 * between JavaScript and the backend. Here the intermediates stay on the backend and only the results
 * come back (the label probabilities, the correct count, each layer's gradients, and dL/dy for the
 * channel's backward pass): about 20 backend ops (about 20 more per layer normalization). Measured on the
 * 2-core machine, batch 1000, one thread: (8,8) on tfjs-node 19 → 11–12 ms per step. Since the step's own
 * arithmetic runs in WebAssembly SIMD (src/wasm/kernels/: gemm.ts, softmax.ts) it pays only on tfjs-node,
 * whose products use both cores, and only for large decoders (DEFAULTS.train.decoderPassMinMacs).
 *
 * The same function as JsTrainGraph's JavaScript path, to float32 rounding (the tests hold both to tfjs
 * autodiff). Supports decoders of dense layers, each optionally followed by a normalization whose layer kind
 * has a backend form (PassNorm: layer norm) and an activation; JsTrainGraph builds the layers from the ops
 * (TrainOp.toPass) where a decoder qualifies.
 */
import * as tf from '@tensorflow/tfjs';
import { SELU_ALPHA, SELU_SCALE } from '../mlp/forward.ts';
import { tfActivation } from '../layers/tf-activation.ts';
import type { Activation } from '../vocabulary.ts';

/** One layer of the pass: a dense product (weights as views into θ and its gradient), then an activation. */
export interface PassLayer {
  inDim: number;
  outDim: number;
  kernel: Float32Array;
  bias: Float32Array;
  dKernel: Float32Array;
  dBias: Float32Array;
  /** Applied after the product (and the layer normalization); the last layer's is 'linear' (the softmax is part of the loss). */
  activation: Exclude<Activation, 'softmax'>;
  /** A normalization between the product and the activation: its layer kind's backend form (e.g. layer norm, src/network/kinds/layer-norm.ts). */
  norm?: PassNorm;
}

/** A normalization's forward and backward pass as backend ops, inside the pass's program. */
export interface PassNorm {
  /** The output of z (rows × outDim), and what the backward pass needs. */
  forward(z: tf.Tensor2D): { out: tf.Tensor2D; saved: tf.Tensor[] };
  /** dL/dz (×B) from dL/dout (×B); pushes the parameters' gradients (×B) and the views they are added into (×1/B). */
  backward(d: tf.Tensor2D, saved: tf.Tensor[], grads: tf.Tensor[], into: Float32Array[]): tf.Tensor2D;
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
    // The gradients the program returns, and the gradient view each one is added into (×1/B).
    const grads: tf.Tensor[] = [];
    const into: Float32Array[] = [];
    const results = tf.tidy(() => {
      const kernels = layers.map((l) => tf.tensor2d(l.kernel, [l.inDim, l.outDim]));
      const inputs: tf.Tensor2D[] = [tf.tensor2d(y.subarray(0, rows * layers[0].inDim), [rows, layers[0].inDim])];
      const outputs: tf.Tensor2D[] = [];
      const saved: tf.Tensor[][] = [];
      for (let i = 0; i < layers.length; i++) {
        const l = layers[i];
        const fused = !l.norm && FUSED.includes(l.activation);
        let h: tf.Tensor2D = tf.fused.matMul({
          a: inputs[i],
          b: kernels[i],
          bias: tf.tensor1d(l.bias),
          activation: fused ? (l.activation as FusedActivation) : 'linear',
        }) as tf.Tensor2D;
        if (l.norm) {
          const n = l.norm.forward(h);
          h = n.out;
          saved[i] = n.saved;
        }
        // (tanh and selu are not among fused.matMul's activations; after a normalization none is fused.)
        if (!fused) h = tfActivation(h, l.activation) as tf.Tensor2D;
        outputs.push(h);
        inputs.push(h);
      }
      const z = outputs[outputs.length - 1];
      const labelTensor = tf.tensor1d(labels.subarray(0, rows), 'int32');
      // softmax, not logSoftmax + exp: on tfjs-node a 1000×256 logSoftmax costs 2.1 ms, softmax 1.2 ms and
      // each further elementwise op ≈0.9 ms, about as much as the products of the step (measured here).
      const p = tf.softmax(z);
      const correct = tf.sum(tf.cast(tf.equal(tf.argMax(z, 1), labelTensor), 'int32'));
      // The probability of each block's label, for the loss (taken in JavaScript, in doubles).
      const flatIndex = tf.tensor1d(
        Int32Array.from(labels.subarray(0, rows), (l, i) => i * M + l),
        'int32',
      );
      const pLabel = tf.gather(tf.reshape(p, [-1]), flatIndex);
      // B·dL/dz = softmax(z) − onehot (the 1/B is applied to the small results below), then back through the layers.
      let d: tf.Tensor2D = tf.sub(p, tf.oneHot(labelTensor, M));
      for (let i = layers.length - 1; i >= 0; i--) {
        const l = layers[i];
        d = activationBackward(l.activation, outputs[i], d);
        if (l.norm) d = l.norm.backward(d, saved[i], grads, into);
        grads.push(tf.matMul(inputs[i], d, true, false), tf.sum(d, 0));
        into.push(l.dKernel, l.dBias);
        d = tf.matMul(d, kernels[i], false, true);
      }
      return [pLabel, correct, d, ...grads];
    });
    const [pLabel, correct, dIn] = results;
    // −log p(label), with p floored at the smallest normal float32 so that a confidently wrong block
    // (p underflowing to 0) costs at most 87.3 nats instead of making the loss infinite.
    const probabilities = pLabel.dataSync() as Float32Array;
    let lossSum = 0;
    for (let i = 0; i < rows; i++) lossSum -= Math.log(Math.max(probabilities[i], 1.1754943508222875e-38));
    const invRows = 1 / rows;
    const dInValues = dIn.dataSync() as Float32Array;
    for (let i = 0; i < rows * layers[0].inDim; i++) dy[i] = dInValues[i] * invRows;
    grads.forEach((g, i) => addScaled(into[i], g.dataSync() as Float32Array, invRows));
    const correctValue = correct.dataSync()[0];
    for (const t of results) t.dispose();
    return { loss: lossSum / rows, correct: correctValue };
  }
}

/** d·act'(x), written with the output y = act(x) (as js-train-graph.ts's activationBackward). */
function activationBackward(a: PassLayer['activation'], y: tf.Tensor2D, d: tf.Tensor2D): tf.Tensor2D {
  switch (a) {
    case 'linear':
      return d;
    case 'relu':
      // y ≥ 0, so sign(y) is the 0/1 mask (a native op; tf.step costs twice as much on tfjs-node).
      return tf.mul(d, tf.sign(y));
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

function addScaled(acc: Float32Array, v: Float32Array, scale: number): void {
  for (let i = 0; i < acc.length; i++) acc[i] += v[i] * scale;
}
