/** Hamming (7,4) hard decision: a sign decision per coded bit, syndrome decoding, the systematic message bits. */
import { hammingCodebook, hammingHardTable } from '../baselines/hamming.ts';
import type { DecoderModule } from './decoder.ts';

export interface Hamming74HardSpec {
  kind: 'hamming74-hard';
}

export const hamming74HardDecoder: DecoderModule<Hamming74HardSpec> = {
  kind: 'hamming74-hard',
  describe: () => 'Hamming (7,4) syndrome decoding of sign decisions',
  check(system) {
    const ref = hammingCodebook();
    const { k, n, signalling, codebook } = system;
    if (k !== 4 || n !== 7 || signalling !== 'real' || codebook.length !== ref.length || codebook.some((v, i) => Math.sign(v) !== ref[i])) {
      throw new Error(`system ${system.id}: decoder hamming74-hard needs the BPSK Hamming (7,4) codebook of src/baselines/hamming.ts`);
    }
  },
  costPerBlock: () => 7,
  share: (spec) => spec,
  fingerprint: (spec, hash) => hash.json(spec),
  /**
   * Syndrome decoding corrects one sign error and fails on any two: its error region is the union of the 21
   * events "coded bits i and j both flipped", whose most likely points move those two values to 0.
   */
  dominatingPoints(system, _spec, m) {
    const c = system.codebook.subarray(m * 7, m * 7 + 7);
    const out: number[][] = [];
    for (let i = 0; i < 7; i++)
      for (let j = i + 1; j < 7; j++) {
        const mu = new Array<number>(7).fill(0);
        mu[i] = -c[i];
        mu[j] = -c[j];
        out.push(mu);
      }
    return out;
  },
  build() {
    const table = hammingHardTable();
    return (y, blocks, decided) => {
      for (let b = 0; b < blocks; b++) {
        const o = b * 7;
        let w = 0;
        for (let j = 0; j < 7; j++) w = (w << 1) | (y[o + j] < 0 ? 1 : 0);
        decided[b] = table[w];
      }
    };
  },
};
