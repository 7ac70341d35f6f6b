/**
 * Every claim check of the catalogue decided by its interval, on small synthetic results: curves built from
 * block counts whose 95% Clopper–Pearson intervals put the figure wholly inside the bound (PASS), wholly
 * outside it (FAIL) or across it (INCONCLUSIVE). Checks that are reported only get a case showing that their
 * rows carry the figure and its interval and never a verdict. The FAIL cases are chosen so that a sign error
 * in a gap (A − B read as B − A) turns them into a PASS.
 */
import assert from 'node:assert/strict';
import { CLAIM_CHECKS } from '../../src/analysis/claim-registry.ts';
import { claimsMarkdown, verdictCounts } from '../../src/analysis/claims-markdown.ts';
import { allOf, claimCrossingInterval, verdictOf } from '../../src/analysis/verdict.ts';
import { findingsTable } from '../../src/report/analysis-tables.ts';
import { parseResults } from '../../src/results/results.ts';
import { claimsText, verdictExitCode } from '../../sim/paper.ts';
import { PAPER_BOUNDS, QUICK_BOUNDS, type ClaimBounds } from '../../src/analysis/claims.ts';
import { CLAIM_CATALOGUE, CLAIM_NAMES, type ClaimName } from '../../src/claim-catalogue.ts';
import type { Claim, Curve, ResultsFile } from '../../src/results/results.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { bareResults } from '../browser/fixture.ts';
import { countedPoint, curveAt, LOOSE, TIGHT } from './counted-curves.ts';

const at1e3 = (id: string, db: number, errors = TIGHT, extra: Partial<Curve> = {}) => curveAt(id, 1e-3, db, errors, extra);

const results = (yaml: string, curves: Curve[]): ResultsFile => bareResults(parseScenario(yaml, 'test.yaml'), curves);

interface Case {
  results: () => ResultsFile;
  bounds?: ClaimBounds;
  /** The row whose verdict the case is about. */
  row: string;
}
type Cases = { PASS: Case; FAIL: Case; INCONCLUSIVE: Case } | { reported: Case };

// ------------------------------------------------------------------------------------------ scenarios

const FIG3A = `
name: fig3a
sweep: { ebnoDb: [0, 1] }
systems:
  - { id: ae74, type: autoencoder, k: 4, n: 7, mlReference: false }
  - { id: hml, type: hamming74, decoding: ml }
  - { id: hhard, type: hamming74, decoding: hard }
`;
const fig3a =
  (ae: number, errors: number, hard = 6.5) =>
  () =>
    results(FIG3A, [at1e3('ae74', ae, errors), at1e3('hml', 5), at1e3('hhard', hard)]);

const FIG3B = `
name: fig3b
sweep: { ebnoDb: [0, 1] }
systems:
  - { id: ae22, type: autoencoder, k: 2, n: 2, mlReference: false }
  - { id: ae88, type: autoencoder, k: 8, n: 8, mlReference: false }
  - { id: b2, type: uncoded, modulation: bpsk, k: 2 }
  - { id: b8, type: uncoded, modulation: bpsk, k: 8 }
`;
/** (8,8) AE and BPSK (8,8) crossing 1e-3 (so 1e-4 one dB later) at the Eb/N0 given. */
const fig3b = (ae88: number, bpsk8: number, errors: number) => () =>
  results(FIG3B, [at1e3('ae22', 5), at1e3('b2', 5), at1e3('ae88', ae88, errors), at1e3('b8', bpsk8)]);

const POWER = `
name: power
sweep: { ebnoDb: [0, 1] }
systems:
  - { id: e, type: autoencoder, k: 4, n: 1, signalling: complex, normalization: energy }
  - { id: m, type: autoencoder, k: 4, n: 1, signalling: complex, normalization: energy-max }
  - { id: a, type: autoencoder, k: 4, n: 1, signalling: complex, normalization: average-power }
  - { id: q, type: uncoded, modulation: qam16, k: 4 }
`;
const psk = Array.from({ length: 16 }, (_, i) => [Math.cos((2 * Math.PI * i) / 16), Math.sin((2 * Math.PI * i) / 16)]);
const qam = [-3, -1, 1, 3].flatMap((i) => [-3, -1, 1, 3].map((q) => [i / Math.sqrt(10), q / Math.sqrt(10)]));
/** energy at `energy` dB (at 1e-3; PAPER_BOUNDS read 1e-4, one dB later), average-power at 7.1, 16-QAM at 7, energy-max between. */
const power = (energy: number, errors: number) => () =>
  results(POWER, [
    at1e3('e', energy, errors, { codebook: psk }),
    at1e3('m', Math.max(energy, 7.1), TIGHT, { codebook: psk }),
    at1e3('a', 7.1, TIGHT, { codebook: qam }),
    at1e3('q', 7),
  ]);

