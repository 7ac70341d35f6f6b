/**
 * One training step of an autoencoder as a pure function of its parameters, with the parameters owned by
 * JavaScript (one flat Float32Array) and the gradient returned the same way.
 *
 *   loss(θ; messages, draws, σ) = cross-entropy(decoder(channel(encoder(messages)), draws, σ)), messages)
 *   (categorical, or binary over the k bits for a bit-wise decoder: bit-output.ts)
 *
 * The encoder and decoder layers are interpreted functionally (each layer kind's tfjs form, src/network/
 * registry.ts) on tensors made from θ each step, so the tfjs models themselves are only written
 * (`writeTo`) when their weights are needed (codebook, validation, saving) — the same function as
 * `encoder.apply` / `decoderLogits`, with two changes that cut backend ops, not mathematics:
 * - The encoder's first dense map acts on one-hot vectors, so its output is a row lookup W[m] + b, done here
 *   in JavaScript; its gradient is a scatter-add of the rows' gradients (also here). This drops a B×M by M×u
 *   product from the forward pass and another from the backward pass: a third of the (8,8) step's arithmetic.
 * - Parameters and gradients cross the JS/backend boundary once per tensor per step; the optimizer runs in
 *   JavaScript (adam.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { tfActivation } from '../layers/tf-activation.ts';
import type { ChannelModel } from '../channels/types.ts';
import type { TfForm } from '../network/kind.ts';
import { activationOf } from '../network/kinds/activation.ts';
import { tfForm } from '../network/registry.ts';
import type { Activation, AutoencoderOutput } from '../vocabulary.ts';
import type { AutoencoderModels } from './build.ts';
import { decodedMessages, decoderLoss, decoderOutput } from './bit-output.ts';
import type { GradientGraph, StepResult } from './gradient-graph-contract.ts';
import { FlatParameters } from './param-slots.ts';

export class TrainGraph extends FlatParameters implements GradientGraph {
  readonly size: number;
  /** θ, in the order of the slots. */
  readonly theta: Float32Array;
  private readonly grad: Float32Array;
  private readonly encoderOps: TfForm[];
  private readonly decoderOps: TfForm[];
  /**
   * The encoder's first dense map done as a row lookup (slot indices of W [M, u] and b [u], its activation),
   * when it is a plain Dense; otherwise (e.g. weight normalization) the one-hot batch goes through it.
   */
  private readonly embedding?: { w: number; b: number; units: number; activation: Activation };
  private embedded = new Float32Array(0);
  /** Softmax over the messages, or k sigmoid bits (the decoder's last layer says which). */
  private readonly output: AutoencoderOutput;

  constructor(
    readonly models: AutoencoderModels,
    private readonly channel: ChannelModel,
    readonly messages: number,
  ) {
    super();
    this.output = decoderOutput(models.decoder);
    const enc = models.encoder.layers;
    const first = enc[0];
    if (first.getClassName() === 'Dense') {
      const w = this.slot(first, 0);
      const b = this.slot(first, 1);
      this.embedding = { w, b, units: this.slots[w].shape[1], activation: activationOf(first) };
      this.encoderOps = enc.slice(1).map((l) => this.op(l));
    } else {
      this.encoderOps = enc.map((l) => this.op(l));
    }
    // The decoder's final softmax is folded into the cross-entropy.
    this.decoderOps = models.decoder.layers.slice(0, -1).map((l) => this.op(l));
    this.size = this.slots.reduce((s, p) => s + p.size, 0);
    this.theta = new Float32Array(this.size);
    this.grad = new Float32Array(this.size);
    this.readFrom();
  }

  private op(layer: tf.layers.Layer): TfForm {
    return tfForm(layer, { slot: (l, i) => this.slot(l, i), shape: (i) => this.slots[i].shape });
  }

  private run(ops: TfForm[], x: tf.Tensor, p: tf.Tensor[]): tf.Tensor {
    let h = x;
    for (const form of ops) h = form(h, p);
    return h;
  }

  /**
   * Loss and correct decisions of one batch, and the gradient of the mean loss w.r.t. θ (in `gradient`,
   * valid until the next call). `draws` holds the channel's standard normals (batch × drawDims).
   */
  step(messages: Int32Array, draws: Float32Array, sigma: number): StepResult & { gradient: Float32Array } {
    const B = messages.length;
    const { theta, grad, slots, embedding: emb } = this;
    const looked = (i: number) => emb !== undefined && (i === emb.w || i === emb.b);
    if (emb) this.lookUp(messages);
    const u = emb?.units ?? 0;
    // Results leave the tidy scope through this variable, not as its return value: tf.tidy walks whatever
    // it returns, element by element for typed arrays (135k parameters: 100 ms a step).
    let result: { loss: number; correct: number; grads: Float32Array[] } | undefined;
    tf.tidy(() => {
      const params = slots.map((s, i) => (looked(i) ? undefined : tf.tensor(theta.subarray(s.offset, s.offset + s.size), s.shape)));
      const labels = tf.tensor1d(messages, 'int32');
      const onehot = tf.oneHot(labels, this.messages);
      const drawsT = tf.tensor2d(draws.subarray(0, B * this.channel.drawDims), [B, this.channel.drawDims]);
      const sigmaT = tf.fill([B, 1], sigma) as tf.Tensor2D;
      const input = emb ? tf.tensor2d(this.embedded.subarray(0, B * u), [B, u]) : onehot;
      const trainable = params.filter((p): p is tf.Tensor => p !== undefined);
      let correct: tf.Tensor | undefined;
      const f = (...inputs: tf.Tensor[]): tf.Scalar => {
        const [first, ...rest] = inputs;
        const p: tf.Tensor[] = [];
        let r = 0;
        for (let i = 0; i < slots.length; i++) p.push(looked(i) ? first : rest[r++]); // looked-up slots are never read
        const x = this.run(this.encoderOps, emb ? tfActivation(first, emb.activation) : first, p) as tf.Tensor2D;
        const y = this.channel.applyTensors(tf, x, drawsT, sigmaT);
        const logits = this.run(this.decoderOps, y, p);
        correct = tf.keep(tf.sum(tf.cast(tf.equal(decodedMessages(this.output, logits), labels), 'float32')));
        return this.output === 'bits'
          ? decoderLoss('bits', logits, labels, logits.shape[1] as number)
          : (tf.losses.softmaxCrossEntropy(onehot, logits) as tf.Scalar);
      };
      const { value, grads } = tf.valueAndGrads(f)([input, ...trainable]);
      result = { loss: value.dataSync()[0], correct: correct!.dataSync()[0], grads: grads.map((g) => g.dataSync() as Float32Array) };
      correct!.dispose();
    });
    if (!result) throw new Error('internal: the training step produced no result');
    const [dInput, ...rest] = result.grads;
    if (emb) this.scatter(messages, dInput);
    let r = 0;
    for (let i = 0; i < slots.length; i++) if (!looked(i)) grad.set(rest[r++], slots[i].offset);
    return { loss: result.loss, correct: result.correct, gradient: grad };
  }

  /** embedded[i] = W[m_i] + b: the first dense map of one-hot message m_i. */
  private lookUp(messages: Int32Array): void {
    const emb = this.embedding!;
    const u = emb.units;
    if (this.embedded.length < messages.length * u) this.embedded = new Float32Array(messages.length * u);
    const { theta, embedded: e } = this;
    const wo = this.slots[emb.w].offset;
    const bo = this.slots[emb.b].offset;
    for (let i = 0; i < messages.length; i++) {
      const row = wo + messages[i] * u;
      for (let j = 0; j < u; j++) e[i * u + j] = theta[row + j] + theta[bo + j];
    }
  }

  /** The lookup's gradient: dW[m_i] += dE[i], db += dE[i]. */
  private scatter(messages: Int32Array, dE: Float32Array): void {
    const emb = this.embedding!;
    const u = emb.units;
    const { grad } = this;
    const w = this.slots[emb.w];
    const bo = this.slots[emb.b].offset;
    grad.fill(0, w.offset, w.offset + w.size);
    grad.fill(0, bo, bo + u);
    for (let i = 0; i < messages.length; i++) {
      const row = w.offset + messages[i] * u;
      for (let j = 0; j < u; j++) {
        const d = dE[i * u + j];
        grad[row + j] += d;
        grad[bo + j] += d;
      }
    }
  }
}
