/**
 * End-to-end training: Adam on the categorical cross-entropy of the decoder's logits, messages drawn
 * uniformly, channel noise (and fading) drawn from seeded streams and passed through the channel layer.
 * The loop — attempts, restarts, convergence, decoder refinement, records — is src/training/loop.ts; this
 * file is the single link's part of it: its step, validation set, and checks after training.
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
import { isNoiseOnly, makeChannel } from '../channels/index.ts';
import type { ChannelModel } from '../channels/types.ts';
import { FlatAdam } from './adam.ts';
import { createGradientGraph } from './gradient-graph.ts';
import type { GradientGraph } from './gradient-graph-contract.ts';
import { GradientWorkers } from './gradient-workers.ts';
import { availableParallelism, nodeBuiltin } from '../platform.ts';
import { ValidationSet } from './convergence.ts';
import { backendForTraining } from '../backend.ts';
import { noiseStd, noiseVariance, realDims } from '../conventions.ts';
import { forwardMacs } from './macs.ts';
import { DEFAULTS } from '../defaults.ts';
import { RandomStream, type SeedPart } from '../random.ts';
import {
  drawEbno,
  RestartSignal,
  trainWithRestarts,
  type CheckResult,
  type Learner,
  type StepResult,
  type TrainingOptions,
  type TrainingRun,
} from '../training/loop.ts';
import { middleEbno } from '../training/record.ts';
import { decodedMessages } from './bit-output.ts';
import { buildAutoencoder, decoderLogits, type AutoencoderModels } from './build.ts';
import { messageCount, withDefaults, type AutoencoderSpec, type FullAutoencoderSpec, type TrainEbno } from './spec.ts';
import { TrainedAutoencoder, type DecoderErrors, type TrainingRecord } from './trained.ts';

export { TrainingAbortedError, type TrainProgress } from '../training/loop.ts';
export type { DecoderRefinement } from '../training/record.ts';

/**
 * Options of trainAutoencoder: the training schedule common to every trainer (Eb/N0 in dB, batch size, steps,
 * learning rate, seed, convergence and refinement) and the single link's own checks and parallelism.
 */
export interface TrainOptions extends TrainingOptions {
  /** Extensions allowed while the learned decoder lags ML decoding of its own code (default DEFAULTS.train.maxExtensions). */
  maxExtensions?: number;
  /** Validation blocks for the end-of-training decoder check (default DEFAULTS.train.validationBlocks; 0 disables it). */
  validationBlocks?: number;
  /**
   * Worker threads for data-parallel gradients (gradient-workers.ts), used for networks of at least
   * DEFAULTS.train.dataParallelMinMacs multiply-adds per example. Default: one per core (at least 1). The
   * result does not depend on this number: a fixed shard count (DEFAULTS.train.dataParallelShards) does.
   */
  workers?: number;
  /**
   * Watching the code form (the browser playground): every `every` steps, the codebook as it stands (M × dims,
   * normalized as at evaluation) and the attempt's step count. Reading it does not change the training.
   */
  onCodebook?: {
    /** Steps between two calls. */
    every: number;
    /** Gets the codebook (M × dims, row-major) and the attempt's step count. */
    callback: (codebook: Float32Array, step: number) => void;
  };
}

const highestEbno = (r: TrainEbno): number => (typeof r === 'number' ? r : Math.max(r.from, r.to));

/** One attempt's network: its step (one thread or data-parallel), validation, and the checks after training. */
class SingleLink implements Learner<TrainedAutoencoder> {
  readonly models: AutoencoderModels;
  readonly records: TrainingRecord[];
  readonly chance: { messages: number; accuracy: number };
  private readonly channel: ChannelModel;
  private readonly graph: GradientGraph;
  private readonly stream: RandomStream;
  private readonly optimizer: FlatAdam;
  private readonly msgs: Int32Array;
  private readonly draws: Float32Array;
  private validation?: ValidationSet;
  /** Where the stage trains only some parameters: 1 for a trained entry of θ, 0 for a frozen one. */
  private gradientMask?: Float32Array;
  /** Data-parallel gradients (large networks), started by start(). */
  private parallel?: GradientWorkers;
  private readonly shards: number;
  /** The trained autoencoder as it stands (wrapped anew after each stage). */
  private model?: TrainedAutoencoder;
  /** Before the refinement: the learned decoder vs ML decoding at the refinement Eb/N0. */
  private beforeRefinement?: DecoderErrors;
  /** Steps taken by this attempt (for onCodebook). */
  private stepsTaken = 0;

