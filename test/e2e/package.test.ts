/**
 * The package as a user gets it: `npm pack` (its prepare script builds dist/), the tarball installed into
 * an empty folder, then the `sim` bin and the library used from there, with no TypeScript and no tsx.
 *
 * The install takes the dependencies from the npm cache, which the project's own `npm ci` filled
 * (--prefer-offline: the registry is asked only for what the cache lacks), so it is a real install of the
 * declared dependencies that needs no network on a machine that installed the project. The optional
 * tfjs-node is left out (--omit=optional): its install script downloads TensorFlow's C library, minutes
 * when it works and a failure offline; the package's default backend, wasm, is what is checked here.
 * AE_BACKEND is cleared for the same reason (CI also runs the tests with AE_BACKEND=tensorflow).
 *
 * About a minute on 2 idle cores (the build ~30 s, the install ~20 s, the rest ~20 s); two when other jobs
 * share them.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hammingHardBler } from '../../src/baselines/analytic.ts';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = process.cwd();
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; exports: Record<string, unknown> };

/** The environment of the commands: none of the test process's backend choice or tsx relay. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '' };
  for (const k of ['AE_BACKEND', 'AE_BACKEND_CHOSEN', 'LEARNED_PHY_SIM_RELAYED', 'NODE_OPTIONS']) delete env[k];
  return env;
}

async function sh(file: string, args: string[], cwd: string, timeout = 120_000): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(file, args, { cwd, env: childEnv(), timeout, maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}

/** Trains a (7,4) autoencoder through the public API and measures it and Hamming (7,4) on worker threads. */
const LIBRARY_SCRIPT = `
import { createPool, hamming74System, readyBackend, runSweep, trainAutoencoder } from 'learned-phy-sim';

const subpaths = JSON.parse(process.argv[2]);
const entries = {};
for (const p of subpaths) entries[p] = Object.keys(await import(p)).length;

const spec = { k: 4, n: 7, signalling: 'real', normalization: 'energy', channel: { type: 'awgn' } };
const ae = await trainAutoencoder(spec, { ebnoDb: 7, batchSize: 256, steps: 300, learningRate: 0.01, seed: 1 });
const pool = await createPool(1);
const opts = { ebnoDb: [0, 4], seed: 1, rules: { targetErrors: 50, maxBlocks: 20000 } };
const learned = await runSweep(ae.toBlockSystem('ae74'), opts, pool);
const hamming = await runSweep(hamming74System({ id: 'hml', decoding: 'ml', channel: { type: 'awgn' } }), opts, pool);
await pool.destroy();
console.log(JSON.stringify({ backend: readyBackend(), entries, learned, hamming }));
`;

