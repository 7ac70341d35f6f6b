import assert from 'node:assert/strict';
import { hamming74System } from '../../src/baselines/index.ts';
import { compileMlp, mlpForwardNaive, randomMlpSpec } from '../../src/mlp/forward.ts';
import { createPool, runSweep } from '../../src/montecarlo/index.ts';
import { decoderModule, learnedDecoderSpec, mlpMacs, TF_DECODER_MIN_MACS } from '../../src/decoders/index.ts';
import { mlpTfDecoder } from '../../src/decoders/mlp-tf.ts';
import { RandomStream } from '../../src/random.ts';
import type { BlockSystem } from '../../src/system.ts';

describe('Monte Carlo: large learned decoders on the tfjs backend', () => {
  const stream = new RandomStream('tf-decoder');
  const mlp = randomMlpSpec([8, 256, 256], 'relu', () => stream.uniform());

  it('the (8,8)-sized decoder goes to tfjs, the (7,4) one stays in TypeScript', () => {
    assert.ok(mlpMacs(mlp) >= TF_DECODER_MIN_MACS);
    assert.equal(learnedDecoderSpec(mlp).kind, 'mlp-tf');
    const small = randomMlpSpec([7, 16, 16], 'relu', Math.random);
    assert.ok(mlpMacs(small) < TF_DECODER_MIN_MACS);
    assert.equal(learnedDecoderSpec(small).kind, 'mlp-js');
  });

  it('decides the same messages as the naive forward pass (where the top two outputs are not tied)', async () => {
    const blocks = 3000;
    const y = new Float32Array(blocks * 8);
    stream.fillNormal(y);
    const decided = new Int32Array(blocks);
    const base = hamming74System({ id: 'h', decoding: 'ml', channel: { type: 'awgn' } });
    const spec = { kind: 'mlp-tf' as const, mlp };
    await mlpTfDecoder.prepare!();
    mlpTfDecoder.build({ ...base, k: 8, n: 8, codebook: new Float32Array(256 * 8) }, spec)(y, blocks, decided);
    const logits = mlpForwardNaive(mlp, y, blocks);
    let compared = 0;
    for (let b = 0; b < blocks; b++) {
      const row = Array.from(logits.slice(b * 256, b * 256 + 256));
      const sorted = [...row].sort((p, q) => q - p);
      if (sorted[0] - sorted[1] < 1e-4 * Math.max(1, Math.abs(sorted[0]))) continue;
      compared++;
      assert.equal(decided[b], row.indexOf(sorted[0]), `block ${b}`);
    }
    assert.ok(compared > 0.99 * blocks);
    // and the TypeScript pass agrees too
    const ts = new Int32Array(blocks);
    compileMlp(mlp).argmax(y, blocks, ts);
    let same = 0;
    for (let b = 0; b < blocks; b++) if (ts[b] === decided[b]) same++;
    assert.ok(same > 0.999 * blocks);
  });

  it('counts are identical inline and with 2 workers', async () => {
    // A (7,4)-shaped system whose decoder is a large random network: errors are plentiful and exact.
    const base = hamming74System({ id: 'h', decoding: 'ml', channel: { type: 'awgn' } });
    const big = randomMlpSpec([7, 128, 16], 'relu', () => stream.uniform());
    const system: BlockSystem = { ...base, id: 'tf-sys', decoder: learnedDecoderSpec(big) };
    assert.equal(decoderModule(system.decoder).kind, 'mlp-tf');
    const opts = { ebnoDb: [0, 4], seed: 5, rules: { targetErrors: 2000, maxBlocks: 40_000 } };
    const inline = await runSweep(system, opts);
    const pool = await createPool(2);
    try {
      const pooled = await runSweep(system, opts, pool);
      assert.deepEqual(
        pooled.map((p) => [p.blocks, p.errors]),
        inline.map((p) => [p.blocks, p.errors]),
      );
    } finally {
      await pool.destroy();
    }
  });
});
