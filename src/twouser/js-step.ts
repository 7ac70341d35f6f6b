/**
 * The training step of the two-user interference channel: losses, decisions and the gradient of
 *
 *   L = α·L1 + (1−α)·L2
 *
 * with respect to each pair's flat parameters θ1, θ2, in two implementations of the same function:
 * - TwoUserJsStep: each pair is a single-link JsTrainGraph (src/autoencoder/js-train-graph.ts, backward pass
 *   written out, large products on the backend), driven piece by piece: both encoders, the two-user channel
 *   (src/channels/two-user.ts), both decoders, then the channel's VJP — the gradient of L reaches encoder 1
 *   through receiver 1 (weight α) and through receiver 2 (weight 1−α, via the cross link), and likewise
 *   encoder 2 — and both encoders' backward passes. The default.
 * - TwoUserTfStep: tfjs automatic differentiation (tf.variableGrads) of the four tfjs models. The reference
 *   the tests hold TwoUserJsStep to (test/unit/two-user.test.ts), and the fallback for a layer JsTrainGraph
 *   does not know.
 *
 * Why: the tfjs step cost ~0.3 s for (4,8) on the 2-core machine (hundreds of backend ops per step, tfjs's
 * Adam over 8 variables, the encoders' one-hot products on the whole batch); see docs/measurements.md,
 * "Two-user training speed", for the measured speed-up.
 */
import * as tf from '@tensorflow/tfjs';
import type { TwoUserChannelModel } from '../channels/two-user-model.ts';
import type { ChannelModel } from '../channels/types.ts';
import { DEFAULTS } from '../defaults.ts';
import type { AutoencoderModels } from '../autoencoder/build.ts';
import { decoderLogits } from '../autoencoder/build.ts';
import { JsTrainGraph, UnsupportedLayerError } from '../autoencoder/js-train-graph.ts';
import { forBackend } from '../autoencoder/gradient-graph.ts';
import { mirrorSlot, readSlots, writeSlots, type ParamSlot } from '../autoencoder/param-slots.ts';
import type { DecoderThread } from './decoder-thread.ts';

/** What a receiver's decoder pass leaves: its mean cross-entropy, correct decisions and dL_u/dy_u. */
type DecoderPass = { loss: number; correct: number; dy: Float32Array };

export interface TwoUserStepResult {
  /** Each receiver's mean cross-entropy. */
  l1: number;
  l2: number;
  /** Each receiver's correct decisions in the batch. */
  c1: number;
  c2: number;
  /** ∂L/∂θ1, ∂L/∂θ2 for L = α·L1 + (1−α)·L2 (valid until the next step). */
  gradients: [Float32Array, Float32Array];
}

export interface TwoUserGradientStep {
  /** θ1, θ2: each pair's parameters in its models' layer order. */
  readonly thetas: [Float32Array, Float32Array];
  /** A promise when the step runs on two threads (decoder-thread.ts). */
  step(m1: Int32Array, m2: Int32Array, draws: Float32Array, sigma: number, alpha: number): TwoUserStepResult | Promise<TwoUserStepResult>;
  /** The tfjs models' weights ← θ (before using the models). */
  writeTo(): void;
  /** Where each layer variable of user u (0 or 1) lives in θ_u. */
  layout(u: 0 | 1): { name: string; offset: number; size: number }[];
  /** Optional: the encoders' gradients are not needed (decoder refinement; the trainer masks them either way). */
  freezeEncoders?(frozen: boolean): void;
  /** Stops the step's worker thread, if it has one. */
  dispose?(): Promise<void>;
}

/**
 * What JsTrainGraph needs to know of a receiver (its input width); it never runs the single-link channel
 * (TwoUserJsStep puts the two-user channel between its pieces).
 */
function receiverView(c: TwoUserChannelModel): ChannelModel {
  const unused = (): never => {
    throw new Error('internal: a two-user receiver view is not a channel');
  };
  return {
    spec: { type: 'awgn' },
    n: c.n,
    signalling: 'complex',
    dims: c.dims,
    outDims: c.outDims,
    drawDims: 0,
    applyArrays: unused,
    vjpArrays: unused,
    applyTensors: unused,
  };
}

/**
 * One user's JsTrainGraph as the two-user step builds it (the backend's thresholds for products and the
 * decoder pass, side information allowed): the trainer's thread and decoder-worker.ts build theirs alike.
 */
export function createUserGraph(
  models: AutoencoderModels,
  channel: TwoUserChannelModel,
  messages: number,
  backendMinMacs = forBackend(DEFAULTS.train.backendGemmMinMacs),
  decoderPassMinMacs = forBackend(DEFAULTS.train.decoderPassMinMacs),
): JsTrainGraph {
  return new JsTrainGraph(models, receiverView(channel), messages, backendMinMacs, decoderPassMinMacs, true);
}

