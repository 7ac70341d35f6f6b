/**
 * The report for a new user: codebook geometry against hand-computed values, MDS
 * against known layouts, crossing intervals by hand, what the incomplete banner says, one label convention,
 * the unit circle, closed forms within the measured range, accuracy in the training plot.
 */
import assert from 'node:assert/strict';
import { annotateResults } from '../../src/analysis/annotate.ts';
import { analyzeResults, mlReferenceClaims, PAPER_BOUNDS } from '../../src/analysis/claims.ts';
import { crossingInterval, gapInterval, type MeasuredPoint } from '../../src/analysis/gaps.ts';
import { codebookGeometry, cumulativeSpectrum, distanceProfile, energyNormalized, hamming74Rows } from '../../src/analysis/geometry.ts';
import { DEFAULTS } from '../../src/defaults.ts';
import { reportMsg } from '../../src/messages.ts';
import type { PointResult } from '../../src/montecarlo/types.ts';
import { blerFigure, completeness, constellationPanels, mds2, pca2, renderReport, trainingFigure, type Curve } from '../../src/report/index.ts';
import { curvePlan, parseScenario } from '../../src/scenario/index.ts';
import { fixtureResults } from '../browser/fixture.ts';

const near = (a: number | null | undefined, b: number, tol = 1e-9, what = '') =>
  assert.ok(a !== null && a !== undefined && Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

describe('codebook geometry (energy-normalized d²min, kissing number, distance spectrum)', () => {
  it('Hamming (7,4) as BPSK: d²min 12 (= 4·3), every codeword has 7 neighbours there; spectrum 7, 14, 15 at d² = 12, 16, 28', () => {
    const g = distanceProfile(hamming74Rows(), 0);
    assert.equal(g.d2min, 12);
    assert.equal(g.kissingMean, 7);
    assert.equal(g.kissingMax, 7);
    assert.deepEqual(cumulativeSpectrum(hamming74Rows()), { d2: [12, 16, 28], neighbours: [7, 14, 15] });
  });

  it('16-PSK on the unit circle: d²min = 4 sin²(π/16), two neighbours each', () => {
    const psk = Array.from({ length: 16 }, (_, m) => [Math.cos((2 * Math.PI * m) / 16), Math.sin((2 * Math.PI * m) / 16)]);
    const g = codebookGeometry({ codebook: psk, k: 4, n: 1, signalling: 'complex' })!;
    near(g.d2min, 4 * Math.sin(Math.PI / 16) ** 2, 1e-12);
    assert.equal(g.kissingMean, 2);
    assert.equal(g.kissingMax, 2);
    assert.equal(g.reference, undefined, 'not (7,4)-shaped');
  });

  it('16-QAM given on the ±1, ±3 grid (mean energy 10) is scaled to mean energy n = 1: d²min 4/10; corners 2, edges 3, inner 4 neighbours', () => {
    const lv = [-3, -1, 1, 3];
    const qam = Array.from({ length: 16 }, (_, m) => [lv[m % 4], lv[m >> 2]]);
    const g = codebookGeometry({ codebook: qam, k: 4, n: 1, signalling: 'complex' })!;
    near(g.d2min, 0.4, 1e-12);
    near(g.kissingMean, (4 * 2 + 8 * 3 + 4 * 4) / 16, 1e-12); // 3
    assert.equal(g.kissingMax, 4);
    const scaled = energyNormalized(qam, 1);
    near(scaled.reduce((s, r) => s + r[0] ** 2 + r[1] ** 2, 0) / 16, 1, 1e-12);
  });

  it('a real (7,4) codebook carries the Hamming reference; scaling it does not change its geometry', () => {
    const rows = hamming74Rows().map((r) => r.map((v) => 0.3 * v));
    const g = codebookGeometry({ codebook: rows, k: 4, n: 7, signalling: 'real' })!;
    near(g.d2min, 12, 1e-9);
    assert.equal(g.kissingMean, 7);
    assert.deepEqual(g.reference, { name: 'Hamming (7,4) as BPSK', d2min: 12, kissingMean: 7, kissingMax: 7, tolerance: DEFAULTS.analysis.kissingTolerance });
  });

  it('annotateResults writes the geometry of every learned codebook, and the report shows it in a table with the spectrum', () => {
    const r = fixtureResults();
    const psk = r.curves.find((c) => c.id === 'psk')!;
    near(psk.geometry?.d2min, 4 * Math.sin(Math.PI / 16) ** 2, 1e-9);
    assert.ok(r.curves.find((c) => c.id === 'ae74')!.geometry?.reference, '(7,4) compared with Hamming');
    assert.equal(r.curves.find((c) => c.id === 'hml')!.geometry, undefined, 'classical curves have none');
    assert.equal(r.curves.find((c) => c.id === 'ae74-ml')!.geometry, undefined, 'the -ml curve shares its codebook');
    // The page shows the stored figure, not a recomputation.
    psk.geometry!.d2min = 9.87654;
    const html = renderReport(r, { plotly: '' });
    assert.match(html, /<section class="card" id="geometry">/);
    assert.match(html, /9\.877/);
    assert.match(html, /"id":"fig-spectrum"/);
  });
});

describe('metric MDS beside PCA', () => {
  const dist = (p: readonly number[], q: readonly number[]) => Math.hypot(...p.map((v, i) => v - q[i]));

  it('points that lie in a plane of 5-D space come back with their distances', () => {
    const plane = [
      [0, 0],
      [3, 0],
      [0, 2],
      [1, 1],
      [-2, 1.5],
      [2.5, -1],
    ];
    // An orthonormal pair of 5-D directions (not axis-aligned).
    const u = [1, 1, 1, 1, 0].map((v) => v / 2);
    const w = [1, -1, 1, -1, 2].map((v) => v / Math.sqrt(8));
    const rows = plane.map(([a, b]) => u.map((ui, i) => a * ui + b * w[i] + 0.7));
    const m = mds2(rows);
    assert.ok(m.stress < 1e-6, `stress ${m.stress}`);
    for (let i = 0; i < rows.length; i++) for (let j = 0; j < i; j++) near(dist(m.points[i], m.points[j]), dist(plane[i], plane[j]), 1e-5, `${i},${j}`);
  });

  it('a regular tetrahedron (no plane holds it): the MDS layout fits the distances better than the PCA layout it starts from', () => {
    const tet = [
      [1, 1, 1],
      [1, -1, -1],
      [-1, 1, -1],
      [-1, -1, 1],
    ];
    const m = mds2(tet);
    assert.ok(m.stress < m.pcaStress - 0.01, `MDS ${m.stress} vs PCA ${m.pcaStress}`);
    // The PCA layout of the tetrahedron: a square of side 2 (two edges projected to length 0, stress > 0).
    assert.ok(m.pcaStress > 0.1);
    assert.equal(pca2(tet).points.length, 4);
  });
});

describe("Eb/N0 at target: intervals from the points' Clopper–Pearson bounds", () => {
  const mp = (ebnoDb: number, bler: number, ciLow: number, ciHigh: number, errors: number): MeasuredPoint & PointResult => ({
    ebnoDb,
    bler,
    ciLow,
    ciHigh,
    errors,
    blocks: Math.round(errors / Math.max(bler, 1e-12)),
    seconds: 0,
    status: 'target-errors',
  });

  it('the lower-bound curve gives the low end, the upper-bound curve the high end (by hand)', () => {
    const pts = [mp(0, 1e-2, 5e-3, 2e-2, 100), mp(1, 1e-4, 5e-5, 2e-4, 7)];
    const iv = crossingInterval(pts, '1e-3');
    // log10: upper 2e-2 → 2e-4 spans −1.69897 → −3.69897; −3 is (3 − 1.69897)/2 = 0.650515 of the way.
    near(iv.high, (3 - Math.log10(1 / 2e-2)) / 2, 1e-12);
    near(iv.low, (3 - Math.log10(1 / 5e-3)) / 2, 1e-12);
    assert.equal(iv.errors, 7, 'the fewer errors of the two points');
    const shifted = crossingInterval(
      pts.map((p) => ({ ...p, ebnoDb: p.ebnoDb + 1 })),
      '1e-3',
    );
    const g = gapInterval(iv, shifted);
    near(g.low, iv.low! - shifted.high!, 1e-12);
    near(g.high, iv.high! - shifted.low!, 1e-12);
  });

  it('a zero-error point bounds the upper curve; an upper curve that never reaches the target leaves the interval open', () => {
    const zero = { ...mp(2, 0, 0, 3.7e-5, 0) };
    const iv = crossingInterval([mp(0, 1e-2, 5e-3, 2e-2, 100), mp(1, 2e-4, 1e-4, 1.5e-3, 20), zero], '1e-3');
    // Upper curve: 1.5e-3 at 1 dB, 3.7e-5 at 2 dB (the zero-error point's bound).
    near(iv.high, 1 + (Math.log10(1.5e-3) + 3) / (Math.log10(1.5e-3) - Math.log10(3.7e-5)), 1e-12);
    const open = crossingInterval([mp(0, 1e-2, 5e-3, 2e-2, 100), mp(1, 5e-4, 1e-4, 1.5e-3, 20)], '1e-3');
    assert.equal(open.high, null);
  });

  it('analyzeResults marks values resting on fewer than DEFAULTS.analysis.fewErrors errors, and the tables show interval and mark', () => {
    assert.equal(DEFAULTS.analysis.fewErrors, 10);
    const r = fixtureResults();
    const c = r.curves.find((x) => x.id === 'ae74')!;
    c.points = [mp(0, 1e-2, 5e-3, 2e-2, 100), mp(1, 1e-4, 5e-5, 2e-4, 3)];
    const a = analyzeResults(r);
    const iv = a.ebnoAtBlerCi.ae74['1e-3']!;
    assert.equal(iv.errors, 3);
    assert.equal(iv.fewErrors, true);
    assert.ok(iv.low! < a.ebnoAtBler.ae74['1e-3']! && a.ebnoAtBler.ae74['1e-3']! < iv.high!);
    const g = a.gaps.find((x) => x.a === 'ae74' && x.b === 'hml' && x.target === '1e-3')!;
    assert.equal(g.fewErrors, true);
    annotateResults(r);
    const html = renderReport(r, { plotly: '' });
    assert.match(
      html,
      /<td class="num few-errors" title="rests on a point with only 3 block errors \(fewer than 10\)[^"]*">0\.50 <span class="ci">\[0\.35, 0\.65\]<\/span><sup class="few">†<\/sup>/,
    );
  });
});

