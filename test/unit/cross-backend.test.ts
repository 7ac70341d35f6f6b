/**
 * Backend-specific: needs both tfjs-node and wasm in one process. Skipped (with the reason) where tfjs-node
 * does not load, except under CI=true, where .ci/run builds it first and the test must run.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainAutoencoder } from '../../src/autoencoder/index.ts';
import { TrainedAutoencoder } from '../../src/autoencoder/trained.ts';
import { initBackend, tensorflowLoads, tf } from '../../src/backend.ts';
import { RandomStream } from '../../src/random.ts';

/** Argmax decisions of the decoder on y (blocks × dims), on the current backend. */
const decide = (ae: TrainedAutoencoder, y: Float32Array, blocks: number): Int32Array =>
  tf.tidy(() => tf.argMax(ae.decoder.predict(tf.tensor2d(y, [blocks, ae.dims])) as tf.Tensor, 1).dataSync() as Int32Array);

describe('saved models across backends (wasm and tfjs-node)', () => {
  it('a model saved on one backend loads on the other with the same codebook and the same decisions', async function () {
    this.timeout(60_000);
    if (!tensorflowLoads()) {
      if (process.env.CI === 'true') assert.fail('tfjs-node does not load under CI (run ../shared/tools/tfjs-node-local.sh first)');
      this.skip();
    }
    const home = await initBackend();
    const other = home === 'tensorflow' ? 'wasm' : 'tensorflow';
    if (other === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    const dir = await mkdtemp(join(tmpdir(), 'cross-backend-'));
    try {
      const ae = await trainAutoencoder(
        { k: 4, n: 7, signalling: 'real', normalization: 'average-power', channel: { type: 'awgn' } },
        { ebnoDb: 4, batchSize: 200, steps: 100, learningRate: 0.01, seed: 'cross', maxRestarts: 0, validationBlocks: 0 },
      );
      const blocks = 2000;
      const rs = new RandomStream('cross-backend');
      const msgs = new Int32Array(blocks);
      rs.fillInts(msgs, ae.M);
      const noise = new Float32Array(blocks * ae.dims);
      rs.fillNormal(noise);
      const C = ae.codebook();
      const y = Float32Array.from(noise, (z, i) => C[msgs[Math.floor(i / ae.dims)] * ae.dims + (i % ae.dims)] + 0.6 * z);
      const here = decide(ae, y, blocks);
      await ae.save(dir);
      ae.dispose();
      assert.ok(await tf.setBackend(other), `${other} starts`);
      try {
        const loaded = await TrainedAutoencoder.load(dir);
        const C2 = loaded.codebook();
        C.forEach((v, i) => assert.ok(Math.abs(v - C2[i]) < 1e-5, `codebook[${i}] ${v} on ${home}, ${C2[i]} on ${other}`));
        const there = decide(loaded, y, blocks);
        const differ = here.reduce((s, d, i) => s + (d === there[i] ? 0 : 1), 0);
        // Float rounding differs between backends; only a block within rounding of a decision boundary may flip.
        assert.ok(differ <= 1, `${differ} of ${blocks} decisions differ between ${home} and ${other}`);
        loaded.dispose();
      } finally {
        await tf.setBackend(home);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
