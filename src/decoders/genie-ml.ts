/**
 * The genie reference over multipath fading: maximum-likelihood decoding of the system's codebook with the
 * block's channel taps known, argmin_m ‖y − h∗c_m‖² (h∗c the linear convolution cut to n, as the channel
 * applies it). With white Gaussian noise and equiprobable messages this is exactly ML, so it bounds what
 * any receiver of the same code can reach (the RTN and the plain learned decoder included).
 *
 * It needs the taps: the system's channel must be `multipath` with `csi: perfect`, whose output is
 * [y (2n values), h (2L values)] per block (src/channels/multipath.ts). The `<id>-ml` curve of an autoencoder on
 * a multipath channel runs on the autoencoder's streams with csi switched to perfect: the same messages,
 * taps and noise (csi changes only what the receiver is handed).
 */
import { channelTaps, channelTypesWhere, makeChannel, receiverGetsTaps } from '../channels/index.ts';
import type { BlockLink } from '../block-link.ts';
import type { DecoderModule } from './decoder.ts';

export interface GenieMlSpec {
  kind: 'genie-ml';
}

function needsTaps(system: BlockLink): { taps: number } {
  const c = system.channel;
  if (!receiverGetsTaps(c, system.n) || system.signalling !== 'complex') {
    const types = channelTypesWhere((k) => k.intersymbol);
    throw new Error(`system ${system.id}: decoder genie-ml needs a ${types} channel with csi: perfect and complex signalling (it reads the taps after y)`);
  }
  return { taps: channelTaps(c) };
}

export const genieMlDecoder: DecoderModule<GenieMlSpec> = {
  kind: 'genie-ml',
  describe: () => 'ML decoding with the channel taps known (genie)',
  check: (system) => void needsTaps(system),
  costPerBlock: (system) => 2 ** system.k * system.n * (4 * needsTaps(system).taps + 2),
  share: (spec) => spec,
  fingerprint: (spec, hash) => hash.json(spec), // the codebook and channel are part of the system's fingerprint
  build(system) {
    const { taps } = needsTaps(system);
    const { n } = system;
    const M = 2 ** system.k;
    const dims = 2 * n;
    const outDims = makeChannel(system.channel, n, system.signalling).outDims;
    const cb = Float64Array.from(system.codebook);
    return (y, blocks, decided) => {
      for (let b = 0; b < blocks; b++) {
        const yo = b * outDims;
        const ho = yo + dims;
        let best = Infinity;
        let arg = 0;
        for (let m = 0, co = 0; m < M; m++, co += dims) {
          let d = 0;
          for (let i = 0; i < n && d < best; i++) {
            let re = y[yo + 2 * i];
            let im = y[yo + 2 * i + 1];
            for (let l = 0; l < taps && l <= i; l++) {
              const hr = y[ho + 2 * l];
              const hi = y[ho + 2 * l + 1];
              const xr = cb[co + 2 * (i - l)];
              const xi = cb[co + 2 * (i - l) + 1];
              re -= hr * xr - hi * xi;
              im -= hr * xi + hi * xr;
            }
            d += re * re + im * im;
          }
          if (d < best) {
            best = d;
            arg = m;
          }
        }
        decided[b] = arg;
      }
    };
  },
};
