/**
 * Training both transmitter–receiver pairs of the two-user interference channel end to end (O'Shea & Hoydis
 * 2017, Section III.B):
 *
 *   L = α·L1 + (1−α)·L2,   L_u = cross-entropy of receiver u's softmax on its own message,
 *
 * with the paper's dynamic weight α_{t+1} = L1/(L1+L2) computed from every batch's losses (α_0 = 0.5), or a
 * fixed α. The user whose loss is higher gets the larger weight, so neither pair can win at the other's
 * expense; a fixed α = 0.5 lets the optimizer settle on unfair solutions (the paper's remark).
 *
 * Each pair is the single-link autoencoder of src/autoencoder/build.ts (the paper's Table IV: Dense(M, relu) →
 * Dense(2n) → power normalization; Dense(M, relu) → Dense(M, softmax)) with complex signalling; the channel is
 * src/channels/two-user.ts (AWGN links, or Rayleigh fading on each link: src/channels/two-user-rayleigh.ts). The step is
 * written out in JavaScript (src/twouser/js-step.ts: the single-link JsTrainGraph pieces of both pairs around
 * the two-user channel and its VJP; tfjs autodiff as the tested reference and fallback), then Adam on each
 * pair's flat parameters (FlatAdam, the same update as tfjs's). Large pairs run receiver 2's decoder pass on a
 * second thread (decoder-thread.ts), bit for bit the same step. The backend follows the single-link rule for
 * one user's network (backendForTraining).
 *
 * The training loop is the single link's (src/training/loop.ts), its rules applied to both users: restart
 * from a derived seed when the loss is not finite, when either user's accuracy is still at chance a quarter of
 * the way in, or when either codebook ends with two messages on one codeword; stop on convergence of the
 * validation loss L1 + L2 (fixed validation set, same plateau rule and learning-rate decays), then — the
 * default recipe's last stage, as for a single link — refine both decoders with both encoders frozen
 * (`refine`: a fresh Adam at a lower rate, at the Eb/N0 where time sharing has BLER 0.05, until L1 + L2 on its
 * own validation set converges). Not carried over: the single-link extension of training when the learned
 * decoder lags ML decoding of its own code.
 *
 * Random streams: weights of user u from (seed, 'u<u>'); batches from (seed, 'train'): per step user 1's
 * messages, user 2's messages, then the channel's normals; the validation set from (seed, 'validation-set').
 */
import { availableParallelism, nodeBuiltin } from '../platform.ts';
import * as tf from '@tensorflow/tfjs';
import { blockFading, makeTwoUserChannel } from '../channels/registry.ts';
import type { TwoUserChannelModel } from '../channels/two-user-model.ts';
import { FlatAdam } from '../autoencoder/adam.ts';
import { backendForTraining } from '../backend.ts';
import { createTwoUserStep, TwoUserJsStep, type TwoUserGradientStep } from './js-step.ts';
import { DecoderThread } from './decoder-thread.ts';
import { noiseStd } from '../conventions.ts';
import { DEFAULTS } from '../defaults.ts';
import { RandomStream, deriveSeed } from '../random.ts';
import { buildAutoencoder, decoderLogits, type AutoencoderModels } from '../autoencoder/build.ts';
import { messageCount, withDefaults, type AutoencoderSpec } from '../autoencoder/spec.ts';
import { TrainedAutoencoder } from '../autoencoder/trained.ts';
import { collapsedCode, forwardMacs } from '../autoencoder/train.ts';
import {
  convergedReason,
  drawEbno,
  RestartSignal,
  trainWithRestarts,
  type CheckResult,
  type Learner,
  type StepResult,
  type TrainingOptions,
  type TrainProgress,
} from '../training/loop.ts';
import { middleEbno, type TrainEbno, type TrainingRecord } from '../training/record.ts';
import type { ConvergenceRule } from '../training/plateau.ts';
import type { TwoUserAlpha } from '../vocabulary.ts';
export { userSpec } from './spec.ts';

export interface TwoUserTrainOptions extends TrainingOptions<TrainProgress & { alpha: number }> {
  alpha: TwoUserAlpha;
  crossGain: number;
  /**
   * Threads for the step of large networks (decoder-thread.ts: receiver 2's decoder pass on a second thread).
   * Default: one per core. The result does not depend on it.
   */
  workers?: number;
}

