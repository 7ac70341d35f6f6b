/**
 * Square Gray M-QAM (QPSK = 4-QAM), q = log2 M even bits per complex use: the symbol's first q/2 bits choose
 * the I level, the last q/2 the Q level; on each axis the L = √M levels (2i − (L−1))·d, i = 0 … L−1, carry
 * the Gray label i ⊕ (i >> 1) (adjacent levels differ in one bit, so the 2-D map is Gray too).
 * d = √(3 / (2(M−1))) gives unit average energy per complex symbol.
 */
import { berAwgn, serAwgn } from './awgn-closed-forms.ts';
import { grayDecode, grayEncode } from './gray.ts';
import type { ModulationKind } from './kind.ts';

/** Half-spacing d of square QAM with 2^q points and unit average energy. */
export function qamHalfSpacing(bitsPerSymbol: number): number {
  if (!(bitsPerSymbol >= 2 && bitsPerSymbol % 2 === 0)) throw new Error(`square QAM needs an even number of bits per symbol, got ${bitsPerSymbol}`);
  const M = 2 ** bitsPerSymbol;
  return Math.sqrt(3 / (2 * (M - 1)));
}

function squareQam(name: string, label: string, q: number): ModulationKind {
  const half = q / 2;
  const L = 1 << half;
  const d = qamHalfSpacing(q);
  return {
    name,
    label,
    bitsPerSymbol: q,
    signalling: 'complex',
    description: `${label}, ${q} bits per complex channel use, Gray mapping`,
    point: (sym, out, offset) => {
      out[offset] = (2 * grayDecode(sym >> half) - (L - 1)) * d;
      out[offset + 1] = (2 * grayDecode(sym & (L - 1)) - (L - 1)) * d;
    },
    // The nearest level per axis (a slicer), then Gray demapping: the nearest point, without a search.
    demapper: (k) => {
      const invD = 1 / d;
      const n = k / q;
      const gray = new Int32Array(L).map((_, i) => grayEncode(i));
      return (y, off) => {
        let m = 0;
        for (let s = 0; s < n; s++) {
          let i = Math.floor((y[off + 2 * s] * invD + L) * 0.5);
          i = i < 0 ? 0 : i >= L ? L - 1 : i;
          let j = Math.floor((y[off + 2 * s + 1] * invD + L) * 0.5);
          j = j < 0 ? 0 : j >= L ? L - 1 : j;
          m = (m << q) | (gray[i] << half) | gray[j];
        }
        return m;
      };
    },
    serAwgn: (esno) => serAwgn(q, esno),
    berAwgn: (esno) => berAwgn(q, esno),
  };
}

export const qpsk = squareQam('qpsk', 'QPSK', 2);
export const qam16 = squareQam('qam16', '16-QAM', 4);
export const qam64 = squareQam('qam64', '64-QAM', 6);
