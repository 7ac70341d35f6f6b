/**
 * Hamming (7,4) + DBPSK over multipath: MLSE (Viterbi over the L-tap channel, taps known), differential
 * decoding, syndrome decoding (src/baselines/dbpsk-mlse.ts says exactly what the receiver knows). Needs the
 * codebook of `dbpskHammingCodebook` and a multipath channel with csi: perfect (the taps come with y).
 */
import { channelTaps, channelTypesWhere, makeChannel, receiverGetsTaps } from '../channels/index.ts';
import { DBPSK_N, Viterbi, dbpskHammingCodebook, dbpskHammingDecision } from '../baselines/dbpsk-mlse.ts';
import type { BlockLink } from '../block-link.ts';
import type { DecoderModule } from './decoder.ts';

export interface MlseDbpskSpec {
  kind: 'mlse-dbpsk-hamming74';
}

function tapsOf(system: BlockLink): number {
  const c = system.channel;
  const ref = dbpskHammingCodebook();
  const { k, n, signalling, codebook } = system;
  if (k !== 4 || n !== DBPSK_N || signalling !== 'complex' || codebook.length !== ref.length || codebook.some((v, i) => v !== ref[i])) {
    throw new Error(`system ${system.id}: decoder mlse-dbpsk-hamming74 needs the DBPSK Hamming (7,4) codebook of src/baselines/dbpsk-mlse.ts`);
  }
  if (!receiverGetsTaps(c, system.n))
    throw new Error(
      `system ${system.id}: decoder mlse-dbpsk-hamming74 needs a ${channelTypesWhere((k) => k.intersymbol)} channel with csi: perfect (it reads the taps after y)`,
    );
  return channelTaps(c);
}

export const mlseDbpskDecoder: DecoderModule<MlseDbpskSpec> = {
  kind: 'mlse-dbpsk-hamming74',
  describe: () => 'MLSE (Viterbi, channel known) + differential + Hamming (7,4) syndrome decoding',
  check: (system) => void tapsOf(system),
  costPerBlock: (system) => DBPSK_N * 2 * (1 << (tapsOf(system) - 1)) * tapsOf(system) * 4,
  share: (spec) => spec,
  fingerprint: (spec, hash) => hash.json(spec),
  build(system) {
    const taps = tapsOf(system);
    const outDims = makeChannel(system.channel, system.n, system.signalling).outDims;
    const viterbi = new Viterbi(DBPSK_N, taps);
    const symbols = new Int8Array(DBPSK_N);
    return (y, blocks, decided) => {
      for (let b = 0; b < blocks; b++) {
        const yo = b * outDims;
        viterbi.run(y, yo, y, yo + 2 * DBPSK_N, symbols);
        decided[b] = dbpskHammingDecision(symbols);
      }
    };
  },
};