/** The two-user part of the record: per logged step, the mean α and each user's mean loss and accuracy. */
export interface TwoUserRecord {
  steps: number[];
  alpha: number[];
  loss1: number[];
  loss2: number[];
  accuracy1: number[];
  accuracy2: number[];
  /** Validation checks: L1 + L2 and each user's BLER on the fixed validation set. */
  validation?: { steps: number[]; loss: number[]; bler1: number[]; bler2: number[]; blocks: number; ebnoDb: number };
}

export interface TrainedTwoUser {
  users: [TrainedAutoencoder, TrainedAutoencoder];
  record: TwoUserRecord;
}

/**
 * Encoder output in training mode. (A row lookup with tf.gather would save the first one-hot product, but its
 * gradient needs UnsortedSegmentSum, which the wasm backend lacks.)
 */
function encode(models: AutoencoderModels, messages: tf.Tensor1D, M: number): tf.Tensor2D {
  return models.encoder.apply(tf.oneHot(messages, M), { training: true }) as tf.Tensor2D;
}

const at = (a: number[], i = a.length - 1): number => a[i];

/** One attempt: both pairs from one seed. */
class Pair implements Learner<TrainedTwoUser> {
  readonly users: [AutoencoderModels, AutoencoderModels];
  readonly record: TwoUserRecord = { steps: [], alpha: [], loss1: [], loss2: [], accuracy1: [], accuracy2: [] };
  readonly chance: { messages: number; accuracy: number };
  private readonly optimizers: [FlatAdam, FlatAdam];
  private readonly graph: TwoUserGradientStep;
  private readonly stream: RandomStream;
  private readonly m1: Int32Array;
  private readonly m2: Int32Array;
  private readonly draws: Float32Array;
  private alpha: number;
  private validation?: { m1: Int32Array; m2: Int32Array; draws: Float32Array; sigma: number };
  /** Decoder refinement: both encoders' entries of θ masked out of the gradient (1 trained, 0 frozen). */
  private masks?: [Float32Array, Float32Array];
  private trainedUsers?: [TrainedAutoencoder, TrainedAutoencoder];

  constructor(
    private readonly spec: AutoencoderSpec,
    private readonly channel: TwoUserChannelModel,
    private readonly opts: TwoUserTrainOptions,
    readonly seed: string,
    readonly index: number,
    readonly records: [TrainingRecord, TrainingRecord],
    private readonly macs: number,
  ) {
    this.users = [buildAutoencoder(spec, deriveSeed(seed, 'u1')), buildAutoencoder(spec, deriveSeed(seed, 'u2'))];
    this.graph = createTwoUserStep(this.users, channel, messageCount(spec));
    this.optimizers = [new FlatAdam(this.graph.thetas[0].length, opts.learningRate), new FlatAdam(this.graph.thetas[1].length, opts.learningRate)];
    this.stream = new RandomStream(seed, 'train');
    this.m1 = new Int32Array(opts.batchSize);
    this.m2 = new Int32Array(opts.batchSize);
    this.draws = new Float32Array(opts.batchSize * channel.drawDims);
    this.alpha = opts.alpha === 'dynamic' ? DEFAULTS.twoUser.alpha0 : opts.alpha;
    const M = messageCount(spec);
    // The single-link rule: still at most twice chance (2/M). Without CSI the unknown gains of both links cap
    // the accuracy far below 1 at any Eb/N0 (a (2,2) pair learns to about 47% at its training Eb/N0, chance
    // 25%), so there "at chance" means at most 1.25/M.
    const fading = blockFading(spec.channel, spec.n);
    this.chance = { messages: M, accuracy: (fading.gains > 0 && fading.csi === 'none' ? 1.25 : 2) / M };
    const rule = opts.convergence;
    if (rule) this.record.validation = { steps: [], loss: [], bler1: [], bler2: [], blocks: rule.validationBlocks, ebnoDb: middleEbno(opts.ebnoDb) };
  }

  /** A fixed validation set of both users' messages and the channel's draws at `ebnoDb`, from (seed, 'validation-set'). */
  useValidationSet(blocks: number, ebnoDb: number, seed: string): void {
    const vs = new RandomStream(seed, 'validation-set');
    const M = messageCount(this.spec);
    const m1 = vs.fillInts(new Int32Array(blocks), M);
    const m2 = vs.fillInts(new Int32Array(blocks), M);
    const draws = new Float32Array(blocks * this.channel.drawDims);
    vs.fillNormal(draws);
    this.validation = { m1, m2, draws, sigma: noiseStd(ebnoDb, this.spec.k, this.spec.n) };
  }

