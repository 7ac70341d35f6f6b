/**
 * Uncoded modulation: a hard decision per symbol with the modulation kind's demapper (BPSK: the sign per real
 * use; square QAM: a slicer per axis; any other constellation: the nearest point; src/modulations/).
 */
import { realDims } from '../conventions.ts';
import { symbolwiseDemapper } from '../modulations/map.ts';
import { modulationKind } from '../modulations/registry.ts';
import type { DecoderModule } from './decoder.ts';

export interface SymbolwiseHardSpec {
  kind: 'symbolwise-hard';
  /** A registered modulation (src/modulations/registry.ts). */
  modulation: string;
}

export const symbolwiseHardDecoder: DecoderModule<SymbolwiseHardSpec> = {
  kind: 'symbolwise-hard',
  describe: (spec) => {
    const q = modulationKind(spec.modulation).bitsPerSymbol;
    return `symbol-wise hard decision, ${q} bit${q === 1 ? '' : 's'} per symbol`;
  },
  check(system, spec) {
    const mod = modulationKind(spec.modulation);
    const q = mod.bitsPerSymbol;
    const { k, n, signalling } = system;
    if (signalling !== mod.signalling) throw new Error(`system ${system.id}: symbolwise-hard with ${q} bits per symbol needs ${mod.signalling} signalling`);
    if (k !== n * q) throw new Error(`system ${system.id}: symbolwise-hard needs k = n × bitsPerSymbol (k=${k}, n=${n}, q=${q})`);
  },
  costPerBlock: (system) => realDims(system.n, system.signalling),
  share: (spec) => spec,
  fingerprint: (spec, hash) => hash.json(spec),
  build(system, spec) {
    const dims = realDims(system.n, system.signalling);
    const demap = symbolwiseDemapper(modulationKind(spec.modulation), system.k);
    return (y, blocks, decided) => {
      for (let b = 0; b < blocks; b++) decided[b] = demap(y, b * dims);
    };
  },
};
