/** The report draws importance-sampled points apart from plain Monte Carlo ones and shows their ESS. */
import assert from 'node:assert/strict';
import { isPointResult, resolveImportance } from '../../src/montecarlo/importance-sweep.ts';
import { berFigure, blerFigure, renderReport } from '../../src/report/index.ts';
import { fixtureResults } from '../browser/fixture.ts';

describe('report: importance-sampled points', () => {
  const settings = resolveImportance();
  const sums = { hits: 900, sumW: 2e-6, sumW2: 1e-14, sumWB: 3e-6, sumWB2: 2.25e-14, bitHits: 1500, maxWeight: 1e-8, sumAllW: 20_000, sumAllW2: 25_000 };
  const good = isPointResult(11, 20_000, sums, 4, 0.3, 'target-precision', settings);
  const bad = isPointResult(12, 20_000, { ...sums, hits: 3, sumW: 1e-8, sumW2: 6.5e-17, maxWeight: 8e-9 }, 4, 0.3, 'max-blocks', settings);

  it('the point itself: weighted estimate, CLT interval, ESS; a failing diagnostic marks it with the reason', () => {
    assert.ok(Math.abs(good.bler - 1e-10) < 1e-22);
    assert.ok(good.importance!.trusted);
    assert.ok(Math.abs(good.importance!.ess - 400) < 1e-6);
    assert.ok(good.ciLow < good.bler && good.bler < good.ciHigh);
    assert.equal(bad.importance!.trusted, false);
    assert.match(bad.note!, /not trusted.*effective sample size.*one sample carries/);
  });

  it('star markers in their own legend entry, untrusted points apart, ESS in the points table', () => {
    const r = fixtureResults();
    const curve = r.curves[0];
    curve.points = [...curve.points.slice(0, 2), { ...good }, { ...bad }];
    r.curves[0].points = r.curves[0].points.map((p, i) => ({ ...p, ebnoDb: i }));
    for (const fig of [blerFigure(r).figure, berFigure(r).figure]) {
      const is = fig.data.find((t) => String(t.name).endsWith(', importance sampling'))!;
      assert.ok(is, 'an importance-sampling trace');
      assert.equal((is.marker as { symbol: string }).symbol, 'star');
      assert.deepEqual(is.x, [2]);
      const doubtful = fig.data.find((t) => String(t.name).endsWith('importance sampling: not trusted'))!;
      assert.deepEqual(doubtful.x, [3]);
      // Plain Monte Carlo traces of the curve do not carry the importance-sampled points.
      for (const t of fig.data.filter((t) => t.legendgroup === curve.id && t !== is && t !== doubtful)) assert.ok(!(t.x as number[]).includes(2));
    }
    const html = renderReport(r);
    assert.match(html, /importance sampling, ESS 400/);
    assert.match(html, /NOT TRUSTED/);
  });
});
