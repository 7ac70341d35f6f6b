/**
 * End-to-end training: Adam on the categorical cross-entropy of the decoder's logits, messages drawn
 * uniformly, channel noise (and fading) drawn from seeded streams and passed through the channel layer.
 *
 * Automatic recovery, all recorded in the TrainingRecord:
 * - restart from a fresh seed derived from (seed, 'restart', r) when the loss is not finite, when accuracy is
 *   still at chance a quarter of the way in, or when training ends with two codewords closer than a tenth of
 *   the training noise std (a collapsed code: no decoder can tell those messages apart);
 * - extend training (half the steps again at a third of the learning rate, at most `maxExtensions` times,
 *   each at a third of the previous rate) when the code is fine but the
 *   learned decoder is clearly worse than maximum-likelihood decoding of that same code on fresh AWGN
 *   blocks at the training Eb/N0: the decoder has not converged yet, and restarting would throw the code away.
 */
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { makeChannel } from '../channels/index.ts';
import type { ChannelModel } from '../channels/types.ts';
import { FlatAdam } from './adam.ts';
import { createGradientGraph, type GradientGraph } from './gradient-graph.ts';
import { GradientWorkers } from './gradient-workers.ts';
import { PlateauSchedule, ValidationSet, type ConvergenceRule, type PlateauDecision } from './convergence.ts';
import { backendForTraining } from '../backend.ts';
import { noiseStd, noiseVariance, realDims } from '../conventions.ts';
import { rtnArgs, rtnOutputDim, rtnParameterCount } from '../layers/radio-transformer.ts';
import { DEFAULTS } from '../defaults.ts';
import { RandomStream, type SeedPart } from '../random.ts';
import { decodedMessages } from './bit-output.ts';
import { buildAutoencoder, decoderLogits, type AutoencoderModels } from './build.ts';
import { messageCount, withDefaults, type AutoencoderSpec, type FullAutoencoderSpec, type TrainEbno } from './spec.ts';
import { TrainedAutoencoder, type DecoderErrors, type TrainingRecord } from './trained.ts';

export interface TrainProgress {
  step: number;
  steps: number;
  loss: number;
  accuracy: number;
  attempt: number;
  /** The latest validation check (convergence mode): loss and block error rate on the validation set. */
  validation?: { loss: number; bler: number };
}

export interface TrainOptions {
  /** Training Eb/N0 in dB: fixed, or { from, to } drawn uniformly per batch. */
  ebnoDb: TrainEbno;
  batchSize: number;
  steps: number;
  learningRate: number;
  seed: SeedPart;
  onProgress?: (p: TrainProgress) => void;
  signal?: AbortSignal;
  /** Loss/accuracy are recorded as averages over windows of this many steps (default steps/200). */
  logEvery?: number;
  /** Restarts allowed after a divergent, stuck or collapsed run (default DEFAULTS.train.maxRestarts). */
  maxRestarts?: number;
  /** Extensions allowed while the learned decoder lags ML decoding of its own code (default DEFAULTS.train.maxExtensions). */
  maxExtensions?: number;
  /** Validation blocks for the end-of-training decoder check (default DEFAULTS.train.validationBlocks; 0 disables it). */
  validationBlocks?: number;
  /**
   * Stop on convergence (convergence.ts): `steps` becomes an upper bound, the learning rate decays on
   * plateaus of the validation loss. Without it training runs exactly `steps` steps at a constant rate.
   */
  convergence?: ConvergenceRule;
  /**
   * Worker threads for data-parallel gradients (gradient-workers.ts), used for networks of at least
   * DEFAULTS.train.dataParallelMinMacs multiply-adds per example. Default: one per core (at least 1). The
   * result does not depend on this number: a fixed shard count (DEFAULTS.train.dataParallelShards) does.
   */
  workers?: number;
  /**
   * Decoder refinement after training (the default recipe's last stage): the encoder frozen, the decoder
   * trained on at `ebnoDb` with a fresh Adam at `learningRate` until its validation loss there converges.
   */
  refine?: DecoderRefinement;
}

export interface DecoderRefinement {
  ebnoDb: number;
  learningRate: number;
  maxSteps: number;
  convergence: ConvergenceRule;
}

