/**
 * RadioTransformer: a radio transformer network (RTN) receiver front end, O'Shea & Hoydis 2017, Section
 * III.C and Fig. 9. The first layer of an RTN autoencoder's decoder; the usual decoder layers follow it.
 *
 *   estimator  ω = g_w(r): dense layers (default two Dense(64, tanh)), then a linear Dense to the
 *              transform's parameters;
 *   transform  ȳ = t(y, ω), fixed and differentiable:
 *     - `filter` (the paper's multipath RTN): ω is a complex filter of L taps (2L reals, I/Q interleaved) and
 *       ȳ = y ∗ ω, the *full* linear convolution, n + L − 1 complex values (2(n + L − 1) reals). Keeping the
 *       full length means a learned inverse filter whose overall response h ∗ ω is a delayed impulse loses
 *       none of the block (cut to n, a delay d would drop the last d symbols' energy).
 *     - `phase` (eq. 11): ω is one real φ and ȳ = y·e^{−jφ}, n complex values.
 *
 * Input r: the receiver's input per block, `received` reals: y (2n reals, I/Q interleaved), and with
 * multipath perfect CSI the taps h after it (src/channels/multipath.ts). The estimator sees all of r; the
 * transform acts on y only, and the canonical signal ȳ is all the decoder after it sees.
 *
 * Initialization: as spatial transformer networks (Jaderberg et al. 2015) start at the identity transform,
 * the estimator's output layer starts at zero weights and a bias of ω = δ (the filter's first tap 1 + 0j, or
 * phase 0), so an untrained RTN passes y through unchanged instead of scrambling it, and the first steps are
 * those of a plain decoder; the hidden layers are glorot-uniform (seeded) with zero biases. This is our
 * choice: the paper says nothing about initialization.
 *
 * The same function is written once (`rtnApply`) on tensors, with the weights as arguments, so the layer's
 * call(), the autodiff training step (train-graph.ts, on θ) and the tests share it; the Monte Carlo fast path
 * (src/decoders/rtn.ts) is its Float32Array form, tested value for value against it, and the JavaScript
 * training step (js-train-graph.ts: the estimator as its dense ops, the transform and its vector–Jacobian
 * product from rtn-transform-arrays.ts) is held to tf.grad of it (test/unit/train-graph.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { HIDDEN_ACTIVATIONS, RTN_TRANSFORMS, type HiddenActivation, type RtnTransform } from '../vocabulary.ts';
import { tfActivation } from './tf-activation.ts';
import { rtnOutputDim, rtnParameterCount, type RtnShape } from './rtn-shape.ts';

export { rtnArgs, rtnOutputDim, rtnParameterCount, type RtnShape } from './rtn-shape.ts';
import { convolveTensors, shiftBasis } from '../channels/shift-basis.ts';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface RadioTransformerArgs extends LayerArgs, RtnShape {
  /** Seed of the kernel initializers (layer i uses seed + i). */
  seed?: number;
}

/** The estimator's output ω [B, P] from r [B, received]; weights = [k0, b0, k1, b1, …, kOut, bOut]. */
export function rtnEstimate(r: tf.Tensor2D, weights: tf.Tensor[], activations: HiddenActivation[]): tf.Tensor2D {
  let h: tf.Tensor = r;
  for (let i = 0; i < activations.length; i++) {
    h = tfActivation(tf.add(tf.matMul(h as tf.Tensor2D, weights[2 * i] as tf.Tensor2D), weights[2 * i + 1]), activations[i]);
  }
  const last = 2 * activations.length;
  return tf.add(tf.matMul(h as tf.Tensor2D, weights[last] as tf.Tensor2D), weights[last + 1]) as tf.Tensor2D;
}

/** The parametric transform t(y, ω): y [B, 2n] (I/Q interleaved), ω [B, P] → ȳ [B, outputDim]. */
export function rtnTransform(y: tf.Tensor2D, omega: tf.Tensor2D, transform: RtnTransform, n: number, taps: number): tf.Tensor2D {
  if (transform === 'phase') {
    // ȳ = y·e^{−jφ}: a one-tap "filter" c = cos φ − j sin φ.
    const c = tf.concat([tf.cos(omega), tf.neg(tf.sin(omega))], 1) as tf.Tensor2D;
    return convolveTensors(tf, y, c, tf.tensor2d(basisFor(n, 1, 0), [2 * n, 4 * n]), 1, n);
  }
  // ȳ_k = Σ_l ω_l y_{k−l}, k = 0 … n + L − 2 (full linear convolution), as one product (shift-basis.ts).
  return convolveTensors(tf, y, omega, tf.tensor2d(basisFor(n, taps, taps - 1), [2 * n, 4 * taps * (n + taps - 1)]), taps, n + taps - 1);
}

