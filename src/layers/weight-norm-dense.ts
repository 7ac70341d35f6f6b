/**
 * WeightNormDense: a dense layer whose kernel is reparameterized per output unit as w = g · v/‖v‖
 * (Salimans & Kingma 2016), decoupling each unit's weight norm g from its direction v. No activation:
 * the model builder adds one after any normalization.
 */
import * as tf from '@tensorflow/tfjs';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface WeightNormDenseArgs extends LayerArgs {
  units: number;
  /** Seed of the glorot-uniform initializer of v. */
  seed?: number;
}

export class WeightNormDense extends tf.layers.Layer {
  static className = 'WeightNormDense';
  readonly units: number;
  readonly seed?: number;
  private v: tf.LayerVariable | null = null;
  private g: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: WeightNormDenseArgs) {
    super(args);
    this.units = args.units;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inDim = shape[shape.length - 1] as number;
    this.v = this.addWeight('v', [inDim, this.units], 'float32', tf.initializers.glorotUniform({ seed: this.seed }));
    this.g = this.addWeight('g', [this.units], 'float32', tf.initializers.ones());
    this.bias = this.addWeight('bias', [this.units], 'float32', tf.initializers.zeros());
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  /** The effective kernel g · v/‖v‖ (column-wise norms). */
  kernel(): tf.Tensor2D {
    return tf.tidy(() => {
      const v = this.v!.read();
      const norm = tf.sqrt(tf.add(tf.sum(tf.square(v), 0, true), 1e-12));
      return tf.mul(tf.div(v, norm), this.g!.read()) as tf.Tensor2D;
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
      return tf.add(tf.matMul(x, this.kernel()), this.bias!.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }
}
tf.serialization.registerClass(WeightNormDense);