describe('incomplete runs: the banner says what is missing', () => {
  const pt = (status: PointResult['status'], reason?: PointResult['reason']): PointResult => ({
    ebnoDb: 0,
    blocks: status === 'target-errors' ? 1000 : 0,
    errors: status === 'target-errors' ? 100 : 0,
    bler: 0.1,
    ciLow: 0.08,
    ciHigh: 0.12,
    seconds: 0,
    status,
    ...(reason ? { reason } : {}),
  });

  it('names the curves never simulated and the one that stopped part way, not the one the sweep ended early', () => {
    const r = fixtureResults();
    r.curves = r.curves.filter((c) => c.id !== 'ae74-ml');
    const [ae74, psk, qam, hml] = ['ae74', 'psk', 'qam', 'hml'].map((id) => r.curves.find((c) => c.id === id)!);
    ae74.points = Array.from({ length: 17 }, (_, j) =>
      j < 3 ? pt('target-errors') : j === 3 ? pt('interrupted', 'interrupted') : pt('not-simulated', 'not-run-yet'),
    );
    psk.points = psk.points.map(() => pt('not-simulated', 'not-run-yet'));
    qam.points = qam.points.map(() => pt('not-simulated', 'not-run-yet'));
    hml.points = [pt('target-errors'), pt('target-errors'), pt('not-simulated', 'sweep-stopped')];
    r.complete = false;
    const c = completeness(r);
    assert.deepEqual(
      c.curves.map((x) => x.id),
      ['ae74', 'psk', 'qam'],
    );
    assert.equal(c.missingPoints, 14 + psk.points.length + qam.points.length);
    const text = reportMsg.incompleteBanner(c.curves);
    assert.equal(
      text,
      `INCOMPLETE RUN — curves "${psk.label}", "${qam.label}" were not simulated; curve "${ae74.label}" stopped after 3 of 17 points (1 interrupted, 13 not run yet). Resume with sim run … --resume.`,
    );
    assert.match(renderReport(r, { plotly: '' }), /id="incomplete-banner">INCOMPLETE RUN — curves/);
  });

  it('a shard says which points are in other shards and suggests merging', () => {
    const r = fixtureResults();
    r.curves = [r.curves[0]];
    r.curves[0].points = [pt('target-errors'), pt('not-simulated', 'not-in-shard'), pt('target-errors'), pt('not-simulated', 'not-in-shard')];
    const text = reportMsg.incompleteBanner(completeness(r).curves);
    assert.match(text, /has 2 of 4 points here \(2 in other shards\)\. Merge the shards with sim merge\.$/);
  });

  it('a complete run (the sweep stopping early included) has no banner', () => {
    assert.deepEqual(completeness(fixtureResults()).curves, []);
    assert.doesNotMatch(renderReport(fixtureResults(), { plotly: '' }), /id="incomplete-banner"/);
  });
});

