/**
 * The command line refuses what it cannot do before doing any of it, protects what is already written, and
 * says what was expected: scenario limits and sweep order, output folders that cannot be written, run folders
 * another run holds, damaged results files, and the small usage errors. Classical systems keep these runs short.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(process.cwd(), 'sim', 'bin.js');

function sim(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: '' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const STACK = /\n\s+at /;

/** A scenario without training: a few seconds of Monte Carlo. */
const CLASSICAL = `name: classical
seed: 5
sweep: { ebnoDb: [0, 2] }
montecarlo: { targetErrors: 20, maxBlocks: 2000 }
systems:
  - { id: hml, type: hamming74, decoding: ml }
`;

describe('sim command line: refusing early, protecting what is written', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-safety-'));
    await writeFile(join(dir, 'classical.yaml'), CLASSICAL);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('validate refuses a network too large to train (k: 16, n: 16), naming the file, the field and the limit', async () => {
    const file = join(dir, 'k16.yaml');
    await writeFile(file, 'name: k16\nsweep: { ebnoDb: [0] }\nsystems:\n  - { id: ae, type: autoencoder, k: 16, n: 16 }\n');
    const r = sim(['validate', file]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(
      r.stderr,
      /k16\.yaml:4:\d+: systems\[0\]\.k: expected a network of at most 67,108,864 weights.*found k = 16: a network of 8,592,031,744 weights/,
    );
    const run = sim(['run', file, '--quick', '--out', join(dir, 'k16-out')]);
    assert.equal(run.code, 1);
    assert.doesNotMatch(run.stderr, STACK);
    assert.equal(existsSync(join(dir, 'k16-out')), false);
  });

  it('an unsorted Eb/N0 list is sorted with a warning; a value listed twice is refused at its position', async () => {
    const unsorted = join(dir, 'unsorted.yaml');
    await writeFile(unsorted, CLASSICAL.replace('name: classical', 'name: unsorted').replace('[0, 2]', '[12, 0, 2]'));
    const ok = sim(['validate', unsorted]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /warning: .*unsorted\.yaml: sweep\.ebnoDb is not in increasing order; measuring it sorted: \[0, 2, 12\]/);
    const twice = join(dir, 'twice.yaml');
    await writeFile(twice, CLASSICAL.replace('name: classical', 'name: twice').replace('[0, 2]', '[6, 2, 4, 2, 0]'));
    const r = sim(['validate', twice]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /twice\.yaml:\d+:\d+: sweep\.ebnoDb\[3\]: expected Eb\/N0 values that differ \(this one is already at position 1/);
  });

  it('every validation message says what is expected (seed: 1.5, train.ebnoDb: "7"); YAML syntax errors end cleanly', async () => {
    const file = join(dir, 'kinds.yaml');
    await writeFile(file, 'name: kinds\nseed: 1.5\nsweep: { ebnoDb: [0] }\nsystems:\n  - { id: ae, type: autoencoder, k: 2, n: 2, train: { ebnoDb: "7" } }\n');
    const r = sim(['validate', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /seed: expected an integer or a string, found 1\.5/);
    assert.match(r.stderr, /systems\[0\]\.train\.ebnoDb: expected an Eb\/N0 in dB, .* or auto, found "7"/);
    assert.doesNotMatch(r.stderr, /a different kind of value|expected "auto"/);
    const syntax = join(dir, 'syntax.yaml');
    await writeFile(syntax, 'name: a: b\n');
    const s = sim(['validate', syntax]);
    assert.equal(s.code, 1);
    assert.match(s.stderr, /syntax\.yaml:1:\d+: YAML syntax error: \S.*[^:\s]\n$/);
  });

  it('an output folder that cannot be written stops the run before any work, with its message', () => {
    const r = sim(['run', 'scenarios/quick.yaml', '--quick', '--out', '/proc/1/x']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /\/proc\/1\/x\/quick: cannot write it/);
    assert.doesNotMatch(r.stderr, /training|bug of the simulator/);
    assert.doesNotMatch(r.stderr, STACK);
  });

  it('a damaged results.json is protected like a readable one (replaced only with --force)', async () => {
    const out = join(dir, 'damaged');
    await mkdir(join(out, 'classical'), { recursive: true });
    const file = join(out, 'classical', 'results.json');
    await writeFile(file, '{"format": 9, "curves": [ {"id": "hml", "points": [{"errors": 4');
    const r = sim(['run', join(dir, 'classical.yaml'), '--out', out, '--workers', '1']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /results\.json exists but cannot be read as results .*--force/);
    assert.doesNotMatch(r.stderr, STACK);
    assert.match(await readFile(file, 'utf8'), /"errors": 4$/, 'untouched');
    const forced = sim(['run', join(dir, 'classical.yaml'), '--out', out, '--workers', '1', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
  });

  it('a run folder another live run holds is refused; a stale lock is taken over with a note', async () => {
    const out = join(dir, 'locked');
    await mkdir(join(out, 'classical'), { recursive: true });
    const lock = join(out, 'classical', '.sim-run.lock');
    // This test's own process: alive, on this host.
    await writeFile(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: '2026-12-08T00:00:00Z' }));
    const r = sim(['run', join(dir, 'classical.yaml'), '--out', out, '--workers', '1']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`another sim run is writing this folder \\(process ${process.pid} on `));
    assert.equal(existsSync(join(out, 'classical', 'results.json')), false);
    // A process that has exited: its id is free (a child that ran and ended).
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    await writeFile(lock, JSON.stringify({ pid: Number(gone), host: os.hostname(), startedAt: '2026-12-08T00:00:00Z' }));
    const t = sim(['run', join(dir, 'classical.yaml'), '--out', out, '--workers', '1']);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stderr, new RegExp(`note: .*\\.sim-run\\.lock was left by a run that is gone \\(process ${gone} on`));
    assert.equal(existsSync(lock), false, 'released at the end');
  });

  it('two runs into the same --out at once: the second is refused, the first goes on', async () => {
    const out = join(dir, 'twice-at-once');
    // A long first run (large error targets), stopped by SIGTERM once the second has been refused.
    const slow = join(dir, 'slow.yaml');
    await writeFile(
      slow,
      CLASSICAL.replace('name: classical', 'name: slow').replace('targetErrors: 20, maxBlocks: 2000', 'targetErrors: 1000000, maxBlocks: 100000000'),
    );
    const first = spawn(process.execPath, [BIN, 'run', slow, '--out', out, '--workers', '1'], { env: { ...process.env, CI: '' } });
    let firstErr = '';
    first.stderr.on('data', (d) => (firstErr += String(d)));
    const closed = new Promise<number | null>((r) => first.on('close', r));
    const lock = join(out, 'slow', '.sim-run.lock');
    for (let i = 0; i < 1200 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(lock), `the first run took the lock: ${firstErr}`);
    const second = sim(['run', slow, '--out', out, '--workers', '1']);
    assert.equal(first.exitCode, null, `the first run is still going: ${firstErr}`);
    first.kill('SIGTERM');
    const code = await closed;
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stderr, /another sim run is writing this folder \(process \d+ on /);
    assert.doesNotMatch(second.stderr, STACK);
    assert.equal(code, 130, firstErr);
    assert.equal(existsSync(lock), false, 'the first released its lock');
  });

  it('training that fails on legal settings: what failed, the setting likely responsible, exit 1, and the report of what was measured', async () => {
    const file = join(dir, 'lr.yaml');
    await writeFile(
      file,
      `name: lr
seed: 3
sweep: { ebnoDb: [0, 3] }
montecarlo: { targetErrors: 20, maxBlocks: 4000 }
systems:
  - { id: bpsk, type: uncoded, modulation: bpsk, k: 2 }
  - { id: ae, type: autoencoder, k: 2, n: 2, train: { steps: 60, batchSize: 100, learningRate: 10 } }
`,
    );
    const out = join(dir, 'lr-out');
    const r = sim(['run', file, '--out', out, '--workers', '1']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /training ae failed: attempt 0: .*\n {2}likely responsible \(system ae\): train\.learningRate: 10 /);
    assert.match(r.stderr, /the report of what was measured: .*lr-out\/lr\/report\.html/);
    assert.doesNotMatch(r.stderr, STACK);
    assert.doesNotMatch(r.stderr, /bug of the simulator/);
    const results = JSON.parse(await readFile(join(out, 'lr', 'results.json'), 'utf8'));
    assert.equal(results.complete, false);
    assert.equal(results.curves.find((c: { id: string }) => c.id === 'bpsk').points.filter((p: { status: string }) => p.status === 'target-errors').length, 2);
    assert.ok(existsSync(join(out, 'lr', 'report.html')));
  });

  it('small usage errors: report accepts a run folder; --names of the wrong count and --seed "" exit 2; list columns align', async () => {
    const run = join(dir, 'damaged', 'classical');
    const r = sim(['report', run]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /wrote .*classical\/report\.html/);
    const names = sim(['compare', run, run, '--names', 'a']);
    assert.equal(names.code, 2, names.stderr);
    assert.match(names.stderr, /--names a: expected 2 different names/);
    const seed = sim(['run', join(dir, 'classical.yaml'), '--seed', '', '--out', join(dir, 'never')]);
    assert.equal(seed.code, 2, seed.stderr);
    assert.match(seed.stderr, /--seed "": expected an integer or a string/);
    assert.equal(existsSync(join(dir, 'never')), false);
    const list = sim(['list']);
    assert.equal(list.code, 0);
    const starts = list.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => /^(\S+\s+|\s+)/.exec(line)?.[0].length);
    assert.equal(new Set(starts).size, 1, `one column start: ${list.stdout}`);
  });

  it('--models pointing at a run folder hints at its models/ subfolder', async () => {
    const out = join(dir, 'models-run');
    await mkdir(join(out, 'models', 'ae'), { recursive: true });
    const file = join(dir, 'ae.yaml');
    await writeFile(file, 'name: ae\nsweep: { ebnoDb: [0] }\nsystems:\n  - { id: ae, type: autoencoder, k: 2, n: 2 }\n');
    const r = sim(['run', file, '--models', out, '--out', join(dir, 'never2')]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /no saved model for ae in .*models-run \(.*is a run folder: its models are in --models .*models-run\/models\)/);
  });
});
