/** BPSK: one bit per real channel use, bit 0 → +1, bit 1 → −1. */
import { serAwgn } from './awgn-closed-forms.ts';
import type { ModulationKind } from './kind.ts';

export const bpsk: ModulationKind = {
  name: 'bpsk',
  label: 'BPSK',
  bitsPerSymbol: 1,
  signalling: 'real',
  description: 'BPSK, one bit per real channel use',
  point: (label, out, offset) => {
    out[offset] = label ? -1 : 1;
  },
  // The sign of each real use.
  demapper: (k) => (y, off) => {
    let m = 0;
    for (let j = 0; j < k; j++) m = (m << 1) | (y[off + j] < 0 ? 1 : 0);
    return m;
  },
  serAwgn: (esno) => serAwgn(1, esno),
  berAwgn: (esno) => serAwgn(1, esno),
};
