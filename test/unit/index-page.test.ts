/** reports/index.html (src/report/index-page.ts): every run folder, newest first, escaped, with links that resolve. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderIndex, scanRuns, writeIndex } from '../../src/report/index-page.ts';

const point = (ebnoDb: number, status: string) => ({ ebnoDb, blocks: 100, errors: 10, bler: 0.1, ciLow: 0.05, ciHigh: 0.17, seconds: 1, status });

async function run(dir: string, folder: string, fields: { name: string; startedAt: string; quick?: boolean; complete?: boolean; report?: boolean }) {
  await mkdir(join(dir, folder), { recursive: true });
  const results = {
    format: 2,
    scenario: { name: fields.name, description: `about ${fields.name}`, seed: 1, sweep: { ebnoDb: [0, 2] }, systems: [] },
    seed: 1,
    backend: 'wasm',
    versions: { node: 'v20', tfjs: '4.22.0', project: '0.3.0' },
    startedAt: fields.startedAt,
    seconds: 12.345,
    quick: fields.quick ?? false,
    complete: fields.complete ?? true,
    curves: [
      { id: 'a', k: 4, n: 7, points: [point(0, 'target-errors'), point(2, 'interrupted')] },
      { id: 'b', k: 2, n: 1, points: [point(0, 'max-blocks'), point(2, 'not-simulated')] },
    ],
  };
  await writeFile(join(dir, folder, 'results.json'), JSON.stringify(results));
  if (fields.report) await writeFile(join(dir, folder, 'report.html'), '<html></html>');
}

describe('reports/index.html (src/report/index-page.ts)', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'index-page-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the run folders newest first with their finished points; other folders and files are skipped', async () => {
    await run(dir, 'older', { name: 'quick', startedAt: '2026-12-01T10:00:00.000Z', report: true });
    await run(dir, 'newer', { name: 'fig3a', startedAt: '2026-12-07T09:30:00.000Z', quick: true, complete: false });
    await mkdir(join(dir, 'not-a-run'));
    await mkdir(join(dir, 'corrupt'));
    await writeFile(join(dir, 'corrupt', 'results.json'), '{"format": 2, "curv');
    await writeFile(join(dir, 'stray.txt'), 'x');
    const entries = await scanRuns(dir);
    assert.deepEqual(
      entries.map((e) => [e.folder, e.name, e.points, e.curves, e.hasReport, e.quick, e.complete]),
      [
        // finished: target-errors and max-blocks; interrupted and not-simulated points are not
        ['newer', 'fig3a', '2/4', 2, false, true, false],
        ['older', 'quick', '2/4', 2, true, false, true],
      ],
    );
  });

  it('a missing or empty output folder is no runs, and the page says how to start one', async () => {
    assert.deepEqual(await scanRuns(join(dir, 'nowhere')), []);
    const file = await writeIndex(dir);
    assert.equal(file, join(dir, 'index.html'));
    const page = await readFile(file, 'utf8');
    assert.match(page, /No runs yet/);
    assert.doesNotMatch(page, /<table/);
  });

  it('names are escaped, links are percent-encoded, and only a run with a report links to one', async () => {
    await run(dir, 'a&b <x>', { name: '<script>alert(1)</script>', startedAt: '2026-12-07T09:30:00.123Z', report: true });
    await run(dir, 'plain', { name: 'no-report', startedAt: '2026-12-06T00:00:00.000Z' });
    await writeIndex(dir);
    const page = await readFile(join(dir, 'index.html'), 'utf8');
    assert.doesNotMatch(page, /<script>/);
    assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(page, /href="a%26b%20%3Cx%3E\/report\.html"/);
    assert.match(page, /href="a%26b%20%3Cx%3E\/results\.json"/);
    assert.doesNotMatch(page, /plain\/report\.html/);
    assert.match(page, /plain\/results\.json/);
    assert.match(page, /2026-12-07 09:30:00Z/, 'the start time without milliseconds');
    assert.match(page, /12\.3 s/);
    assert.ok(page.indexOf('alert(1)') < page.indexOf('no-report'), 'newest first');
  });

  it('QUICK and incomplete runs are tagged', () => {
    const entry = {
      folder: 'f',
      name: 'n',
      description: 'd',
      startedAt: '2026-12-07T00:00:00Z',
      seconds: 1,
      curves: 1,
      points: '1/1',
      backend: 'wasm',
      hasReport: false,
    };
    const page = renderIndex([
      { ...entry, quick: true, complete: false },
      { ...entry, folder: 'g', quick: false, complete: true },
    ]);
    assert.equal(page.match(/class="tag quick"/g)?.length, 1);
    assert.equal(page.match(/class="tag inc"/g)?.length, 1);
  });
});