export class TrainingAbortedError extends Error {
  constructor() {
    super('training interrupted');
  }
}

/** Thrown inside an attempt to restart training from a derived seed (the message says why). */
export class RestartSignal extends Error {}

const highestEbno = (r: TrainEbno): number => (typeof r === 'number' ? r : Math.max(r.from, r.to));
/** The record of a decoder refinement that starts after `fromStep` steps (filled in as it runs). */
export function newRefinementRecord(r: DecoderRefinement, fromStep: number): NonNullable<TrainingRecord['refinement']> {
  return {
    ebnoDb: r.ebnoDb,
    learningRate: r.learningRate,
    fromStep,
    steps: 0,
    blocks: r.convergence.validationBlocks,
    stopReason: '',
    learningRateDecays: [],
    validation: { steps: [], loss: [], bler: [] },
  };
}

export const middleEbno = (r: TrainEbno): number => (typeof r === 'number' ? r : (r.from + r.to) / 2);

/** One training attempt from one seed; `run` may be called again to train further. */
class Attempt {
  readonly models: AutoencoderModels;
  private readonly channel: ChannelModel;
  private readonly graph: GradientGraph;
  private readonly stream: RandomStream;
  private readonly optimizer: FlatAdam;
  private readonly msgs: Int32Array;
  private readonly draws: Float32Array;
  private step = 0;
  private learningRate: number;
  private validation?: { set: ValidationSet; schedule: PlateauSchedule; rule: ConvergenceRule };
  /** The training Eb/N0 of the current stage (the decoder refinement trains at its own). */
  private ebnoDb: TrainEbno;
  /** Where the stage trains only some parameters: 1 for a trained entry of θ, 0 for a frozen one. */
  private gradientMask?: Float32Array;
  /** Where the current stage records its validation checks and learning-rate decays. */
  private validationRecord?: { steps: number[]; loss: number[]; bler: number[] };
  private decaysRecord: { step: number; learningRate: number }[];
  /** Set when the convergence rule ended training (or the current stage). */
  converged = false;
  /** Why the convergence rule ended the last stage. */
  stopReason = '';
  /** Data-parallel gradients (large networks), started on the first run(). */
  private parallel?: GradientWorkers;
  private readonly shards: number;

  constructor(
    private readonly spec: FullAutoencoderSpec,
    private readonly opts: TrainOptions,
    readonly seed: string,
    readonly index: number,
    readonly record: TrainingRecord,
  ) {
    this.models = buildAutoencoder(spec, seed);
    this.channel = makeChannel(spec.channel, spec.n, spec.signalling);
    this.graph = createGradientGraph(this.models, this.channel, messageCount(spec));
    this.stream = new RandomStream(seed, 'train');
    this.optimizer = new FlatAdam(this.graph.size, opts.learningRate);
    this.msgs = new Int32Array(opts.batchSize);
    this.draws = new Float32Array(opts.batchSize * this.channel.drawDims);
    this.learningRate = opts.learningRate;
    this.ebnoDb = opts.ebnoDb;
    this.decaysRecord = record.learningRateDecays ??= [];
    this.shards = forwardMacs(spec) >= DEFAULTS.train.dataParallelMinMacs ? DEFAULTS.train.dataParallelShards : 1;
    const rule = opts.convergence;
    if (rule) {
      const sigma = noiseStd(middleEbno(opts.ebnoDb), spec.k, spec.n);
      const set = new ValidationSet(this.channel, messageCount(spec), sigma, rule.validationBlocks, seed);
      this.validation = { set, schedule: new PlateauSchedule(rule), rule };
      record.validation = { steps: [], loss: [], bler: [], blocks: rule.validationBlocks, ebnoDb: middleEbno(opts.ebnoDb) };
      this.validationRecord = record.validation;
    }
  }

