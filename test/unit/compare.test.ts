/** `sim compare`'s library part (src/run/compare.ts): run names and the combined results object. */
import assert from 'node:assert/strict';
import { annotateResults } from '../../src/analysis/annotate.ts';
import { UserError } from '../../src/errors.ts';
import { parseResults } from '../../src/results/results.ts';
import { combineResults, runNames } from '../../src/run/compare.ts';
import { fixtureResults } from '../browser/fixture.ts';

describe('sim compare: combining runs', () => {
  it('run names: the run folder, else the folder above, else run1, run2, …; --names must fit', () => {
    assert.deepEqual(runNames(['reports/quick/results.json', 'out/fig3a/results.json']), ['quick', 'fig3a']);
    assert.deepEqual(runNames(['before/quick/results.json', 'after/quick/results.json']), ['before', 'after']);
    assert.deepEqual(runNames(['x/quick/results.json', 'x/quick/results.json']), ['run1', 'run2']);
    assert.deepEqual(runNames(['old run.json', 'new.json']), ['old-run', 'new']);
    assert.deepEqual(runNames(['a/results.json', 'b/results.json'], ['seed 1', 'seed2']), ['seed-1', 'seed2']);
    assert.throws(() => runNames(['a/results.json', 'b/results.json'], ['same', 'same']), UserError);
    assert.throws(() => runNames(['a/results.json', 'b/results.json'], ['only-one']), UserError);
  });

  it('prefixes ids and labels by run, passes the results checks, and annotateResults finds the gaps between runs', () => {
    const before = fixtureResults();
    const after = fixtureResults();
    after.seed = 8;
    // The later run's autoencoder: the same curve 0.5 dB to the right.
    const ae = after.curves.find((c) => c.id === 'ae74')!;
    ae.points = ae.points.map((p) => ({ ...p, ebnoDb: p.ebnoDb + 0.5 }));
    const combined = combineResults([
      { name: 'before', file: 'before/fixture/results.json', results: before },
      { name: 'after', file: 'after/fixture/results.json', results: after },
    ]);
    assert.equal(combined.curves.length, before.curves.length + after.curves.length);
    assert.ok(combined.curves.every((c) => /^(before|after)\//.test(c.id) && /^(before|after): /.test(c.label)));
    assert.equal(combined.curves.find((c) => c.id === 'after/ae74-ml')?.mlOf, 'after/ae74');
    assert.equal(
      combined.curves.every((c) => c.ebnoAtBler === undefined),
      true,
      'the analysis is left to annotateResults',
    );
    assert.deepEqual(combined.scenario.claims, []);
    assert.equal(combined.seed, 'before: 7, after: 8');
    assert.match(combined.scenario.description, /before = fixture, seed 7 \(before\/fixture\/results\.json\)/);
    // Same checks as any results file (a JSON round trip, as sim report would read it).
    const reread = parseResults(JSON.parse(JSON.stringify(combined)), 'combined');
    annotateResults(reread);
    const gap = reread.gaps?.find((g) => g.a === 'after/ae74' && g.b === 'before/ae74' && g.target === '1e-3');
    assert.ok(gap && gap.db !== null && Math.abs(gap.db - 0.5) < 1e-9, `gap ${JSON.stringify(gap)}`);
    assert.ok(
      reread.gaps?.some((g) => g.a === 'before/ae74' && g.b === 'before/hml'),
      "each run's own compare pairs",
    );
    assert.ok(
      reread.gaps?.some((g) => g.a === 'after/ae74' && g.b === 'after/ae74-ml'),
      'learned vs ML of each run',
    );
    // The closed form of an identical system is drawn once.
    assert.ok(reread.curves.find((c) => c.id === 'before/hml')?.analytic);
    assert.equal(reread.curves.find((c) => c.id === 'after/hml')?.analytic, undefined);
  });

  it('different stopping rules are said in the description', () => {
    const a = fixtureResults();
    const b = fixtureResults({ quick: true });
    b.scenario = { ...b.scenario, montecarlo: { ...b.scenario.montecarlo, targetErrors: 20 } };
    const c = combineResults([
      { name: 'a', file: 'a.json', results: a },
      { name: 'b', file: 'b.json', results: b },
    ]);
    assert.match(c.scenario.description, /different stopping rules.*b: 20 errors/);
    assert.match(c.scenario.description, /b = fixture, seed 7, QUICK RUN/);
    assert.equal(c.quick, true);
  });
});