export class TwoUserJsStep implements TwoUserGradientStep {
  readonly graphs: [JsTrainGraph, JsTrainGraph];
  readonly thetas: [Float32Array, Float32Array];
  private y1 = new Float32Array(0);
  private y2 = new Float32Array(0);
  private dx1 = new Float32Array(0);
  private dx2 = new Float32Array(0);
  /** Receiver 2's decoder pass on a worker thread (useThread), or on this one. */
  private thread?: DecoderThread;

  constructor(
    users: [AutoencoderModels, AutoencoderModels],
    private readonly channel: TwoUserChannelModel,
    messages: number,
    backendMinMacs = Infinity,
    decoderPassMinMacs = Infinity,
  ) {
    this.graphs = [0, 1].map((u) => createUserGraph(users[u], channel, messages, backendMinMacs, decoderPassMinMacs)) as [JsTrainGraph, JsTrainGraph];
    this.thetas = [this.graphs[0].theta, this.graphs[1].theta];
  }

  /** From now on receiver 2's decoder pass runs on `thread` (built for user 2 of these models). */
  useThread(thread: DecoderThread): void {
    this.thread = thread;
  }

  step(m1: Int32Array, m2: Int32Array, draws: Float32Array, sigma: number, alpha: number): TwoUserStepResult | Promise<TwoUserStepResult> {
    const B = m1.length;
    const { channel, graphs, thread } = this;
    if (this.y1.length < B * channel.outDims) {
      this.y1 = new Float32Array(B * channel.outDims);
      this.y2 = new Float32Array(B * channel.outDims);
      this.dx1 = new Float32Array(B * channel.dims);
      this.dx2 = new Float32Array(B * channel.dims);
    }
    const x1 = graphs[0].encodeBatch(m1);
    const x2 = graphs[1].encodeBatch(m2);
    channel.applyArrays(x1, x2, draws, sigma, this.y1, this.y2, B);
    if (!thread) {
      const r1 = graphs[0].decodeBatch(this.y1, m1);
      const r2 = graphs[1].decodeBatch(this.y2, m2);
      return this.finish(m1, m2, draws, alpha, r1, r2);
    }
    // Receiver 2's pass on the worker (the computation graphs[1].decodeBatch would run) beside receiver 1's here.
    const remote = thread.decode(graphs[1].theta, this.y2, m2, B);
    const r1 = graphs[0].decodeBatch(this.y1, m1);
    return remote.then((r) => {
      graphs[1].gradient.set(thread.gradient);
      return this.finish(m1, m2, draws, alpha, r1, { loss: r.loss, correct: r.correct, dy: thread.dyRows });
    });
  }

  /** The rest of a step after both decoder passes: the users' weights, the channel's VJP, both encoders' backward passes. */
  private finish(m1: Int32Array, m2: Int32Array, draws: Float32Array, alpha: number, r1: DecoderPass, r2: DecoderPass): TwoUserStepResult {
    const B = m1.length;
    const { channel, graphs } = this;
    // decodeBatch leaves ∂L_u/∂(decoder u) in graph u's gradient (its encoder part is still 0) and ∂L_u/∂y_u:
    // weigh both by the user's share of L before the channel's VJP mixes them into the encoders' gradients.
    for (const [u, r] of [r1, r2].entries()) {
      const w = u === 0 ? alpha : 1 - alpha;
      const grad = graphs[u].gradient;
      for (let i = 0; i < grad.length; i++) grad[i] *= w;
      const dy = r.dy;
      for (let i = 0; i < B * channel.outDims; i++) dy[i] *= w;
    }
    channel.vjpArrays(draws, r1.dy, r2.dy, this.dx1, this.dx2, B);
    graphs[0].backpropEncoder(m1, this.dx1);
    graphs[1].backpropEncoder(m2, this.dx2);
    return { l1: r1.loss, l2: r2.loss, c1: r1.correct, c2: r2.correct, gradients: [graphs[0].gradient, graphs[1].gradient] };
  }

  /** Receiver 2's decoder pass runs on a worker thread. */
  get threaded(): boolean {
    return this.thread !== undefined;
  }

  async dispose(): Promise<void> {
    await this.thread?.stop();
    this.thread = undefined;
  }

  writeTo(): void {
    for (const g of this.graphs) g.writeTo();
  }

  freezeEncoders(frozen: boolean): void {
    for (const g of this.graphs) g.freezeEncoder(frozen);
  }

  layout(u: 0 | 1) {
    return this.graphs[u].layout();
  }
}

