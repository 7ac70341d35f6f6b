/**
 * Ctrl-C as a terminal sends it: SIGINT to the whole process group of `npm run sim`, so npm, the tsx command
 * line and the simulator all get it, and the wrappers relay it again. The simulator must stop cleanly once
 * (results.json, report.html, index.html, the resume hint, exit 130), not take the relayed copies for a
 * second Ctrl-C, and not be killed by tsx while it is busy.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultsFile } from '../../src/results/results.ts';

// Long enough training that the signal surely arrives during it.
const SLOW = `name: slow
description: training that lasts a while
sweep: { ebnoDb: [0, 3] }
montecarlo: { targetErrors: 20, maxBlocks: 4000 }
systems:
  - { id: ae, type: autoencoder, k: 4, n: 7, train: { steps: 6000, batchSize: 200 } }
  - { id: bpsk, type: uncoded, modulation: bpsk, k: 4 }
`;

describe('sim run: Ctrl-C to the process group of npm run sim', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-int-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stops cleanly once: results.json, report.html, index.html, the resume hint, exit 130', async () => {
    const file = join(dir, 'slow.yaml');
    await writeFile(file, SLOW);
    const out = join(dir, 'runs');
    const child = spawn('npm', ['run', '--silent', 'sim', '--', 'run', file, '--out', out, '--workers', '1'], {
      cwd: process.cwd(),
      detached: true, // its own process group, as a terminal's foreground job
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: '' },
    });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && /training ae: step/.test(stderr)) {
        sent = true;
        process.kill(-child.pid!, 'SIGINT');
      }
    });
    // npm re-raises the signal on itself after its child exits 130 (a shell shows 130 either way).
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c, signal) => resolve(signal === 'SIGINT' ? 130 : c)));
    assert.ok(sent, `the run never reached training:\n${stderr}`);
    assert.equal(code, 130, stderr);
    assert.match(stderr, /interrupted: stopping after the current chunk/);
    // Under npm the hint keeps the `--` that npm needs to pass --resume on (npm start --resume restarts the run).
    assert.ok(stderr.includes(`continue with: npm run sim -- run ${file} --out ${out} --workers 1 --resume`), stderr);
    assert.doesNotMatch(stderr, /interrupted twice/);
    const runDir = join(out, 'slow');
    const results = JSON.parse(await readFile(join(runDir, 'results.json'), 'utf8')) as ResultsFile;
    assert.equal(results.complete, false);
    assert.ok(results.curves.every((c) => c.points.every((p) => p.status === 'interrupted')));
    assert.ok(existsSync(join(runDir, 'report.html')), 'report.html');
    assert.ok(existsSync(join(out, 'index.html')), 'index.html');
  });
});
