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
 * The single-link rules apply to both users (src/autoencoder/train.ts): restart from a derived seed when the
 * loss is not finite, when either user's accuracy is still at chance a quarter of the way in, or when either
 * codebook ends with two messages on one codeword; stop on convergence of the validation loss L1 + L2 (fixed
 * validation set, same plateau rule and learning-rate decays), then — the default recipe's last stage, as for a
 * single link — refine both decoders with both encoders frozen (`refine`: a fresh Adam at a lower rate, at the
 * Eb/N0 where time sharing has BLER 0.05, until L1 + L2 on its own validation set converges). Not carried over:
 * the single-link extension of training when the learned decoder lags ML decoding of its own code.
 *
 * Random streams: weights of user u from (seed, 'u<u>'); batches from (seed, 'train'): per step user 1's
 * messages, user 2's messages, then the channel's normals; the validation set from (seed, 'validation-set').
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { makeTwoUserChannel } from '../channels/two-user.ts';
import type { TwoUserChannelModel } from '../channels/two-user-model.ts';
import { FlatAdam } from '../autoencoder/adam.ts';
import { backendForTraining } from '../backend.ts';
import { createTwoUserStep, TwoUserJsStep, type TwoUserGradientStep } from './js-step.ts';
import { DecoderThread } from './decoder-thread.ts';
import { noiseStd } from '../conventions.ts';
import { DEFAULTS } from '../defaults.ts';
import { RandomStream, deriveSeed, type SeedPart } from '../random.ts';
import { buildAutoencoder, decoderLogits, type AutoencoderModels } from '../autoencoder/build.ts';
import { PlateauSchedule, type ConvergenceRule } from '../autoencoder/convergence.ts';
import type { DecoderRefinement } from '../autoencoder/train.ts';
import { messageCount, withDefaults, type AutoencoderSpec, type TrainEbno } from '../autoencoder/spec.ts';
import { TrainedAutoencoder, type TrainingRecord } from '../autoencoder/trained.ts';
import { collapsedCode, forwardMacs, middleEbno, newRefinementRecord, newTrainingRecord, RestartSignal, TrainingAbortedError } from '../autoencoder/train.ts';
import type { TwoUserAlpha } from '../vocabulary.ts';
export { userSpec } from './spec.ts';

export interface TwoUserTrainOptions {
  ebnoDb: TrainEbno;
  batchSize: number;
  steps: number;
  learningRate: number;
  seed: SeedPart;
  alpha: TwoUserAlpha;
  crossGain: number;
  /** Stop on convergence (absent: exactly `steps` steps at a constant rate). */
  convergence?: ConvergenceRule;
  /**
   * Threads for the step of large networks (decoder-thread.ts: receiver 2's decoder pass on a second thread).
   * Default: one per core. The result does not depend on it.
   */
  workers?: number;
  maxRestarts?: number;
  /** Decoder refinement after training: both encoders frozen, both decoders trained on at `ebnoDb`. */
  refine?: DecoderRefinement;
  /** Loss, α and accuracies are recorded as averages over windows of this many steps (default steps/200). */
  logEvery?: number;
  onProgress?: (p: { step: number; steps: number; loss: number; accuracy: number; attempt: number; alpha: number; validation?: { loss: number; bler: number } }) => void;
  signal?: AbortSignal;
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

/** One attempt: both pairs from one seed. */
class Attempt {
  readonly users: [AutoencoderModels, AutoencoderModels];
  private readonly optimizers: [FlatAdam, FlatAdam];
  private readonly graph: TwoUserGradientStep;
  private readonly stream: RandomStream;
  private readonly m1: Int32Array;
  private readonly m2: Int32Array;
  private readonly draws: Float32Array;
  private alpha: number;
  private learningRate: number;
  step = 0;
  converged = false;
  private validation?: { m1: Int32Array; m2: Int32Array; draws: Float32Array; sigma: number; schedule: PlateauSchedule; rule: ConvergenceRule };
  /** The training Eb/N0 of the current stage (the decoder refinement trains at its own). */
  private ebnoDb: TrainEbno;
  /** Decoder refinement: both encoders' entries of θ masked out of the gradient (1 trained, 0 frozen). */
  private masks?: [Float32Array, Float32Array];
  /** Set when the refinement started: its records per user. */
  private refinement?: [NonNullable<TrainingRecord['refinement']>, NonNullable<TrainingRecord['refinement']>];
  stopReason = '';

