/**
 * Joint ML decoding of one user of the two-user interference channel (src/twouser/): the receiver knows both
 * codebooks and the cross gain g, searches the nearest pair (a, b) of its own codeword c_a and the
 * interference g·d_b over all M² pairs, argmin ‖y − c_a − g·d_b‖², and decides a. For AWGN this is the joint
 * maximum-likelihood decision of the message pair (a reference, not the per-user marginal ML, which would
 * sum over b). Cost M²·dims per block: scenarios allow it for M² ≤ LIMITS.twoUserMlPairs.
 */
import { realDims } from '../conventions.ts';
import type { BlockSystem } from '../system.ts';
import { sharedFloats, type DecoderModule } from './decoder.ts';

export interface JointNearestPairSpec {
  kind: 'joint-nearest-pair';
  /** The interfering user's codebook (M × dims, the same shape as the system's). */
  other: Float32Array;
  /** Cross gain g of the interfering link. */
  crossGain: number;
}

export const jointNearestPairDecoder: DecoderModule<JointNearestPairSpec> = {
  kind: 'joint-nearest-pair',
  describe: (spec) => `joint ML: nearest pair of own codeword and interference (g = ${spec.crossGain}) over M² pairs`,
  check(system, spec) {
    if (spec.other.length !== system.codebook.length) throw new Error(`system ${system.id}: joint-nearest-pair needs the other user's codebook of the same shape (${spec.other.length} vs ${system.codebook.length} values)`);
  },
  costPerBlock: (system) => 4 ** system.k * realDims(system.n, system.signalling),
  share: (spec) => ({ ...spec, other: sharedFloats(spec.other) }),
  fingerprint: (spec, hash) => {
    hash.json({ kind: spec.kind, crossGain: spec.crossGain });
    hash.floats(spec.other);
  },
  build(system: BlockSystem, spec) {
    const dims = realDims(system.n, system.signalling);
    const M = 2 ** system.k;
    const P = M * M;
    // Every candidate sum s_ab = c_a + g·d_b (row a·M + b) and half its energy: argmin ‖y − s‖² = argmax ⟨y, s⟩ − ‖s‖²/2.
    const cand = new Float64Array(P * dims);
    const half = new Float64Array(P);
    for (let a = 0; a < M; a++)
      for (let b = 0; b < M; b++) {
        const r = (a * M + b) * dims;
        let e = 0;
        for (let j = 0; j < dims; j++) {
          const v = system.codebook[a * dims + j] + spec.crossGain * spec.other[b * dims + j];
          cand[r + j] = v;
          e += v * v;
        }
        half[a * M + b] = 0.5 * e;
      }
    return (y, blocks, decided) => {
      for (let blk = 0; blk < blocks; blk++) {
        const yo = blk * dims;
        let best = -Infinity;
        let arg = 0;
        for (let p = 0, co = 0; p < P; p++, co += dims) {
          let s = -half[p];
          for (let j = 0; j < dims; j++) s += y[yo + j] * cand[co + j];
          if (s > best) {
            best = s;
            arg = p;
          }
        }
        decided[blk] = (arg / M) | 0;
      }
    };
  },
};