describe("one label convention: the scenario's n, complex said", () => {
  const sc = parseScenario(
    `
name: labels
sweep: { ebnoDb: [0] }
channel: { type: rayleigh, csi: none }
claims: [ml-reference]
systems:
  - { id: c, type: autoencoder, k: 4, n: 1, signalling: complex, mlReference: true }
  - { id: r, type: autoencoder, k: 4, n: 7, normalization: average-power }
  - { id: q, type: uncoded, modulation: qpsk, k: 4 }
  - { id: m, type: uncoded, modulation: qam16, k: 4 }
  - { id: b, type: uncoded, modulation: bpsk, k: 4 }
  - { id: h, type: hamming74, decoding: ml }
`,
    'labels.yaml',
  );

  it('labels every curve (n,k) with n its channel uses', () => {
    assert.deepEqual(
      curvePlan(sc).map((p) => p.label),
      [
        'AE (1,4) complex, energy',
        'AE (1,4) complex, energy + nearest-codeword decoding (not ML here)',
        'AE (7,4), avg. power',
        'AE (7,4), avg. power + nearest-codeword decoding (not ML here)',
        'Uncoded QPSK (2,4) complex',
        'Uncoded 16-QAM (1,4) complex',
        'Uncoded BPSK (4,4)',
        'Hamming (7,4) ML',
      ],
    );
  });

  it('the findings use the same words as the curve they read (no CSI: nearest-codeword, not ML)', () => {
    const r = fixtureResults();
    const c = r.curves.find((x) => x.id === 'ae74')!;
    c.channel = { type: 'rayleigh', coherence: 'block', csi: 'none' };
    const rows = mlReferenceClaims(r, PAPER_BOUNDS);
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.match(row.claim, /learned decoder vs nearest-codeword decoding \(not ML here\) of its codebook/);
      assert.doesNotMatch(row.claim, /vs ML decoding/);
    }
  });
});