  constructor(
    private readonly spec: AutoencoderSpec,
    private readonly channel: TwoUserChannelModel,
    private readonly opts: TwoUserTrainOptions,
    readonly seed: string,
    readonly index: number,
    readonly record: TwoUserRecord,
    readonly base: [TrainingRecord, TrainingRecord],
  ) {
    this.users = [buildAutoencoder(spec, deriveSeed(seed, 'u1')), buildAutoencoder(spec, deriveSeed(seed, 'u2'))];
    this.learningRate = opts.learningRate;
    this.ebnoDb = opts.ebnoDb;
    this.graph = createTwoUserStep(this.users, channel, messageCount(spec));
    this.optimizers = [new FlatAdam(this.graph.thetas[0].length, opts.learningRate), new FlatAdam(this.graph.thetas[1].length, opts.learningRate)];
    this.stream = new RandomStream(seed, 'train');
    this.m1 = new Int32Array(opts.batchSize);
    this.m2 = new Int32Array(opts.batchSize);
    this.draws = new Float32Array(opts.batchSize * channel.drawDims);
    this.alpha = opts.alpha === 'dynamic' ? DEFAULTS.twoUser.alpha0 : opts.alpha;
    const rule = opts.convergence;
    if (rule) {
      const ebno = middleEbno(opts.ebnoDb);
      this.validation = this.validationSet(rule, ebno, new RandomStream(seed, 'validation-set'));
      record.validation = { steps: [], loss: [], bler1: [], bler2: [], blocks: rule.validationBlocks, ebnoDb: ebno };
    }
  }

  /** A fixed validation set of both users' messages and the channel's draws at `ebnoDb`. */
  private validationSet(rule: ConvergenceRule, ebnoDb: number, vs: RandomStream) {
    const V = rule.validationBlocks;
    const M = messageCount(this.spec);
    const m1 = vs.fillInts(new Int32Array(V), M);
    const m2 = vs.fillInts(new Int32Array(V), M);
    const draws = new Float32Array(V * this.channel.drawDims);
    vs.fillNormal(draws);
    return { m1, m2, draws, sigma: noiseStd(ebnoDb, this.spec.k, this.spec.n), schedule: new PlateauSchedule(rule), rule };
  }

  /**
   * The decoder refinement stage: from here on `run` trains both decoders only (the encoders' gradients masked
   * out), with fresh Adams at the refinement rate, at the refinement Eb/N0, validated on their own fixed set.
   */
  startDecoderRefinement(r: DecoderRefinement): void {
    this.masks = [0, 1].map((u) => {
      const encoder = new Set(this.users[u].encoder.trainableWeights.map((w) => w.name));
      const mask = new Float32Array(this.graph.thetas[u].length).fill(1);
      for (const l of this.graph.layout(u as 0 | 1)) if (encoder.has(l.name)) mask.fill(0, l.offset, l.offset + l.size);
      return mask;
    }) as [Float32Array, Float32Array];
    this.graph.freezeEncoders?.(true);
    this.ebnoDb = r.ebnoDb;
    this.learningRate = r.learningRate;
    for (const o of this.optimizers) o.reset(r.learningRate);
    this.validation = this.validationSet(r.convergence, r.ebnoDb, new RandomStream(`${this.seed}/refine`, 'validation-set'));
    this.converged = false;
    this.refinement = [newRefinementRecord(r, this.step), newRefinementRecord(r, this.step)];
    this.base[0].refinement = this.refinement[0];
    this.base[1].refinement = this.refinement[1];
  }

