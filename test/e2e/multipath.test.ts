/**
 * Multipath fading and the RTN receiver end to end, as a user runs it: `sim run` (a child process) on a tiny
 * version of fig9-rtn (100 training steps, one Eb/N0 point, small block budgets), checked by the files it
 * writes: every curve measured by the intended decoder, the genie references on the autoencoders' streams,
 * the RTN record in results.json and the report, and the fig9-rtn findings. About 20 s on 2 cores.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultsFile } from '../../src/results/results.ts';

const BIN = join(process.cwd(), 'sim', 'bin.js');

const TINY = `name: tiny-rtn
description: tiny multipath end-to-end scenario
seed: 5
channel: { type: multipath, taps: 3 }
sweep: { ebnoDb: [12] }
montecarlo: { targetErrors: 20, maxBlocks: 4000 }
claims: [fig9-rtn]
systems:
  - { id: plain, type: autoencoder, k: 4, n: 8, signalling: complex, train: { ebnoDb: 12, steps: 100, batchSize: 200 } }
  - { id: rtn, type: autoencoder, k: 4, n: 8, signalling: complex, receiver: { rtn: {} }, train: { ebnoDb: 12, steps: 100, batchSize: 200 } }
  - { id: dbpsk, type: hamming74-dbpsk }
`;

describe('sim run over multipath with an RTN receiver', function () {
  this.timeout(180_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-rtn-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('measures every curve with its decoder and records what the RTN learned', async () => {
    const file = join(dir, 'tiny-rtn.yaml');
    await writeFile(file, TINY);
    const r = spawnSync(process.execPath, [BIN, 'run', file, '--out', dir, '--workers', '1'], {
      encoding: 'utf8',
      env: { ...process.env, CI: '' },
      timeout: 170_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const results = JSON.parse(await readFile(join(dir, 'tiny-rtn', 'results.json'), 'utf8')) as ResultsFile;
    const kinds = Object.fromEntries(results.curves.map((c) => [c.id, c.decoder?.kind]));
    assert.deepEqual(kinds, { plain: 'mlp-js', 'plain-ml': 'genie-ml', rtn: 'rtn', 'rtn-ml': 'genie-ml', dbpsk: 'mlse-dbpsk-hamming74' });
    for (const c of results.curves) assert.ok(c.points[0].blocks > 0 && c.points[0].status !== 'not-simulated', `${c.id} measured`);
    const rtn = results.curves.find((c) => c.id === 'rtn')!;
    assert.ok(rtn.rtn && rtn.rtn.blocks.length === 4 && rtn.rtn.blocks[0].h.length === 3 && rtn.rtn.blocks[0].response.length === 5);
    assert.deepEqual(results.curves.find((c) => c.id === 'dbpsk')!.channel, { type: 'multipath', taps: 3, profile: 'uniform', csi: 'perfect' });
    const findings = (results as unknown as { findings?: { id: string }[] }).findings ?? [];
    assert.deepEqual(findings.map((f) => f.id).sort(), ['fig9-rtn/tiny-rtn/rtn-vs-classical', 'fig9-rtn/tiny-rtn/rtn-vs-plain']);
    const html = await readFile(join(dir, 'tiny-rtn', 'report.html'), 'utf8');
    assert.match(html, /What the RTN learned/);
  });
});
