/**
 * What differs between a symbol-wise and a bit-wise autoencoder, in one place, for the trainer's step
 * (train-graph.ts), its validation (convergence.ts) and its end-of-training decoder check (train.ts).
 *
 * - `symbols` (the paper's): the decoder ends in M softmax outputs, loss = categorical cross-entropy, the
 *   decision is the argmax. Bits are read off the decided message under a labelling (natural by default).
 * - `bits` (bit-metric decoding, as in Sionna's end-to-end example): the decoder ends in k sigmoid outputs,
 *   one per bit of the message (message m carries the bits of m, most significant first), loss = binary
 *   cross-entropy averaged over the k bits, each bit decided by the sign of its logit. The decided bits, read
 *   as an index, are the decided message, so block errors, bit errors and the ML reference (nearest codeword,
 *   natural labelling) all keep their meaning: the labelling is the one the encoder learned around the bits.
 * A decoder is bit-wise when its last layer is a sigmoid (build.ts builds it so).
 */
import * as tf from '@tensorflow/tfjs';
import type { AutoencoderOutput } from '../vocabulary.ts';

/** `bits` when the decoder's last layer is a sigmoid activation, else `symbols`. */
export function decoderOutput(decoder: tf.LayersModel): AutoencoderOutput {
  const last = decoder.layers[decoder.layers.length - 1];
  const act = (last?.getConfig() as { activation?: string } | undefined)?.activation;
  return last?.getClassName() === 'Activation' && act === 'sigmoid' ? 'bits' : 'symbols';
}

/** The k bits of each message as a [B, k] float tensor, most significant first. */
export function bitTargets(labels: tf.Tensor1D, k: number): tf.Tensor2D {
  const weights = tf.tensor1d(
    Array.from({ length: k }, (_, j) => 2 ** (k - 1 - j)),
    'int32',
  );
  return tf.cast(tf.mod(tf.floorDiv(tf.expandDims(labels, 1), weights), 2), 'float32') as tf.Tensor2D;
}

/** Mean loss of a batch: categorical cross-entropy over M logits, or binary cross-entropy over k bit logits. */
export function decoderLoss(output: AutoencoderOutput, logits: tf.Tensor, labels: tf.Tensor1D, width: number): tf.Scalar {
  if (output === 'bits') return tf.losses.sigmoidCrossEntropy(bitTargets(labels, width), logits) as tf.Scalar;
  return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, width), logits) as tf.Scalar;
}

/** The decided message of each block (int32 [B]): argmax, or the bits (logit > 0) read as an index. */
export function decodedMessages(output: AutoencoderOutput, logits: tf.Tensor): tf.Tensor1D {
  if (output === 'symbols') return tf.argMax(logits, 1) as tf.Tensor1D;
  const k = logits.shape[1] as number;
  const weights = tf.tensor1d(
    Array.from({ length: k }, (_, j) => 2 ** (k - 1 - j)),
    'int32',
  );
  return tf.sum(tf.mul(tf.cast(tf.greater(logits, 0), 'int32'), weights), 1) as tf.Tensor1D;
}