describe('the npm package', function () {
  this.timeout(240_000);
  let dir: string;
  let app: string;
  let installed: string;

  before(async function () {
    // Generous: a minute on 2 idle cores, several when other jobs share them.
    this.timeout(480_000);
    dir = await mkdtemp(join(tmpdir(), 'sim-package-'));
    const packed = JSON.parse((await sh('npm', ['pack', '--json', '--pack-destination', dir], ROOT, 360_000)).stdout) as { filename: string }[];
    app = join(dir, 'app');
    await sh('mkdir', [app], dir);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'package-test-app', private: true, type: 'module' }));
    await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=optional', join(dir, packed[0].filename)], app, 180_000);
    installed = join(app, 'node_modules', PKG.name);
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ships JavaScript only: no TypeScript sources, no tsx, every worker entry beside its compiled module', () => {
    const files = readdirSync(installed, { recursive: true, encoding: 'utf8' });
    assert.deepEqual(
      files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
      [],
    );
    assert.ok(files.includes(join('dist', 'src', 'index.js')) && files.includes(join('scenarios', 'quick.yaml')));
    assert.equal(existsSync(join(app, 'node_modules', 'tsx')), false, 'tsx is a development dependency only');
    const entries = files.filter((f) => (f.startsWith('dist') && f.endsWith('.mjs')) || f === join('dist', 'sim', 'bin.js'));
    assert.ok(entries.length >= 4, entries.join(', '));
    for (const entry of entries) {
      const text = readFileSync(join(installed, entry), 'utf8');
      const compiled = /new URL\('\.\/([\w-]+\.js)', import\.meta\.url\)/.exec(text)?.[1];
      assert.ok(compiled && existsSync(join(installed, entry, '..', compiled)), `${entry} loads ${compiled}`);
    }
  });

  it('npx sim --version is this package’s bin and prints its version', async () => {
    // --no: never fetch a registry package named sim; `--` so that npx does not take --version itself.
    const bin = realpathSync(join(app, 'node_modules', '.bin', 'sim'));
    assert.equal(bin, realpathSync(join(installed, 'dist', 'sim', 'bin.js')));
    const { stdout } = await sh('npx', ['--no', '--', 'sim', '--version'], app);
    assert.equal(stdout.trim(), PKG.version);
  });

  it('npx sim run quick --quick writes results and a report', async () => {
    const out = join(dir, 'runs');
    const { stderr } = await sh('npx', ['--no', '--', 'sim', 'run', 'quick', '--quick', '--workers', '1', '--out', out], app);
    assert.doesNotMatch(stderr, /looks like you are running TensorFlow\.js/);
    const results = JSON.parse(await readFile(join(out, 'quick', 'results.json'), 'utf8')) as { curves: unknown[]; versions: { project: string } };
    assert.ok(results.curves.length > 0);
    assert.equal(results.versions.project, PKG.version);
    const html = await readFile(join(out, 'quick', 'report.html'), 'utf8');
    assert.match(html, /Plotly/);
  });

  it('examples/: each script runs from the installed package', async function () {
    this.timeout(600_000);
    cpSync(join(ROOT, 'examples'), join(app, 'examples'), { recursive: true });
    const last = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

    // train-and-sweep: the default recipe's (7,4) beats Hamming (7,4) with hard decisions (its closed form)
    // wherever the interval is informative, and each curve falls with Eb/N0.
    const t = last((await sh(process.execPath, ['examples/train-and-sweep.mjs'], app, 600_000)).stdout) as {
      learned: { ebnoDb: number; bler: number; ciHigh: number; status: string }[];
      hamming: { bler: number; status: string }[];
    };
    for (const curve of [t.learned, t.hamming]) {
      assert.ok(curve.every((p) => p.status === 'target-errors'));
      for (let i = 1; i < curve.length; i++) assert.ok(curve[i].bler < curve[i - 1].bler, JSON.stringify(curve));
    }
    for (const p of t.learned.filter((q) => q.ebnoDb >= 4)) assert.ok(p.ciHigh < hammingHardBler({ type: 'awgn' }, p.ebnoDb), JSON.stringify(p));

    // user-channel: a channel kind from a user's module, in the scenario schema and in the worker threads;
    // uncoded BPSK over it against its closed form (each count within 4.5 binomial standard deviations).
    const u = last((await sh(process.execPath, ['examples/user-channel.mjs'], app, 600_000)).stdout) as {
      channel: unknown;
      bpsk: { blocks: number; errors: number }[];
      closedForm: number[];
    };
    assert.deepEqual(u.channel, { type: 'impulsive', probability: 0.02, powerRatio: 50 });
    u.bpsk.forEach((p, i) => {
      const q = u.closedForm[i];
      assert.ok(Math.abs(p.errors - p.blocks * q) <= 4.5 * Math.sqrt(p.blocks * q * (1 - q)), JSON.stringify({ p, q }));
    });

    // read-results: the curves of the run above, as results.json holds them.
    const file = join(dir, 'runs', 'quick', 'results.json');
    assert.ok(existsSync(file), 'the sim run test wrote results');
    const r = last((await sh(process.execPath, ['examples/read-results.mjs', file], app)).stdout) as { curves: { id: string; at1e3: number | null }[] };
    const results = JSON.parse(await readFile(file, 'utf8')) as { curves: { id: string; ebnoAtBler?: Record<string, number | null> }[] };
    assert.deepEqual(
      r.curves,
      results.curves.map((c) => ({ id: c.id, at1e3: c.ebnoAtBler?.['1e-3'] ?? null })),
    );
  });

  it('the library: every entry point imports; a (7,4) autoencoder trains and is measured on worker threads', async () => {
    await writeFile(join(app, 'use.mjs'), LIBRARY_SCRIPT);
    const subpaths = Object.keys(PKG.exports)
      .filter((p) => p !== './package.json')
      .map((p) => (p === '.' ? PKG.name : `${PKG.name}/${p.slice(2)}`));
    const { stdout, stderr } = await sh(process.execPath, ['use.mjs', JSON.stringify(subpaths)], app);
    assert.doesNotMatch(stderr, /looks like you are running TensorFlow\.js/);
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      backend: string;
      entries: Record<string, number>;
      learned: { bler: number; status: string }[];
      hamming: { bler: number; status: string }[];
    };
    assert.equal(r.backend, 'wasm');
    for (const p of subpaths) assert.ok(r.entries[p] > 0, `${p} exports something`);
    for (const curve of [r.learned, r.hamming]) {
      assert.equal(curve.length, 2);
      assert.ok(
        curve.every((p) => p.status === 'target-errors'),
        JSON.stringify(curve),
      );
      assert.ok(curve[1].bler < curve[0].bler, JSON.stringify(curve));
    }
    // A trained (7,4) autoencoder is close to Hamming (7,4) with ML decoding (the paper's Fig. 3a).
    assert.ok(r.learned[1].bler < 3 * r.hamming[1].bler, JSON.stringify(r));
  });
});