  /** Both encoders' gradients masked out from here on. */
  freezeEncoders(): void {
    this.masks = [0, 1].map((u) => {
      const encoder = new Set(this.users[u].encoder.trainableWeights.map((w) => w.name));
      const mask = new Float32Array(this.graph.thetas[u].length).fill(1);
      for (const l of this.graph.layout(u as 0 | 1)) if (encoder.has(l.name)) mask.fill(0, l.offset, l.offset + l.size);
      return mask;
    }) as [Float32Array, Float32Array];
    this.graph.freezeEncoders?.(true);
  }

  /** Cross-entropies and correct decisions of both receivers for one batch (or the validation set). */
  private losses(m1: Int32Array, m2: Int32Array, draws: Float32Array, sigma: number, training: boolean) {
    const B = m1.length;
    const M = messageCount(this.spec);
    const l1 = tf.tensor1d(m1, 'int32');
    const l2 = tf.tensor1d(m2, 'int32');
    const x1 = encode(this.users[0], l1, M);
    const x2 = encode(this.users[1], l2, M);
    const [y1, y2] = this.channel.applyTensors(
      tf,
      x1,
      x2,
      tf.tensor2d(draws.subarray(0, B * this.channel.drawDims), [B, this.channel.drawDims]),
      tf.fill([B, 1], sigma) as tf.Tensor2D,
    );
    const z1 = decoderLogits(this.users[0].decoder, y1, training);
    const z2 = decoderLogits(this.users[1].decoder, y2, training);
    const L1 = tf.losses.softmaxCrossEntropy(tf.oneHot(l1, M), z1) as tf.Scalar;
    const L2 = tf.losses.softmaxCrossEntropy(tf.oneHot(l2, M), z2) as tf.Scalar;
    const c1 = tf.sum(tf.cast(tf.equal(tf.argMax(z1, 1), l1), 'float32'));
    const c2 = tf.sum(tf.cast(tf.equal(tf.argMax(z2, 1), l2), 'float32'));
    return { L1, L2, c1, c2 };
  }

  validate(): CheckResult {
    const v = this.validation!;
    const V = v.m1.length;
    // The validation set sees the batch-normalized codebook as training does (average power over the set).
    this.graph.writeTo();
    const [L1, L2, e1, e2] = tf.tidy(() => {
      const r = this.losses(v.m1, v.m2, v.draws, v.sigma, false);
      return [r.L1.dataSync()[0], r.L2.dataSync()[0], V - r.c1.dataSync()[0], V - r.c2.dataSync()[0]];
    });
    return { loss: [L1, L2], errors: [e1, e2] };
  }

  /** The main stage's checks also go to the two-user record (the refinement's only to each user's). */
  checked(step: number, { loss: [L1, L2], errors: [e1, e2] }: CheckResult, refining: boolean): void {
    if (refining) return;
    const V = this.validation!.m1.length;
    const rec = this.record.validation!;
    rec.steps.push(step);
    rec.loss.push(L1 + L2);
    rec.bler1.push(e1 / V);
    rec.bler2.push(e2 / V);
  }

  async step(ebnoDb: TrainEbno): Promise<StepResult> {
    const { spec, stream, m1, m2, draws } = this;
    const M = messageCount(spec);
    stream.fillInts(m1, M);
    stream.fillInts(m2, M);
    stream.fillNormal(draws);
    const sigma = noiseStd(drawEbno(ebnoDb, stream), spec.k, spec.n);
    const alpha = this.alpha;
    const out = await this.graph.step(m1, m2, draws, sigma, alpha);
    if (this.masks)
      for (const u of [0, 1] as const) {
        const g = out.gradients[u];
        const mask = this.masks[u];
        for (let i = 0; i < g.length; i++) g[i] *= mask[i];
      }
    this.optimizers[0].step(this.graph.thetas[0], out.gradients[0]);
    this.optimizers[1].step(this.graph.thetas[1], out.gradients[1]);
    // The paper's rule: the next batch weighs each user by its share of the current loss.
    if (this.opts.alpha === 'dynamic') this.alpha = out.l1 / (out.l1 + out.l2);
    return { loss: [out.l1, out.l2], correct: [out.c1, out.c2], extra: [alpha] };
  }

