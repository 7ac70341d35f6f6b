/**
 * A radio transformer network (src/layers/radio-transformer.ts): the estimator's dense ops on the op's input
 * r give ω, then ȳ = t(y, ω) and its vector–Jacobian product (rtn-transform-arrays.ts). Its Monte Carlo form
 * is a front end of its own (rtnMonteCarlo: the estimator as MlpLayers, run by src/decoders/rtn.ts), not
 * MlpLayer pieces of the decoder after it.
 */
import type * as tf from '@tensorflow/tfjs';
import type { RtnFrontEnd } from '../../decoders/rtn.ts';
import type { MlpLayer } from '../../mlp/spec.ts';
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

/** The estimator's dense layers, the last one linear to the transform's parameters: dense layer i has weights 2i (kernel) and 2i + 1 (bias). */
function estimatorChain(rtn: RadioTransformer): { units: number; activation: Activation }[] {
  return [
    ...rtn.estimator.map((l) => ({ units: l.units, activation: l.activation as Activation })),
    { units: rtn.parameterCount, activation: 'linear' as Activation },
  ];
}

/** The RTN of a trained decoder as the Monte Carlo front end (its estimator as plain arrays). */
export function rtnMonteCarlo(rtn: RadioTransformer): RtnFrontEnd {
  const weights = rtn.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
  const layers: MlpLayer[] = [];
  let dim = rtn.received;
  estimatorChain(rtn).forEach((l, i) => {
    layers.push({ kind: 'dense', inDim: dim, outDim: l.units, kernel: weights[2 * i], bias: weights[2 * i + 1], activation: l.activation });
    dim = l.units;
  });
  return { n: rtn.n, taps: rtn.taps, received: rtn.received, transform: rtn.transform, estimator: { inputDim: rtn.received, outputDim: dim, layers } };
}

export const rtnKind: LayerKind = {
  name: 'rtn',
  matches: isRadioTransformer,
  train(layer, ctx) {
    const rtn = layer as RadioTransformer;
    // The estimator: its dense layers (kernel, bias in the layer's weight order) and activations.
    const est: TrainOp[] = [];
    let d = rtn.received;
    estimatorChain(rtn).forEach(({ units, activation }, i) => {
      est.push(new DenseOp(ctx.slot(layer, 2 * i), ctx.slot(layer, 2 * i + 1), d, units));
      if (activation !== 'linear') est.push(new ActivationOp(activation, units));
      d = units;
    });
    return [new RtnOp(est, { transform: rtn.transform, n: rtn.n, taps: rtn.taps, received: rtn.received, params: rtn.parameterCount, outDim: rtn.outputDim })];
  },
  tf(layer, ctx) {
    const rtn = layer as RadioTransformer;
    const weights = rtn.trainableWeights.map((_, i) => ctx.slot(layer, i));
    return (h, p) =>
      rtnApply(
        h as tf.Tensor2D,
        weights.map((i) => p[i]),
        rtn.config(),
      );
  },
};