  constructor(
    private readonly spec: FullAutoencoderSpec,
    private readonly opts: TrainOptions,
    readonly seed: string,
    readonly index: number,
    readonly record: TrainingRecord,
  ) {
    this.records = [record];
    this.models = buildAutoencoder(spec, seed);
    this.channel = makeChannel(spec.channel, spec.n, spec.signalling);
    this.graph = createGradientGraph(this.models, this.channel, messageCount(spec));
    this.stream = new RandomStream(seed, 'train');
    this.optimizer = new FlatAdam(this.graph.size, opts.learningRate);
    this.msgs = new Int32Array(opts.batchSize);
    this.draws = new Float32Array(opts.batchSize * this.channel.drawDims);
    this.shards = forwardMacs(spec) >= DEFAULTS.train.dataParallelMinMacs ? DEFAULTS.train.dataParallelShards : 1;
    const M = messageCount(spec);
    this.chance = { messages: M, accuracy: 2 / M };
  }

  useValidationSet(blocks: number, ebnoDb: number, seed: string): void {
    this.validation = new ValidationSet(this.channel, messageCount(this.spec), noiseStd(ebnoDb, this.spec.k, this.spec.n), blocks, seed);
  }

  validate(): CheckResult {
    this.graph.writeTo();
    const { loss, errors } = this.validation!.evaluate(this.models);
    return { loss: [loss], errors: [errors] };
  }

  /** The encoder's gradient masked out from here on. */
  freezeEncoders(): void {
    const encoderWeights = new Set(this.models.encoder.trainableWeights.map((w) => w.name));
    const mask = new Float32Array(this.graph.size).fill(1);
    for (const l of this.graph.layout()) if (encoderWeights.has(l.name)) mask.fill(0, l.offset, l.offset + l.size);
    this.gradientMask = mask;
    this.graph.freezeEncoder?.(true);
  }

  /** Starts the data-parallel workers when the network is large enough. */
  async start(): Promise<void> {
    if (this.shards <= 1 || this.parallel) return;
    // Worker threads are Node's: elsewhere (a browser) the shards run one after another on this thread.
    const workers = this.opts.workers ?? (nodeBuiltin('node:worker_threads') ? availableParallelism() : 1);
    this.parallel = await GradientWorkers.start(
      this.graph,
      this.spec,
      this.seed,
      this.opts.batchSize,
      this.channel.drawDims,
      this.shards,
      Math.max(1, workers),
    );
  }

  async stop(): Promise<void> {
    await this.parallel?.stop();
    this.parallel = undefined;
  }

  dispose(): void {
    this.models.encoder.dispose();
    this.models.decoder.dispose();
  }

  async step(ebnoDb: TrainEbno): Promise<StepResult> {
    const { spec, stream, msgs, draws } = this;
    const pw = this.parallel;
    // The same draws in the same order either way; only where the gradient is computed differs.
    stream.fillInts(pw ? pw.messages : msgs, messageCount(spec));
    stream.fillNormal(pw ? pw.draws : draws);
    const sigmaValue = noiseStd(drawEbno(ebnoDb, stream), spec.k, spec.n);
    let result: { loss: number; correct: number; gradient: Float32Array };
    if (pw) {
      if (pw.threads > 1) pw.theta.set(this.graph.theta);
      result = await pw.step(sigmaValue, this.gradientMask !== undefined);
    } else result = this.graph.step(msgs, draws, sigmaValue);
    const { loss, correct, gradient } = result;
    const mask = this.gradientMask;
    if (mask) for (let i = 0; i < gradient.length; i++) gradient[i] *= mask[i];
    this.optimizer.step(this.graph.theta, gradient);
    const watch = this.opts.onCodebook;
    if (watch && ++this.stepsTaken % watch.every === 0) {
      this.sync();
      watch.callback(new TrainedAutoencoder(this.spec, this.models.encoder, this.models.decoder, this.record).codebook(), this.stepsTaken);
    }
    return { loss: [loss], correct: [correct] };
  }

