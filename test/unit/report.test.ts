import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  berFigure,
  blerFigure,
  html,
  htmlTable,
  SPANNED,
  checkResults,
  constellationPanels,
  escapeHtml,
  jsonForScript,
  pca2,
  readResults,
  renderReport,
  symmetricEigen,
  writeFileAtomic,
  writeIndex,
  type Curve,
} from '../../src/report/index.ts';
import { UserError } from '../../src/errors.ts';
import { fixtureResults } from '../browser/fixture.ts';

describe('report rendering', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'report-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('escapes user strings for HTML and for inline JSON', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const json = jsonForScript({ s: '</script><!-- \u2028' });
    assert.ok(!json.includes('<') && !json.includes('\u2028'));
    assert.deepEqual(JSON.parse(json), { s: '</script><!-- \u2028' });
  });

  it('the table helper escapes hostile text everywhere and passes only html(...) markup through', () => {
    const hostile = `"><script>alert('x')</script>&`;
    const table = htmlTable({
      className: `t" onclick="x`,
      rowClass: () => `r"><b>`,
      columns: [
        {
          header: hostile,
          cell: (row: { text: string; span: boolean }) => (row.span ? SPANNED : { content: row.text, scope: 'rowgroup' as const, rowSpan: 2, title: hostile }),
        },
        { header: html('E<sub>b</sub>'), className: 'num', cell: (row) => row.text },
        { header: 'n', cell: () => 7 },
      ],
      rows: [
        { text: hostile, span: false },
        { text: '<img src=x onerror=alert(1)>', span: true },
      ],
    });
    assert.doesNotMatch(table, /<script|<img|<b>|onclick="x/);
    assert.match(table, /^<table class="t&quot; onclick=&quot;x">/);
    assert.match(table, /<th>&quot;&gt;&lt;script&gt;alert\(&#39;x&#39;\)&lt;\/script&gt;&amp;<\/th><th>E<sub>b<\/sub><\/th><th>n<\/th>/);
    assert.match(table, /<th scope="rowgroup" rowspan="2" title="&quot;&gt;&lt;script&gt;[^"]*">&quot;&gt;&lt;script&gt;/);
    assert.match(table, /<td class="num">&lt;img src=x onerror=alert\(1\)&gt;<\/td><td>7<\/td><\/tr>/);
    // the spanned row has one cell fewer
    const rows = table.match(/<tr[ >].*?<\/tr>/g)!;
    assert.equal(rows.length, 3);
    assert.equal(rows[2].match(/<t[dh]\b/g)!.length, 2);
  });

  it('is one self-contained page with no network references', () => {
    const html = renderReport(fixtureResults());
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    // The page itself, outside the Plotly bundle (whose code mentions plotly.com for its optional modebar logo,
    // switched off here; the browser test checks the rendered page makes no requests and has no such links).
    const page = html.replace(/<script>[\s\S]*?window\.Plotly = Plotly;[\s\S]*?<\/script>/, '<script></script>');
    assert.ok(page.length < html.length - 1_000_000, 'the bundle was found and stripped');
    assert.doesNotMatch(page, /https?:/);
    assert.doesNotMatch(html, /<(link|iframe|img|object|embed)\b/i);
    assert.doesNotMatch(page, /\b(src|href)\s*=/i);
    assert.doesNotMatch(html, /@import|url\(\s*["']?https?:/i);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.ok(html.includes('window.Plotly'), 'the Plotly bundle is inlined');
    // Exactly three script elements (data, Plotly, drawing), none with src.
    assert.equal(html.match(/<script\b/g)?.length, 3);
    // User strings are escaped everywhere outside the JSON data.
    assert.ok(!html.includes('<script>alert(1)'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!html.includes('<b>with</b>'));
  });

  it('shows the QUICK RUN banner only for quick runs', () => {
    assert.doesNotMatch(renderReport(fixtureResults()), /id="quick-banner"/);
    assert.match(renderReport(fixtureResults({ quick: true })), /id="quick-banner">QUICK RUN/);
  });

  it('BLER figure: CI error bars, zero-error upper bounds, closed forms dashed, unfinished points left out', () => {
    const r = fixtureResults();
    const { figure, zeroErrorPoints, leftOut } = blerFigure(r);
    assert.equal(zeroErrorPoints, 1);
    assert.equal(leftOut, 1);
    const bound = figure.data.find((t) => String(t.name).includes('no errors'))!;
    assert.deepEqual(bound.x, [8]);
    assert.equal((bound.marker as { symbol: string }).symbol, 'triangle-down-open');
    const hml = r.curves.find((c) => c.id === 'hml')!;
    assert.deepEqual(bound.y, [hml.points[4].ciHigh]);
    const bpsk = figure.data.find((t) => t.name === 'Uncoded BPSK (4,4)')!;
    assert.deepEqual(bpsk.x, [0, 2, 4, 6], 'the not-simulated 8 dB point is left out');
    const ey = bpsk.error_y as { array: number[]; arrayminus: number[] };
    const p0 = r.curves.find((c) => c.id === 'bpsk4')!.points[0];
    assert.ok(Math.abs(ey.array[0] - (p0.ciHigh - p0.bler)) < 1e-15 && Math.abs(ey.arrayminus[0] - (p0.bler - p0.ciLow)) < 1e-15);
    const closed = figure.data.filter((t) => String(t.name).endsWith('— closed form'));
    assert.equal(closed.length, 2);
    // Closed forms look like nothing measured: wide, pale, solid, no markers; measured traces all have markers.
    for (const t of closed) {
      assert.equal(t.mode, 'lines');
      assert.ok((t.line as { width: number }).width >= 5 && (t.opacity as number) < 0.5);
    }
    for (const t of figure.data.filter((d) => !closed.includes(d))) assert.match(String(t.mode), /markers/);
    assert.equal((figure.layout.yaxis as { type: string }).type, 'log');
  });

  it('BER figure beside the BLER one: BER points with their intervals, closed-form BER, searched labelling in BER only', () => {
    const r = fixtureResults();
    const { figure } = berFigure(r);
    assert.equal(figure.id, 'fig-ber');
    const bpsk = figure.data.find((t) => t.name === 'Uncoded BPSK (4,4)')!;
    const p0 = r.curves.find((c) => c.id === 'bpsk4')!.points[0];
    assert.equal((bpsk.y as number[])[0], p0.ber);
    const ey = bpsk.error_y as { array: number[]; arrayminus: number[] };
    assert.ok(Math.abs(ey.array[0] - (p0.berCiHigh! - p0.ber!)) < 1e-15 && Math.abs(ey.arrayminus[0] - (p0.ber! - p0.berCiLow!)) < 1e-15);
    assert.ok(figure.data.some((t) => t.name === 'Uncoded BPSK (4,4) — closed form'));
    // A searched-labelling curve (same blocks as its autoencoder): drawn in the BER plot, not the BLER plot.
    const ae = r.curves.find((c) => c.id === 'ae74')!;
    const searched: Curve = {
      ...ae,
      id: 'ae74-searched',
      label: 'searched',
      type: 'autoencoder-labelled',
      labelledOf: 'ae74',
      labelling: 'searched',
      labels: [0, 1, 3, 2, 4, 5, 7, 6, 8, 9, 11, 10, 12, 13, 15, 14],
      labellingSearch: { ebnoDb: 3, startCost: 0.02, cost: 0.015, swaps: 4 },
    };
    delete searched.training;
    const withSearched = { ...r, curves: [...r.curves, searched] };
    assert.ok(berFigure(withSearched).figure.data.some((t) => t.name === 'searched'));
    assert.ok(!blerFigure(withSearched).figure.data.some((t) => t.name === 'searched'));
    const page = renderReport(withSearched);
    assert.match(page, /id="fig-ber"/);
    assert.match(
      page,
      /searched: binary switching search at 3 dB from the natural labelling of ae74, 4 swaps, union bound on the BER 2\.00e-2 \(natural\) → 1\.50e-2 \(searched\)/,
    );
    // Without any bit counts (an old results.json) there is no BER plot.
    const old = {
      ...r,
      curves: r.curves.map(({ analyticBer: _f, ...c }) => ({
        ...c,
        points: c.points.map(({ bitErrors: _a, bitErrorsSq: _b, ber: _c, berCiLow: _d, berCiHigh: _e, ...p }) => p),
      })),
    };
    assert.doesNotMatch(renderReport(old), /id="fig-ber"/);
  });

  it('constellations: I/Q planes for complex, direct for n ≤ 2 real, PCA above', () => {
    const r = fixtureResults();
    const psk = r.curves.find((c) => c.id === 'psk')!;
    const panels = constellationPanels(psk, '#000', 'p');
    assert.equal(panels.length, 1);
    assert.match(panels[0].subtitle, /I\/Q plane/);
    const x = panels[0].figure.data[0].x as number[];
    assert.equal(x.length, 16);
    const two: Curve = { ...psk, n: 2, codebook: psk.codebook!.map((row) => [row[0], row[1], row[1], -row[0]]) };
    assert.equal(constellationPanels(two, '#000', 'q').length, 2, 'one plane per complex use');
    const ae74 = r.curves.find((c) => c.id === 'ae74')!;
    const pca = constellationPanels(ae74, '#000', 'r');
    assert.equal(pca.length, 2, 'PCA and metric MDS side by side');
    assert.match(pca[0].subtitle, /PCA of 7 dims/);
    assert.match(pca[1].subtitle, /metric MDS of 7 dims \(stress 0\.\d\d; PCA layout 0\.\d\d\)/);
    const real2: Curve = {
      ...ae74,
      n: 2,
      codebook: [
        [1, 0],
        [0, 1],
        [-1, 0],
        [0, -1],
      ],
    };
    assert.deepEqual(constellationPanels(real2, '#000', 's')[0].figure.data[0].y, [0, 1, 0, -1]);
  });

  it('several power constraints with the same k, n are grouped side by side', () => {
    const html = renderReport(fixtureResults());
    assert.match(html, /k = 4, n = 1 complex channel use \(2 real dimensions\), M = 16 — Power constraints side by side/);
  });

  it('PCA: Jacobi eigen-solver and the projection', () => {
    const { values, vectors } = symmetricEigen([4, 1, 0, 1, 3, 0, 0, 0, 1], 3);
    const expect = [(7 + Math.sqrt(5)) / 2, (7 - Math.sqrt(5)) / 2, 1];
    values.forEach((v, i) => assert.ok(Math.abs(v - expect[i]) < 1e-12, `eigenvalue ${i}`));
    // A·v = λ·v
    const A = [
      [4, 1, 0],
      [1, 3, 0],
      [0, 0, 1],
    ];
    vectors.forEach((v, i) => A.forEach((row, r) => assert.ok(Math.abs(row.reduce((s, a, c) => s + a * v[c], 0) - values[i] * v[r]) < 1e-12)));
    // Points on a 2-D plane inside 5-D: the projection keeps all the energy and all distances.
    const rows = [
      [0, 0],
      [3, 0],
      [0, 1],
      [3, 1],
      [1.5, 0.5],
    ].map(([a, b]) => [a + b, a - b, 2 * a, 0, b]);
    const p = pca2(rows);
    assert.ok(Math.abs(p.explained[0] + p.explained[1] - 1) < 1e-12);
    const d = (u: number[], v: number[]) => Math.hypot(...u.map((x, i) => x - v[i]));
    for (let i = 0; i < rows.length; i++) for (let j = 0; j < i; j++) assert.ok(Math.abs(d(rows[i], rows[j]) - d(p.points[i], p.points[j])) < 1e-9);
  });

  it('writeFileAtomic: a throwing renderer leaves the old file intact and no temp files', async () => {
    const file = join(dir, 'atomic', 'report.html');
    await writeFileAtomic(file, 'old report');
    await assert.rejects(
      writeFileAtomic(file, () => {
        throw new Error('render failed');
      }),
      /render failed/,
    );
    assert.equal(await readFile(file, 'utf8'), 'old report');
    assert.deepEqual(readdirSync(join(dir, 'atomic')), ['report.html']);
    await writeFileAtomic(file, async () => 'new report');
    assert.equal(await readFile(file, 'utf8'), 'new report');
    assert.deepEqual(readdirSync(join(dir, 'atomic')), ['report.html']);
  });

  it('writeFileAtomic: an output location the user must fix is a UserError naming the file (no stack trace)', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'x');
    const target = join(blocker, 'report.html'); // a file where a folder should be: ENOTDIR/EEXIST even as root
    await assert.rejects(writeFileAtomic(target, 'report'), (e: unknown) => e instanceof UserError && e.message.startsWith(`${target}: cannot write it`));
  });

  it('readResults validates loosely and says what is wrong', async () => {
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify(fixtureResults()));
    const r = await readResults(good);
    assert.equal(r.curves.length, 6);
    assert.deepEqual(checkResults({ scenario: { name: 'x', sweep: { ebnoDb: [] } }, curves: [{ id: 'a', k: 1, n: 1, points: [{}] }] }), [
      'curves[0].points[0]: needs ebnoDb, bler and status',
    ]);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ hello: 1 }));
    await assert.rejects(readResults(bad), /bad\.json: not a results file of this simulator:\n {2}scenario: missing/);
    await assert.rejects(readResults(join(dir, 'none.json')), /none\.json: cannot read: no such file/);
  });

  it('index.html lists every run folder with a results.json', async () => {
    const out = join(dir, 'reports');
    for (const [folder, quick] of [
      ['a', false],
      ['b', true],
    ] as const) {
      const r = fixtureResults({ quick });
      r.scenario.name = folder;
      r.startedAt = folder === 'a' ? '2025-01-01T00:00:00.000Z' : '2025-02-01T00:00:00.000Z';
      await mkdir(join(out, folder), { recursive: true });
      await writeFile(join(out, folder, 'results.json'), JSON.stringify(r));
      await writeFile(join(out, folder, 'report.html'), 'x');
    }
    await mkdir(join(out, 'not-a-run'), { recursive: true });
    const file = await writeIndex(out);
    const html = await readFile(file, 'utf8');
    assert.ok(html.indexOf('b/report.html') < html.indexOf('a/report.html'), 'newest first');
    assert.match(html, /QUICK/);
    assert.ok(!html.includes('not-a-run'));
    assert.ok(existsSync(join(out, 'index.html')));
  });
});
