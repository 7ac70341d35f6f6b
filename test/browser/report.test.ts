/**
 * Opens a generated report in headless Chromium (Debian's /usr/bin/chromium via playwright-core) from
 * file:// and checks that every plot rendered all its traces, that nothing was fetched from the network and
 * that the page logged no errors. Run with `npm run test:browser`.
 *
 * Without a browser the test is skipped with a message, except in CI (CI=true), where that is a failure.
 * CHROMIUM_PATH overrides the browser path; REPORT_SCREENSHOT=file.png keeps a screenshot.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { renderReport, renderIndex, type Figure } from '../../src/report/index.ts';
import { fixtureResults } from './fixture.ts';

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

describe('report.html in a browser', function () {
  this.timeout(90_000);
  let browser: Browser | undefined;
  let dir: string;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (inCi) throw new Error(`CI=true but no browser at ${CHROMIUM}: install it with apt-get install -y chromium`);
      console.log(`    (skipped: no browser at ${CHROMIUM}; install with: apt-get update && apt-get install -y chromium)`);
      this.skip();
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    dir = await mkdtemp(join(tmpdir(), 'report-browser-'));
  });

  after(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const quick of [false, true]) {
    it(`draws every trace of every plot, offline, without console errors${quick ? ' (quick run)' : ''}`, async () => {
      // The full run lists claim checks (a Findings table); the quick one lists none (no Findings at all).
      const results = fixtureResults({ quick, claims: quick ? undefined : '[fig3a, ml-reference]' });
      const file = join(dir, quick ? 'quick.html' : 'report.html');
      await writeFile(file, renderReport(results));
      const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      page.on('request', (r) => {
        if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-plots-ready]', { timeout: 30_000 });

      const figures = (await page.evaluate(() => (window as unknown as { reportFigures: Figure[] }).reportFigures)) as Figure[];
      // BLER, 4 constellation panels (two I/Q planes, the (7,4) code by PCA and by MDS), training, distance spectrum.
      assert.ok(figures.length >= 7, `expected the BLER plot, 4 constellation panels, training and the spectrum, got ${figures.length}`);
      assert.ok(
        figures.some((f) => f.id === 'fig-spectrum'),
        'no distance spectrum',
      );
      for (const f of figures) {
        const drawn = await page.locator(`#${f.id} .scatterlayer .trace`).count();
        assert.equal(drawn, f.data.length, `${f.id}: ${drawn} traces drawn, ${f.data.length} expected`);
        // Each trace actually has marks (a path or points), not an empty group.
        const marks = await page.locator(`#${f.id} .scatterlayer .trace path, #${f.id} .scatterlayer .trace .point`).count();
        assert.ok(marks > 0, `${f.id}: no marks drawn`);
      }
      // BLER: log axis, error bars and the zero-error upper bound marker.
      assert.ok((await page.locator('#fig-bler .ylog, #fig-bler .yaxislayer-above .ytick').count()) > 0);
      assert.ok((await page.locator('#fig-bler .errorbar').count()) > 0, 'no error bars drawn');
      assert.match(await page.locator('#bler-caption').innerText(), /upper bound/);
      assert.match(await page.locator('#bler-caption').innerText(), /left out/);
      // BER beside BLER: its own plot with error bars and the closed form, and Eb/N0 at the BER targets.
      assert.ok(
        figures.some((f) => f.id === 'fig-ber'),
        'no BER plot',
      );
      assert.ok((await page.locator('#fig-ber .errorbar').count()) > 0, 'no BER error bars drawn');
      assert.match(await page.locator('#ber-caption').innerText(), /blocks as the independent unit/);
      assert.ok(await page.locator('#analysis table.ebno-at-ber').isVisible());
      assert.match(await page.locator('#analysis table.ebno-at-ber thead').innerText(), /BER 1e-6/);
      // Escaped user strings: shown as text, never run.
      assert.match(await page.locator('body').innerText(), /<script>alert\(1\)<\/script>/);
      assert.equal(await page.locator('#quick-banner').count(), quick ? 1 : 0);
      // The analysis as results.json holds it: crossings, gaps, and findings only where the scenario asked.
      assert.ok(await page.locator('#analysis table.ebno-at-bler').isVisible());
      assert.ok(await page.locator('#analysis table.gaps').isVisible());
      // Intervals beside every crossing; the geometry table with the Hamming reference.
      assert.ok((await page.locator('#analysis table.ebno-at-bler .ci').count()) > 0);
      assert.match(await page.locator('#geometry table.geometry').innerText(), /Hamming \(7,4\) as BPSK: 12\.00/);
      // Accuracy on the training plot's second axis.
      assert.ok(
        (await page.locator('#fig-training .yaxislayer-above .y2tick, #fig-training .overaxes-above .y2tick, #fig-training .y2tick').count()) > 0,
        'no accuracy axis',
      );
      assert.equal(await page.locator('#analysis table.claims tbody tr').count(), quick ? 0 : results.findings!.length);
      if (!quick) assert.match(await page.locator('#analysis table.claims').innerText(), /PASS|FAIL|INCONCLUSIVE/);
      if (quick) assert.match(await page.locator('#quick-banner').innerText(), /QUICK RUN/);

      assert.equal(await page.locator('a[href^="http"], [src^="http"], link[href]').count(), 0, 'external links in the rendered page');
      const shot = process.env.REPORT_SCREENSHOT;
      if (shot && !quick) await page.screenshot({ path: shot, fullPage: true });
      await page.close();
      assert.deepEqual(requests, [], 'the page made network requests');
      assert.deepEqual(problems, [], 'the page logged errors');
    });
  }

  it('index.html opens and links the runs', async () => {
    const file = join(dir, 'index.html');
    await writeFile(
      file,
      renderIndex([
        {
          folder: 'quick',
          name: 'quick',
          description: 'd <i>x</i>',
          startedAt: '2025-01-01T00:00:00.000Z',
          seconds: 3,
          quick: true,
          complete: true,
          curves: 5,
          points: '20/20',
          backend: 'wasm',
          hasReport: true,
        },
      ]),
    );
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(pathToFileURL(file).href);
    assert.equal(await page.locator('a[href="quick/report.html"]').count(), 1);
    assert.match(await page.locator('body').innerText(), /d <i>x<\/i>/);
    await page.close();
    assert.deepEqual(errors, []);
  });
});
