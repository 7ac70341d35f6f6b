import { bareResults } from '../browser/fixture.ts';
import assert from 'node:assert/strict';
import { uncodedBler } from '../../src/baselines/index.ts';
import { findingsOf } from '../../src/analysis/claim-registry.ts';
import { claimsMarkdown } from '../../src/analysis/claims-markdown.ts';
import { analyzeResults, fig3aClaims, powerClaims, PAPER_BOUNDS, robustnessClaims } from '../../src/analysis/claims.ts';
import { circleGeometry, minDistance, points2d } from '../../src/analysis/constellation.ts';
import { ebnoAtBler, gap, type CurvePoint } from '../../src/analysis/gaps.ts';
import { ebnoAtBlerTable, escapeHtml, findingsTable, gapsTable } from '../../src/report/index.ts';
import type { PointResult } from '../../src/montecarlo/types.ts';
import type { Curve, ResultsFile } from '../../src/results/results.ts';
import { parseScenario } from '../../src/scenario/index.ts';

const pt = (ebnoDb: number, bler: number, status: PointResult['status'] = 'target-errors', errors = 100): PointResult => ({
  ebnoDb,
  bler,
  errors,
  blocks: bler > 0 ? Math.round(errors / bler) : 1000,
  ciLow: 0,
  ciHigh: 1,
  seconds: 0,
  status,
});
const near = (a: number | null, b: number, tol = 1e-9) => assert.ok(a !== null && Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('analysis: ebnoAtBler', () => {
  it('interpolates linearly in log10(BLER)', () => {
    near(ebnoAtBler([pt(0, 1e-2), pt(1, 1e-4)], 1e-3).ebnoDb, 0.5);
    // log10(2e-3) = -2.69897, log10(5e-4) = -3.30103: 1e-3 is half-way
    near(ebnoAtBler([pt(1, 1e-2), pt(2, 2e-3), pt(3, 5e-4), pt(4, 1e-5)], '1e-3').ebnoDb, 2.5);
    // 1e-4 between 5e-4 @3 and 1e-5 @4: frac = (log10 5e-4 + 4) / (log10 5e-4 + 5) = 0.69897 / 1.69897
    near(ebnoAtBler([pt(1, 1e-2), pt(2, 2e-3), pt(3, 5e-4), pt(4, 1e-5)], '1e-4').ebnoDb, 3 + 0.69897000433 / 1.69897000433, 1e-9);
  });

  it('sorts points and skips unfinished and zero-error points', () => {
    const pts = [pt(3, 1e-5, 'interrupted'), pt(1, 1e-4, 'max-blocks'), pt(0, 1e-2), pt(0.5, 0, 'target-errors', 0), pt(2, 0, 'not-simulated', 0)];
    near(ebnoAtBler(pts, 1e-3).ebnoDb, 0.5);
    const r = ebnoAtBler(pts, 1e-5);
    assert.equal(r.ebnoDb, null);
    assert.match((r as { reason: string }).reason, /not reached.*1\.00e-4 at 1 dB/);
  });

  it('returns exact hits as they are', () => {
    const r = ebnoAtBler([pt(0, 1e-2), pt(1, 1e-3), pt(2, 1e-4)], 1e-3);
    assert.equal(r.ebnoDb, 1);
    assert.equal((r as { exact: boolean }).exact, true);
    assert.equal(ebnoAtBler([pt(0, 1e-2), pt(1, 1e-3), pt(2, 1e-4)], 1e-4).ebnoDb, 2);
  });

  it('uses the last downward crossing of a non-monotone curve', () => {
    const r = ebnoAtBler([pt(0, 1e-2), pt(1, 8e-4), pt(2, 1.2e-3), pt(3, 1e-4)], 1e-3);
    const frac = (Math.log10(1.2e-3) + 3) / (Math.log10(1.2e-3) + 4);
    near(r.ebnoDb, 2 + frac, 1e-12);
    assert.equal((r as { nonMonotone: boolean }).nonMonotone, true);
    assert.deepEqual((r as { between: number[] }).between, [2, 3]);
    // a noisy but monotone-enough curve is flagged as monotone
    assert.equal((ebnoAtBler([pt(0, 1e-2), pt(1, 1.1e-2), pt(2, 1e-4)], 1e-3) as { nonMonotone: boolean }).nonMonotone, false);
  });

  it('returns null with a reason when the target lies above the first point or is never reached', () => {
    const starts = ebnoAtBler([pt(4, 5e-4), pt(5, 1e-5)], 1e-3);
    assert.equal(starts.ebnoDb, null);
    assert.match((starts as { reason: string }).reason, /starts below/);
    const never = ebnoAtBler([pt(0, 1e-1), pt(1, 1e-2)], '1e-3');
    assert.equal(never.ebnoDb, null);
    assert.match((never as { reason: string }).reason, /not reached/);
    assert.equal(ebnoAtBler([], 1e-3).ebnoDb, null);
    assert.throws(() => ebnoAtBler([pt(0, 0.1)], 0));
  });

  it('reads closed-form curves (uncoded BPSK reaches BER 1e-5 at 9.59 dB)', () => {
    const grid: CurvePoint[] = Array.from({ length: 49 }, (_, i) => ({ ebnoDb: i * 0.25, bler: uncodedBler('bpsk', 1, { type: 'awgn' }, i * 0.25)! }));
    near(ebnoAtBler(grid, 1e-5).ebnoDb, 9.5875, 0.02);
    near(ebnoAtBler(grid, 1e-3).ebnoDb, 6.7895, 0.02);
  });

  it('gap is A minus B, null when either side is missing', () => {
    const a = [pt(0, 1e-2), pt(1, 1e-4)];
    const b = [pt(2, 1e-2), pt(3, 1e-4)];
    near(gap(a, b, 1e-3).db, -2);
    near(gap({ points: b }, { points: a }, '1e-3').db, 2);
    const g = gap(a, [pt(0, 0.5)], 1e-3);
    assert.equal(g.db, null);
    assert.match(g.reason!, /^B: not reached/);
  });
});

describe('analysis: constellation geometry', () => {
  const psk = (M: number, r = 1, phase = 0.1): [number, number][] =>
    Array.from({ length: M }, (_, i) => [r * Math.cos(phase + (2 * Math.PI * i) / M), r * Math.sin(phase + (2 * Math.PI * i) / M)]);
  const qam16: [number, number][] = [];
  for (const i of [-3, -1, 1, 3]) for (const q of [-3, -1, 1, 3]) qam16.push([i, q]);

  it('16-PSK: one circle, gap ratio 1', () => {
    const g = circleGeometry(psk(16));
    assert.ok(g.onOneCircle);
    near(g.gapRatio, 1, 1e-12);
    near(g.radiusRatio, 1, 1e-12);
    near(g.relativeRadiusSpread, 0, 1e-12);
    near(minDistance(psk(16)).distance, 2 * Math.sin(Math.PI / 16), 1e-12);
  });

  it('16-QAM: three rings, max/min radius 3, two points on one ray', () => {
    const g = circleGeometry(qam16);
    assert.equal(g.onOneCircle, false);
    near(g.radiusRatio, 3, 1e-12);
    near(g.minRadius, Math.SQRT2, 1e-12);
    near(g.maxRadius, Math.sqrt(18), 1e-12);
    near(g.minAngularGap, 0, 1e-12);
    near(minDistance(qam16).distance, 2, 1e-12);
  });

  it('a PSK with one point pushed off reports the squeezed gap and the radius spread', () => {
    const pts = psk(8, 1, 0);
    pts[1] = [1.03 * Math.cos(Math.PI / 8), 1.03 * Math.sin(Math.PI / 8)]; // half-way to point 0's neighbour 2
    const g = circleGeometry(pts);
    near(g.gapRatio, 0.5, 1e-12);
    near(g.relativeRadiusSpread, 0.03 / (1 + 0.03 / 8), 1e-12);
    assert.ok(g.onOneCircle); // 3% < default 5%
    assert.equal(circleGeometry(pts, 0.01).onOneCircle, false);
  });

  it('random sets: min distance matches a brute-force check; complex rows and real rows agree', () => {
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    for (const [M, n] of [
      [16, 2],
      [16, 7],
      [5, 3],
    ] as const) {
      const rows = Array.from({ length: M }, () => Array.from({ length: n }, rnd));
      let best = Infinity;
      for (const a of rows) for (const b of rows) if (a !== b) best = Math.min(best, Math.hypot(...a.map((v, i) => v - b[i])));
      const d = minDistance(rows);
      near(d.distance, best, 1e-12);
      near(d.squared, best * best, 1e-12);
      near(minDistance(rows.map((r) => r.map((v) => 3 * v))).distance, 3 * best, 1e-12);
    }
    const real = Array.from({ length: 16 }, () => [rnd(), rnd()]);
    assert.deepEqual(points2d(real), real);
    assert.equal(points2d([[1, 2, 3]]), undefined);
  });
});

// ------------------------------------------------------------------------------------------ claims

/**
 * A curve whose BLER falls one decade per dB, reaching 1e-3 at `at1e3` dB; each point's interval is
 * [BLER/spread, BLER·spread] (1.1: ±0.04 dB on a crossing), or [0, 1] (open) without a spread.
 */
function decadeCurve(id: string, at1e3: number, extra: Partial<Curve> = {}, spread: number | null = 1.1): Curve {
  const points = Array.from({ length: 9 }, (_, i) => {
    const p = pt(at1e3 - 2 + i, 10 ** (-1 - i));
    return spread === null ? p : { ...p, ciLow: p.bler / spread, ciHigh: p.bler * spread };
  });
  return { id, label: id, type: 'uncoded', k: 4, n: 7, rate: 4 / 7, signalling: 'real', channel: { type: 'awgn' }, points, ...extra };
}

function results(yaml: string, curves: Curve[]): ResultsFile {
  return bareResults(parseScenario(yaml, 'test.yaml'), curves);
}

const FIG3A = `
name: fig3a-hamming74
sweep: { ebnoDb: [0, 1] }
compare: [[ae74, hamming-ml], [ae74, hamming-hard]]
systems:
  - { id: ae74, type: autoencoder, k: 4, n: 7 }
  - { id: hamming-ml, type: hamming74, decoding: ml }
  - { id: hamming-hard, type: hamming74, decoding: hard }
`;

describe('analysis: claims and analyzeResults', () => {
  it('fig3a: gaps to Hamming ML and hard decision against the bounds', () => {
    const r = results(FIG3A, [
      decadeCurve('ae74', 5.2, {
        type: 'autoencoder',
        codebook: [
          [1, 1],
          [-1, -1],
        ],
      }),
      decadeCurve('hamming-ml', 5),
      decadeCurve('hamming-hard', 6.5),
    ]);
    const claims = fig3aClaims(r);
    assert.deepEqual(
      claims.map((c) => [c.id, c.measured, c.verdict]),
      [
        ['fig3a/ae-vs-hamming-ml@1e-3', 0.2, 'PASS'],
        ['fig3a/ae-vs-hamming-ml@1e-4', 0.2, 'PASS'],
        ['fig3a/ae-vs-hamming-ml@1e-5', 0.2, 'PASS'],
        ['fig3a/ae-vs-hamming-hard@1e-4', 1.3, 'PASS'],
      ],
    );
    const worse = fig3aClaims(
      results(FIG3A, [decadeCurve('ae74', 5.4, { type: 'autoencoder' }), decadeCurve('hamming-ml', 5), decadeCurve('hamming-hard', 6)]),
    );
    assert.deepEqual(
      worse.map((c) => c.verdict),
      ['FAIL', 'FAIL', 'FAIL', 'FAIL'],
    );
    // A curve that stops above the target has no figure; its interval is open above, so the data cannot decide.
    const short = decadeCurve('ae74', 5.2, { type: 'autoencoder' });
    short.points = short.points.slice(0, 4);
    const c = fig3aClaims(results(FIG3A, [short, decadeCurve('hamming-ml', 5), decadeCurve('hamming-hard', 6.5)]));
    assert.equal(c[2].verdict, 'INCONCLUSIVE');
    assert.equal(c[2].measured, null);
    assert.equal(c[2].interval?.high, null);
    assert.match(c[2].measuredText, /not reached/);
  });

  it('analyzeResults: Eb/N0 at each target and the compare gaps', () => {
    const r = results(FIG3A, [
      decadeCurve('ae74', 5.2, {}, null),
      decadeCurve('hamming-ml', 5, {}, null),
      {
        ...decadeCurve('hamming-hard', 6.5, {}, null),
        analytic: [
          { ebnoDb: 0, bler: 1e-1 },
          { ebnoDb: 10, bler: 1e-6 },
        ],
      },
    ]);
    const a = analyzeResults(r);
    assert.deepEqual(a.ebnoAtBler.ae74, { '1e-3': 5.2, '1e-4': 6.2, '1e-5': 7.2 });
    assert.deepEqual(a.analyticEbnoAtBler['hamming-hard'], { '1e-3': 4, '1e-4': 6, '1e-5': 8 });
    assert.deepEqual(a.analyticEbnoAtBler.ae74, undefined);
    assert.equal(a.gaps.length, 6);
    // The points' intervals here are [0, 1]: no bound curve crosses, so the gap interval is open on both sides.
    const open = { low: null, high: null, errors: 100, fewErrors: false };
    assert.deepEqual(a.gaps[1], { a: 'ae74', b: 'hamming-ml', target: '1e-4', db: 0.2, ...open });
    assert.deepEqual(a.gaps[4], { a: 'ae74', b: 'hamming-hard', target: '1e-4', db: -1.3, ...open });
    // The report's tables show what the analysis wrote into the results (annotateResults does the writing).
    const curves = r.curves.map((c) => ({ ...c, label: c.id === 'ae74' ? 'AE <7,4>' : c.label, ebnoAtBler: a.ebnoAtBler[c.id] }));
    const html = ebnoAtBlerTable(curves) + gapsTable(a.gaps, { ae74: 'AE <7,4>' });
    assert.match(html, /AE &lt;7,4&gt;/);
    assert.match(html, /\+0\.20/);
  });

  it('power constraints: geometry and gaps', () => {
    const sc = `
name: power-constraints
sweep: { ebnoDb: [0, 1] }
systems:
  - { id: e, type: autoencoder, k: 4, n: 1, signalling: complex, normalization: energy }
  - { id: m, type: autoencoder, k: 4, n: 1, signalling: complex, normalization: energy-max }
  - { id: a, type: autoencoder, k: 4, n: 1, signalling: complex, normalization: average-power }
  - { id: q, type: uncoded, modulation: qam16, k: 4 }
`;
    const psk = Array.from({ length: 16 }, (_, i) => [Math.cos((2 * Math.PI * i) / 16), Math.sin((2 * Math.PI * i) / 16)]);
    const qam: number[][] = [];
    for (const i of [-3, -1, 1, 3]) for (const q of [-3, -1, 1, 3]) qam.push([i / Math.sqrt(10), q / Math.sqrt(10)]);
    const r = results(sc, [
      decadeCurve('e', 9, { codebook: psk }),
      decadeCurve('m', 8, { codebook: psk }),
      decadeCurve('a', 7.1, { codebook: qam }),
      decadeCurve('q', 7),
    ]);
    const claims = powerClaims(r);
    assert.deepEqual(
      claims.map((c) => c.verdict),
      ['PASS', 'PASS', 'PASS', 'PASS', 'PASS'],
    );
    assert.deepEqual(
      claims.map((c) => c.measured),
      [1, 0.944, 0.1, 1.9, 9],
    );
    // energy-max worse than energy by more than the tolerance: not "between"
    const r2 = results(sc, [
      decadeCurve('e', 9, { codebook: psk }),
      decadeCurve('m', 9.5, { codebook: psk }),
      decadeCurve('a', 7.1, { codebook: qam }),
      decadeCurve('q', 7),
    ]);
    assert.equal(powerClaims(r2)[4].verdict, 'FAIL');
  });

  it('robustness: every run within the bound, restarts reported; and the tables render escaped', () => {
    const sc = `
name: robustness-seeds
sweep: { ebnoDb: [0, 1] }
systems:
  - { id: s1, type: autoencoder, k: 4, n: 7, mlReference: false }
  - { id: s2, type: autoencoder, k: 4, n: 7, mlReference: false }
  - { id: hamming-ml, type: hamming74, decoding: ml }
`;
    const training = {
      steps: [],
      loss: [],
      accuracy: [],
      finalAccuracy: 1,
      seconds: 1,
      ebnoDb: 2,
      restarts: 1,
      restartReasons: ['attempt 0: accuracy <chance>'],
    };
    const r = results(sc, [decadeCurve('s1', 5.1, { training }), decadeCurve('s2', 5.6), decadeCurve('hamming-ml', 5)]);
    const claims = robustnessClaims(r, { ...PAPER_BOUNDS, robustness: { target: '1e-4', withinMlDb: 0.5, runs: 2 } });
    assert.deepEqual(
      claims.map((c) => c.verdict),
      ['FAIL', 'PASS', 'FAIL'],
    );
    assert.match(claims[0].measuredText, /1\/2 runs.*1 restart in total/);
    assert.match(claims[1].note!, /1 restart: attempt 0/);
    const html = findingsTable(claims);
    assert.match(html, /&lt;chance&gt;/);
    assert.doesNotMatch(html, /<chance>/);
    assert.match(claimsMarkdown(claims), /\| FAIL \|/);
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    // findingsOf runs the checks named (the scenario's `claims`), never ones inferred from its name
    assert.equal(findingsOf(r, PAPER_BOUNDS, ['robustness']).filter((c) => c.id.startsWith('robustness/')).length, 3);
    assert.deepEqual(findingsOf(r, PAPER_BOUNDS, []), []);
  });
});
