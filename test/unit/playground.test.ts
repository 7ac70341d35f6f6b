/**
 * The playground's parts that run without a browser: the trainer's hooks it uses (codebook snapshots and
 * pausing must not change what is trained), its settings ⇄ URL ⇄ scenario text (the scenario compiles with
 * the CLI's own parser), the zip writer's CRC-32 and the PCA view. The page itself: test/browser/playground.test.ts.
 */
import assert from 'node:assert/strict';
import { trainAutoencoder } from '../../src/autoencoder/train.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { pca2 } from '../../playground/pca.ts';
import { AE_ID, DEFAULT_SETTINGS, scenarioYaml, settingsFromQuery, settingsToQuery, type Settings } from '../../playground/settings.ts';
import { crc32 } from '../../playground/zip.ts';

describe('playground', () => {
  it('codebook snapshots and a pause leave the trained model bit for bit the same', async function () {
    this.timeout(60_000);
    const spec = { k: 2, n: 2, signalling: 'real' as const, normalization: 'energy' as const, channel: { type: 'awgn' as const } };
    const opts = { ebnoDb: 5, batchSize: 64, steps: 60, learningRate: 0.01, seed: 'playground-hooks', maxRestarts: 0, validationBlocks: 0 };
    const plain = await trainAutoencoder(spec, opts);
    const snapshots: { step: number; codebook: Float32Array }[] = [];
    let pauses = 0;
    const watched = await trainAutoencoder(spec, {
      ...opts,
      onCodebook: { every: 20, callback: (codebook, step) => snapshots.push({ step, codebook }) },
      paused: () => (pauses++ === 0 ? new Promise<void>((resolve) => setTimeout(resolve, 30)) : undefined),
    });
    assert.deepEqual(Array.from(watched.codebook()), Array.from(plain.codebook()));
    assert.deepEqual(
      snapshots.map((s) => s.step),
      [20, 40, 60],
    );
    assert.ok(pauses >= 6, `asked ${pauses} times in 60 steps`);
    // The last snapshot is the trained code (fixed steps: no later stage changes the encoder).
    assert.deepEqual(Array.from(snapshots[2].codebook), Array.from(plain.codebook()));
    assert.notDeepEqual(Array.from(snapshots[0].codebook), Array.from(snapshots[2].codebook));
    plain.dispose();
    watched.dispose();
  });

  it('settings survive the URL, and their scenario compiles with the CLI parser to the same system', () => {
    const s: Settings = {
      ...DEFAULT_SETTINGS,
      k: 3,
      n: 2,
      signalling: 'complex',
      power: 'average-power',
      channel: 'rician',
      kFactor: 2.5,
      trainEbno: 9,
      hidden: [16, 8],
      seed: 7,
      quick: true,
    };
    assert.deepEqual(settingsFromQuery(settingsToQuery(s)), s);
    assert.deepEqual(settingsFromQuery(''), DEFAULT_SETTINGS);
    assert.equal(settingsToQuery(DEFAULT_SETTINGS), '');
    const sc = parseScenario(scenarioYaml(s), 'playground.yaml');
    const ae = sc.systems.find((x) => x.id === AE_ID);
    assert.ok(ae && ae.type === 'autoencoder');
    assert.equal(ae.k, 3);
    assert.equal(ae.signalling, 'complex');
    assert.equal(ae.normalization, 'average-power');
    assert.deepEqual(
      ae.encoder.map((l) => l.units),
      [16, 8],
    );
    assert.equal(sc.channel.type, 'rician');
    // The (7,4) defaults bring the Hamming (7,4) ML baseline along.
    const d = parseScenario(scenarioYaml(DEFAULT_SETTINGS), 'playground.yaml');
    assert.deepEqual(
      d.systems.map((x) => x.id),
      [AE_ID, 'hamming-ml', 'uncoded'],
    );
  });

  it('CRC-32 of the zip writer: the standard check value', () => {
    // CRC-32/ISO-HDLC of the ASCII digits 1…9 is 0xCBF43926 (the catalogue's check value).
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  });

  it('the PCA view of a code lying in a plane keeps its distances', () => {
    // Four points on a plane spanned by two orthonormal vectors of R^4, plus an offset: the projection is that plane.
    const u = [0.5, 0.5, 0.5, 0.5];
    const v = [0.5, -0.5, 0.5, -0.5];
    const coords = [
      [3, 0],
      [-3, 0],
      [0, 1],
      [0, -1],
    ];
    const cb = new Float32Array(coords.flatMap(([a, b]) => u.map((x, j) => a * x + b * v[j] + 0.25)));
    const p = pca2(cb, 4, 4);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        const want = Math.hypot(coords[i][0] - coords[j][0], coords[i][1] - coords[j][1]);
        assert.ok(Math.abs(Math.hypot(p.x[i] - p.x[j], p.y[i] - p.y[j]) - want) < 1e-5, `distance ${i}–${j}`);
      }
    // The leading axis carries the larger spread (±3 against ±1).
    assert.ok(Math.abs(p.x[0]) > 2.9 && Math.abs(p.y[0]) < 1e-5);
  });
});
