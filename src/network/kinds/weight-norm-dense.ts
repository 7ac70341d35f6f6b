/** Weight-normalized dense map (src/layers/weight-norm-dense.ts): kernel K = g·v/‖v‖ per output column, then + b. */
import * as tf from '@tensorflow/tfjs';
import { WeightNormDense } from '../../layers/weight-norm-dense.ts';
import { hiddenOptionSpec } from '../hidden-options.ts';
import { hiddenOption, type OptionLayerKind } from '../kind.ts';
import type { PassContext, Tape } from '../op.ts';
import { DenseOp } from './dense.ts';

/** Added under the square root of the column norms, as the layer does. */
const WN_EPS = 1e-12;

class WeightNormDenseOp extends DenseOp {
  override readonly kind = 'weightNormDense';
  constructor(
    readonly v: number,
    readonly g: number,
    b: number,
    inDim: number,
    outDim: number,
  ) {
    super(-1, b, inDim, outDim);
  }

  /** The kernel into tape.a, the column norms into tape.b. */
  protected override kernel(c: PassContext, tape: Tape, name: string): Float32Array {
    const { inDim, outDim } = this;
    const W = (tape.a = c.buf(`${name}K`, inDim * outDim));
    const norms = (tape.b = c.buf(`${name}N`, outDim));
    const v = c.views[this.v];
    const g = c.views[this.g];
    norms.fill(0);
    for (let p = 0; p < inDim; p++) for (let j = 0; j < outDim; j++) norms[j] += v[p * outDim + j] ** 2;
    for (let j = 0; j < outDim; j++) norms[j] = Math.sqrt(norms[j] + WN_EPS);
    for (let p = 0; p < inDim; p++) for (let j = 0; j < outDim; j++) W[p * outDim + j] = (g[j] * v[p * outDim + j]) / norms[j];
    return W;
  }

  protected override kernelGradient(c: PassContext, name: string): Float32Array {
    const dK = c.buf(`${name}dK`, this.inDim * this.outDim);
    dK.fill(0);
    return dK;
  }

  /** K = g·v/‖v‖ per column: dg = Σ_p dK·v/‖v‖, dv = (g/‖v‖)·(dK − v·dg/‖v‖). */
  protected override kernelBackward(c: PassContext, tape: Tape, dW: Float32Array): void {
    const { inDim, outDim } = this;
    const v = c.views[this.v];
    const g = c.views[this.g];
    const norms = tape.b!;
    const dv = c.gradViews[this.v];
    const dg = c.gradViews[this.g];
    for (let j = 0; j < outDim; j++) {
      let s = 0;
      for (let p = 0; p < inDim; p++) s += dW[p * outDim + j] * v[p * outDim + j];
      const dgj = s / norms[j];
      dg[j] += dgj;
      const cj = g[j] / norms[j];
      for (let p = 0; p < inDim; p++) dv[p * outDim + j] += cj * (dW[p * outDim + j] - (v[p * outDim + j] * dgj) / norms[j]);
    }
  }

  override toPass(): boolean {
    return false;
  }
}

export const weightNormDenseKind: OptionLayerKind<'weightNorm'> = {
  name: 'weightNormDense',
  matches: (layer) => layer.getClassName() === 'WeightNormDense',
  train(layer, ctx, inDim) {
    const units = (layer as WeightNormDense).units;
    return [new WeightNormDenseOp(ctx.slot(layer, 0), ctx.slot(layer, 1), ctx.slot(layer, 2), inDim, units)];
  },
  tf(layer, ctx) {
    const v = ctx.slot(layer, 0);
    const g = ctx.slot(layer, 1);
    const b = ctx.slot(layer, 2);
    return (h, p) => {
      const norm = tf.sqrt(tf.add(tf.sum(tf.square(p[v]), 0, true), 1e-12));
      return tf.add(tf.matMul(h as tf.Tensor2D, tf.mul(tf.div(p[v], norm), p[g]) as tf.Tensor2D), p[b]);
    };
  },
  mlp(layer, inDim, layers) {
    const wn = layer as WeightNormDense;
    const kernel = tf.tidy(() => wn.kernel().dataSync() as Float32Array);
    const bias = wn.getWeights()[2].dataSync() as Float32Array;
    layers.push({ kind: 'dense', inDim, outDim: wn.units, kernel: Float32Array.from(kernel), bias: Float32Array.from(bias), activation: 'linear' });
    return wn.units;
  },
  option: hiddenOption({
    ...hiddenOptionSpec('weightNorm'),
    layer: ({ units, seed, first }) => new WeightNormDense({ units, seed, ...first }),
  }),
};