  /** Closes the refinement's records after its run. */
  endDecoderRefinement(maxSteps: number): void {
    for (const rec of this.refinement ?? []) {
      rec.steps = this.step - rec.fromStep;
      rec.stopReason = this.converged ? this.stopReason : `reached its step limit (${maxSteps})`;
    }
  }

  /** Cross-entropies and correct decisions of both receivers for one batch (or the validation set). */
  private losses(m1: Int32Array, m2: Int32Array, draws: Float32Array, sigma: number, training: boolean) {
    const B = m1.length;
    const M = messageCount(this.spec);
    const l1 = tf.tensor1d(m1, 'int32');
    const l2 = tf.tensor1d(m2, 'int32');
    const x1 = encode(this.users[0], l1, M);
    const x2 = encode(this.users[1], l2, M);
    const [y1, y2] = this.channel.applyTensors(tf, x1, x2, tf.tensor2d(draws.subarray(0, B * this.channel.drawDims), [B, this.channel.drawDims]), tf.fill([B, 1], sigma) as tf.Tensor2D);
    const z1 = decoderLogits(this.users[0].decoder, y1, training);
    const z2 = decoderLogits(this.users[1].decoder, y2, training);
    const L1 = tf.losses.softmaxCrossEntropy(tf.oneHot(l1, M), z1) as tf.Scalar;
    const L2 = tf.losses.softmaxCrossEntropy(tf.oneHot(l2, M), z2) as tf.Scalar;
    const c1 = tf.sum(tf.cast(tf.equal(tf.argMax(z1, 1), l1), 'float32'));
    const c2 = tf.sum(tf.cast(tf.equal(tf.argMax(z2, 1), l2), 'float32'));
    return { L1, L2, c1, c2 };
  }

  private check(step: number): 'continue' | 'decay' | 'stop' {
    const v = this.validation!;
    const V = v.m1.length;
    // The validation set sees the batch-normalized codebook as training does (average power over the set).
    this.graph.writeTo();
    const [L1, L2, e1, e2] = tf.tidy(() => {
      const r = this.losses(v.m1, v.m2, v.draws, v.sigma, false);
      return [r.L1.dataSync()[0], r.L2.dataSync()[0], V - r.c1.dataSync()[0], V - r.c2.dataSync()[0]];
    });
    // The main stage's checks go to the two-user record and each user's record; the refinement's to its records.
    const perUser = this.refinement ? this.refinement.map((r) => r.validation) : this.base.map((b) => b.validation);
    if (!this.refinement) {
      const rec = this.record.validation!;
      rec.steps.push(step);
      rec.loss.push(L1 + L2);
      rec.bler1.push(e1 / V);
      rec.bler2.push(e2 / V);
    }
    [[L1, e1], [L2, e2]].forEach(([L, e], u) => {
      perUser[u]?.steps.push(step);
      perUser[u]?.loss.push(L);
      perUser[u]?.bler.push(e / V);
    });
    const decision = Number.isFinite(L1 + L2) ? v.schedule.observe(L1 + L2) : 'continue';
    if (decision === 'decay') {
      this.learningRate /= v.rule.decayFactor;
      for (const o of this.optimizers) o.setLearningRate(this.learningRate); // the moments are kept
      for (const [u, b] of this.base.entries()) (this.refinement ? this.refinement[u].learningRateDecays : (b.learningRateDecays ??= [])).push({ step, learningRate: this.learningRate });
    }
    return decision;
  }