const bases = new Map<string, Float32Array>();
/** The constant shift basis of an n-use input and its (n + extra)-use convolution with `taps` taps, cached per shape. */
function basisFor(n: number, taps: number, extra: number): Float32Array {
  const key = `${n}/${taps}/${extra}`;
  let b = bases.get(key);
  if (!b) bases.set(key, (b = shiftBasis(n, n + extra, taps)));
  return b;
}

/** The whole front end on tensors: r [B, received] → ȳ. */
export function rtnApply(
  r: tf.Tensor2D,
  weights: tf.Tensor[],
  cfg: { n: number; taps: number; transform: RtnTransform; activations: HiddenActivation[] },
): tf.Tensor2D {
  const omega = rtnEstimate(r, weights, cfg.activations);
  const y = tf.slice(r, [0, 0], [r.shape[0], 2 * cfg.n]) as tf.Tensor2D;
  return rtnTransform(y, omega, cfg.transform, cfg.n, cfg.taps);
}

/**
 * Whether a layer is a RadioTransformer, by its registered class name: a test runner that evaluates this
 * module twice (ESM and CommonJS) makes two classes of the same name, and a model loaded through the
 * serialization registry gets the one registered last, so `instanceof` is not reliable here.
 */
export const isRadioTransformer = (layer: tf.layers.Layer): layer is RadioTransformer => layer.getClassName() === 'RadioTransformer';

export class RadioTransformer extends tf.layers.Layer {
  static className = 'RadioTransformer';
  readonly n: number;
  readonly taps: number;
  readonly received: number;
  readonly estimator: { units: number; activation: HiddenActivation }[];
  readonly transform: RtnTransform;
  private readonly seed?: number;

  constructor(args: RadioTransformerArgs) {
    super(args);
    if (!(RTN_TRANSFORMS as readonly string[]).includes(args.transform)) throw new Error(`RadioTransformer: unknown transform ${args.transform}`);
    for (const l of args.estimator) {
      if (!(HIDDEN_ACTIVATIONS as readonly string[]).includes(l.activation)) throw new Error(`RadioTransformer: unknown activation ${l.activation}`);
    }
    this.n = args.n;
    this.taps = args.taps;
    this.received = args.received;
    this.estimator = args.estimator.map((l) => ({ units: l.units, activation: l.activation }));
    this.transform = args.transform;
    this.seed = args.seed;
  }

  get outputDim(): number {
    return rtnOutputDim(this.transform, this.n, this.taps);
  }

  get parameterCount(): number {
    return rtnParameterCount(this.transform, this.taps);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    let d = this.received;
    const init = (i: number) => tf.initializers.glorotUniform(this.seed === undefined ? {} : { seed: this.seed + i });
    this.estimator.forEach((l, i) => {
      this.addWeight(`est${i}_kernel`, [d, l.units], 'float32', init(i));
      this.addWeight(`est${i}_bias`, [l.units], 'float32', tf.initializers.zeros());
      d = l.units;
    });
    const P = this.parameterCount;
    this.addWeight('out_kernel', [d, P], 'float32', tf.initializers.zeros());
    // ω starts at the identity: the filter δ (first tap 1 + 0j), or phase 0.
    const bias = new Array<number>(P).fill(0);
    if (this.transform === 'filter') bias[0] = 1;
    const outBias = this.addWeight('out_bias', [P], 'float32', tf.initializers.zeros());
    const start = tf.tensor1d(bias);
    outBias.write(start); // assigns a copy
    start.dispose();
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [s[0], this.outputDim];
  }

  /** The weights in rtnApply's order: [k0, b0, …, kOut, bOut]. */
  weightTensors(): tf.Tensor[] {
    return this.trainableWeights.map((w) => w.read());
  }

  config(): { n: number; taps: number; transform: RtnTransform; activations: HiddenActivation[] } {
    return { n: this.n, taps: this.taps, transform: this.transform, activations: this.estimator.map((l) => l.activation) };
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const r = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
      return rtnApply(r, this.weightTensors(), this.config());
    });
  }

  /** ω for a batch of received blocks (what the report shows next to h). */
  estimate(r: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => rtnEstimate(r, this.weightTensors(), this.config().activations));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      n: this.n,
      taps: this.taps,
      received: this.received,
      estimator: this.estimator.map((l) => ({ ...l })),
      transform: this.transform,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}
tf.serialization.registerClass(RadioTransformer);
