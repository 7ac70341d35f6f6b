/**
 * Bit ↔ symbol conventions shared by the uncoded baselines and the engine's `symbolwise-hard` decoder.
 *
 * - Message m ∈ [0, 2^k) carries bits b_0 … b_{k−1}, most significant first: b_j = (m >> (k−1−j)) & 1.
 * - BPSK (real signalling, 1 bit per real use): bit 0 → +1, bit 1 → −1.
 * - Square Gray M-QAM (complex signalling, q = log2 M bits per complex use, QPSK = 4-QAM): the symbol's
 *   first q/2 bits choose the I level, the last q/2 the Q level; on each axis the L = √M levels
 *   (2i − (L−1))·d, i = 0 … L−1, carry the Gray label i ⊕ (i >> 1) (adjacent levels differ in one bit, so
 *   the 2-D map is Gray too). d = √(3 / (2(M−1))) gives unit average energy per complex symbol.
 * - Symbol s of a block uses bits b_{s·q} … b_{s·q+q−1}.
 */

export { BITS_PER_SYMBOL, type Modulation } from '../vocabulary.ts';

/** Half-spacing d of square QAM with 2^q points and unit average energy. */
export function qamHalfSpacing(bitsPerSymbol: number): number {
  if (!(bitsPerSymbol >= 2 && bitsPerSymbol % 2 === 0)) throw new Error(`square QAM needs an even number of bits per symbol, got ${bitsPerSymbol}`);
  const M = 2 ** bitsPerSymbol;
  return Math.sqrt(3 / (2 * (M - 1)));
}

export const grayEncode = (i: number): number => i ^ (i >> 1);
export function grayDecode(g: number): number {
  let i = g;
  for (let s = g >> 1; s; s >>= 1) i ^= s;
  return i;
}

/** The block (dims real values) that message m maps to; n = k / bitsPerSymbol channel uses. */
export function modulateMessage(m: number, k: number, bitsPerSymbol: number, out: Float32Array, offset = 0): void {
  if (bitsPerSymbol === 1) {
    for (let j = 0; j < k; j++) out[offset + j] = (m >> (k - 1 - j)) & 1 ? -1 : 1;
    return;
  }
  const half = bitsPerSymbol / 2;
  const L = 1 << half;
  const d = qamHalfSpacing(bitsPerSymbol);
  const n = k / bitsPerSymbol;
  for (let s = 0; s < n; s++) {
    const sym = (m >> (k - (s + 1) * bitsPerSymbol)) & ((1 << bitsPerSymbol) - 1);
    const gi = sym >> half;
    const gq = sym & (L - 1);
    out[offset + 2 * s] = (2 * grayDecode(gi) - (L - 1)) * d;
    out[offset + 2 * s + 1] = (2 * grayDecode(gq) - (L - 1)) * d;
  }
}

/** The whole codebook (2^k × dims). */
export function modulationCodebook(k: number, bitsPerSymbol: number): Float32Array {
  if (k % bitsPerSymbol !== 0) throw new Error(`k = ${k} is not a multiple of ${bitsPerSymbol} bits per symbol`);
  if (k > 16) throw new Error(`k = ${k}: the codebook table would have 2^${k} rows (keep k ≤ 16)`);
  const dims = bitsPerSymbol === 1 ? k : (2 * k) / bitsPerSymbol;
  const M = 2 ** k;
  const cb = new Float32Array(M * dims);
  for (let m = 0; m < M; m++) modulateMessage(m, k, bitsPerSymbol, cb, m * dims);
  return cb;
}

/**
 * Hard decision of a block of `n` symbols back to a message (BPSK: sign per real use; QAM: nearest level
 * per axis, Gray demapping). y holds the block at y[off …].
 */
export function makeSymbolwiseDemapper(k: number, bitsPerSymbol: number): (y: Float32Array, off: number) => number {
  if (bitsPerSymbol === 1) {
    return (y, off) => {
      let m = 0;
      for (let j = 0; j < k; j++) m = (m << 1) | (y[off + j] < 0 ? 1 : 0);
      return m;
    };
  }
  const half = bitsPerSymbol / 2;
  const L = 1 << half;
  const invD = 1 / qamHalfSpacing(bitsPerSymbol);
  const n = k / bitsPerSymbol;
  const gray = new Int32Array(L).map((_, i) => grayEncode(i));
  return (y, off) => {
    let m = 0;
    for (let s = 0; s < n; s++) {
      let i = Math.floor((y[off + 2 * s] * invD + L) * 0.5);
      i = i < 0 ? 0 : i >= L ? L - 1 : i;
      let q = Math.floor((y[off + 2 * s + 1] * invD + L) * 0.5);
      q = q < 0 ? 0 : q >= L ? L - 1 : q;
      m = (m << bitsPerSymbol) | (gray[i] << half) | gray[q];
    }
    return m;
  };
}