  /**
   * The decoder refinement stage: from here on `run` trains the decoder only (the encoder's gradient
   * masked out), with a fresh Adam, at the refinement Eb/N0, validated on its own fixed set there.
   */
  startDecoderRefinement(r: DecoderRefinement): NonNullable<TrainingRecord['refinement']> {
    const encoderWeights = new Set(this.models.encoder.trainableWeights.map((w) => w.name));
    const mask = new Float32Array(this.graph.size).fill(1);
    for (const l of this.graph.layout()) if (encoderWeights.has(l.name)) mask.fill(0, l.offset, l.offset + l.size);
    this.gradientMask = mask;
    this.graph.freezeEncoder?.(true);
    this.ebnoDb = r.ebnoDb;
    this.lowerLearningRate(r.learningRate);
    const sigma = noiseStd(r.ebnoDb, this.spec.k, this.spec.n);
    const set = new ValidationSet(this.channel, messageCount(this.spec), sigma, r.convergence.validationBlocks, `${this.seed}/refine`);
    this.validation = { set, schedule: new PlateauSchedule(r.convergence), rule: r.convergence };
    this.converged = false;
    const rec = newRefinementRecord(r, this.step);
    this.validationRecord = rec.validation;
    this.decaysRecord = rec.learningRateDecays;
    return rec;
  }

  /** One validation check: record it and let the schedule decide. */
  private check(step: number): PlateauDecision {
    const v = this.validation!;
    this.graph.writeTo();
    const { loss, errors } = v.set.evaluate(this.models);
    const rec = this.validationRecord!;
    rec.steps.push(step);
    rec.loss.push(loss);
    rec.bler.push(errors / v.set.blocks);
    const decision = Number.isFinite(loss) ? v.schedule.observe(loss) : 'continue';
    if (decision === 'decay') {
      this.learningRate /= v.rule.decayFactor;
      this.optimizer.setLearningRate(this.learningRate);
      this.decaysRecord.push({ step, learningRate: this.learningRate });
    }
    return decision;
  }

  /** Starts the data-parallel workers when the network is large enough (once). */
  private async startParallel(): Promise<void> {
    if (this.shards <= 1 || this.parallel) return;
    const workers = this.opts.workers ?? os.availableParallelism();
    this.parallel = await GradientWorkers.start(this.graph, this.spec, this.seed, this.opts.batchSize, this.channel.drawDims, this.shards, Math.max(1, workers));
  }

  async dispose(): Promise<void> {
    await this.parallel?.stop();
    this.parallel = undefined;
  }