  async run(steps: number): Promise<void> {
    const { opts, spec, stream, m1, m2, draws, record } = this;
    const M = messageCount(spec);
    const B = opts.batchSize;
    const logEvery = opts.logEvery ?? Math.max(1, Math.round(opts.steps / 200));
    const stuckCheckAt = opts.steps >= 400 && !this.refinement ? Math.floor(opts.steps / 4) : -1;
    // The single-link rule: still at most twice chance (2/M). Without CSI the unknown gains of both links cap
    // the accuracy far below 1 at any Eb/N0 (a (2,2) pair learns to about 47% at its training Eb/N0, chance
    // 25%), so there "at chance" means at most 1.25/M.
    const limit = (spec.channel.type === 'rayleigh' && spec.channel.csi === 'none' ? 1.25 : 2) / M;
    const atChance = (): string | undefined => {
      const a1 = record.accuracy1[record.accuracy1.length - 1];
      const a2 = record.accuracy2[record.accuracy2.length - 1];
      if (M <= 2) return undefined;
      if (a1 !== undefined && a1 <= limit) return `user 1's accuracy ${a1.toFixed(4)} still at chance (1/${M})`;
      if (a2 !== undefined && a2 <= limit) return `user 2's accuracy ${a2.toFixed(4)} still at chance (1/${M})`;
      return undefined;
    };
    let sums = { l1: 0, l2: 0, a: 0, c1: 0, c2: 0, steps: 0 };
    const flush = (step: number) => {
      const w = sums.steps;
      record.steps.push(step);
      record.alpha.push(sums.a / w);
      record.loss1.push(sums.l1 / w);
      record.loss2.push(sums.l2 / w);
      record.accuracy1.push(sums.c1 / (w * B));
      record.accuracy2.push(sums.c2 / (w * B));
      for (const [u, b] of this.base.entries()) {
        b.steps.push(step);
        b.loss.push(u === 0 ? sums.l1 / w : sums.l2 / w);
        b.accuracy.push(u === 0 ? sums.c1 / (w * B) : sums.c2 / (w * B));
      }
      sums = { l1: 0, l2: 0, a: 0, c1: 0, c2: 0, steps: 0 };
    };
    const last = this.step + steps;
    for (let step = this.step + 1; step <= last; step++) {
      if (step % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (opts.signal?.aborted) throw new TrainingAbortedError();
      stream.fillInts(m1, M);
      stream.fillInts(m2, M);
      stream.fillNormal(draws);
      const range = this.ebnoDb;
      const ebno = typeof range === 'number' ? range : range.from + (range.to - range.from) * stream.uniform();
      const sigma = noiseStd(ebno, spec.k, spec.n);
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
      this.step = step;
      if (!Number.isFinite(out.l1) || !Number.isFinite(out.l2)) throw new RestartSignal(`attempt ${this.index}: loss became ${out.l1}, ${out.l2} at step ${step}`);
      // The paper's rule: the next batch weighs each user by its share of the current loss.
      if (opts.alpha === 'dynamic') this.alpha = out.l1 / (out.l1 + out.l2);
      sums.l1 += out.l1;
      sums.l2 += out.l2;
      sums.a += alpha;
      sums.c1 += out.c1;
      sums.c2 += out.c2;
      sums.steps++;
      if (step % logEvery === 0 || step === last) {
        flush(step);
        const n = record.steps.length - 1;
        opts.onProgress?.({ step, steps: Math.max(opts.steps, last), loss: record.loss1[n] + record.loss2[n], accuracy: (record.accuracy1[n] + record.accuracy2[n]) / 2, attempt: this.index, alpha: record.alpha[n] });
      }
      if (step === stuckCheckAt) {
        const why = atChance();
        if (why) throw new RestartSignal(`attempt ${this.index}: ${why} at step ${step}`);
      }
      if (this.validation && step % this.validation.rule.validateEvery === 0) {
        const decision = this.check(step);
        const v = record.validation!;
        const n = record.steps.length - 1;
        opts.onProgress?.({
          step,
          steps: Math.max(opts.steps, last),
          loss: n >= 0 ? record.loss1[n] + record.loss2[n] : NaN,
          accuracy: n >= 0 ? (record.accuracy1[n] + record.accuracy2[n]) / 2 : NaN,
          attempt: this.index,
          alpha: this.alpha,
          validation: { loss: v.loss[v.loss.length - 1], bler: (v.bler1[v.bler1.length - 1] + v.bler2[v.bler2.length - 1]) / 2 },
        });
        if (decision === 'stop') {
          this.converged = true;
          const reason = `converged: the validation loss L1 + L2 did not improve by ${(this.validation.rule.minImprovement * 100).toFixed(1)}% in ${this.validation.rule.patience} checks after ${this.validation.schedule.decays} learning-rate decays (step ${step})`;
          this.stopReason = reason;
          if (!this.refinement) for (const b of this.base) b.stopReason = reason;
          if (sums.steps > 0) flush(step);
          if (step < stuckCheckAt) {
            const why = atChance();
            if (why) throw new RestartSignal(`attempt ${this.index}: ${why} at step ${step}`);
          }
          return;
        }
      }
    }
  }

  /**
   * Receiver 2's decoder pass on a worker thread (decoder-thread.ts) for networks of at least
   * DEFAULTS.train.dataParallelMinMacs multiply-adds per example (`macs`: one user's network), when `workers`
   * allows a second thread. The trained model does not depend on it (the worker runs the same computation).
   */
  async startThread(workers: number, macs: number): Promise<void> {
    const graph = this.graph;
    if (workers < 2 || !(graph instanceof TwoUserJsStep) || macs < DEFAULTS.train.dataParallelMinMacs || graph.graphs[1].keepsState) return;
    const thread = await DecoderThread.start(this.spec, deriveSeed(this.seed, 'u2'), this.opts.crossGain, graph.thetas[1].length, this.opts.batchSize, this.channel.outDims);
    graph.useThread(thread);
  }

  /** The tfjs models' weights ← the trained parameters. */
  sync(): void {
    this.graph.writeTo();
  }

  async stopThread(): Promise<void> {
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
  const maxRestarts = opts.maxRestarts ?? DEFAULTS.train.maxRestarts;
  const started = performance.now();
  const restartReasons: string[] = [];
  for (let index = 0; ; index++) {
    const seed = index === 0 ? String(opts.seed) : `${opts.seed}/restart/${index}`;
    const base = (): TrainingRecord => ({
      ...newTrainingRecord(opts, index, seed, restartReasons, tf.getBackend()),
      ...(opts.convergence ? { validation: { steps: [], loss: [], bler: [], blocks: opts.convergence.validationBlocks, ebnoDb: middleEbno(opts.ebnoDb) } } : {}),
    });
    const record: TwoUserRecord = { steps: [], alpha: [], loss1: [], loss2: [], accuracy1: [], accuracy2: [] };
    const bases: [TrainingRecord, TrainingRecord] = [base(), base()];
    const attempt = new Attempt(spec, channel, opts, seed, index, record, bases);
    try {
      await attempt.startThread(opts.workers ?? os.availableParallelism(), macs);
      await attempt.run(opts.steps);
      attempt.sync();
      const users = attempt.users.map((u, i) => {
        bases[i].totalSteps = attempt.step;
        return new TrainedAutoencoder(spec, u.encoder, u.decoder, bases[i]);
      }) as [TrainedAutoencoder, TrainedAutoencoder];
      for (const [i, u] of users.entries()) {
        const collapsed = collapsedCode(u.codebook(), spec, opts.ebnoDb);
        if (collapsed) throw new RestartSignal(`attempt ${index}: user ${i + 1}: ${collapsed}`);
      }
      if (opts.refine) {
        attempt.startDecoderRefinement(opts.refine);
        await attempt.run(opts.refine.maxSteps);
        attempt.endDecoderRefinement(opts.refine.maxSteps);
        attempt.sync();
        for (const b of bases) b.totalSteps = attempt.step;
      }
      const seconds = (performance.now() - started) / 1000;
      for (const b of bases) {
        b.finalAccuracy = b.accuracy[b.accuracy.length - 1] ?? NaN;
        b.seconds = seconds;
      }
      return { users, record };
    } catch (err) {
      attempt.dispose();
      if (!(err instanceof RestartSignal)) throw err;
      restartReasons.push(err.message);
      if (index >= maxRestarts) throw new Error(`two-user training failed after ${index + 1} attempts: ${restartReasons.join('; ')}`);
    } finally {
      await attempt.stopThread();
    }
  }
}

