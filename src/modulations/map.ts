/** Blocks of symbols of any modulation kind: the codebook of k bits, and the nearest-point demapper. */
import type { ModulationKind } from './kind.ts';

/** Real values per symbol: 1 (real signalling) or 2 (I, Q). */
export const symbolDims = (kind: ModulationKind): number => (kind.signalling === 'real' ? 1 : 2);

/** The block (k / q symbols) that message m maps to, at out[offset …]. */
export function modulateMessage(kind: ModulationKind, m: number, k: number, out: Float32Array, offset = 0): void {
  const q = kind.bitsPerSymbol;
  const mask = (1 << q) - 1;
  const dims = symbolDims(kind);
  for (let s = 0; s < k / q; s++) kind.point((m >> (k - (s + 1) * q)) & mask, out, offset + s * dims);
}

/** The whole codebook (2^k × dims). */
export function modulationCodebook(kind: ModulationKind, k: number): Float32Array {
  const q = kind.bitsPerSymbol;
  if (k % q !== 0) throw new Error(`k = ${k} is not a multiple of ${q} bits per symbol`);
  if (k > 16) throw new Error(`k = ${k}: the codebook table would have 2^${k} rows (keep k ≤ 16)`);
  const dims = (k / q) * symbolDims(kind);
  const cb = new Float32Array(2 ** k * dims);
  for (let m = 0; m < 2 ** k; m++) modulateMessage(kind, m, k, cb, m * dims);
  return cb;
}

/** The kind's own demapper, or the nearest point of each symbol (ties to the lower label). */
export function symbolwiseDemapper(kind: ModulationKind, k: number): (y: Float32Array, off: number) => number {
  if (kind.demapper) return kind.demapper(k);
  const q = kind.bitsPerSymbol;
  const dims = symbolDims(kind);
  const P = 1 << q;
  const points = new Float32Array(P * dims);
  for (let l = 0; l < P; l++) kind.point(l, points, l * dims);
  const symbols = k / q;
  return (y, off) => {
    let m = 0;
    for (let s = 0; s < symbols; s++) {
      const o = off + s * dims;
      let best = 0;
      let bestD = Infinity;
      for (let l = 0; l < P; l++) {
        let d = 0;
        for (let j = 0; j < dims; j++) d += (y[o + j] - points[l * dims + j]) ** 2;
        if (d < bestD) {
          bestD = d;
          best = l;
        }
      }
      m = (m << q) | best;
    }
    return m;
  };
}
