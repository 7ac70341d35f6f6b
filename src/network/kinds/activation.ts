/** A named activation: tfjs's Activation layer, and the activation a Dense layer applies after its product. */
import type * as tf from '@tensorflow/tfjs';
import type { PassLayer } from '../../autoencoder/backend-decoder-pass.ts';
import { UnsupportedLayerError } from '../errors.ts';
import { tfActivation } from '../../layers/tf-activation.ts';
import { applyActivation, SELU_ALPHA, SELU_SCALE } from '../../mlp/forward.ts';
import { ACTIVATIONS, type Activation } from '../../vocabulary.ts';
import type { LayerKind } from '../kind.ts';
import type { PassContext, Tape, TrainOp } from '../op.ts';

/** A layer's activation by name; throws for one this simulator cannot run. */
export function activationOf(layer: tf.layers.Layer): Activation {
  const name = String((layer.getConfig() as { activation?: string }).activation ?? 'linear');
  if (!(ACTIVATIONS as readonly string[]).includes(name)) {
    throw new Error(`decoder layer ${layer.name}: activation ${name} is not supported by the fast path`);
  }
  return name as Activation;
}

export class ActivationOp implements TrainOp {
  readonly kind = 'activation';
  readonly macs = 0;
  readonly outDim: number;
  constructor(
    readonly activation: Activation,
    readonly inDim: number,
  ) {
    // The decoder's final softmax is folded into the cross-entropy; one inside a network is not supported here.
    if (activation === 'softmax') throw new UnsupportedLayerError('JsTrainGraph: softmax inside a network');
    this.outDim = inDim;
  }

  forward(_c: PassContext, h: Float32Array | null, rows: number, _name: string, tapes: Tape[]): Float32Array {
    // In place: every derivative below is a function of the output, and no earlier op's backward pass reads
    // its own output.
    const v = h!;
    if (this.activation === 'relu') reluInPlace(v, rows * this.inDim);
    else applyActivation(this.activation, v, 0, rows * this.inDim);
    tapes.push({ input: v, output: v });
    return v;
  }

  backward(_c: PassContext, tape: Tape, d: Float32Array, rows: number): Float32Array {
    activationBackward(this.activation, tape.output, d, rows * this.inDim);
    return d;
  }

  toPass(layers: PassLayer[]): boolean {
    const last = layers[layers.length - 1];
    if (!last || last.activation !== 'linear') return false;
    last.activation = this.activation as Exclude<Activation, 'softmax'>;
    return true;
  }
}

export const activationKind: LayerKind = {
  name: 'activation',
  matches: (layer) => layer.getClassName() === 'Activation',
  train: (layer, _ctx, inDim) => [new ActivationOp(activationOf(layer), inDim)],
  tf: (layer) => {
    const a = activationOf(layer);
    return (h) => tfActivation(h, a);
  },
  mlp: (layer, inDim, layers) => {
    layers.push({ kind: 'activation', activation: activationOf(layer) });
    return inDim;
  },
};

/** d ← d·act'(x), written with the output y = act(x). */
function activationBackward(a: Activation, y: Float32Array, d: Float32Array, len: number): void {
  switch (a) {
    case 'linear':
      return;
    case 'relu':
      // Multiplied by the 0/1 mask instead of a branch: half the signs are random, and a mispredicted
      // branch per value made this loop 4× slower (3.4 against 0.8 ns per value, measured here).
      for (let i = 0; i < len; i++) d[i] *= +(y[i] > 0);
      return;
    case 'elu':
      for (let i = 0; i < len; i++) if (!(y[i] > 0)) d[i] *= y[i] + 1;
      return;
    case 'selu':
      for (let i = 0; i < len; i++) d[i] *= y[i] > 0 ? SELU_SCALE : y[i] + SELU_SCALE * SELU_ALPHA;
      return;
    case 'tanh':
      for (let i = 0; i < len; i++) d[i] *= 1 - y[i] * y[i];
      return;
    case 'sigmoid':
      for (let i = 0; i < len; i++) d[i] *= y[i] * (1 - y[i]);
      return;
    case 'softmax':
      throw new UnsupportedLayerError('softmax inside a network');
  }
}

/**
 * ReLU for training, v·[v > 0] without a branch (4× faster than `v > 0 ? v : 0` on random signs, see
 * activationBackward). It differs from src/mlp/forward.ts's only where training has already failed: NaN stays NaN
 * (the restart rule sees it) and −∞ gives NaN.
 */
function reluInPlace(v: Float32Array, len: number): void {
  for (let i = 0; i < len; i++) {
    const x = v[i];
    v[i] = x * +(x > 0);
  }
}