/** The reference: tfjs autodiff of the four models (variables ← θ before every step). */
export class TwoUserTfStep implements TwoUserGradientStep {
  readonly thetas: [Float32Array, Float32Array];
  private readonly slots: [ParamSlot[], ParamSlot[]] = [[], []];
  private readonly grads: [Float32Array, Float32Array];

  constructor(
    private readonly users: [AutoencoderModels, AutoencoderModels],
    private readonly channel: TwoUserChannelModel,
    private readonly messages: number,
  ) {
    for (const u of [0, 1] as const)
      for (const model of [users[u].encoder, users[u].decoder])
        for (const layer of model.layers) for (let i = 0; i < layer.trainableWeights.length; i++) mirrorSlot(this.slots[u], layer, i);
    const size = (u: 0 | 1) => this.slots[u].reduce((s, p) => s + p.size, 0);
    this.thetas = [new Float32Array(size(0)), new Float32Array(size(1))];
    this.grads = [new Float32Array(size(0)), new Float32Array(size(1))];
    readSlots(this.slots[0], this.thetas[0]);
    readSlots(this.slots[1], this.thetas[1]);
  }

  step(m1: Int32Array, m2: Int32Array, draws: Float32Array, sigma: number, alpha: number): TwoUserStepResult {
    this.writeTo();
    const B = m1.length;
    const M = this.messages;
    const { channel, users } = this;
    let out: { l1: number; l2: number; c1: number; c2: number } | undefined;
    tf.tidy(() => {
      const l1 = tf.tensor1d(m1, 'int32');
      const l2 = tf.tensor1d(m2, 'int32');
      const drawsT = tf.tensor2d(draws.subarray(0, B * channel.drawDims), [B, channel.drawDims]);
      const sigmaT = tf.fill([B, 1], sigma) as tf.Tensor2D;
      const vars = this.slots.flatMap((s) => s.map((p) => p.variable.read() as tf.Variable));
      let parts: tf.Scalar[] = [];
      const { grads } = tf.variableGrads(() => {
        const x1 = users[0].encoder.apply(tf.oneHot(l1, M), { training: true }) as tf.Tensor2D;
        const x2 = users[1].encoder.apply(tf.oneHot(l2, M), { training: true }) as tf.Tensor2D;
        const [y1, y2] = channel.applyTensors(tf, x1, x2, drawsT, sigmaT);
        const z1 = decoderLogits(users[0].decoder, y1, true);
        const z2 = decoderLogits(users[1].decoder, y2, true);
        const L1 = tf.losses.softmaxCrossEntropy(tf.oneHot(l1, M), z1) as tf.Scalar;
        const L2 = tf.losses.softmaxCrossEntropy(tf.oneHot(l2, M), z2) as tf.Scalar;
        const c1 = tf.sum(tf.cast(tf.equal(tf.argMax(z1, 1), l1), 'float32')) as tf.Scalar;
        const c2 = tf.sum(tf.cast(tf.equal(tf.argMax(z2, 1), l2), 'float32')) as tf.Scalar;
        parts = [L1, L2, c1, c2].map((t) => tf.keep(t)); // variableGrads disposes what f does not return
        return tf.add(tf.mul(L1, alpha), tf.mul(L2, 1 - alpha)) as tf.Scalar;
      }, vars);
      const [L1, L2, c1, c2] = parts.map((t) => t.dataSync()[0]);
      out = { l1: L1, l2: L2, c1, c2 };
      for (const t of parts) t.dispose();
      for (const u of [0, 1] as const)
        for (const s of this.slots[u]) this.grads[u].set(grads[(s.variable.read() as tf.Variable).name].dataSync() as Float32Array, s.offset);
    });
    return { ...out!, gradients: this.grads };
  }

  writeTo(): void {
    writeSlots(this.slots[0], this.thetas[0]);
    writeSlots(this.slots[1], this.thetas[1]);
  }

  layout(u: 0 | 1) {
    return this.slots[u].map((s) => ({ name: s.variable.name, offset: s.offset, size: s.size }));
  }
}

/** TwoUserJsStep, or TwoUserTfStep for a layer JsTrainGraph does not know. */
export function createTwoUserStep(users: [AutoencoderModels, AutoencoderModels], channel: TwoUserChannelModel, messages: number): TwoUserGradientStep {
  try {
    return new TwoUserJsStep(users, channel, messages, forBackend(DEFAULTS.train.backendGemmMinMacs), forBackend(DEFAULTS.train.decoderPassMinMacs));
  } catch (e) {
    if (!(e instanceof UnsupportedLayerError)) throw e;
    return new TwoUserTfStep(users, channel, messages);
  }
}
