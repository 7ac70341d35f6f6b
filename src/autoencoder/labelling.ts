/**
 * A bit labelling for the M codewords of a trained symbol-wise autoencoder that lowers its BER: the binary
 * switching algorithm (K. Zeger and A. Gersho, "Pseudo-Gray coding", IEEE Trans. Commun. 1990).
 *
 * Cost. With labels l(m) (a permutation of 0 … M−1, the k bits message m stands for), the BER of a decoder
 * that confuses i with j with probability P(j | i) is (1/(M·k)) Σ_i Σ_{j≠i} P(j | i)·d_H(l(i), l(j)). The search
 * uses the pairwise error probability P(j | i) ≈ Q(‖c_i − c_j‖ / 2σ) of the codebook at the given Eb/N0 (the
 * union-bound terms of ML decoding on AWGN; with fading or another decoder it is a proxy), so the cost is the
 * union bound on the BER. It depends on the codebook only, not on the trained decoder.
 *
 * Search. Starting from a labelling (natural binary by default), take the codewords in decreasing order of
 * their share of the cost; for the first one that has a label swap with another codeword lowering the cost,
 * make the best such swap, and start over. Stop when no codeword has an improving swap (or after `maxSwaps`).
 * Every accepted swap lowers the cost strictly, so the result never costs more than the start. One pass costs
 * O(M³) at worst (M codewords × M partners × O(M) per cost change), so the scenario limits it to k ≤ 8.
 */
import { qfunc } from '../math/special.ts';
import { noiseStd, realDims } from '../conventions.ts';
import type { Signalling } from '../vocabulary.ts';
import { popcount } from '../math/bits.ts';

/** W[i·M + j] = P(j | i) + P(i | j) = 2·Q(‖c_i − c_j‖ / 2σ) (symmetric; the cost only needs the sum). */
export function pairWeights(codebook: Float32Array, M: number, dims: number, sigma: number): Float64Array {
  const w = new Float64Array(M * M);
  for (let i = 0; i < M; i++)
    for (let j = i + 1; j < M; j++) {
      let d2 = 0;
      for (let t = 0; t < dims; t++) {
        const d = codebook[i * dims + t] - codebook[j * dims + t];
        d2 += d * d;
      }
      const v = 2 * qfunc(Math.sqrt(d2) / (2 * sigma));
      w[i * M + j] = v;
      w[j * M + i] = v;
    }
  return w;
}

/** The union-bound BER of a labelling: Σ_{i<j} W_ij·d_H(l_i, l_j) / (M·k). */
export function labellingCost(w: Float64Array, labels: Int32Array, k: number): number {
  const M = labels.length;
  let s = 0;
  for (let i = 0; i < M; i++) for (let j = i + 1; j < M; j++) s += w[i * M + j] * popcount(labels[i] ^ labels[j]);
  return s / (M * k);
}

export interface LabellingSearch {
  labels: Int32Array;
  /** Union-bound BER of the start and of the result. */
  startCost: number;
  cost: number;
  swaps: number;
}

/** Change of Σ_{a<b} W_ab·d_H when the labels of i and j are swapped (the i–j term itself is unchanged). */
function swapDelta(w: Float64Array, labels: Int32Array, i: number, j: number): number {
  const M = labels.length;
  const li = labels[i];
  const lj = labels[j];
  let d = 0;
  for (let m = 0; m < M; m++) {
    if (m === i || m === j) continue;
    const lm = labels[m];
    d += (w[i * M + m] - w[j * M + m]) * (popcount(lj ^ lm) - popcount(li ^ lm));
  }
  return d;
}

/** The binary switching algorithm from `start` (default natural binary). */
export function binarySwitching(w: Float64Array, k: number, start?: Int32Array, maxSwaps = 100_000): LabellingSearch {
  const M = 2 ** k;
  if (w.length !== M * M) throw new Error(`binarySwitching: weights for ${Math.sqrt(w.length)} codewords, expected ${M}`);
  const labels = start ? Int32Array.from(start) : Int32Array.from({ length: M }, (_, m) => m);
  const startCost = labellingCost(w, labels, k);
  // Σ_{a<b} W_ab d_H, kept up to date; a swap must lower it by more than rounding noise.
  let total = startCost * M * k;
  const share = new Float64Array(M);
  let swaps = 0;
  for (; swaps < maxSwaps; swaps++) {
    for (let i = 0; i < M; i++) {
      let s = 0;
      for (let j = 0; j < M; j++) if (j !== i) s += w[i * M + j] * popcount(labels[i] ^ labels[j]);
      share[i] = s;
    }
    const order = Array.from({ length: M }, (_, i) => i).sort((a, b) => share[b] - share[a] || a - b);
    let done = true;
    for (const i of order) {
      let best = 0;
      let partner = -1;
      for (let j = 0; j < M; j++) {
        if (j === i) continue;
        const d = swapDelta(w, labels, i, j);
        if (d < best) {
          best = d;
          partner = j;
        }
      }
      if (partner >= 0 && best < -1e-12 * total) {
        [labels[i], labels[partner]] = [labels[partner], labels[i]];
        total += best;
        done = false;
        break;
      }
    }
    if (done) break;
  }
  return { labels, startCost, cost: labellingCost(w, labels, k), swaps };
}

/** The searched labelling of a block system's codebook at Eb/N0 `ebnoDb` (natural binary start). */
export function searchLabelling(
  system: { k: number; n: number; signalling: Signalling; codebook: Float32Array },
  ebnoDb: number,
): LabellingSearch & { ebnoDb: number } {
  const M = 2 ** system.k;
  const dims = realDims(system.n, system.signalling);
  const w = pairWeights(system.codebook, M, dims, noiseStd(ebnoDb, system.k, system.n));
  return { ...binarySwitching(w, system.k), ebnoDb };
}
