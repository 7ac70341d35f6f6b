/** A named activation as tfjs ops: the one mapping used by the trainer's functional graph and the tfjs decoder. */
import * as tf from '@tensorflow/tfjs';
import type { Activation } from '../vocabulary.ts';

export function tfActivation(x: tf.Tensor, a: Activation): tf.Tensor {
  switch (a) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'elu':
      return tf.elu(x);
    case 'selu':
      return tf.selu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'softmax':
      return tf.softmax(x);
  }
}