const ROBUST = `
name: robust
sweep: { ebnoDb: [0, 1] }
systems:
${[1, 2, 3, 4, 5].map((i) => `  - { id: s${i}, type: autoencoder, k: 4, n: 7, mlReference: false }`).join('\n')}
  - { id: hml, type: hamming74, decoding: ml }
`;
/** Five runs, four at +0.1 dB from Hamming ML, the last at +`last` dB measured with `errors` errors per point. */
const robust = (last: number, errors: number) => () =>
  results(ROBUST, [...[1, 2, 3, 4].map((i) => at1e3(`s${i}`, 5.1)), at1e3('s5', 5 + last, errors), at1e3('hml', 5)]);

const FIG9 = `
name: fig9
channel: { type: multipath, taps: 3, csi: none }
sweep: { ebnoDb: [0, 1] }
systems:
  - { id: plain, type: autoencoder, k: 4, n: 8, signalling: complex, mlReference: false }
  - { id: rtn, type: autoencoder, k: 4, n: 8, signalling: complex, receiver: { rtn: {} }, mlReference: false }
  - { id: classical, type: hamming74-dbpsk }
`;
/** RTN, plain and classical curves reaching BLER 1e-2 at the Eb/N0 given. */
const fig9 =
  (rtn: number, classical: number, errors: number, plain = 15) =>
  () =>
    results(FIG9, [curveAt('plain', 1e-2, plain, TIGHT), curveAt('rtn', 1e-2, rtn, errors), curveAt('classical', 1e-2, classical, TIGHT)]);

const FIG6 = `
name: fig6
sweep: { ebnoDb: [0, 1] }
systems:
  - { id: tu44, type: two-user, k: 4, n: 4 }
  - { id: ts44, type: time-sharing, k: 4, n: 4 }
`;
/** Both users of a (4,4) pair at `users` dB (at 1e-3), time sharing at `ts`. */
const fig6 = (users: number, ts: number, errors: number) => () =>
  results(FIG6, [at1e3('tu44-u1', users, errors), at1e3('tu44-u2', users, errors), at1e3('ts44', ts)]);

// ------------------------------------------------------------------------------------------ cases

