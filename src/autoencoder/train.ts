/**
 * End-to-end training: Adam on the categorical cross-entropy of the decoder's logits, messages drawn
 * uniformly, channel noise (and fading) drawn from seeded streams and passed through the channel layer.
 *
 * A run that diverges (non-finite loss) or is stuck (accuracy at chance a quarter of the way in, or a
 * decoder clearly worse than maximum-likelihood decoding of its own codebook at the end) is restarted
 * from a fresh seed derived from (seed, 'restart', r); the record lists every restart and its reason.
 */
import * as tf from '@tensorflow/tfjs';
import { ChannelLayer } from '../../channels/layer.ts';
import { noiseStd, realDims } from '../conventions.ts';
import { RandomStream, type SeedPart } from '../random.ts';
import { buildAutoencoder, decoderLogits, type AutoencoderModels } from './build.ts';
import { messageCount, withDefaults, type AutoencoderSpec } from './spec.ts';
import { TrainedAutoencoder, type TrainingRecord } from './trained.ts';

export interface TrainProgress {
  step: number;
  steps: number;
  loss: number;
  accuracy: number;
  attempt: number;
}

export interface TrainOptions {
  /** Training Eb/N0 in dB: fixed, or [low, high] drawn uniformly per batch. */
  ebnoDb: number | [number, number];
  batchSize: number;
  steps: number;
  learningRate: number;
  seed: SeedPart;
  onProgress?: (p: TrainProgress) => void;
  signal?: AbortSignal;
  /** Loss/accuracy are recorded as averages over windows of this many steps (default steps/200). */
  logEvery?: number;
  /** Restarts allowed after a divergent or stuck run (default 3). */
  maxRestarts?: number;
  /** Validation blocks for the end-of-training decoder check (default 20000; 0 disables it). */
  validationBlocks?: number;
}

export class TrainingAbortedError extends Error {
  constructor() {
    super('training interrupted');
  }
}

class RestartSignal extends Error {}

function drawEbno(range: number | [number, number], stream: RandomStream): number {
  return typeof range === 'number' ? range : range[0] + (range[1] - range[0]) * stream.uniform();
}

