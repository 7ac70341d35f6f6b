/**
 * The single link's validation set for stopping on convergence (the rule: src/training/plateau.ts): fixed
 * messages and channel draws, drawn once from the run's seed, on which each check evaluates the learned
 * decoder's cross-entropy and block errors.
 */
import * as tf from '@tensorflow/tfjs';
import type { ChannelModel } from '../channels/types.ts';
import { RandomStream, type SeedPart } from '../random.ts';
import { decodedMessages, decoderLoss, decoderOutput } from './bit-output.ts';
import { decoderLogits, type AutoencoderModels } from './build.ts';

export type { ConvergenceRule } from '../training/plateau.ts';

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