const CASES: Record<ClaimName, Cases> = {
  fig3a: {
    // |AE − ML| ≤ 0.3 dB at 1e-3
    PASS: { results: fig3a(5.1, TIGHT), row: 'fig3a/ae-vs-hamming-ml@1e-3' },
    FAIL: { results: fig3a(5.6, TIGHT), row: 'fig3a/ae-vs-hamming-ml@1e-3' },
    INCONCLUSIVE: { results: fig3a(5.25, LOOSE), row: 'fig3a/ae-vs-hamming-ml@1e-3' },
  },
  fig3b: {
    // BPSK (8,8) − AE (8,8) ≥ 0.8 dB at 1e-4; the FAIL case has the AE 1 dB *behind* BPSK.
    PASS: { results: fig3b(5, 6, TIGHT), row: 'fig3b/ae88-vs-bpsk8@1e-4' },
    FAIL: { results: fig3b(6, 5, TIGHT), row: 'fig3b/ae88-vs-bpsk8@1e-4' },
    INCONCLUSIVE: { results: fig3b(5.2, 6, LOOSE), row: 'fig3b/ae88-vs-bpsk8@1e-4' },
  },
  'power-constraints': {
    // energy − average-power ≥ 1.5 dB at 1e-4; the FAIL case has energy 1.6 dB *ahead* of average power.
    PASS: { results: power(9.1, TIGHT), row: 'power/average-beats-energy@1e-4' },
    FAIL: { results: power(5.5, TIGHT), row: 'power/average-beats-energy@1e-4' },
    INCONCLUSIVE: { results: power(8.6, LOOSE), row: 'power/average-beats-energy@1e-4' },
  },
  robustness: {
    // every run's AE − ML ≤ 0.5 dB at 1e-4; the INCONCLUSIVE run straddles it, the FAIL run lies beyond.
    PASS: { results: robust(0.2, TIGHT), row: 'robustness/all@1e-4' },
    FAIL: { results: robust(0.9, TIGHT), row: 'robustness/all@1e-4' },
    INCONCLUSIVE: { results: robust(0.45, LOOSE), row: 'robustness/all@1e-4' },
  },
  'train-snr': { reported: { results: fig3a(5.25, LOOSE), row: 'train-snr/ae74@1e-3' } },
  'ml-reference': {
    reported: {
      results: () =>
        results(
          `
name: mlref
sweep: { ebnoDb: [0, 1] }
systems:
  - { id: ae74, type: autoencoder, k: 4, n: 7 }
`,
          [at1e3('ae74', 5.3, LOOSE), at1e3('ae74-ml', 5, TIGHT, { mlOf: 'ae74' })],
        ),
      row: 'ml-reference/mlref/ae74@1e-3',
    },
  },
  'fig9-rtn': {
    // classical − RTN ≥ 0 dB at 1e-2; the FAIL case has the RTN 1 dB *behind* the classical scheme.
    PASS: { results: fig9(10, 11, TIGHT), row: 'fig9-rtn/fig9/rtn-vs-classical' },
    FAIL: { results: fig9(11, 10, TIGHT), row: 'fig9-rtn/fig9/rtn-vs-classical' },
    INCONCLUSIVE: { results: fig9(10, 10.1, LOOSE), row: 'fig9-rtn/fig9/rtn-vs-classical' },
  },
  fig6: {
    // user − time sharing ≤ −0.5 dB for (4,4) at 1e-3; the FAIL case has the users 0.7 dB *behind* time sharing.
    PASS: { results: fig6(5, 5.7, TIGHT), row: 'fig6/(4,4)-user1-vs-time-sharing@1e-3' },
    FAIL: { results: fig6(5.7, 5, TIGHT), row: 'fig6/(4,4)-user1-vs-time-sharing@1e-3' },
    INCONCLUSIVE: { results: fig6(5.2, 5.7, LOOSE), row: 'fig6/(4,4)-user1-vs-time-sharing@1e-3' },
  },
};

function rowOf(name: ClaimName, c: Case): Claim {
  const rows = CLAIM_CHECKS[name].check(c.results(), c.bounds ?? PAPER_BOUNDS);
  const row = rows.find((r) => r.id === c.row);
  assert.ok(row, `${name}: no row ${c.row} among ${rows.map((r) => r.id).join(', ')}`);
  return row;
}

describe('claim verdicts: every check of the catalogue on synthetic counts', () => {
  it('every claim name has its cases: PASS, FAIL and INCONCLUSIVE when judged, a reported case otherwise', () => {
    for (const name of CLAIM_NAMES) {
      const cases = (CASES as Partial<Record<string, Cases>>)[name];
      assert.ok(cases, `${name}: no cases`);
      const kinds = Object.keys(cases).sort();
      assert.deepEqual(kinds, CLAIM_CATALOGUE[name].judged ? ['FAIL', 'INCONCLUSIVE', 'PASS'] : ['reported'], name);
    }
  });

  for (const name of CLAIM_NAMES)
    for (const [verdict, c] of Object.entries(CASES[name]) as [Claim['verdict'], Case][])
      it(`${name}: ${verdict}`, () => {
        const row = rowOf(name, c);
        assert.equal(row.verdict, verdict, `${row.claim}: figure ${row.measured}, interval ${JSON.stringify(row.interval)}, bound ${row.bound}`);
        assert.ok(row.interval, 'the row carries its interval');
        const { low, high } = row.interval;
        assert.ok(low !== null && high !== null && row.measured !== null, 'the cases measure a closed interval around the figure');
        assert.ok(low <= row.measured && row.measured <= high, `${low} ≤ ${row.measured} ≤ ${high}`);
        // The INCONCLUSIVE cases differ from a decided one by their counts only: the point estimate alone would decide.
        if (verdict === 'INCONCLUSIVE') assert.ok(high - low > 0.5, `a wide interval (${low}, ${high})`);
        if (verdict === 'PASS' || verdict === 'FAIL') assert.ok(high - low < 0.1, `a tight interval (${low}, ${high})`);
      });
});

