import assert from 'node:assert/strict';
import { annotateResults, comparedPairs } from '../../src/analysis/annotate.ts';
import { ebnoAtBler } from '../../src/analysis/gaps.ts';
import { renderReport } from '../../src/report/index.ts';
import { fixtureResults } from '../browser/fixture.ts';

describe('results annotation: ebnoAtBler, gaps and findings', () => {
  it('compares the scenario pairs and every autoencoder with ML decoding of its own codebook, once each', () => {
    const r = fixtureResults();
    const pairs = comparedPairs(r);
    assert.deepEqual(pairs[0], ['ae74', 'hml']);
    assert.ok(pairs.some(([a, b]) => a === 'ae74' && b === 'ae74-ml'));
    r.scenario.compare.push(['ae74', 'ae74-ml']);
    assert.equal(comparedPairs(r).filter(([a, b]) => a === 'ae74' && b === 'ae74-ml').length, 1);
  });

  it("writes each curve's crossings and the gaps into results, consistent with ebnoAtBler", () => {
    const r = fixtureResults();
    annotateResults(r);
    for (const c of r.curves) {
      assert.ok(c.ebnoAtBler, c.id);
      const x = ebnoAtBler(c.points, '1e-3').ebnoDb;
      assert.equal(c.ebnoAtBler!['1e-3'] === null, x === null);
      if (x !== null) assert.ok(Math.abs(c.ebnoAtBler!['1e-3']! - x) < 1e-3);
    }
    const g = r.gaps!.find((e) => e.a === 'ae74' && e.b === 'hml' && e.target === '1e-3')!;
    const a = r.curves.find((c) => c.id === 'ae74')!.ebnoAtBler!['1e-3'];
    const b = r.curves.find((c) => c.id === 'hml')!.ebnoAtBler!['1e-3'];
    if (a !== null && b !== null) assert.ok(Math.abs(g.db! - (a - b)) < 2e-3);
    else assert.equal(g.db, null);
  });

  it('is the one writer of the closed-form crossings and of the findings the scenario asks for', () => {
    const r = fixtureResults();
    assert.equal(r.findings?.length, 0, 'no claims listed, no findings');
    for (const c of r.curves) assert.equal(c.analyticEbnoAtBler !== undefined, Boolean(c.analytic?.length), c.id);
    r.scenario.claims = ['ml-reference'];
    annotateResults(r);
    assert.deepEqual(
      r.findings!.map((f) => f.id),
      ['ml-reference/fixture/ae74@1e-3', 'ml-reference/fixture/ae74@1e-4'],
    );
  });

  it('the report shows the dB table', () => {
    const html = renderReport(fixtureResults());
    assert.match(html, /id="analysis"/);
    assert.match(html, /class="ebno-at-bler"/);
    assert.match(html, /class="gaps"/);
  });
});