/** One training attempt; throws RestartSignal when the run must be restarted. */
async function trainAttempt(spec: AutoencoderSpec, opts: TrainOptions, seed: SeedPart, attempt: number, record: TrainingRecord): Promise<AutoencoderModels> {
  const models = buildAutoencoder(spec, seed);
  const M = messageCount(spec);
  const channel = new ChannelLayer({ channel: spec.channel, n: spec.n, signalling: spec.signalling });
  const drawDims = channel.model.drawDims;
  const B = opts.batchSize;
  const stream = new RandomStream(seed, 'train');
  const optimizer = tf.train.adam(opts.learningRate);
  const vars = [...models.encoder.trainableWeights, ...models.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
  const logEvery = opts.logEvery ?? Math.max(1, Math.round(opts.steps / 200));
  const msgs = new Int32Array(B);
  const draws = new Float32Array(B * drawDims);
  let lossSum = 0;
  let correctSum = 0;
  let windowSteps = 0;
  const stuckCheckAt = opts.steps >= 400 ? Math.floor(opts.steps / 4) : -1;
  try {
    for (let step = 1; step <= opts.steps; step++) {
      // Yield to the event loop now and then so Ctrl-C (an AbortSignal) and progress bars get through.
      if (step % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (opts.signal?.aborted) throw new TrainingAbortedError();
      stream.fillInts(msgs, M);
      stream.fillNormal(draws);
      const sigmaValue = noiseStd(drawEbno(opts.ebnoDb, stream), spec.k, spec.n);
      let correct: tf.Scalar | undefined;
      const loss = tf.tidy(() => {
        const labels = tf.tensor1d(msgs, 'int32');
        const onehot = tf.oneHot(labels, M);
        const drawsT = tf.tensor2d(draws, [B, drawDims]);
        const sigma = tf.fill([B, 1], sigmaValue);
        return optimizer.minimize(
          () => {
            const x = models.encoder.apply(onehot, { training: true }) as tf.Tensor2D;
            const y = channel.apply([x, drawsT, sigma]) as tf.Tensor2D;
            const logits = decoderLogits(models.decoder, y, true);
            correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar);
            return tf.losses.softmaxCrossEntropy(onehot, logits) as tf.Scalar;
          },
          true,
          vars,
        ) as tf.Scalar;
      });
      const lossValue = loss.dataSync()[0];
      const correctValue = correct!.dataSync()[0];
      loss.dispose();
      correct!.dispose();
      if (!Number.isFinite(lossValue)) throw new RestartSignal(`attempt ${attempt}: loss became ${lossValue} at step ${step}`);
      lossSum += lossValue;
      correctSum += correctValue;
      windowSteps++;
      if (step % logEvery === 0 || step === opts.steps) {
        const meanLoss = lossSum / windowSteps;
        const accuracy = correctSum / (windowSteps * B);
        record.steps.push(step);
        record.loss.push(meanLoss);
        record.accuracy.push(accuracy);
        opts.onProgress?.({ step, steps: opts.steps, loss: meanLoss, accuracy, attempt });
        lossSum = correctSum = windowSteps = 0;
      }
      if (step === stuckCheckAt) {
        const acc = record.accuracy[record.accuracy.length - 1];
        if (acc !== undefined && acc <= 2 / M && M > 2) {
          throw new RestartSignal(`attempt ${attempt}: accuracy ${acc.toFixed(4)} still at chance (1/${M}) at step ${step}`);
        }
      }
    }
  } catch (err) {
    models.encoder.dispose();
    models.decoder.dispose();
    throw err;
  } finally {
    optimizer.dispose();
  }
  return models;
}

/**
 * Compares the learned decoder with nearest-codeword (ML for AWGN) decoding of the same codebook on
 * fresh blocks at the training Eb/N0. Returns a reason to restart, or undefined when the decoder is fine.
 */
function decoderShortfall(trained: TrainedAutoencoder, opts: TrainOptions, seed: SeedPart): string | undefined {
  const blocks = opts.validationBlocks ?? 20000;
  if (blocks <= 0 || trained.spec.channel.type !== 'awgn') return undefined;
  const { spec } = trained;
  const M = messageCount(spec);
  const dims = realDims(spec.n, spec.signalling);
  const stream = new RandomStream(seed, 'validate');
  const msgs = new Int32Array(blocks);
  stream.fillInts(msgs, M);
  const noise = new Float32Array(blocks * dims);
  stream.fillNormal(noise);
  const ebno = typeof opts.ebnoDb === 'number' ? opts.ebnoDb : (opts.ebnoDb[0] + opts.ebnoDb[1]) / 2;
  const sigma = noiseStd(ebno, spec.k, spec.n);
  const [learned, ml] = tf.tidy(() => {
    const C = tf.tensor2d(trained.codebook(), [M, dims]);
    const labels = tf.tensor1d(msgs, 'int32');
    const y = tf.add(tf.gather(C, labels), tf.mul(tf.tensor2d(noise, [blocks, dims]), sigma));
    const learnedErr = tf.sum(tf.cast(tf.notEqual(tf.argMax(trained.decoder.predict(y) as tf.Tensor, 1), labels), 'float32'));
    // nearest codeword: argmax of 2·y·c − ‖c‖²
    const score = tf.sub(tf.mul(2, tf.matMul(y, C, false, true)), tf.sum(tf.square(C), 1));
    const mlErr = tf.sum(tf.cast(tf.notEqual(tf.argMax(score, 1), labels), 'float32'));
    return [learnedErr.dataSync()[0], mlErr.dataSync()[0]];
  });
  // Restart only when the learned decoder is far outside what sampling noise explains.
  const bound = 2 * ml + 10 + 4 * Math.sqrt(ml + 1);
  if (learned > bound) {
    return `learned decoder made ${learned} errors vs ${ml} for maximum-likelihood decoding of its own codebook on ${blocks} validation blocks at ${ebno} dB`;
  }
  return undefined;
}

export async function trainAutoencoder(specIn: AutoencoderSpec, opts: TrainOptions): Promise<TrainedAutoencoder> {
  const spec = withDefaults(specIn);
  const maxRestarts = opts.maxRestarts ?? 3;
  const started = performance.now();
  const restartReasons: string[] = [];
  for (let attempt = 0; ; attempt++) {
    const seed = attempt === 0 ? String(opts.seed) : `${opts.seed}/restart/${attempt}`;
    const record: TrainingRecord = {
      steps: [],
      loss: [],
      accuracy: [],
      finalAccuracy: NaN,
      seconds: 0,
      ebnoDb: opts.ebnoDb,
      batchSize: opts.batchSize,
      learningRate: opts.learningRate,
      totalSteps: opts.steps,
      restarts: attempt,
      restartReasons,
      seed,
    };
    let trained: TrainedAutoencoder;
    try {
      const models = await trainAttempt(spec, opts, seed, attempt, record);
      trained = new TrainedAutoencoder(spec, models.encoder, models.decoder, record);
    } catch (err) {
      if (!(err instanceof RestartSignal)) throw err;
      restartReasons.push(err.message);
      if (attempt >= maxRestarts) throw new Error(`training failed after ${attempt + 1} attempts: ${restartReasons.join('; ')}`);
      continue;
    }
    record.finalAccuracy = record.accuracy[record.accuracy.length - 1] ?? NaN;
    const shortfall = attempt < maxRestarts ? decoderShortfall(trained, opts, seed) : undefined;
    if (shortfall) {
      restartReasons.push(`attempt ${attempt}: ${shortfall}`);
      trained.dispose();
      continue;
    }
    record.seconds = (performance.now() - started) / 1000;
    return trained;
  }
}
