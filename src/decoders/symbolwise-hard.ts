/** Uncoded modulation: a hard decision per real dimension (BPSK) or per complex symbol (QPSK, Gray M-QAM). */
import { makeSymbolwiseDemapper } from '../baselines/modulation.ts';
import { realDims } from '../conventions.ts';
import type { DecoderModule } from './decoder.ts';

export interface SymbolwiseHardSpec {
  kind: 'symbolwise-hard';
  bitsPerSymbol: number;
}

export const symbolwiseHardDecoder: DecoderModule<SymbolwiseHardSpec> = {
  kind: 'symbolwise-hard',
  describe: (spec) => `symbol-wise hard decision, ${spec.bitsPerSymbol} bit${spec.bitsPerSymbol === 1 ? '' : 's'} per symbol`,
  check(system, spec) {
    const q = spec.bitsPerSymbol;
    const { k, n, signalling } = system;
    if (signalling === 'real' ? q !== 1 : !(q >= 2 && q % 2 === 0)) {
      throw new Error(`system ${system.id}: symbolwise-hard with ${q} bits per symbol needs ${q === 1 ? 'real' : 'complex'} signalling`);
    }
    if (k !== n * q) throw new Error(`system ${system.id}: symbolwise-hard needs k = n × bitsPerSymbol (k=${k}, n=${n}, q=${q})`);
  },
  costPerBlock: (system) => realDims(system.n, system.signalling),
  share: (spec) => spec,
  fingerprint: (spec, hash) => hash.json(spec),
  build(system, spec) {
    const dims = realDims(system.n, system.signalling);
    const demap = makeSymbolwiseDemapper(system.k, spec.bitsPerSymbol);
    return (y, blocks, decided) => {
      for (let b = 0; b < blocks; b++) decided[b] = demap(y, b * dims);
    };
  },
};
