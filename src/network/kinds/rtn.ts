/**
 * A radio transformer network (src/layers/radio-transformer.ts): the estimator's dense ops on the op's input
 * r give ω, then ȳ = t(y, ω) and its vector–Jacobian product (rtn-transform-arrays.ts). Its Monte Carlo form
 * is a decoder of its own (compileRtnDecoder, src/decoders/rtn.ts), not MlpLayer pieces.
 */
import type * as tf from '@tensorflow/tfjs';
import { isRadioTransformer, rtnApply, type RadioTransformer } from '../../layers/radio-transformer.ts';
import { rtnTransformArrays, rtnTransformVjp, type RtnShape } from '../../layers/rtn-transform-arrays.ts';
import type { Activation } from '../../vocabulary.ts';
import type { LayerKind } from '../kind.ts';
import { backwardOps, forwardOps, type PassContext, type Tape, type TrainOp } from '../op.ts';
import { ActivationOp } from './activation.ts';
import { DenseOp } from './dense.ts';

class RtnOp implements TrainOp {
  readonly kind = 'rtn';
  readonly macs = 0;
  readonly inDim: number;
  readonly outDim: number;
  constructor(
    readonly est: TrainOp[],
    readonly shape: RtnShape,
  ) {
    this.inDim = shape.received;
    this.outDim = shape.outDim;
  }

  /** Tape a: ω; sub: the estimator's tapes. */
  forward(c: PassContext, h: Float32Array | null, rows: number, name: string, tapes: Tape[]): Float32Array {
    const r = h!;
    const sub: Tape[] = [];
    const omega = forwardOps(c, this.est, r, rows, sub, `${name}e`);
    const out = c.buf(name, rows * this.outDim);
    rtnTransformArrays(this.shape, r, omega, rows, out);
    tapes.push({ input: r, output: out, a: omega, sub });
    return out;
  }

  backward(c: PassContext, tape: Tape, d: Float32Array, rows: number, name: string): Float32Array {
    // dω from the transform, back through the estimator to dr; then the transform's dy added to dr's first
    // 2n columns (y is part of the estimator's input r too).
    const s = this.shape;
    const dOmega = c.buf(`${name}dW`, rows * s.params);
    const dySide = c.buf(`${name}dY`, rows * s.received);
    dySide.fill(0);
    rtnTransformVjp(s, tape.input!, tape.a!, d, rows, dOmega, dySide);
    const dr = backwardOps(c, this.est, tape.sub!, dOmega, rows, `${name}e`)!;
    for (let i = 0; i < rows * s.received; i++) dr[i] += dySide[i];
    return dr;
  }

  toPass(): boolean {
    return false;
  }
}

export const rtnKind: LayerKind = {
  name: 'rtn',
  matches: isRadioTransformer,
  train(layer, ctx) {
    const rtn = layer as RadioTransformer;
    // The estimator: its dense layers (kernel, bias in the layer's weight order) and activations.
    const est: TrainOp[] = [];
    let d = rtn.received;
    const dense = (i: number, out: number, activation: Activation) => {
      est.push(new DenseOp(ctx.slot(layer, 2 * i), ctx.slot(layer, 2 * i + 1), d, out));
      if (activation !== 'linear') est.push(new ActivationOp(activation, out));
      d = out;
    };
    rtn.estimator.forEach((l, i) => dense(i, l.units, l.activation));
    dense(rtn.estimator.length, rtn.parameterCount, 'linear');
    return [new RtnOp(est, { transform: rtn.transform, n: rtn.n, taps: rtn.taps, received: rtn.received, params: rtn.parameterCount, outDim: rtn.outputDim })];
  },
  tf(layer, ctx) {
    const rtn = layer as RadioTransformer;
    const weights = rtn.trainableWeights.map((_, i) => ctx.slot(layer, i));
    return (h, p) => rtnApply(h as tf.Tensor2D, weights.map((i) => p[i]), rtn.config());
  },
};
