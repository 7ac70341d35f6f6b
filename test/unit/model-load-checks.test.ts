import assert from 'node:assert/strict';
import { readFile, mkdtemp, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainAutoencoder } from '../../src/autoencoder/index.ts';
import { TrainedAutoencoder } from '../../src/autoencoder/trained.ts';
import { UserError } from '../../src/errors.ts';

describe('saved models: weights checked on load', () => {
  let dir: string;
  before(async function () {
    this.timeout(60_000);
    dir = await mkdtemp(join(tmpdir(), 'model-load-'));
    const ae = await trainAutoencoder(
      { k: 2, n: 2, signalling: 'real', normalization: 'energy', channel: { type: 'awgn' } },
      { ebnoDb: 4, batchSize: 50, steps: 5, learningRate: 0.01, seed: 'load-check', maxRestarts: 0, validationBlocks: 0 },
    );
    await ae.save(join(dir, 'good'));
    ae.dispose();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a good model', async () => {
    const ae = await TrainedAutoencoder.load(join(dir, 'good'));
    assert.ok(ae.codebook().every(Number.isFinite));
    ae.dispose();
  });

  for (const part of ['encoder', 'decoder'] as const)
    for (const [what, value] of [
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
    ] as const)
      it(`the ${part} weights file, of the right size but holding ${what} is one UserError naming the file`, async () => {
        const model = join(dir, `${part}-${what}`);
        await cp(join(dir, 'good'), model, { recursive: true });
        const file = join(model, `${part}.weights.bin`);
        const bytes = await readFile(file);
        const spoiled = new Float32Array(bytes.byteLength / 4).fill(value);
        await writeFile(file, new Uint8Array(spoiled.buffer));
        await assert.rejects(TrainedAutoencoder.load(model), (e: unknown) => {
          assert.ok(e instanceof UserError, String(e));
          assert.match(e.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: weight \\S+\\[0\\] is ${what}; expected finite numbers`));
          return true;
        });
      });
});