  setLearningRate(learningRate: number): void {
    this.optimizer.setLearningRate(learningRate);
  }

  resetOptimizers(learningRate: number): void {
    this.optimizer.reset(learningRate);
  }

  /** The tfjs models' weights ← the trained parameters (before reading codebooks or decoding with them). */
  sync(): void {
    this.graph.writeTo();
  }

  private wrap(): TrainedAutoencoder {
    return (this.model = new TrainedAutoencoder(this.spec, this.models.encoder, this.models.decoder, this.record));
  }

  /** Restarts on a collapsed code; extends training while the learned decoder lags ML decoding of its code. */
  async trained(run: TrainingRun): Promise<void> {
    const { opts, record, index, seed } = this;
    let trained = this.wrap();
    const collapsed = collapsedCode(trained.codebook(), this.spec, opts.ebnoDb);
    if (collapsed) throw new RestartSignal(`attempt ${index}: ${collapsed}`);
    const maxExtensions = opts.maxExtensions ?? DEFAULTS.train.maxExtensions;
    for (let round = 0; round < maxExtensions; round++) {
      const shortfall = decoderShortfall(trained, opts, seed, round);
      if (!shortfall) break;
      const extra = Math.max(1, Math.round(record.totalSteps / 2));
      const lr = opts.learningRate / 3 ** (round + 1);
      run.lowerLearningRate(lr);
      const before = run.steps;
      await run.run(extra);
      this.sync();
      // The steps actually trained: an unconverged run keeps validating and may end the extension early.
      record.extensions.push(`${shortfall}: trained ${run.steps - before} more steps at learning rate ${lr.toPrecision(3)}`);
      record.totalSteps = run.steps;
      trained = this.wrap();
    }
  }

  refining(): void {
    const r = this.opts.refine!;
    this.beforeRefinement = decoderVsMl(this.model!, r.ebnoDb, this.checkBlocks, new RandomStream(this.seed, 'refine-check'));
  }

  refined(): void {
    const r = this.opts.refine!;
    const after = decoderVsMl(this.wrap(), r.ebnoDb, this.checkBlocks, new RandomStream(this.seed, 'refine-check'));
    const before = this.beforeRefinement;
    if (before && after) this.record.refinement!.vsMl = { blocks: this.checkBlocks, before, after };
  }

  private get checkBlocks(): number {
    return this.opts.validationBlocks ?? DEFAULTS.train.validationBlocks;
  }

  result(): TrainedAutoencoder {
    return this.model!;
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
  // y = c + σ·z is formed here directly: only for a channel of noise alone (where nearest-codeword is ML).
  if (blocks <= 0 || !isNoiseOnly(trained.spec.channel)) return undefined;
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
      trained.spec.output === 'bits'
        ? decodedMessages('bits', decoderLogits(trained.decoder, y, false))
        : tf.argMax(trained.decoder.predict(y) as tf.Tensor, 1);
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

/**
 * Trains an autoencoder end to end (Adam on the cross-entropy of the decoder's logits, messages drawn uniformly,
 * noise and fading from streams derived from `opts.seed`) and returns it with its TrainingRecord. Divergent, stuck or
 * collapsed runs restart from a derived seed, and a decoder that lags ML decoding of its own code is trained further
 * (both recorded). Picks the backend for the network's size. Throws TrainingAbortedError when `opts.signal` is
 * aborted, and an error naming the reasons when every allowed attempt failed.
 */
export async function trainAutoencoder(specIn: AutoencoderSpec, opts: TrainOptions): Promise<TrainedAutoencoder> {
  const spec = withDefaults(specIn);
  const backend = await backendForTraining(forwardMacs(spec));
  return trainWithRestarts(opts, {
    what: 'training',
    networks: 1,
    backend,
    learner: (seed, index, [record]) => new SingleLink(spec, opts, seed, index, record),
  });
}

export { forwardMacs } from './macs.ts';
