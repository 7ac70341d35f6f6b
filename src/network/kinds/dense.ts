/** Dense: tfjs's dense layer, x·W + b then its activation (the JavaScript op: the product; the activation is its own op). */
import * as tf from '@tensorflow/tfjs';
import type { PassLayer } from '../../autoencoder/backend-decoder-pass.ts';
import { tfActivation } from '../../layers/tf-activation.ts';
import type { LayerKind } from '../kind.ts';
import { addColumnSums, addInto, addRowVector, type PassContext, type Tape, type TrainOp } from '../op.ts';
import { ActivationOp, activationOf } from './activation.ts';

/**
 * out = h·W + b with W the kernel slot (DenseOp) or a kernel computed from the slots each step (subclasses:
 * kernel() and kernelBackward()).
 */
export class DenseOp implements TrainOp {
  readonly kind: string = 'dense';
  readonly acceptsIdentity = true;
  readonly macs: number;
  /** @param w, b the kernel's and the bias's slots (w −1: a subclass computes the kernel from other slots) */
  constructor(
    readonly w: number,
    readonly b: number,
    readonly inDim: number,
    readonly outDim: number,
  ) {
    this.macs = inDim * outDim;
  }

  /** The kernel (inDim × outDim) of this step; may keep what kernelBackward needs in the tape. */
  protected kernel(c: PassContext, _tape: Tape, _name: string): Float32Array {
    return c.views[this.w];
  }

  /** Where the kernel's gradient goes (cleared if it is scratch). */
  protected kernelGradient(c: PassContext, _name: string): Float32Array {
    return c.gradViews[this.w];
  }

  /** Back from the kernel's gradient dK to the slots (the plain kernel's is its slot's already). */
  protected kernelBackward(_c: PassContext, _tape: Tape, _dK: Float32Array): void {}

  forward(c: PassContext, h: Float32Array | null, rows: number, name: string, tapes: Tape[]): Float32Array {
    const out = c.buf(name, rows * this.outDim);
    const tape: Tape = { input: h, output: out };
    const W = this.kernel(c, tape, name);
    const b = c.views[this.b];
    // One-hot rows (h null): row m of the product is row m of the kernel.
    if (h === null) addRowVector(W, rows, this.outDim, b, out);
    else c.gemm(rows * this.inDim * this.outDim).forward(h, rows, this.inDim, W, this.outDim, b, out);
    tapes.push(tape);
    return out;
  }

  backward(c: PassContext, tape: Tape, d: Float32Array, rows: number, name: string): Float32Array | undefined {
    const dW = this.kernelGradient(c, name);
    const W = tape.a ?? c.views[this.w];
    let dIn: Float32Array | undefined;
    if (tape.input === null) {
      addColumnSums(d, rows, this.outDim, c.gradViews[this.b]);
      addInto(dW, d, rows * this.outDim);
    } else {
      dIn = c.buf(`${name}dX`, rows * this.inDim);
      c.gemm(rows * this.inDim * this.outDim).backward(tape.input, rows, this.inDim, d, this.outDim, W, dW, dIn, c.gradViews[this.b]);
    }
    this.kernelBackward(c, tape, dW);
    return dIn;
  }

  toPass(layers: PassLayer[], c: PassContext): boolean {
    layers.push({
      inDim: this.inDim,
      outDim: this.outDim,
      kernel: c.views[this.w],
      bias: c.views[this.b],
      dKernel: c.gradViews[this.w],
      dBias: c.gradViews[this.b],
      activation: 'linear',
    });
    return true;
  }
}

export const denseKind: LayerKind = {
  name: 'dense',
  matches: (layer) => layer.getClassName() === 'Dense',
  train(layer, ctx, inDim) {
    const w = ctx.slot(layer, 0);
    const out = ctx.shape(w)[1];
    if (layer.trainableWeights.length !== 2) throw new Error(`JsTrainGraph: dense layer ${layer.name} without a bias`);
    const ops: TrainOp[] = [new DenseOp(w, ctx.slot(layer, 1), inDim, out)];
    const a = activationOf(layer);
    if (a !== 'linear') ops.push(new ActivationOp(a, out));
    return ops;
  },
  tf(layer, ctx) {
    const w = ctx.slot(layer, 0);
    const b = ctx.slot(layer, 1);
    const activation = activationOf(layer);
    return (h, p) => tfActivation(tf.fused.matMul({ a: h as tf.Tensor2D, b: p[w] as tf.Tensor2D, bias: p[b] }), activation);
  },
  mlp(layer, inDim, layers) {
    const [k, b] = layer.getWeights();
    const outDim = k.shape[1] as number;
    const bias = b ? Float32Array.from(b.dataSync() as Float32Array) : new Float32Array(outDim);
    layers.push({ kind: 'dense', inDim, outDim, kernel: Float32Array.from(k.dataSync() as Float32Array), bias, activation: activationOf(layer) });
    return outDim;
  },
};

/** A hidden layer's plain dense map (no activation: the builder adds it after any normalization), glorot-uniform from `seed`. */
export function plainDenseMap(args: { units: number; seed: number; first: { inputShape?: number[] } }): tf.layers.Layer {
  return tf.layers.dense({ units: args.units, kernelInitializer: tf.initializers.glorotUniform({ seed: args.seed }), ...args.first });
}
