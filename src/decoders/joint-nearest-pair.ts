/**
 * Joint ML decoding of one user of the two-user interference channel (src/twouser/): the receiver knows both
 * codebooks and the cross gain g, searches the nearest pair (a, b) of its own codeword c_a and the
 * interference g·d_b over all M² pairs, argmin ‖y − c_a − g·d_b‖², and decides a. For AWGN this is the joint
 * maximum-likelihood decision of the message pair (a reference, not the per-user marginal ML, which would
 * sum over b). Cost M² + 2M·dims per block (AWGN; M²·dims with fading): scenarios allow it for M² ≤
 * LIMITS.twoUserMlPairs.
 *
 * Rayleigh links with perfect CSI (`fading`, src/channels/two-user-rayleigh.ts): each received row carries the
 * block's gains after y (own link, then cross link, `gains` complex values each), and the candidates are
 * h_own·c_a + g·h_cross·d_b, built per block (per complex use j the gain of use j, or the one block gain):
 * the joint ML decision of the pair given the gains. Without CSI there is no such reference (the scenario
 * checks refuse it).
 */
import { blockFading } from '../channels/registry.ts';
import { realDims } from '../conventions.ts';
import type { BlockLink } from '../block-link.ts';
import { sharedFloats, type DecoderModule } from './decoder.ts';

export interface JointNearestPairSpec {
  kind: 'joint-nearest-pair';
  /** The interfering user's codebook (M × dims, the same shape as the system's). */
  other: Float32Array;
  /** Cross gain g of the interfering link. */
  crossGain: number;
  /** Rayleigh links with perfect CSI: complex gains per link in each received row (1: block fading, n: per use). */
  fading?: { gains: number };
}

export const jointNearestPairDecoder: DecoderModule<JointNearestPairSpec> = {
  kind: 'joint-nearest-pair',
  describe: (spec) =>
    `joint ML: nearest pair of own codeword and interference (g = ${spec.crossGain})${spec.fading ? " with the links' gains known" : ''} over M² pairs`,
  check(system, spec) {
    if (spec.other.length !== system.codebook.length)
      throw new Error(
        `system ${system.id}: joint-nearest-pair needs the other user's codebook of the same shape (${spec.other.length} vs ${system.codebook.length} values)`,
      );
    const c = system.channel;
    const fading = blockFading(c, system.n);
    if (fading.gains > 0 && fading.csi !== 'perfect')
      throw new Error(`system ${system.id}: joint-nearest-pair over fading links (${c.type}) needs csi: perfect (the gains)`);
    if (fading.gains !== (spec.fading?.gains ?? 0))
      throw new Error(
        `system ${system.id}: joint-nearest-pair: ${spec.fading?.gains ?? 0} fading gains per link given, the ${c.type} channel draws ${fading.gains} per block`,
      );
  },
  costPerBlock: (system, spec) => {
    const M = 2 ** system.k;
    const dims = realDims(system.n, system.signalling);
    return spec.fading ? M * M * dims : M * M + 2 * M * dims;
  },
  share: (spec) => ({ ...spec, other: sharedFloats(spec.other) }),
  fingerprint: (spec, hash) => {
    hash.json({ kind: spec.kind, crossGain: spec.crossGain, ...(spec.fading ? { fading: spec.fading } : {}) });
    hash.floats(spec.other);
  },
  build(system: BlockLink, spec) {
    if (spec.fading) return fadingJointNearestPair(system, spec, spec.fading.gains);
    const dims = realDims(system.n, system.signalling);
    const M = 2 ** system.k;
    const g = spec.crossGain;
    // argmin_ab ‖y − c_a − g·d_b‖² = argmax_ab ⟨y, c_a⟩ + g·⟨y, d_b⟩ − ‖c_a + g·d_b‖²/2. The energies of the M²
    // sums are fixed, so per block only the 2M products ⟨y, c_a⟩, ⟨y, d_b⟩ are computed (2M·dims multiply-adds)
    // and the search over the pairs is one add per pair: M² + 2M·dims operations instead of M²·dims (4× fewer
    // for (4,4)). In doubles, like the direct search; the first pair wins ties.
    const own = Float64Array.from(system.codebook);
    const other = Float64Array.from(spec.other);
    const half = new Float64Array(M * M);
    for (let a = 0; a < M; a++)
      for (let b = 0; b < M; b++) {
        let e = 0;
        for (let j = 0; j < dims; j++) {
          const v = own[a * dims + j] + g * other[b * dims + j];
          e += v * v;
        }
        half[a * M + b] = 0.5 * e;
      }
    const u = new Float64Array(M);
    const v = new Float64Array(M);
    return (y, blocks, decided) => {
      for (let blk = 0; blk < blocks; blk++) {
        const yo = blk * dims;
        for (let m = 0, co = 0; m < M; m++, co += dims) {
          let su = 0;
          let sv = 0;
          for (let j = 0; j < dims; j++) {
            su += y[yo + j] * own[co + j];
            sv += y[yo + j] * other[co + j];
          }
          u[m] = su;
          v[m] = g * sv;
        }
        let best = -Infinity;
        let arg = 0;
        for (let a = 0, p = 0; a < M; a++) {
          const ua = u[a];
          for (let b = 0; b < M; b++, p++) {
            const s = ua + v[b] - half[p];
            if (s > best) {
              best = s;
              arg = a;
            }
          }
        }
        decided[blk] = arg;
      }
    };
  },
};

/** The per-block search with the gains read from each row's side information (see the module comment). */
function fadingJointNearestPair(system: BlockLink, spec: JointNearestPairSpec, gains: number) {
  const n = system.n;
  const dims = 2 * n;
  const outDims = dims + 4 * gains;
  const M = 2 ** system.k;
  const own = system.codebook;
  const other = spec.other;
  const g = spec.crossGain;
  // Per block: u_a = h_own ⊙ c_a, v_b = g·h_cross ⊙ d_b (complex per use), then argmin_ab ‖y − u_a − v_b‖².
  const u = new Float64Array(M * dims);
  const v = new Float64Array(M * dims);
  return (y: Float32Array, blocks: number, decided: Int32Array): void => {
    for (let blk = 0; blk < blocks; blk++) {
      const yo = blk * outDims;
      const side = yo + dims;
      for (let m = 0; m < M; m++)
        for (let j = 0; j < n; j++) {
          const q = gains === 1 ? 0 : j;
          const ar = y[side + 2 * q];
          const ai = y[side + 2 * q + 1];
          const br = g * y[side + 2 * gains + 2 * q];
          const bi = g * y[side + 2 * gains + 2 * q + 1];
          const o = m * dims + 2 * j;
          u[o] = ar * own[o] - ai * own[o + 1];
          u[o + 1] = ar * own[o + 1] + ai * own[o];
          v[o] = br * other[o] - bi * other[o + 1];
          v[o + 1] = br * other[o + 1] + bi * other[o];
        }
      let best = Infinity;
      let arg = 0;
      for (let a = 0; a < M; a++) {
        const ao = a * dims;
        for (let b = 0; b < M; b++) {
          const bo = b * dims;
          let d = 0;
          for (let j = 0; j < dims; j++) {
            const e = y[yo + j] - u[ao + j] - v[bo + j];
            d += e * e;
          }
          if (d < best) {
            best = d;
            arg = a;
          }
        }
      }
      decided[blk] = arg;
    }
  };
}
