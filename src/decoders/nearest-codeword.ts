/**
 * Nearest-codeword decoding: argmin_m ‖y − c_m‖². Maximum likelihood for AWGN with equal priors, and for
 * Rayleigh block fading after perfect-CSI zero forcing; a reference decoder (not ML) otherwise.
 */
import { realDims } from '../conventions.ts';
import type { BlockLink } from '../block-link.ts';
import type { DecoderModule } from './decoder.ts';

export interface NearestCodewordSpec {
  kind: 'nearest-codeword';
}

export const nearestCodewordDecoder: DecoderModule<NearestCodewordSpec> = {
  kind: 'nearest-codeword',
  describe: () => 'nearest codeword (Euclidean)',
  check: () => {},
  costPerBlock: (system) => 2 ** system.k * realDims(system.n, system.signalling),
  share: (spec) => spec,
  fingerprint: (spec, hash) => hash.json(spec), // the codebook itself is part of the system's fingerprint
  build(system: BlockLink) {
    const dims = realDims(system.n, system.signalling);
    const M = 2 ** system.k;
    // argmin ‖y − c_m‖² = argmax (⟨y, c_m⟩ − ‖c_m‖²/2); first index on ties.
    const cb = Float64Array.from(system.codebook);
    const half = new Float64Array(M);
    for (let m = 0; m < M; m++) {
      let e = 0;
      for (let j = 0; j < dims; j++) e += cb[m * dims + j] * cb[m * dims + j];
      half[m] = 0.5 * e;
    }
    return (y, blocks, decided) => {
      for (let b = 0; b < blocks; b++) {
        const yo = b * dims;
        let best = -Infinity;
        let arg = 0;
        for (let m = 0, co = 0; m < M; m++, co += dims) {
          let s = -half[m];
          for (let j = 0; j < dims; j++) s += y[yo + j] * cb[co + j];
          if (s > best) {
            best = s;
            arg = m;
          }
        }
        decided[b] = arg;
      }
    };
  },
};
