/**
 * PowerNormalization: the last layer of every encoder, enforcing the transmitter's power constraint on
 * codewords of `dims` real values that occupy n channel uses (energy target n, one unit per use).
 *
 * - `energy`:        ‖x‖² = n for every codeword (l2-normalize along the feature axis, × √n).
 * - `energy-max`:    ‖x‖² ≤ n (clip by norm: a codeword above the bound is scaled onto it, one inside is kept).
 * - `average-power`: mean over the batch of ‖x‖² = n (batch normalization without centring or learned
 *                    scale: one scalar factor per batch). In training the factor uses the current batch;
 *                    at inference it uses `power`, a non-trainable weight that `calibrate()` sets to the
 *                    exact mean energy of the M codewords with equal priors (the trainer does this after
 *                    training, so predict() and the extracted codebook agree).
 */
import * as tf from '@tensorflow/tfjs';

import { POWER_CONSTRAINTS, type PowerConstraint } from '../vocabulary.ts';

/**
 * The transmitter's power constraint, enforced by the encoder's last layer: `energy` (‖x‖² = n for every codeword),
 * `energy-max` (‖x‖² ≤ n) or `average-power` (mean ‖x‖² = n over the messages), n channel uses per codeword.
 */
export type PowerMode = PowerConstraint;

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface PowerNormalizationArgs extends LayerArgs {
  mode: PowerMode;
  /** Channel uses per codeword: the energy bound. */
  n: number;
}

const EPS = 1e-12;

export class PowerNormalization extends tf.layers.Layer {
  static className = 'PowerNormalization';
  readonly mode: PowerMode;
  readonly n: number;
  private power: tf.LayerVariable | null = null;

  constructor(args: PowerNormalizationArgs) {
    super(args);
    if (!(POWER_CONSTRAINTS as readonly string[]).includes(args.mode)) throw new Error(`PowerNormalization: unknown mode ${args.mode}`);
    this.mode = args.mode;
    this.n = args.n;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    if (this.mode === 'average-power') {
      this.power = this.addWeight('power', [], 'float32', tf.initializers.constant({ value: this.n }), undefined, false);
    }
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const energy = tf.sum(tf.square(x), -1, true); // [B, 1]
      switch (this.mode) {
        case 'energy':
          return tf.mul(x, tf.sqrt(tf.div(this.n, tf.add(energy, EPS))));
        case 'energy-max':
          return tf.mul(x, tf.minimum(1, tf.sqrt(tf.div(this.n, tf.add(energy, EPS)))));
        case 'average-power': {
          const mean = kwargs?.training ? tf.mean(energy) : this.power!.read();
          return tf.mul(x, tf.sqrt(tf.div(this.n, tf.add(mean, EPS))));
        }
      }
    });
  }

  /** Sets the inference-time mean energy (average-power mode only; a no-op otherwise). */
  calibrate(meanEnergy: number): void {
    if (this.power) this.power.write(tf.scalar(meanEnergy));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode, n: this.n };
  }
}
tf.serialization.registerClass(PowerNormalization);