describe('claim verdicts: the rule, one-sided intervals, words and exit codes', () => {
  it('verdictOf: inside PASS, outside FAIL, across an end INCONCLUSIVE; open ends never decide on their side', () => {
    const within = { min: -0.2, max: 0.2 };
    assert.equal(verdictOf({ low: -0.1, high: 0.15 }, within), 'PASS');
    assert.equal(verdictOf({ low: -0.2, high: 0.2 }, within), 'PASS', 'the bound is closed');
    assert.equal(verdictOf({ low: 0.21, high: 0.5 }, within), 'FAIL');
    assert.equal(verdictOf({ low: -0.9, high: -0.3 }, within), 'FAIL');
    assert.equal(verdictOf({ low: 0.02, high: 0.36 }, within), 'INCONCLUSIVE', "the issue's +0.19 dB [+0.02, +0.36] against 0.2 dB");
    assert.equal(verdictOf({ low: -0.48, high: 0.74 }, { min: 0 }), 'INCONCLUSIVE', "the issue's +0.14 dB [−0.48, +0.74] against a lead ≥ 0");
    assert.equal(verdictOf({ low: -0.3, high: 0.3 }, within), 'INCONCLUSIVE', 'wider than the bound on both sides');
    assert.equal(verdictOf({ low: 0.1, high: null }, { min: 0 }), 'PASS', 'open above, bound below only');
    assert.equal(verdictOf({ low: 0.1, high: null }, within), 'INCONCLUSIVE');
    assert.equal(verdictOf({ low: null, high: -0.1 }, { min: 0 }), 'FAIL');
    assert.equal(verdictOf({ low: null, high: null }, { min: 0 }), 'INCONCLUSIVE');
    assert.deepEqual([allOf(['PASS', 'PASS']), allOf(['PASS', 'INCONCLUSIVE']), allOf(['INCONCLUSIVE', 'FAIL'])], ['PASS', 'INCONCLUSIVE', 'FAIL']);
  });

  it('a curve that never reaches the target bounds its crossing from below by its last point whose interval lies above it', () => {
    // The plain autoencoder floors at BLER 0.05 (tight counts) up to 20 dB: the RTN's lead is at least 20 − its crossing.
    const floor = Array.from({ length: 11 }, (_, i) => countedPoint(10 + i, 0.05, TIGHT));
    const iv = claimCrossingInterval(floor, 1e-2);
    assert.equal(iv.low, 20);
    assert.equal(iv.high, null);
    const r = results(FIG9, [{ ...curveAt('plain', 1e-2, 0, TIGHT), points: floor }, curveAt('rtn', 1e-2, 12, TIGHT), curveAt('classical', 1e-2, 14, TIGHT)]);
    const row = CLAIM_CHECKS['fig9-rtn'].check(r, PAPER_BOUNDS).find((c) => c.id === 'fig9-rtn/fig9/rtn-vs-plain')!;
    assert.equal(row.verdict, 'PASS', JSON.stringify(row));
    assert.ok(row.interval!.low! > 7.9 && row.interval!.high === null);
    assert.match(row.measuredText, /never reaches/);
    // The same floor measured with few errors: the last point's interval reaches below 1e-2? No: 5 errors at 0.05
    // give [0.016, 0.117], still above the target; a floor at 0.012 with 5 errors does not bound the crossing.
    const shaky = Array.from({ length: 11 }, (_, i) => countedPoint(10 + i, 0.012, LOOSE));
    assert.equal(claimCrossingInterval(shaky, 1e-2).low, null);
  });

  it('the quick bound on the RTN against the classical scheme is named as the placeholder it is', () => {
    const quick = CLAIM_CHECKS['fig9-rtn'].check(fig9(11, 10, TIGHT)(), QUICK_BOUNDS).find((c) => c.id === 'fig9-rtn/fig9/rtn-vs-classical')!;
    assert.equal(quick.verdict, 'PASS', 'the RTN 1 dB behind is within the quick placeholder of 3 dB');
    assert.doesNotMatch(quick.claim, /reaches .* before/);
    assert.match(quick.claim, /placeholder, not the paper's claim: .*at most 3 dB behind/);
    assert.match(quick.bound, /quick placeholder/);
    const paper = CLAIM_CHECKS['fig9-rtn'].check(fig9(11, 10, TIGHT)(), PAPER_BOUNDS).find((c) => c.id === 'fig9-rtn/fig9/rtn-vs-classical')!;
    assert.match(paper.claim, /reaches BLER 0.01 before Hamming/);
    assert.equal(paper.verdict, 'FAIL');
  });

  it('a missing curve fails, with what is missing', () => {
    const r = results(FIG3A, [at1e3('ae74', 5.1), at1e3('hml', 5)]);
    const hard = CLAIM_CHECKS.fig3a.check(r, PAPER_BOUNDS).find((c) => c.id.startsWith('fig3a/ae-vs-hamming-hard'))!;
    assert.equal(hard.verdict, 'FAIL');
    assert.match(hard.measuredText, /not measured: no .*hard-decision curve/);
  });

  it('the words: figure, interval and bound side by side in claims.md, the terminal table and the report', () => {
    const rows = CLAIM_CHECKS.fig3a.check(fig3a(5.25, LOOSE)(), PAPER_BOUNDS);
    const md = claimsMarkdown(rows);
    assert.match(md, /^\| claim \| figure \| interval \| bound \| verdict \| measured \|/);
    assert.match(md, /\| \+0\.25 dB \| \[-0\.\d\d, \+0\.\d\d\] dB \| \\\|gap\\\| ≤ 0\.3 dB \| INCONCLUSIVE \|/);
    assert.match(claimsText(rows), /INCONCLUSIVE +\(7,4\) AE .* +\+0\.25 dB +\[-0\.\d\d, \+0\.\d\d\] dB +\|gap\| ≤ 0\.3 dB/);
    assert.match(findingsTable(rows), /<tr class="claim-inconclusive">.*<td class="num">\+0\.25 dB<\/td><td class="num">\[-0\.\d\d, \+0\.\d\d\] dB<\/td>/);
    // The loose AE curve leaves every row of the check undecided, the hard-decision one too (1.25 dB against ≥ 1 dB).
    assert.deepEqual(verdictCounts(rows), { passed: 0, failed: 0, inconclusive: 4, reported: 0 });
  });

  it('npm run paper: exit 1 on any FAIL, else 3 on any INCONCLUSIVE, else 0', () => {
    const v = (...words: Claim['verdict'][]) => verdictExitCode(words.map((verdict) => ({ verdict })));
    assert.equal(v('PASS', 'reported'), 0);
    assert.equal(v('PASS', 'INCONCLUSIVE', 'reported'), 3);
    assert.equal(v('INCONCLUSIVE', 'FAIL', 'PASS'), 1);
    assert.equal(v(), 0);
  });

  it('results.json of formats 1 and 2 read with their findings mapped: pass true → PASS, false → FAIL, null → reported', () => {
    const r = JSON.parse(JSON.stringify(fig3a(5.1, TIGHT)())) as Record<string, any>;
    r.format = 2;
    r.findings = [
      { id: 'a', scenario: 's', claim: 'c', measured: 0.1, unit: 'dB', measuredText: '', bound: 'b', pass: true },
      { id: 'b', scenario: 's', claim: 'c', measured: 0.9, unit: 'dB', measuredText: '', bound: 'b', pass: false, note: 'n' },
      { id: 'c', scenario: 's', claim: 'c', measured: 0.3, unit: 'dB', measuredText: '', bound: 'reported', pass: null },
    ];
    const current = JSON.parse(JSON.stringify({ ...r, format: 3 }));
    const read = parseResults(r, 'old.json');
    assert.equal(read.upgradedFrom, 2);
    assert.deepEqual(
      read.findings!.map((f) => [f.verdict, 'pass' in f]),
      [
        ['PASS', false],
        ['FAIL', false],
        ['reported', false],
      ],
    );
    assert.match(read.findings![1].note!, /^n; verdict of an older version .* point estimate/);
    assert.equal(read.findings![2].note, undefined);
    // A current file must use the current words.
    assert.throws(() => parseResults(current, 'new.json'), /new\.json.*findings\[0\]\.verdict: expected one of PASS, FAIL, INCONCLUSIVE, reported/s);
  });
});
