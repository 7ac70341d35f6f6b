/**
 * Claim checks are opt-in (`claims: [...]`, names from src/claim-catalogue.ts), never inferred from
 * the scenario's name; annotateResults is the one writer of ebnoAtBler, gaps and findings, and the report
 * only reads them.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { annotateResults } from '../../src/analysis/annotate.ts';
import { CLAIM_CHECKS } from '../../src/analysis/claim-registry.ts';
import { CLAIM_NAMES } from '../../src/claim-catalogue.ts';
import { PAPER_BOUNDS, QUICK_BOUNDS } from '../../src/analysis/claims.ts';
import type { PointResult } from '../../src/montecarlo/types.ts';
import { parseResults, renderReport, type Curve, type ResultsFile } from '../../src/report/index.ts';
import { loadScenario, parseScenario, ScenarioError } from '../../src/scenario/index.ts';
import { PAPER_SCENARIOS, paperClaimList, paperClaims, SCENARIO_DIR } from '../../sim/paper.ts';
import { bareResults, fixtureResults } from '../browser/fixture.ts';

const pt = (ebnoDb: number, bler: number, errors = 100): PointResult => ({
  ebnoDb,
  bler,
  errors,
  blocks: Math.round(errors / bler),
  // ±0.04 dB on a crossing: tight enough for every fig3a bound to be decided.
  ciLow: bler / 1.1,
  ciHigh: bler * 1.1,
  seconds: 0,
  status: 'target-errors',
});

/** A curve whose BLER falls one decade per dB, reaching 1e-3 at `at1e3` dB. */
function decadeCurve(id: string, at1e3: number, extra: Partial<Curve> = {}): Curve {
  const points = Array.from({ length: 9 }, (_, i) => pt(at1e3 - 2 + i, 10 ** (-1 - i)));
  return { id, label: id, type: 'hamming74', k: 4, n: 7, rate: 4 / 7, signalling: 'real', channel: { type: 'awgn' }, points, ...extra };
}

/** Results of a (7,4) study that passes every fig3a bound, under the scenario name and claims given. */
function fig3aLike(name: string, claims?: string): ResultsFile {
  const yaml = `
name: ${name}
sweep: { ebnoDb: [0, 1] }
compare: [[ae74, hamming-ml]]
${claims ? `claims: ${claims}` : ''}
systems:
  - { id: ae74, type: autoencoder, k: 4, n: 7, mlReference: false }
  - { id: hamming-ml, type: hamming74, decoding: ml }
  - { id: hamming-hard, type: hamming74, decoding: hard }
`;
  const results: ResultsFile = bareResults(parseScenario(yaml, `${name}.yaml`), [
    decadeCurve('ae74', 5.1, { type: 'autoencoder' }),
    decadeCurve('hamming-ml', 5),
    decadeCurve('hamming-hard', 6.5),
  ]);
  annotateResults(results);
  return results;
}

const PLOTLY = '/* plotly stub */';
/** Rows of the findings table with a PASS, FAIL or INCONCLUSIVE verdict. */
const verdictRows = (html: string) => html.match(/<tr class="claim-(pass|fail|inconclusive)">/g) ?? [];

