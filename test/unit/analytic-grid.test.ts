/** The Eb/N0 grid of closed-form curves (src/systems/analytic-grid.ts): ≤ 0.25 dB spacing, ≤ 241 points, both ends. */
import assert from 'node:assert/strict';
import { analyticGrid } from '../../src/systems/analytic-grid.ts';

describe('closed-form Eb/N0 grid (src/systems/analytic-grid.ts)', () => {
  it('a sweep of 0..10 dB: 41 points 0.25 dB apart, in order, whatever order the sweep lists', () => {
    const g = analyticGrid([10, 0, 4]);
    assert.equal(g.length, 41);
    assert.equal(g[0], 0);
    assert.equal(g[40], 10);
    for (let i = 1; i < g.length; i++) assert.equal(g[i], i * 0.25);
  });

  it('an end the spacing does not reach is appended, so the grid always covers the sweep', () => {
    const g = analyticGrid([-1.1, 0.1]);
    assert.deepEqual(g, [-1.1, -0.85, -0.6, -0.35, -0.1, 0.1]);
  });

  it('a wide sweep keeps at most 241 points, evenly spaced over the whole range', () => {
    const g = analyticGrid([-20, 100]);
    assert.equal(g.length, 241);
    assert.equal(g[0], -20);
    assert.equal(g[240], 100);
    for (let i = 1; i < g.length; i++) assert.ok(Math.abs(g[i] - g[i - 1] - 0.5) < 1e-6);
  });

  it('one Eb/N0 (or all equal) is a grid of one point', () => {
    assert.deepEqual(analyticGrid([3]), [3]);
    assert.deepEqual(analyticGrid([3, 3]), [3]);
  });
});
