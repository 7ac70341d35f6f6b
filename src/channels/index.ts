/** Channel factory and the Float32Array sampler used by Monte Carlo. */
import type { Signalling } from '../conventions.ts';
import type { RandomStream } from '../random.ts';
import { AwgnChannel } from './awgn.ts';
import { MultipathChannel } from './multipath.ts';
import { RayleighChannel } from './rayleigh.ts';
import type { ChannelModel, ChannelSpec } from './types.ts';

export type { ChannelModel, ChannelSpec } from './types.ts';
export { AwgnChannel } from './awgn.ts';
export { RayleighChannel } from './rayleigh.ts';
export { MultipathChannel, profilePowers } from './multipath.ts';

export function makeChannel(spec: ChannelSpec, n: number, signalling: Signalling): ChannelModel {
  switch (spec.type) {
    case 'awgn':
      return new AwgnChannel(n, signalling);
    case 'rayleigh':
      return new RayleighChannel(n, signalling, spec.coherence, spec.csi);
    case 'multipath':
      return new MultipathChannel(n, signalling, spec);
    default:
      throw new Error(`unknown channel type ${(spec as { type: string }).type}`);
  }
}

/** Human-readable channel name for reports. */
export function channelLabel(spec: ChannelSpec): string {
  if (spec.type === 'multipath') {
    const profile = spec.profile === 'uniform' ? 'uniform profile' : `profile ${spec.profile.join(':')}`;
    return `multipath Rayleigh (${spec.taps} taps, ${profile}, CSI ${spec.csi})`;
  }
  return spec.type === 'awgn' ? 'AWGN' : `Rayleigh (${spec.coherence} fading, CSI ${spec.csi})`;
}

/**
 * A reusable Monte Carlo sampler: draws the channel's normals from `stream` into a scratch buffer and
 * applies the channel. Grows its buffer on demand; not thread-safe (one per worker).
 */
export class ChannelSampler {
  private draws = new Float32Array(0);

  constructor(readonly model: ChannelModel) {}

  transmit(x: Float32Array, y: Float32Array, blocks: number, sigma: number, stream: RandomStream): void {
    const need = blocks * this.model.drawDims;
    if (this.draws.length < need) this.draws = new Float32Array(need);
    stream.fillNormal(this.draws, 0, need);
    this.model.applyArrays(x, this.draws, sigma, y, blocks);
  }
}