  /** The window's mean α and both users' means (as in their records) go to the two-user record. */
  logged(step: number, [alpha]: number[]): void {
    const [a, b] = this.records;
    this.record.steps.push(step);
    this.record.alpha.push(alpha);
    this.record.loss1.push(at(a.loss));
    this.record.loss2.push(at(b.loss));
    this.record.accuracy1.push(at(a.accuracy));
    this.record.accuracy2.push(at(b.accuracy));
  }

  /** α after a window: its mean; after a check: the current α, with the main stage's latest check (L1 + L2, mean BLER). */
  progressExtra(check: boolean): object {
    if (!check) return { alpha: at(this.record.alpha) };
    const v = this.record.validation!;
    return { alpha: this.alpha, validation: { loss: at(v.loss), bler: (at(v.bler1) + at(v.bler2)) / 2 } };
  }

  convergedReason(rule: ConvergenceRule, decays: number, step: number): string {
    return convergedReason(rule, decays, step, 'the validation loss L1 + L2', 'decays');
  }

  setLearningRate(learningRate: number): void {
    for (const o of this.optimizers) o.setLearningRate(learningRate); // the moments are kept
  }

  resetOptimizers(learningRate: number): void {
    for (const o of this.optimizers) o.reset(learningRate);
  }

  /**
   * Receiver 2's decoder pass on a worker thread (decoder-thread.ts) for networks of at least
   * DEFAULTS.train.dataParallelMinMacs multiply-adds per example (`macs`: one user's network), when `workers`
   * allows a second thread. The trained model does not depend on it (the worker runs the same computation).
   */
  async start(): Promise<void> {
    const graph = this.graph;
    // Worker threads are Node's: elsewhere (a browser) both decoder passes run on this thread.
    const workers = this.opts.workers ?? (nodeBuiltin('node:worker_threads') ? availableParallelism() : 1);
    if (workers < 2 || !(graph instanceof TwoUserJsStep) || this.macs < DEFAULTS.train.dataParallelMinMacs || graph.graphs[1].keepsState) return;
    const thread = await DecoderThread.start(
      this.spec,
      deriveSeed(this.seed, 'u2'),
      this.opts.crossGain,
      graph.thetas[1].length,
      this.opts.batchSize,
      this.channel.outDims,
    );
    graph.useThread(thread);
  }

  /** The tfjs models' weights ← the trained parameters. */
  sync(): void {
    this.graph.writeTo();
  }

  /** Restarts when either codebook has collapsed. */
  trained(): void {
    const users = this.users.map((u, i) => new TrainedAutoencoder(this.spec, u.encoder, u.decoder, this.records[i])) as [
      TrainedAutoencoder,
      TrainedAutoencoder,
    ];
    this.trainedUsers = users;
    for (const [i, u] of users.entries()) {
      const collapsed = collapsedCode(u.codebook(), this.spec, this.opts.ebnoDb);
      if (collapsed) throw new RestartSignal(`attempt ${this.index}: user ${i + 1}: ${collapsed}`);
    }
  }

  result(): TrainedTwoUser {
    return { users: this.trainedUsers!, record: this.record };
  }

  async stop(): Promise<void> {
    await this.graph.dispose?.();
  }

  dispose(): void {
    for (const u of this.users) {
      u.encoder.dispose();
      u.decoder.dispose();
    }
  }
}

export async function trainTwoUser(spec: AutoencoderSpec, opts: TwoUserTrainOptions): Promise<TrainedTwoUser> {
  if (spec.signalling !== 'complex') throw new Error('trainTwoUser: two-user systems use complex signalling');
  const channel = makeTwoUserChannel(spec.channel, spec.n, opts.crossGain);
  // The single-link rule for one user's network (a pair is two of them): inside a command that chose
  // tfjs-node, small pairs train on wasm, large ones on tfjs-node, whatever the scenario trained before.
  const macs = forwardMacs(withDefaults(spec));
  await backendForTraining(macs);
  return trainWithRestarts(opts, {
    what: 'two-user training',
    networks: 2,
    backend: tf.getBackend(),
    learner: (seed, index, records) => new Pair(spec, channel, opts, seed, index, records as [TrainingRecord, TrainingRecord], macs),
  });
}
