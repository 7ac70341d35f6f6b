import assert from 'node:assert/strict';
import { hamming74System, uncodedSystem } from '../../src/baselines/index.ts';
import { DECODERS, decoderSummary, learnedDecoderSpec } from '../../src/decoders/index.ts';
import { randomMlpSpec } from '../../src/mlp/forward.ts';
import { validateSystem } from '../../src/montecarlo/index.ts';
import { RandomStream } from '../../src/random.ts';

describe('decoder registry', () => {
  it('every module is registered under its own kind', () => {
    for (const [key, mod] of Object.entries(DECODERS)) assert.equal(mod.kind, key);
  });

  it('summarizes the decoder of a curve: kind, description and cost per block (counted by hand)', () => {
    const hard = hamming74System({ id: 'h', decoding: 'hard', channel: { type: 'awgn' } });
    assert.deepEqual(decoderSummary(hard), { kind: 'hamming74-hard', description: decoderSummary(hard).description, costPerBlock: 7 });
    const ml = hamming74System({ id: 'm', decoding: 'ml', channel: { type: 'awgn' } });
    assert.equal(decoderSummary(ml).kind, 'nearest-codeword');
    assert.equal(decoderSummary(ml).costPerBlock, 16 * 7); // 16 codewords × 7 dimensions
    const rs = new RandomStream('decoders');
    const mlp = randomMlpSpec([7, 16, 16], 'relu', () => rs.uniform());
    const learned = { ...ml, id: 'ae', decoder: learnedDecoderSpec(mlp) };
    assert.equal(decoderSummary(learned).kind, 'mlp-js');
    assert.equal(decoderSummary(learned).costPerBlock, 7 * 16 + 16 * 16); // 368, the (7,4) decoder
  });

  it('a decoder that does not fit its system is refused with the system named', () => {
    const qam = uncodedSystem({ id: 'q16', modulation: 'qam16', k: 8, channel: { type: 'awgn' } });
    assert.throws(
      () => validateSystem({ ...qam, decoder: { kind: 'symbolwise-hard', modulation: 'qpsk' } }),
      /system q16: symbolwise-hard needs k = n × bitsPerSymbol/,
    );
    const ml = hamming74System({ id: 'm', decoding: 'ml', channel: { type: 'awgn' } });
    assert.throws(
      () => validateSystem({ ...ml, codebook: ml.codebook.map((v) => -v * 0.5 + 0.1), decoder: { kind: 'hamming74-hard' } }),
      /system m: decoder hamming74-hard needs the BPSK Hamming/,
    );
  });
});