describe('claims are opt-in', () => {
  it('a scenario named fig3a-mine without claims gets no findings and no PASS/FAIL rows', () => {
    const r = fig3aLike('fig3a-mine');
    assert.deepEqual(r.scenario.claims, []);
    assert.deepEqual(r.findings, []);
    const html = renderReport(r, { plotly: PLOTLY });
    assert.deepEqual(verdictRows(html), []);
    assert.doesNotMatch(html, /class="claims"|>PASS<|>FAIL<|>INCONCLUSIVE</);
    // the dB analysis is there all the same
    assert.match(html, /class="gaps"/);
  });

  it('the same scenario with claims: [fig3a] gets the fig3a rows, in results and in the report', () => {
    const r = fig3aLike('fig3a-mine', '[fig3a]');
    assert.deepEqual(r.scenario.claims, ['fig3a']);
    assert.deepEqual(
      r.findings!.map((c) => [c.id, c.verdict]),
      [
        ['fig3a/ae-vs-hamming-ml@1e-3', 'PASS'],
        ['fig3a/ae-vs-hamming-ml@1e-4', 'PASS'],
        ['fig3a/ae-vs-hamming-ml@1e-5', 'PASS'],
        ['fig3a/ae-vs-hamming-hard@1e-4', 'PASS'],
      ],
    );
    const html = renderReport(r, { plotly: PLOTLY });
    assert.equal(verdictRows(html).length, 4);
    assert.match(html, /<td>PASS<\/td>/);
    // any name works: the checks follow `claims`, not the name
    assert.equal(fig3aLike('my-study', '[fig3a, fig3a]').findings!.length, 4, 'a name listed twice runs once');
  });

  it('quick runs are judged by the looser bounds', () => {
    const r = fig3aLike('x', '[fig3a]');
    r.quick = true;
    annotateResults(r);
    assert.equal(r.findings!.length, QUICK_BOUNDS.fig3a.targets.length + 1);
    annotateResults(r, PAPER_BOUNDS);
    assert.equal(r.findings!.length, PAPER_BOUNDS.fig3a.targets.length + 1);
  });

  it('an unknown claim name is a validation error naming the field and the choices', () => {
    const yaml = 'name: x\nsweep: { ebnoDb: [0] }\nclaims: [fig3a, fig9]\nsystems: [{ id: a, type: hamming74, decoding: ml }]\n';
    assert.throws(
      () => parseScenario(yaml, 'x.yaml'),
      (e: unknown) => {
        assert.ok(e instanceof ScenarioError);
        assert.match(e.message, /x\.yaml:3:\d+: claims\[1\]: expected one of "fig3a", "fig3b", .*found "fig9"/);
        return true;
      },
    );
  });

  it('the registry names are the schema enum, and every check says what it needs', () => {
    assert.deepEqual(CLAIM_NAMES, ['fig3a', 'fig3b', 'power-constraints', 'robustness', 'train-snr', 'ml-reference', 'fig9-rtn', 'fig6']);
    for (const name of CLAIM_NAMES) assert.ok(CLAIM_CHECKS[name].needs && CLAIM_CHECKS[name].description, name);
  });

  it('the shipped paper scenarios list the claims npm run paper supplies', async () => {
    for (const name of PAPER_SCENARIOS) {
      const sc = await loadScenario(join(SCENARIO_DIR, `${name}.yaml`));
      assert.deepEqual(sc.claims, paperClaims(sc), name);
    }
    assert.deepEqual(paperClaims({ name: 'fig3a-mine', claims: [], systems: [] }), [], 'no inference from a name that is not a paper scenario');
  });

  it("npm run paper lists every scenario's own checks first, then the learned-vs-ML references", () => {
    const a = fig3aLike('fig3a-hamming74');
    a.curves.push({ ...decadeCurve('ae74-ml', 5), type: 'autoencoder-ml', mlOf: 'ae74' });
    const b = fig3aLike('robustness-seeds');
    b.curves.push({ ...decadeCurve('ae74-ml', 5), type: 'autoencoder-ml', mlOf: 'ae74' });
    // The -ml curves added above: their systems measure an ML reference (ml-reference applies to them).
    for (const r of [a, b]) Object.assign(r.scenario.systems[0]!, { mlReference: true });
    const ids = paperClaimList([a, b], QUICK_BOUNDS).map((c) => c.id.split('/')[0] + (c.id.startsWith('ml-reference') ? `/${c.id.split('/')[1]}` : ''));
    assert.deepEqual(ids, ['fig3a', 'fig3a', 'robustness', 'robustness', 'ml-reference/fig3a-hamming74', 'ml-reference/robustness-seeds']);
  });
});

describe('the report reads the analysis, it does not recompute it', () => {
  it('shows the gaps, crossings and findings results.json holds, even when a recomputation would differ', () => {
    const r = fixtureResults({ claims: '[ml-reference]' });
    const gap = r.gaps!.find((g) => g.a === 'ae74' && g.b === 'hml' && g.target === '1e-3')!;
    assert.notEqual(gap.db, 12.34);
    gap.db = 12.34;
    Object.assign(gap, { low: 11, high: 13.5, errors: 3, fewErrors: true });
    r.gaps!.push({ a: 'ae74', b: 'bpsk4', target: '1e-4', db: null, reason: 'stored <reason>' });
    r.curves[0].ebnoAtBler = { '1e-3': 98.76, '1e-4': null, '1e-5': null };
    r.findings = [{ ...r.findings![0], claim: 'stored finding <i>', verdict: 'FAIL' }];
    const html = renderReport(r, { plotly: PLOTLY });
    assert.match(
      html,
      /<td class="num few-errors" title="rests on a point with only 3 block errors[^"]*">\+12\.34 <span class="ci">\[\+11\.00, \+13\.50\]<\/span><sup class="few">†<\/sup><\/td>/,
    );
    assert.match(html, /title="stored &lt;reason&gt;">—<\/td>/);
    assert.match(html, /98\.76/);
    assert.match(html, /<tr class="claim-fail"><td>stored finding &lt;i&gt;/);
    assert.equal(verdictRows(html).length, 1);
  });

  it('a results file without the analysis (older format) shows none, and says so', () => {
    const r = fixtureResults() as Partial<ResultsFile> & ResultsFile;
    for (const c of r.curves) {
      delete c.ebnoAtBler;
      delete c.analyticEbnoAtBler;
    }
    delete r.gaps;
    delete r.findings;
    const parsed = parseResults(JSON.parse(JSON.stringify({ ...r, format: 1 })), 'old.json');
    assert.deepEqual(parsed.scenario.claims, [], 'format 1 scenarios had no claims');
    const html = renderReport(parsed, { plotly: PLOTLY });
    assert.doesNotMatch(html, /class="(ebno-at-bler|gaps|claims)"/);
    assert.match(html, /carries no Eb\/N0-at-target analysis/);
  });
});