  /** Trains `steps` more steps; throws RestartSignal for a divergent or stuck run. */
  async run(steps: number): Promise<void> {
    await this.startParallel();
    const { opts, spec, stream, msgs, draws, record } = this;
    const M = messageCount(spec);
    const B = opts.batchSize;
    const logEvery = opts.logEvery ?? Math.max(1, Math.round(opts.steps / 200));
    const last = this.step + steps;
    const stuckCheckAt = this.step === 0 && opts.steps >= 400 ? Math.floor(opts.steps / 4) : -1;
    const throwIfAtChance = (step: number): void => {
      const acc = record.accuracy[record.accuracy.length - 1];
      if (acc !== undefined && acc <= 2 / M && M > 2) {
        throw new RestartSignal(`attempt ${this.index}: accuracy ${acc.toFixed(4)} still at chance (1/${M}) at step ${step}`);
      }
    };
    let lossSum = 0;
    let correctSum = 0;
    let windowSteps = 0;
    for (let step = this.step + 1; step <= last; step++) {
      // Yield to the event loop now and then so Ctrl-C (an AbortSignal) and progress bars get through.
      if (step % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (opts.signal?.aborted) throw new TrainingAbortedError();
      const pw = this.parallel;
      // The same draws in the same order either way; only where the gradient is computed differs.
      stream.fillInts(pw ? pw.messages : msgs, M);
      stream.fillNormal(pw ? pw.draws : draws);
      const range = this.ebnoDb;
      const ebno = typeof range === 'number' ? range : range.from + (range.to - range.from) * stream.uniform();
      const sigmaValue = noiseStd(ebno, spec.k, spec.n);
      let result: { loss: number; correct: number; gradient: Float32Array };
      if (pw) {
        if (pw.threads > 1) pw.theta.set(this.graph.theta);
        result = await pw.step(sigmaValue, this.gradientMask !== undefined);
      } else result = this.graph.step(msgs, draws, sigmaValue);
      const { loss: lossValue, correct: correctValue, gradient } = result;
      const mask = this.gradientMask;
      if (mask) for (let i = 0; i < gradient.length; i++) gradient[i] *= mask[i];
      this.optimizer.step(this.graph.theta, gradient);
      this.step = step;
      if (!Number.isFinite(lossValue)) throw new RestartSignal(`attempt ${this.index}: loss became ${lossValue} at step ${step}`);
      lossSum += lossValue;
      correctSum += correctValue;
      windowSteps++;
      if (step % logEvery === 0 || step === last) {
        const meanLoss = lossSum / windowSteps;
        const accuracy = correctSum / (windowSteps * B);
        record.steps.push(step);
        record.loss.push(meanLoss);
        record.accuracy.push(accuracy);
        opts.onProgress?.({ step, steps: Math.max(opts.steps, last), loss: meanLoss, accuracy, attempt: this.index });
        lossSum = correctSum = windowSteps = 0;
      }
      if (step === stuckCheckAt) throwIfAtChance(step);
      if (this.validation && !this.converged && step % this.validation.rule.validateEvery === 0) {
        const decision = this.check(step);
        const v = this.validationRecord!;
        opts.onProgress?.({
          step,
          steps: Math.max(opts.steps, last),
          loss: record.loss[record.loss.length - 1] ?? NaN,
          accuracy: record.accuracy[record.accuracy.length - 1] ?? NaN,
          attempt: this.index,
          validation: { loss: v.loss[v.loss.length - 1], bler: v.bler[v.bler.length - 1] },
        });
        if (decision === 'stop') {
          this.converged = true;
          this.stopReason = `converged: the validation loss did not improve by ${(this.validation.rule.minImprovement * 100).toFixed(1)}% in ${this.validation.rule.patience} checks after ${this.validation.schedule.decays} learning-rate decay${this.validation.schedule.decays === 1 ? '' : 's'} (step ${step})`;
          if (!this.gradientMask) record.stopReason = this.stopReason;
          // Keep the last logging window's numbers.
          if (windowSteps > 0) {
            record.steps.push(step);
            record.loss.push(lossSum / windowSteps);
            record.accuracy.push(correctSum / (windowSteps * B));
          }
          // A run still at chance plateaus early (about 10 checks), before the quarter-way stuck check: it
          // has converged to nothing, so the stuck rule applies here too.
          if (step < stuckCheckAt) throwIfAtChance(step);
          return;
        }
      }
    }
  }

  /** Continues with a fresh Adam at a lower learning rate (fine-tuning after the main run). */
  lowerLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
    this.optimizer.reset(learningRate);
  }

  /** Steps trained so far. */
  get steps(): number {
    return this.step;
  }

  /** The tfjs models' weights ← the trained parameters (before reading codebooks or decoding with them). */
  sync(): void {
    this.graph.writeTo();
  }
}

/** A reason to restart when two codewords are closer than 0.1·σ at the (highest) training Eb/N0. */
export function collapsedCode(codebook: Float32Array, spec: AutoencoderSpec, ebnoDb: TrainEbno): string | undefined {
  const M = messageCount(spec);
  const dims = realDims(spec.n, spec.signalling);
  const limit = 0.01 * noiseVariance(highestEbno(ebnoDb), spec.k, spec.n);
  for (let a = 0; a < M; a++)
    for (let b = a + 1; b < M; b++) {
      let d = 0;
      for (let j = 0; j < dims; j++) d += (codebook[a * dims + j] - codebook[b * dims + j]) ** 2;
      if (d < limit) {
        return `messages ${a} and ${b} share a codeword (squared distance ${d.toExponential(2)} < 0.01·σ² = ${limit.toExponential(2)})`;
      }
    }
  return undefined;
}

/**
 * Block errors of the learned decoder and of nearest-codeword (ML for AWGN) decoding of the same codebook,
 * on the same fresh AWGN blocks at `ebnoDb` (undefined for other channels, where nearest-codeword is not ML).
 */
