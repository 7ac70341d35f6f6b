/** The channels' public face: the kinds' registry and the Float32Array sampler used by Monte Carlo. */
import type { RandomStream } from '../random.ts';
import type { ChannelModel } from './types.ts';

export type { ChannelModel, ChannelSpecBase } from './types.ts';
export type { ChannelKind, GainLaw } from './kind.ts';
export * from './registry.ts';
export { AwgnChannel, type AwgnSpec } from './awgn.ts';
export { FlatFadingChannel, type FlatFadingSpec } from './flat-fading.ts';
export type { RayleighSpec } from './rayleigh.ts';
export { MultipathChannel, profilePowers, type MultipathSpec } from './multipath.ts';

/**
 * A reusable Monte Carlo sampler: draws the channel's normals from `stream` into a scratch buffer and
 * applies the channel. Grows its buffer on demand; not thread-safe (one per worker).
 */
export class ChannelSampler {
  private draws = new Float32Array(0);

  constructor(readonly model: ChannelModel) {}

  /**
   * Passes `blocks` blocks of `x` (blocks × dims) through the channel at noise std `sigma` per real dimension,
   * drawing the channel's normals from `stream`, and writes blocks × outDims values to `y`.
   */
  transmit(x: Float32Array, y: Float32Array, blocks: number, sigma: number, stream: RandomStream): void {
    const need = blocks * this.model.drawDims;
    if (this.draws.length < need) this.draws = new Float32Array(need);
    stream.fillNormal(this.draws, 0, need);
    this.model.applyArrays(x, this.draws, sigma, y, blocks);
  }
}
