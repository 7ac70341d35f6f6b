/**
 * Stopping on convergence: a held-out measure decides when training is done, and the learning rate decays
 * when it stops improving (reduce-on-plateau), so `steps` is only an upper bound.
 *
 * The measure is the cross-entropy of the learned decoder on a fixed validation set (the same messages and
 * channel draws at every check, drawn once from the run's seed: common random numbers, so a change is the
 * network's, not the sample's), with its block errors recorded beside it. Cross-entropy rather than the
 * error count: it keeps improving while errors are too rare to count, and it sees both the code (distances)
 * and the decoder.
 *
 * Rule, per check (every `validateEvery` steps): the check improves when its loss is below the best so far
 * by more than `minImprovement` (relative). After `patience` checks without improvement the learning rate is
 * divided by `decayFactor` (at most `decays` times, the best loss is kept); after `patience` more checks
 * without improvement at the last rate, training stops: converged.
 */
import * as tf from '@tensorflow/tfjs';
import type { ChannelModel } from '../channels/types.ts';
import { RandomStream, type SeedPart } from '../random.ts';
import { decodedMessages, decoderLoss, decoderOutput } from './bit-output.ts';
import { decoderLogits, type AutoencoderModels } from './build.ts';

export interface ConvergenceRule {
  /** Steps between validation checks. */
  validateEvery: number;
  /** Checks without improvement before the learning rate decays (or, after the last decay, training stops). */
  patience: number;
  /** Relative decrease of the validation loss that counts as an improvement. */
  minImprovement: number;
  /** Learning-rate decays before stopping. */
  decays: number;
  /** Each decay divides the learning rate by this. */
  decayFactor: number;
  /** Blocks in the validation set. */
  validationBlocks: number;
}

export type PlateauDecision = 'continue' | 'decay' | 'stop';

/** The reduce-on-plateau state machine over the sequence of validation losses. */
export class PlateauSchedule {
  private best = Infinity;
  private since = 0;
  private decaysDone = 0;

  constructor(private readonly rule: ConvergenceRule) {}

  get decays(): number {
    return this.decaysDone;
  }

  observe(loss: number): PlateauDecision {
    if (loss < this.best * (1 - this.rule.minImprovement)) {
      this.best = loss;
      this.since = 0;
      return 'continue';
    }
    this.best = Math.min(this.best, loss);
    if (++this.since < this.rule.patience) return 'continue';
    this.since = 0;
    if (this.decaysDone < this.rule.decays) {
      this.decaysDone++;
      return 'decay';
    }
    return 'stop';
  }
}

/** A fixed validation set and the evaluation of the current models on it. */
export class ValidationSet {
  private readonly messages: Int32Array;
  private readonly draws: Float32Array;

  constructor(
    private readonly channel: ChannelModel,
    private readonly M: number,
    private readonly sigma: number,
    blocks: number,
    seed: SeedPart,
  ) {
    const stream = new RandomStream(seed, 'validation-set');
    this.messages = new Int32Array(blocks);
    stream.fillInts(this.messages, M);
    this.draws = new Float32Array(blocks * channel.drawDims);
    stream.fillNormal(this.draws);
  }

  get blocks(): number {
    return this.messages.length;
  }

  /** Mean cross-entropy and block errors of the models (their current weights) on the set. */
  evaluate(models: AutoencoderModels): { loss: number; errors: number } {
    const B = this.messages.length;
    const dims = this.channel.dims;
    // The codebook as training sees it (for average-power: normalized over the M equiprobable codewords).
    const codebook = tf.tidy(() => (models.encoder.apply(tf.eye(this.M), { training: true }) as tf.Tensor).dataSync() as Float32Array);
    const x = new Float32Array(B * dims);
    for (let b = 0; b < B; b++) x.set(codebook.subarray(this.messages[b] * dims, (this.messages[b] + 1) * dims), b * dims);
    const outDims = this.channel.outDims;
    const y = new Float32Array(B * outDims);
    this.channel.applyArrays(x, this.draws, this.sigma, y, B);
    let out = { loss: NaN, errors: 0 };
    tf.tidy(() => {
      const labels = tf.tensor1d(this.messages, 'int32');
      const logits = decoderLogits(models.decoder, tf.tensor2d(y, [B, outDims]), false);
      const output = decoderOutput(models.decoder);
      const loss = decoderLoss(output, logits, labels, output === 'bits' ? (logits.shape[1] as number) : this.M);
      const errors = tf.sum(tf.cast(tf.notEqual(decodedMessages(output, logits), labels), 'float32'));
      out = { loss: loss.dataSync()[0], errors: errors.dataSync()[0] };
    });
    return out;
  }
}