function decoderVsMl(trained: TrainedAutoencoder, ebnoDb: number, blocks: number, stream: RandomStream): DecoderErrors | undefined {
  if (blocks <= 0 || trained.spec.channel.type !== 'awgn') return undefined;
  const { spec } = trained;
  const M = messageCount(spec);
  const dims = realDims(spec.n, spec.signalling);
  const msgs = new Int32Array(blocks);
  stream.fillInts(msgs, M);
  const noise = new Float32Array(blocks * dims);
  stream.fillNormal(noise);
  const sigma = noiseStd(ebnoDb, spec.k, spec.n);
  const [learned, ml, learnedOnly, mlOnly] = tf.tidy(() => {
    const C = tf.tensor2d(trained.codebook(), [M, dims]);
    const labels = tf.tensor1d(msgs, 'int32');
    const y = tf.add(tf.gather(C, labels), tf.mul(tf.tensor2d(noise, [blocks, dims]), sigma));
    const decided =
      trained.spec.output === 'bits' ? decodedMessages('bits', decoderLogits(trained.decoder, y, false)) : tf.argMax(trained.decoder.predict(y) as tf.Tensor, 1);
    const learnedWrong = tf.cast(tf.notEqual(decided, labels), 'float32');
    // nearest codeword: argmax of 2·y·c − ‖c‖²
    const score = tf.sub(tf.mul(2, tf.matMul(y, tf.transpose(C))), tf.sum(tf.square(C), 1));
    const mlWrong = tf.cast(tf.notEqual(tf.argMax(score, 1), labels), 'float32');
    const only = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(a, tf.sub(1, b))).dataSync()[0];
    return [tf.sum(learnedWrong).dataSync()[0], tf.sum(mlWrong).dataSync()[0], only(learnedWrong, mlWrong), only(mlWrong, learnedWrong)];
  });
  return { learned, ml, learnedOnly, mlOnly };
}

/**
 * Compares the learned decoder with ML decoding of the same codebook on fresh AWGN blocks at the training
 * Eb/N0. Returns the shortfall, or undefined when the decoder is fine.
 */
function decoderShortfall(trained: TrainedAutoencoder, opts: TrainOptions, seed: SeedPart, round: number): string | undefined {
  const blocks = opts.validationBlocks ?? DEFAULTS.train.validationBlocks;
  const ebno = middleEbno(opts.ebnoDb);
  const counts = decoderVsMl(trained, ebno, blocks, new RandomStream(seed, 'validate', round));
  if (!counts) return undefined;
  const { learned, ml } = counts;
  // Only a shortfall well outside what sampling noise explains counts (both decoders see the same blocks).
  const bound = 1.25 * ml + 10 + 4 * Math.sqrt(ml + 1);
  if (learned > bound) {
    return `learned decoder made ${learned} errors vs ${ml} for maximum-likelihood decoding of its own codebook on ${blocks} validation blocks at ${ebno} dB`;
  }
  return undefined;
}

/** The record an attempt starts with (also the two-user trainer's, one per user). */
export function newTrainingRecord(
  opts: Pick<TrainOptions, 'ebnoDb' | 'batchSize' | 'learningRate' | 'steps' | 'convergence'>,
  restarts: number,
  seed: string,
  restartReasons: string[],
  backend: string | undefined,
): TrainingRecord {
  return {
    steps: [],
    loss: [],
    accuracy: [],
    finalAccuracy: NaN,
    seconds: 0,
    ebnoDb: opts.ebnoDb,
    batchSize: opts.batchSize,
    learningRate: opts.learningRate,
    totalSteps: opts.steps,
    restarts,
    restartReasons,
    extensions: [],
    seed,
    ...(backend ? { backend } : {}),
    learningRateDecays: [],
    stopReason: opts.convergence ? `reached the step limit (${opts.steps}) before converging` : `fixed length: ${opts.steps} steps`,
  };
}

