/**
 * AWGN: y = x + σ·z, z ~ N(0, I) on every real dimension (for complex signalling this is CN(0, 2σ²) per
 * complex use). Draws per block: `dims` noise values.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { z } from 'zod';
import { realDims, type Signalling } from '../conventions.ts';
import { memorylessUnfaded, unitGain } from './fading-fields.ts';
import { defineChannelKind } from './kind.ts';
import { TwoUserAwgnChannel } from './two-user.ts';
import type { ChannelModel } from './types.ts';

/** The compiled spec of the AWGN channel (`channel: { type: awgn }`); it has no parameters. */
export interface AwgnSpec {
  type: 'awgn';
}

/**
 * AWGN on a block of n channel uses: y = x + σ·z with z ~ N(0, I) on every real dimension (CN(0, 2σ²) per complex use
 * with complex signalling). Draws `dims` normals per block; the receiver gets y only.
 */
export class AwgnChannel implements ChannelModel {
  readonly spec = { type: 'awgn' } as const;
  readonly dims: number;
  readonly drawDims: number;
  /** The receiver gets y only. */
  readonly outDims: number;

  constructor(
    readonly n: number,
    readonly signalling: Signalling,
  ) {
    this.dims = realDims(n, signalling);
    this.outDims = this.dims;
    this.drawDims = this.dims;
  }

  applyArrays(x: Float32Array, draws: Float32Array, sigma: number, y: Float32Array, blocks: number): void {
    const total = blocks * this.dims;
    for (let i = 0; i < total; i++) y[i] = x[i] + sigma * draws[i];
  }

  vjpArrays(_draws: Float32Array, dy: Float32Array, dx: Float32Array, blocks: number): void {
    dx.set(dy.subarray(0, blocks * this.dims));
  }

  applyTensors(tf: typeof tfTypes, x: tfTypes.Tensor2D, draws: tfTypes.Tensor2D, sigma: tfTypes.Tensor2D): tfTypes.Tensor2D {
    return tf.add(x, tf.mul(draws, sigma));
  }
}

/** The AWGN channel kind: `channel: { type: awgn }`. */
export const awgn = defineChannelKind<AwgnSpec>({
  type: 'awgn',
  example: { type: 'awgn' },
  defaults: {},
  schema: z.strictObject({ type: z.literal('awgn') }).meta({ description: 'Additive white Gaussian noise.' }),
  compile: () => ({ type: 'awgn' }),
  label: () => 'AWGN',
  make: (_s, n, signalling) => new AwgnChannel(n, signalling),
  // Equal priors and white Gaussian noise: the likelihood is a decreasing function of the distance.
  nearestCodewordIsMl: () => true,
  gainLaw: () => unitGain,
  // applyArrays is y = x + σ·draws and nothing else.
  noiseOnly: true,
  // No memory, no fading: nothing to estimate.
  ...memorylessUnfaded,
  twoUser: (_s, n, g) => new TwoUserAwgnChannel(n, g),
});
