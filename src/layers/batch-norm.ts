/**
 * BatchNorm: batch normalization over the batch axis (Ioffe & Szegedy 2015), y = (x − μ)/√(σ² + ε)·γ + β per
 * feature. In training μ and σ² are the batch's mean and biased variance; at inference they are the running
 * statistics, moved towards each training batch's by v ← v − (v − batch)·(1 − momentum), as tfjs-layers'
 * batchNormalization (same defaults: momentum 0.99, ε 1e-3; same weights gamma, beta, moving_mean,
 * moving_variance, the last two non-trainable, so they are saved and loaded with the model).
 *
 * Unlike tfjs's layer, call() does not move the running statistics: the training steps do, once per step
 * (the JavaScript step from its own batch statistics, src/network/kinds/batch-norm.ts; the tf.grad step through
 * updateStatistics), so evaluating a model in training mode (validation, tests) leaves it unchanged.
 */
import * as tf from '@tensorflow/tfjs';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Training form in plain ops: the output and the batch's mean and biased variance per feature. */
export function batchNormTrainingOps(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): { out: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const mean = tf.mean(x, 0);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), 0);
  return { out: tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, epsilon))), gamma), beta), mean, variance };
}

/** Inference form: the running statistics in place of the batch's. */
export function batchNormInferenceOps(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, epsilon: number): tf.Tensor {
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), gamma), beta);
}

export interface BatchNormArgs extends LayerArgs {
  /** Added to the variance (default 1e-3, as tfjs-layers and Keras). */
  epsilon?: number;
  /** Weight of the old running statistics per update (default 0.99, as tfjs-layers and Keras). */
  momentum?: number;
}

export class BatchNorm extends tf.layers.Layer {
  static className = 'BatchNorm';
  readonly epsilon: number;
  readonly momentum: number;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;
  private movingMean: tf.LayerVariable | null = null;
  private movingVariance: tf.LayerVariable | null = null;

  constructor(args: BatchNormArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-3;
    this.momentum = args.momentum ?? 0.99;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const dim = shape[shape.length - 1] as number;
    this.gamma = this.addWeight('gamma', [dim], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [dim], 'float32', tf.initializers.zeros());
    this.movingMean = this.addWeight('moving_mean', [dim], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [dim], 'float32', tf.initializers.ones(), undefined, false);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (kwargs?.training) return batchNormTrainingOps(x, this.gamma!.read(), this.beta!.read(), this.epsilon).out;
      return batchNormInferenceOps(x, this.gamma!.read(), this.beta!.read(), this.movingMean!.read(), this.movingVariance!.read(), this.epsilon);
    });
  }

  /** The running statistics as arrays. */
  statistics(): { mean: Float32Array; variance: Float32Array } {
    return {
      mean: Float32Array.from(this.movingMean!.read().dataSync() as Float32Array),
      variance: Float32Array.from(this.movingVariance!.read().dataSync() as Float32Array),
    };
  }

  /** Sets the running statistics. */
  setStatistics(mean: Float32Array, variance: Float32Array): void {
    tf.tidy(() => {
      this.movingMean!.write(tf.tensor1d(mean));
      this.movingVariance!.write(tf.tensor1d(variance));
    });
  }

  /** Moves the running statistics towards a batch's (tensors of one value per feature). */
  updateStatistics(mean: tf.Tensor, variance: tf.Tensor): void {
    const decay = 1 - this.momentum;
    tf.tidy(() => {
      for (const [v, batch] of [
        [this.movingMean!, mean],
        [this.movingVariance!, variance],
      ] as const) {
        const old = v.read();
        v.write(tf.sub(old, tf.mul(tf.sub(old, batch), decay)));
      }
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon, momentum: this.momentum };
  }
}
tf.serialization.registerClass(BatchNorm);