describe('figures', () => {
  it('closed forms stay within the measured range plus the margin', () => {
    const r = fixtureResults();
    let yMin = 1;
    let xMax = -Infinity;
    for (const c of r.curves)
      for (const p of c.points)
        if (p.status === 'target-errors' || p.status === 'max-blocks') {
          yMin = Math.min(yMin, p.errors > 0 ? p.ciLow : p.ciHigh);
          xMax = Math.max(xMax, p.ebnoDb);
        }
    // Push the Hamming closed form far beyond the measurements.
    const hml = r.curves.find((c) => c.id === 'hml')!;
    hml.analytic = Array.from({ length: 41 }, (_, i) => ({ ebnoDb: i * 0.5, bler: 10 ** (-i / 3) }));
    const closed = blerFigure(r).figure.data.filter((t) => String(t.name).endsWith('— closed form'));
    assert.ok(closed.length > 0);
    for (const t of closed) {
      for (const x of t.x as number[]) assert.ok(x <= xMax + DEFAULTS.analysis.closedFormDb + 1e-9, `x ${x}`);
      for (const y of t.y as number[]) assert.ok(y >= yMin / 10 ** DEFAULTS.analysis.closedFormDecades - 1e-18, `y ${y}`);
    }
    const h = closed.find((t) => String(t.name).startsWith(hml.label))!;
    assert.ok((h.x as number[]).length < 41, 'the far tail is cut');
  });

  it('the dotted circle ‖x‖² = 1 only on complex n = 1 codebooks with a per-codeword energy constraint, and the caption says so', () => {
    const r = fixtureResults();
    const psk = r.curves.find((c) => c.id === 'psk')!; // energy
    const qam = r.curves.find((c) => c.id === 'qam')!; // average power
    const shapes = (c: Curve) => (constellationPanels(c, '#000', 'x')[0].figure.layout.shapes as unknown[]).length;
    assert.equal(shapes(psk), 1);
    assert.match(constellationPanels(psk, '#000', 'x')[0].subtitle, /dotted circle: ‖x‖² = n = 1/);
    assert.equal(shapes({ ...psk, normalization: 'energy-max' }), 1);
    assert.equal(shapes(qam), 0);
    assert.doesNotMatch(constellationPanels(qam, '#000', 'x')[0].subtitle, /circle/);
    const two: Curve = { ...psk, n: 2, codebook: psk.codebook!.map((row) => [row[0], row[1], row[1], -row[0]]) };
    assert.equal(shapes(two), 0, "n = 2: a codeword's energy is shared between two planes");
  });

  it('the training plot shows accuracy on a second axis', () => {
    const f = trainingFigure(fixtureResults())!;
    const acc = f.data.filter((t) => t.yaxis === 'y2');
    assert.equal(acc.length, 3, 'one accuracy trace per trained autoencoder');
    assert.ok((acc[0].y as number[]).every((v) => v >= 0 && v <= 1));
    assert.equal((f.layout.yaxis2 as { overlaying: string }).overlaying, 'y');
  });
});
