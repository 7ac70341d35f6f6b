/**
 * The `sim` command line as a user runs it: a child process of sim/bin.js, checked by exit code, messages
 * and the files it writes. The end-to-end run uses a tiny scenario (100 training steps, 2 Eb/N0 points,
 * small block budgets, 1 worker) so the whole file stays around 20-30 s on 2 cores.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ResultsFile } from '../../src/results/results.ts';
import { fixtureResults } from '../browser/fixture.ts';

const BIN = join(process.cwd(), 'sim', 'bin.js');

function sim(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: '', ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TINY = `name: tiny
description: tiny end-to-end scenario
seed: 3
sweep: { ebnoDb: [0, 3] }
montecarlo: { targetErrors: 20, maxBlocks: 4000 }
compare: [[ae, hml]]
systems:
  - { id: ae, type: autoencoder, k: 2, n: 2, train: { steps: 100, batchSize: 100, learningRate: 0.01 } }
  - { id: hml, type: hamming74, decoding: ml }
  - { id: bpsk, type: uncoded, modulation: bpsk, k: 2 }
`;

/** A stack trace in output: a line starting with whitespace and "at ". */
const STACK = /\n\s+at /;

describe('sim command line', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-cli-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('validate: 0 for good files, 1 and the message for a bad one', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'name: bad\nsweep: { ebnoDb: [0] }\nsystems:\n  - { id: a, type: autoencoder, k: 4, n: 0 }\n');
    const ok = sim(['validate', 'scenarios/quick.yaml']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /scenarios\/quick\.yaml: ok \(quick: 5 curves, 9 Eb\/N0 points\)/);
    const r = sim(['validate', 'scenarios/quick.yaml', bad]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.yaml:4:\d+: systems\[0\]\.n: expected an integer ≥ 1, found 0/);
  });

  it('run: a bad scenario exits non-zero and writes nothing', async () => {
    const bad = join(dir, 'bad2.yaml');
    await writeFile(bad, 'name: bad2\nsweep: { ebnoDb: [0] }\nsystems: [{ id: a, type: uncoded, modulation: qam16, k: 3 }]\n');
    const out = join(dir, 'never');
    const r = sim(['run', 'scenarios/quick.yaml', bad, '--out', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /systems\[0\]\.k: expected a k that is a multiple of 4/);
    assert.equal(existsSync(out), false, 'nothing written, not even for the valid scenario');
  });

  it('run: two scenarios of the same name are refused before the first starts', async () => {
    const a = join(dir, 'same-a.yaml');
    const b = join(dir, 'same-b.yaml');
    const uncoded = 'name: same\nsweep: { ebnoDb: [0] }\nsystems: [{ id: u, type: uncoded, modulation: bpsk, k: 1 }]\n';
    await writeFile(a, uncoded);
    await writeFile(b, uncoded);
    const out = join(dir, 'never-same');
    const r = sim(['run', a, b, '--out', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /same-a\.yaml and \S*same-b\.yaml are both scenario "same": their runs would write the same folder/);
    assert.doesNotMatch(r.stderr, STACK);
    assert.equal(existsSync(out), false, 'nothing run, nothing written');
  });

  it("run: budgets from the command line replace the scenario's, are recorded, and --resume refuses other ones", async () => {
    const file = join(dir, 'budget.yaml');
    await writeFile(file, 'name: budget\nsweep: { ebnoDb: [0] }\nsystems: [{ id: u, type: uncoded, modulation: bpsk, k: 1 }]\n');
    const out = join(dir, 'budget-runs');
    const bad = sim(['run', file, '--out', out, '--ebno', '0:4:0']);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /--ebno 0:4:0: expected FROM:TO:STEP .*STEP must be > 0/);
    assert.equal(sim(['run', file, '--out', out, '--max-blocks', '0']).code, 2);
    const r = sim(['run', file, '--out', out, '--workers', '1', '--ebno', '0,2', '--target-errors', '7', '--max-blocks', '3000']);
    assert.equal(r.code, 0, r.stderr);
    const results = JSON.parse(await readFile(join(out, 'budget', 'results.json'), 'utf8')) as ResultsFile;
    assert.deepEqual(results.overrides, { targetErrors: 7, maxBlocks: 3000, ebnoDb: [0, 2] });
    assert.deepEqual(results.scenario.sweep.ebnoDb, [0, 2]);
    assert.equal(results.scenario.montecarlo.targetErrors, 7);
    assert.equal(results.scenario.montecarlo.maxBlocks, 3000);
    assert.deepEqual(
      results.curves[0]!.points.map((p) => p.ebnoDb),
      [0, 2],
    );
    assert.ok(results.curves[0]!.points.every((p) => p.errors >= 7 || p.blocks >= 3000));
    const other = sim(['run', file, '--out', out, '--workers', '1', '--resume', '--max-blocks', '5000']);
    assert.equal(other.code, 1, other.stderr);
    assert.match(other.stderr, /--resume: the run was made with the budgets .*"maxBlocks":3000.*this command gives \{"maxBlocks":5000\}/);
    assert.doesNotMatch(other.stderr, STACK);
    const same = sim(['run', file, '--out', out, '--workers', '1', '--resume', '--ebno', '2,0', '--target-errors', '7', '--max-blocks', '3000']);
    assert.equal(same.code, 0, same.stderr);
  });

  it('usage errors exit 2', () => {
    const r = sim(['run', 'scenarios/quick.yaml', '--shard', '3/2']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--shard 3\/2: expected i\/N with 1 ≤ i ≤ N/);
    const both = sim(['run', 'scenarios/quick.yaml', '--resume', '--shard', '1/2', '--out', join(dir, 'never-resumed')]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--resume and --shard cannot be combined/);
    assert.equal(existsSync(join(dir, 'never-resumed')), false);
  });

  it('output into a pipe closed early (sim list | head -1) ends quietly', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" list | head -1; "${process.execPath}" "${BIN}" schema | head -1`], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 2, r.stdout);
    assert.doesNotMatch(r.stderr, /EPIPE|\n\s+at /, r.stderr);
  });

  it('list, schema --check', () => {
    const l = sim(['list']);
    assert.equal(l.code, 0);
    assert.match(l.stdout, /fig3a-hamming74 +\(7,4\) autoencoder vs Hamming/);
    assert.equal(sim(['schema', '--check']).code, 0);
  });

  it('report: re-renders a results.json without simulating, and the index', async () => {
    const runDir = join(dir, 'out', 'fixture');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(runDir, { recursive: true });
    await writeFile(join(runDir, 'results.json'), JSON.stringify(fixtureResults()));
    const r = sim(['report', join(runDir, 'results.json')]);
    assert.equal(r.code, 0, r.stderr);
    const html = await readFile(join(runDir, 'report.html'), 'utf8');
    assert.match(html, /<h1>fixture<\/h1>/);
    assert.match(await readFile(join(dir, 'out', 'index.html'), 'utf8'), /fixture\/report\.html/);
    const bad = sim(['report', join(dir, 'bad2.yaml')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not a results file|cannot read/);
  });

  it('report: a corrupt or future-format results.json is one message naming the file, exit 1, no stack', async () => {
    const corrupt = join(dir, 'corrupt', 'results.json');
    await mkdir(join(dir, 'corrupt'), { recursive: true });
    await writeFile(corrupt, JSON.stringify(fixtureResults()).slice(0, 500));
    const future = join(dir, 'future', 'results.json');
    await mkdir(join(dir, 'future'), { recursive: true });
    await writeFile(future, JSON.stringify({ ...fixtureResults(), format: 99 }));
    for (const [file, expected] of [
      [corrupt, /cannot read/],
      [future, /results format 99 was written by a newer version/],
    ] as const) {
      const r = sim(['report', file]);
      assert.equal(r.code, 1, r.stderr);
      assert.ok(r.stderr.includes(file), r.stderr);
      assert.match(r.stderr, expected);
      assert.doesNotMatch(r.stderr, STACK);
      assert.doesNotMatch(r.stderr, /bug of the simulator/);
      assert.equal(existsSync(join(dirname(file), 'report.html')), false);
    }
  });

  it('compare: one report overlaying the curves of several runs (folders or results.json files)', async () => {
    for (const [name, seed] of [
      ['before', 7],
      ['after', 8],
    ] as const) {
      await mkdir(join(dir, 'cmp', name, 'fixture'), { recursive: true });
      await writeFile(join(dir, 'cmp', name, 'fixture', 'results.json'), JSON.stringify({ ...fixtureResults(), seed }));
    }
    const output = join(dir, 'cmp', 'compare.html');
    const r = sim(['compare', join(dir, 'cmp', 'before', 'fixture'), join(dir, 'cmp', 'after', 'fixture', 'results.json'), '--output', output]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /wrote .*compare\.html/);
    const html = await readFile(output, 'utf8');
    assert.match(html, /<h1>before vs after<\/h1>/);
    for (const id of ['before/ae74', 'after/ae74', 'before/hml', 'after/bpsk4']) assert.ok(html.includes(id), id);
    assert.match(html, /before: Hamming \(7,4\) ML/);
    // Without --output: compare.html in the current folder.
    const cwd = join(dir, 'cmp');
    const d = spawnSync(process.execPath, [BIN, 'compare', 'before/fixture', 'after/fixture', '--names', 'seed7,seed8'], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, CI: '' },
    });
    assert.equal(d.status, 0, d.stderr);
    assert.match(await readFile(join(cwd, 'compare.html'), 'utf8'), /<h1>seed7 vs seed8<\/h1>/);
  });

  it('compare: a missing or corrupt run is one message naming it, exit 1, no stack; one run is a usage error', async () => {
    const corrupt = join(dir, 'cmp-bad', 'results.json');
    await mkdir(dirname(corrupt), { recursive: true });
    await writeFile(corrupt, JSON.stringify(fixtureResults()).slice(0, 300));
    const good = join(dir, 'cmp-good.json');
    await writeFile(good, JSON.stringify(fixtureResults()));
    const empty = join(dir, 'cmp-empty');
    await mkdir(empty, { recursive: true });
    const output = join(dir, 'cmp-never.html');
    for (const [bad, expected] of [
      [join(dir, 'no-such-run.json'), /no-such-run\.json: cannot read: no such file/],
      [corrupt, /cmp-bad\/results\.json: cannot read/],
      [empty, /cmp-empty: no results\.json in this folder/],
    ] as const) {
      const r = sim(['compare', good, bad, '--output', output]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, expected);
      assert.doesNotMatch(r.stderr, STACK);
      assert.doesNotMatch(r.stderr, /bug of the simulator/);
      assert.equal(existsSync(output), false);
    }
    const one = sim(['compare', good, '--output', output]);
    assert.equal(one.code, 2);
    assert.match(one.stderr, /give at least two runs/);
  });

  it('validate: schema and cross-field problems of one file in one run', async () => {
    const bad = join(dir, 'all-problems.yaml');
    await writeFile(
      bad,
      `name: Bad
sweep: { ebnoDb: { from: 8, to: 0, step: 1 } }
compare: [[ae, nope]]
systems:
  - { id: ae, type: autoencoder, k: 4, n: 7, normalization: power }
  - { id: q, type: uncoded, modulation: qam16, k: 3 }
  - { id: q, type: hamming74, decoding: ml, decodng: hard }
`,
    );
    const r = sim(['validate', bad]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\(7 problems\)/);
    for (const re of [
      /:1:7: name:/,
      /:2:\d+: sweep\.ebnoDb\.to: expected a value ≥ from/,
      /:3:\d+: compare\[0\]\[1\]: .*found "nope"/,
      /:5:\d+: systems\[0\]\.normalization/,
      /:6:\d+: systems\[1\]\.k: expected a k that is a multiple of 4/,
      /:7:11: systems\[2\]\.id: .*"q" again/,
      /:7:45: systems\[2\]\.decodng: .*unknown key/,
    ])
      assert.match(r.stderr, re);
  });

  it('scenario files: over the size limit or an alias bomb is one line naming the file', async () => {
    const big = join(dir, 'big.yaml');
    await writeFile(big, 'name: big\nsweep: { ebnoDb: [0] }\nsystems:\n' + '  - { id: s, type: uncoded, modulation: bpsk, k: 1 }\n'.repeat(30000));
    const bomb = join(dir, 'bomb.yaml');
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [prev, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
    ])
      levels.push(
        `${name}: &${name} [${Array(9)
          .fill('*' + prev)
          .join(', ')}]`,
      );
    await writeFile(bomb, `name: bomb\nsweep: { ebnoDb: [0] }\nsystems: []\n${levels.join('\n')}\n`);
    const r = sim(['validate', big, bomb]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${big}: the scenario file is [\\d,]+ bytes; scenario files may be at most 1,048,576 bytes`));
    assert.match(r.stderr, new RegExp(`${bomb}: YAML aliases expand to too much data`));
    assert.doesNotMatch(r.stderr, STACK);
  });

  it('--version, and --workers that is not a whole number ≥ 1 is a usage error', () => {
    const v = sim(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^\d+\.\d+\.\d+/);
    for (const w of ['0', '-1', 'abc', '2.5']) {
      const r = sim(['run', 'quick', '--workers', w]);
      assert.equal(r.code, 2, `--workers ${w}`);
      assert.match(r.stderr, /expected a whole number ≥ 1/);
    }
  });

  it('run end to end, --resume keeps finished points, shards merge to the same curves', async () => {
    const file = join(dir, 'tiny.yaml');
    await writeFile(file, TINY);
    const out = join(dir, 'runs');
    const t0 = Date.now();
    const r = sim(['run', file, '--out', out, '--workers', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /backend: (tensorflow|wasm|cpu)/);
    const runDir = join(out, 'tiny');
    const results = JSON.parse(await readFile(join(runDir, 'results.json'), 'utf8')) as ResultsFile;
    assert.equal(results.complete, true);
    assert.equal(results.quick, false);
    assert.equal(results.seed, 3);
    assert.equal(results.scenario.montecarlo.stopOnZeroErrors, true, 'the scenario is recorded with defaults');
    assert.ok(results.versions.node && results.versions.tfjs && results.versions.project);
    assert.deepEqual(
      results.curves.map((c) => c.id),
      ['ae', 'ae-ml', 'hml', 'bpsk'],
    );
    assert.deepEqual(
      results.curves.map((c) => c.decoder?.kind),
      ['mlp-js', 'nearest-codeword', 'nearest-codeword', 'symbolwise-hard'],
      'each curve says which decoder measured it',
    );
    for (const c of results.curves) {
      assert.equal(c.points.length, 2);
      for (const p of c.points) assert.ok(['target-errors', 'max-blocks'].includes(p.status), `${c.id}: ${p.status}`);
    }
    const ae = results.curves[0];
    assert.equal((ae.codebook as number[][]).length, 4);
    assert.equal((ae.codebook as number[][])[0].length, 2);
    assert.ok(ae.training && ae.training.steps.length > 0 && ae.training.finalAccuracy > 0);
    assert.ok(results.curves[3].analytic?.length, 'uncoded BPSK has a closed form');
    assert.ok(existsSync(join(runDir, 'report.html')));
    assert.ok(existsSync(join(runDir, 'models', 'ae', 'autoencoder.json')));
    assert.match(await readFile(join(out, 'index.html'), 'utf8'), /tiny\/report\.html/);
    assert.deepEqual(
      readdirSync(runDir).filter((f) => f.endsWith('.tmp')),
      [],
      'no temp files left',
    );
    const csv = (await readFile(join(runDir, 'results.csv'), 'utf8')).trimEnd().split('\n');
    assert.equal(csv[0], 'curve,label,ebno_db,blocks,errors,bler,ci_low,ci_high,bit_errors,ber,ber_ci_low,ber_ci_high,status,reason');
    // Every point counts bit errors too: at least one per block error, at most k.
    for (const c of results.curves)
      for (const p of c.points)
        assert.ok(p.bitErrors! >= p.errors && p.bitErrors! <= c.k * p.errors && p.ber! >= 0 && p.berCiHigh! > p.ber!, `${c.id} ${p.ebnoDb} dB`);
    assert.ok(results.curves[3].analyticBer?.length, 'uncoded BPSK has a closed-form BER');
    assert.equal(csv.length, 1 + 4 * 2, 'one row per curve and point');
    assert.match(csv[1], /^ae,.*,0,\d+,\d+,/);

    // --resume of a finished run: nothing re-simulated, the model reloaded, the same points.
    const before = (await stat(join(runDir, 'models', 'ae', 'autoencoder.json'))).mtimeMs;
    const again = sim(['run', file, '--out', out, '--workers', '1', '--resume']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /loaded model ae/);
    assert.match(again.stderr, /kept 2 finished points/);
    const resumed = JSON.parse(await readFile(join(runDir, 'results.json'), 'utf8')) as ResultsFile;
    assert.deepEqual(
      resumed.curves.map((c) => c.points.map((p) => [p.blocks, p.errors, p.bitErrors, p.bitErrorsSq])),
      results.curves.map((c) => c.points.map((p) => [p.blocks, p.errors, p.bitErrors, p.bitErrorsSq])),
    );
    assert.equal((await stat(join(runDir, 'models', 'ae', 'autoencoder.json'))).mtimeMs, before, 'the model was not retrained');

    // Three balanced shards with the saved model, as the tasks of a Slurm job array (--shard auto), then
    // merge (and --resume, should a shard's plan have fallen short): the same counts as the unsharded run.
    const shardOut = join(dir, 'shards');
    for (const id of ['4', '5', '6']) {
      const env = { SLURM_ARRAY_TASK_ID: id, SLURM_ARRAY_TASK_MIN: '4', SLURM_ARRAY_TASK_MAX: '6', SLURM_ARRAY_TASK_COUNT: '3' };
      const sr = sim(['run', file, '--out', shardOut, '--workers', '1', '--shard', 'auto', '--models', join(runDir, 'models')], env);
      assert.equal(sr.code, 0, sr.stderr);
    }
    assert.deepEqual(
      readdirSync(join(shardOut, 'tiny'))
        .filter((f) => f.startsWith('results.shard-') && f.endsWith('.json'))
        .sort(),
      [1, 2, 3].map((i) => `results.shard-${i}-of-3.json`),
    );
    const m = sim(['merge', join(shardOut, 'tiny')]);
    assert.equal(m.code, 0, m.stderr);
    if (/left short by the shards/.test(m.stderr)) assert.equal(sim(['run', file, '--out', shardOut, '--workers', '1', '--resume']).code, 0);
    const merged = JSON.parse(await readFile(join(shardOut, 'tiny', 'results.json'), 'utf8')) as ResultsFile;
    assert.equal(merged.complete, true);
    assert.deepEqual(
      merged.curves.map((c) => c.points.map((p) => [p.blocks, p.errors, p.bitErrors, p.bitErrorsSq, p.ber, p.status])),
      results.curves.map((c) => c.points.map((p) => [p.blocks, p.errors, p.bitErrors, p.bitErrorsSq, p.ber, p.status])),
    );
    assert.ok(existsSync(join(shardOut, 'tiny', 'report.html')));

    // A shard that computed too little (here: shard 2's chunks taken out of its file) leaves points short:
    // sim merge says so and how to complete them; --resume computes the missing chunks, to the same counts.
    const file2 = join(shardOut, 'tiny', 'results.shard-2-of-3.json');
    const part2 = JSON.parse(await readFile(file2, 'utf8')) as ResultsFile;
    for (const c of part2.curves) for (const p of c.points) if (p.chunks) p.chunks = p.chunks.map(() => null);
    await writeFile(file2, JSON.stringify(part2));
    const m2 = sim(['merge', join(shardOut, 'tiny')]);
    assert.equal(m2.code, 0, m2.stderr);
    assert.match(m2.stderr, /\d+ points? left short by the shards' plans .*complete (it|them) with: sim run <scenario> --out \S+ --seed 3 --resume/);
    const short = JSON.parse(await readFile(join(shardOut, 'tiny', 'results.json'), 'utf8')) as ResultsFile;
    assert.equal(short.complete, false);
    assert.ok(short.curves.some((c) => c.points.some((p) => p.reason === 'shards-short' && p.chunks?.some((c) => c !== null))));
    const completed = sim(['run', file, '--out', shardOut, '--seed', '3', '--workers', '1', '--resume']);
    assert.equal(completed.code, 0, completed.stderr);
    const done = JSON.parse(await readFile(join(shardOut, 'tiny', 'results.json'), 'utf8')) as ResultsFile;
    assert.equal(done.complete, true);
    assert.deepEqual(
      done.curves.map((c) => c.points.map((p) => [p.blocks, p.errors, p.status])),
      results.curves.map((c) => c.points.map((p) => [p.blocks, p.errors, p.status])),
    );
    console.log(`      (end-to-end: ${((Date.now() - t0) / 1000).toFixed(1)} s for 8 sim processes)`);
  });

  it('run: refuses to replace a finished run of another seed unless --force', async () => {
    const file = join(dir, 'tiny.yaml');
    const results = join(dir, 'runs', 'tiny', 'results.json');
    const before = await readFile(results, 'utf8');
    const r = sim(['run', file, '--out', join(dir, 'runs'), '--seed', '7', '--workers', '1']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /holds measured points of a different run \(seed 3, this run seed 7\).*--force/);
    assert.doesNotMatch(r.stderr, STACK);
    assert.equal(await readFile(results, 'utf8'), before, 'the previous run is untouched');
  });

  it('--models with a damaged model folder: exit 1, a message naming the file, no stack, nothing written', async () => {
    const file = join(dir, 'tiny.yaml');
    const good = join(dir, 'runs', 'tiny', 'models');
    const damage: [string, (m: string) => Promise<void>, RegExp][] = [
      ['truncated weights', (m) => truncate(join(m, 'ae', 'decoder.weights.bin'), 10), /decoder\.weights\.bin: 10 bytes, expected [\d,]+/],
      ['not JSON', (m) => writeFile(join(m, 'ae', 'autoencoder.json'), '{"format": "learned-phy'), /autoencoder\.json: not valid JSON/],
      [
        'wrong format',
        (m) => writeFile(join(m, 'ae', 'autoencoder.json'), '{"format": "keras"}'),
        /autoencoder\.json: field "format": expected "learned-phy-sim\/autoencoder@1", found "keras"/,
      ],
      ['missing weights', (m) => rm(join(m, 'ae', 'encoder.weights.bin')), /encoder\.weights\.bin: no such file; expected a model folder/],
    ];
    for (const [what, spoil, expected] of damage) {
      const models = join(dir, `models-${what.replace(/ /g, '-')}`);
      await cp(good, models, { recursive: true });
      await spoil(models);
      const out = join(dir, `out-${what.replace(/ /g, '-')}`);
      const r = sim(['run', file, '--out', out, '--workers', '1', '--models', models]);
      assert.equal(r.code, 1, `${what}: ${r.stderr}`);
      assert.match(r.stderr, expected, what);
      assert.ok(r.stderr.includes(join(models, 'ae')), `${what}: names the folder`);
      assert.doesNotMatch(r.stderr, STACK, what);
      assert.equal(existsSync(out), false, `${what}: nothing written`);
    }
  });
});
