/**
 * The browser playground (playground/, built by scripts/build-playground.mjs) in headless Chromium, served
 * from a local static server: it loads with no request to any other origin, trains (2,2) and (7,4) with the
 * page's defaults, the constellation moves during training, the sweep ends with intervals, and the exported
 * zip (scenario.yaml + models/ae/) runs in the CLI (`sim run --models`) to the same codebook and, on the
 * same random streams, the same error counts; the model folder the CLI then saves imports back into the page.
 *
 * To stay near a minute on 2 cores both trainings use the page's "quick" box (the CLI's --quick budgets:
 * training steps ÷ 10, 20 errors per point); the (2,2) sweep is cut to 0…6 dB.
 * Without a browser the test is skipped with a message, except in CI (CI=true), where that is a failure.
 * PLAYGROUND_SCREENSHOT=file.png keeps a screenshot of the (7,4) page after its sweep.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
// @ts-expect-error: a JavaScript build script without declarations
import { buildPlayground } from '../../scripts/build-playground.mjs';
// @ts-expect-error: a JavaScript build script without declarations
import { servePlayground } from '../../scripts/serve-playground.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const inCi = /^(1|true|yes)$/i.test(process.env.CI ?? '');

interface PlaygroundState {
  backend: string;
  snapshots: { step: number; head: number[] }[];
  codebook: Record<string, number>;
  M: number;
  dims: number;
  trainSeconds: number;
  curves: Record<string, { ebnoDb: number[]; bler: (number | null)[]; low?: (number | null)[]; high?: (number | null)[] }>;
  points: Record<string, { ebnoDb: number; blocks: number; errors: number; bler: number; ciLow: number; ciHigh: number; status: string }[]>;
  error: string;
}

describe('the playground in a browser', function () {
  this.timeout(180_000);
  let browser: Browser | undefined;
  let server: Server | undefined;
  let url = '';
  let dir = '';

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (inCi) throw new Error(`CI=true but no browser at ${CHROMIUM}: install it with apt-get install -y chromium`);
      console.log(`    (skipped: no browser at ${CHROMIUM}; install with: apt-get update && apt-get install -y chromium)`);
      this.skip();
    }
    dir = await mkdtemp(join(tmpdir(), 'playground-'));
    const served = await servePlayground(await buildPlayground(join(dir, 'site')));
    server = served.server;
    url = served.url;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Opens the page with `query`, presses Train and waits for the sweep; returns the page, its state and what went wrong. */
  async function trainAndSweep(query: string, checkPause = false): Promise<{ page: Page; state: PlaygroundState; problems: string[]; foreign: string[] }> {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const origin = new URL(url).origin;
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // Every request of the page and of its worker: only this origin (blob: and data: URLs are local).
    page.context().on('request', (r) => {
      const u = r.url();
      if (!u.startsWith('blob:') && !u.startsWith('data:') && new URL(u).origin !== origin) foreign.push(u);
    });
    await page.goto(`${url}?${query}`);
    await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
    await page.click('#b-train');
    if (checkPause) {
      // Stop holds the training where it is (the page stays responsive); Continue takes it on.
      const steps = () => page.evaluate(() => (window as unknown as { playground: { training: { step: number[] } } }).playground.training.step.length);
      await page.waitForFunction(() => (window as unknown as { playground: { training: { step: number[] } } }).playground.training.step.length >= 2, null, {
        timeout: 60_000,
      });
      await page.click('#b-pause');
      await page.waitForTimeout(500);
      const held = await steps();
      await page.waitForTimeout(1500);
      assert.equal(await steps(), held, 'training went on while stopped');
      assert.equal(await page.textContent('#b-pause'), 'Continue');
      await page.click('#b-pause');
      await page.waitForFunction((n) => (window as unknown as { playground: { training: { step: number[] } } }).playground.training.step.length > n, held, {
        timeout: 60_000,
      });
    }
    await page.waitForSelector('body[data-trained]', { timeout: 120_000 });
    await page.waitForSelector('body[data-sweep-done]', { timeout: 120_000 });
    const state = (await page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { playground: unknown }).playground)))) as PlaygroundState;
    return { page, state, problems, foreign };
  }

  function checkCommon(state: PlaygroundState, problems: string[], foreign: string[]): void {
    assert.deepEqual(foreign, [], 'requests to another origin');
    assert.deepEqual(problems, [], 'errors in the page');
    assert.equal(state.error, '');
    assert.equal(state.backend, 'wasm');
    // The constellation moved while it learned: several snapshots, and the first and last differ.
    assert.ok(state.snapshots.length >= 2, `only ${state.snapshots.length} codebook snapshots`);
    const first = state.snapshots[0].head;
    const last = state.snapshots.at(-1)!.head;
    assert.ok(
      first.some((v, i) => Math.abs(v - last[i]) > 1e-3),
      `the codebook did not move: ${first} vs ${last}`,
    );
    // The learned decoder's points: every one final, its BLER inside its Clopper–Pearson interval.
    const pts = state.points.ae;
    assert.ok(
      pts.length > 0 && pts.every((p) => ['target-errors', 'target-bit-errors', 'max-blocks'].includes(p.status)),
      JSON.stringify(pts.map((p) => p.status)),
    );
    for (const p of pts) assert.ok(p.ciLow <= p.bler && p.bler <= p.ciHigh, `interval at ${p.ebnoDb} dB`);
    assert.ok(
      state.curves.uncoded.bler.every((v) => v !== null && v > 0 && v < 1),
      'the uncoded closed form',
    );
  }

  it('(2,2): loads offline, trains in its worker with a moving constellation, stops and continues, sweeps', async () => {
    const { page, state, problems, foreign } = await trainAndSweep('k=2&n=2&quick=1&to=6', true);
    try {
      checkCommon(state, problems, foreign);
      assert.equal(state.dims, 2);
      assert.equal(state.points.ae.length, 7);
    } finally {
      await page.close();
    }
  });

  it('(7,4): sweeps against Hamming (7,4) ML; its export runs in the CLI to the same codebook and counts, and imports back', async () => {
    const { page, state, problems, foreign } = await trainAndSweep('quick=1');
    try {
      checkCommon(state, problems, foreign);
      assert.equal(state.points['hamming-ml'].length, 9, 'the Hamming (7,4) ML curve');
      assert.ok(
        state.curves['hamming-hard'].bler.every((v) => v !== null && v > 0),
        'the Hamming hard-decision closed form',
      );
      if (process.env.PLAYGROUND_SCREENSHOT) await page.screenshot({ path: process.env.PLAYGROUND_SCREENSHOT, fullPage: false });

      const download = page.waitForEvent('download');
      await page.click('#b-export');
      const zip = join(dir, 'export.zip');
      await (await download).saveAs(zip);
      const out = join(dir, 'unzipped');
      // An independent reader of the archive (Info-ZIP's unzip).
      const unzip = spawnSync('unzip', ['-q', zip, '-d', out], { encoding: 'utf8' });
      assert.equal(unzip.status, 0, unzip.stderr);
      const run = spawnSync(
        process.execPath,
        ['sim/bin.js', 'run', join(out, 'scenario.yaml'), '--models', join(out, 'models'), '--quick', '--out', join(dir, 'cli')],
        {
          encoding: 'utf8',
          env: { ...process.env, AE_BACKEND: 'wasm' },
        },
      );
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout + run.stderr, /loaded/i);
      const results = JSON.parse(await readFile(join(dir, 'cli', 'playground', 'results.json'), 'utf8'));
      const curve = results.curves.find((c: { id: string }) => c.id === 'ae');
      const cli = (curve.codebook as number[][]).flat();
      const inPage = Object.values(state.codebook);
      assert.equal(cli.length, inPage.length);
      // results.json keeps 6 decimals.
      for (let i = 0; i < cli.length; i++) assert.ok(Math.abs(cli[i] - inPage[i]) <= 2e-6, `codebook entry ${i}: CLI ${cli[i]}, page ${inPage[i]}`);
      // Same codebook, same decoder, same streams (scenario seed, 'mc', 'ae'): the same counts at every point.
      const counts = (pts: { errors: number; blocks: number }[]) => pts.map((p) => `${p.errors}/${p.blocks}`);
      assert.deepEqual(counts(curve.points), counts(state.points.ae));

      // Import: the folder the CLI wrote (its own save of the model) back into the page, to the same codebook.
      const saved = join(dir, 'cli', 'playground', 'models', 'ae');
      await page.evaluate(() => {
        (window as unknown as { playground: { codebook: unknown } }).playground.codebook = undefined;
      });
      await page.setInputFiles(
        '#f-import',
        ['autoencoder.json', 'encoder.weights.bin', 'decoder.weights.bin'].map((f) => join(saved, f)),
      );
      await page.waitForFunction(() => (window as unknown as { playground: { codebook?: unknown } }).playground.codebook !== undefined, null, {
        timeout: 30_000,
      });
      const imported = Object.values(
        (await page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { playground: { codebook: unknown } }).playground.codebook)))) as Record<
          string,
          number
        >,
      );
      assert.deepEqual(imported, inPage, 'the imported codebook');
      assert.deepEqual(problems, [], 'errors in the page after the import');
    } finally {
      await page.close();
    }
  });
});
