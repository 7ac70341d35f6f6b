/**
 * Hamming (7,4), systematic: codeword c = [m0 m1 m2 m3 p0 p1 p2] with
 *   p0 = m0 ⊕ m1 ⊕ m3,  p1 = m0 ⊕ m2 ⊕ m3,  p2 = m1 ⊕ m2 ⊕ m3,
 * i.e. G = [I₄ | P], H = [Pᵀ | I₃]. Message bits are most significant first (m0 = bit 3 of the message
 * index), BPSK maps coded bit 0 → +1, 1 → −1 on 7 real channel uses.
 * Hard decoding: sign per coded bit, syndrome s = H·r, flip the bit whose H column equals s, read the
 * systematic bits. A 7-bit word is packed MSB first (coded bit 0 = bit 6 of the word).
 */
export const HAMMING_P: ReadonlyArray<readonly [number, number, number]> = [
  [1, 1, 0],
  [1, 0, 1],
  [0, 1, 1],
  [1, 1, 1],
];

/** Coded bits (length 7) of message m ∈ [0, 16). */
export function hammingEncodeBits(m: number): number[] {
  const u = [(m >> 3) & 1, (m >> 2) & 1, (m >> 1) & 1, m & 1];
  const p = [0, 1, 2].map((j) => u.reduce((acc, bit, i) => acc ^ (bit & HAMMING_P[i][j]), 0));
  return [...u, ...p];
}

/** Column j of H (3 bits, packed p0 p1 p2 MSB first). */
function hColumn(j: number): number {
  if (j < 4) return (HAMMING_P[j][0] << 2) | (HAMMING_P[j][1] << 1) | HAMMING_P[j][2];
  return 1 << (2 - (j - 4));
}

/** Syndrome of a packed 7-bit word. */
export function hammingSyndrome(word: number): number {
  let s = 0;
  for (let j = 0; j < 7; j++) if ((word >> (6 - j)) & 1) s ^= hColumn(j);
  return s;
}

/** Syndrome decoding of a packed hard word to the message index. */
export function hammingDecodeWord(word: number): number {
  const s = hammingSyndrome(word);
  let w = word;
  if (s !== 0) {
    for (let j = 0; j < 7; j++) {
      if (hColumn(j) === s) {
        w ^= 1 << (6 - j);
        break;
      }
    }
  }
  return (w >> 3) & 15;
}

/** decodeTable[word] = decoded message, for all 128 hard words. */
export function hammingHardTable(): Int32Array {
  const t = new Int32Array(128);
  for (let w = 0; w < 128; w++) t[w] = hammingDecodeWord(w);
  return t;
}

/** The BPSK codebook: 16 × 7 values ±1. */
export function hammingCodebook(): Float32Array {
  const cb = new Float32Array(16 * 7);
  for (let m = 0; m < 16; m++) hammingEncodeBits(m).forEach((bit, j) => (cb[m * 7 + j] = bit ? -1 : 1));
  return cb;
}
