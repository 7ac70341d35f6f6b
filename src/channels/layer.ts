/**
 * ChannelLayer: any channel model as a differentiable tfjs layer. Inputs [x, draws, sigma]:
 * x [B, dims] codewords, draws [B, drawDims] standard normals (drawn by the caller from a seeded stream,
 * so training noise is reproducible and shares its source with Monte Carlo), sigma [B, 1] noise std per
 * real dimension (one value per example, so a batch may mix Eb/N0 values). Output y [B, dims].
 */
import * as tf from '@tensorflow/tfjs';
import type { Signalling } from '../conventions.ts';
import { makeChannel, type ChannelSpec } from './registry.ts';
import type { ChannelModel } from './types.ts';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface ChannelLayerArgs extends LayerArgs {
  channel: ChannelSpec;
  n: number;
  signalling: Signalling;
}

export class ChannelLayer extends tf.layers.Layer {
  static className = 'ChannelLayer';
  readonly model: ChannelModel;
  private readonly args: ChannelLayerArgs;

  constructor(args: ChannelLayerArgs) {
    super(args);
    this.args = args;
    this.model = makeChannel(args.channel, args.n, args.signalling);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 3) throw new Error('ChannelLayer expects [x, draws, sigma]');
    const [x, draws, sigma] = inputs as tf.Tensor2D[];
    return this.model.applyTensors(tf, x, draws, sigma);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      channel: { ...this.args.channel },
      n: this.args.n,
      signalling: this.args.signalling,
    };
  }
}
tf.serialization.registerClass(ChannelLayer);