export async function trainAutoencoder(specIn: AutoencoderSpec, opts: TrainOptions): Promise<TrainedAutoencoder> {
  const spec = withDefaults(specIn);
  const backend = await backendForTraining(forwardMacs(spec));
  const maxRestarts = opts.maxRestarts ?? DEFAULTS.train.maxRestarts;
  const maxExtensions = opts.maxExtensions ?? DEFAULTS.train.maxExtensions;
  const started = performance.now();
  const restartReasons: string[] = [];
  for (let index = 0; ; index++) {
    const seed = index === 0 ? String(opts.seed) : `${opts.seed}/restart/${index}`;
    const record = newTrainingRecord(opts, index, seed, restartReasons, backend);
    const attempt = new Attempt(spec, opts, seed, index, record);
    let trained: TrainedAutoencoder | undefined;
    try {
      await attempt.run(opts.steps);
      record.totalSteps = attempt.steps;
      attempt.sync();
      trained = new TrainedAutoencoder(spec, attempt.models.encoder, attempt.models.decoder, record);
      const collapsed = collapsedCode(trained.codebook(), spec, opts.ebnoDb);
      if (collapsed) throw new RestartSignal(`attempt ${index}: ${collapsed}`);
      for (let round = 0; round < maxExtensions; round++) {
        const shortfall = decoderShortfall(trained, opts, seed, round);
        if (!shortfall) break;
        const extra = Math.max(1, Math.round(record.totalSteps / 2));
        const lr = opts.learningRate / 3 ** (round + 1);
        attempt.lowerLearningRate(lr);
        const before = attempt.steps;
        await attempt.run(extra);
        attempt.sync();
        // The steps actually trained: an unconverged run keeps validating and may end the extension early.
        record.extensions.push(`${shortfall}: trained ${attempt.steps - before} more steps at learning rate ${lr.toPrecision(3)}`);
        record.totalSteps = attempt.steps;
        trained = new TrainedAutoencoder(spec, attempt.models.encoder, attempt.models.decoder, record);
      }
      if (opts.refine) {
        const r = opts.refine;
        const blocks = opts.validationBlocks ?? DEFAULTS.train.validationBlocks;
        const before = decoderVsMl(trained, r.ebnoDb, blocks, new RandomStream(seed, 'refine-check'));
        const rec = (record.refinement = attempt.startDecoderRefinement(r));
        await attempt.run(r.maxSteps);
        attempt.sync();
        rec.steps = attempt.steps - rec.fromStep;
        rec.stopReason = attempt.converged ? attempt.stopReason : `reached its step limit (${r.maxSteps})`;
        record.totalSteps = attempt.steps;
        trained = new TrainedAutoencoder(spec, attempt.models.encoder, attempt.models.decoder, record);
        const after = decoderVsMl(trained, r.ebnoDb, blocks, new RandomStream(seed, 'refine-check'));
        if (before && after) rec.vsMl = { blocks, before, after };
      }
    } catch (err) {
      await attempt.dispose();
      attempt.models.encoder.dispose();
      attempt.models.decoder.dispose();
      if (!(err instanceof RestartSignal)) throw err;
      restartReasons.push(err.message);
      if (index >= maxRestarts) throw new Error(`training failed after ${index + 1} attempts: ${restartReasons.join('; ')}`);
      continue;
    }
    await attempt.dispose();
    record.finalAccuracy = record.accuracy[record.accuracy.length - 1] ?? NaN;
    record.seconds = (performance.now() - started) / 1000;
    return trained;
  }
}

/** Multiply-adds of one example's forward pass through the dense maps of encoder and decoder. */
export function forwardMacs(spec: FullAutoencoderSpec): number {
  const M = messageCount(spec);
  const dims = realDims(spec.n, spec.signalling);
  const chain = (input: number, hidden: { units: number }[], output: number) => {
    let macs = 0;
    let d = input;
    for (const l of hidden) {
      macs += d * l.units;
      d = l.units;
    }
    return macs + d * output;
  };
  if (!spec.receiver) return chain(M, spec.encoder, dims) + chain(dims, spec.decoder, M);
  // An RTN receiver: its estimator, its transform (≈ 4 per complex product), then the decoder on ȳ.
  const a = rtnArgs(spec, spec.receiver);
  const P = rtnParameterCount(a.transform, a.taps);
  const out = rtnOutputDim(a.transform, a.n, a.taps);
  return chain(M, spec.encoder, dims) + chain(a.received, a.estimator, P) + 2 * out * a.taps + chain(out, spec.decoder, M);
}
