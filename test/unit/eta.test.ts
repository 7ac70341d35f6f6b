/** Time-left arithmetic of the progress output (src/run/eta.ts); the terminal drawing is not tested here. */
import assert from 'node:assert/strict';
import { endsSweep, formatDuration, formatEta, pointBlocksLeft, pointEta, RateMeter, sweepEta, sweepEtaAfterPoint, timeLeft } from '../../src/run/eta.ts';

const rules = { targetErrors: 100, maxBlocks: 1_000_000, minBler: 0 };

describe('progress: time left', () => {
  it('a point: blocks to the error target at the measured BLER, capped by maxBlocks', () => {
    // 25 errors in 10,000 blocks: BLER 2.5e-3, 100 errors at about 40,000 blocks.
    assert.deepEqual(pointBlocksLeft(10_000, 25, rules), { estimate: 30_000, max: 990_000 });
    // 1 error in 100,000 blocks: 10,000,000 needed, but the point ends at maxBlocks.
    assert.deepEqual(pointBlocksLeft(100_000, 1, rules), { estimate: 900_000, max: 900_000 });
    // No error yet: only the cap is known.
    assert.deepEqual(pointBlocksLeft(5_000, 0, rules), { max: 995_000 });
    // Target reached (the last chunk may overshoot it).
    assert.deepEqual(pointBlocksLeft(5_000, 130, rules), { estimate: 0, max: 0 });
    assert.deepEqual(pointEta(10_000, 25, rules, 1_000), { low: 30, high: 30 });
    assert.deepEqual(pointEta(5_000, 0, rules, 1_000), { low: undefined, high: 995 });
    assert.equal(pointEta(10_000, 25, rules, 0), undefined, 'no rate yet');
  });

  it('a point with a bit-error target: the nearer of the two targets; bits only; neither (runs to maxBlocks)', () => {
    // 25 block errors, 60 bit errors in 10,000 blocks: 100 bit errors at ~16,667 blocks, before 100 block errors.
    assert.deepEqual(pointBlocksLeft(10_000, 25, { ...rules, targetBitErrors: 100 }, 60), { estimate: 10_000 * (100 / 60) - 10_000, max: 990_000 });
    assert.deepEqual(pointBlocksLeft(10_000, 25, { ...rules, targetErrors: 0, targetBitErrors: 300 }, 60), { estimate: 40_000, max: 990_000 });
    assert.deepEqual(pointBlocksLeft(10_000, 25, { ...rules, targetErrors: 0, targetBitErrors: 50 }, 60), { estimate: 0, max: 0 });
    assert.deepEqual(pointBlocksLeft(10_000, 25, { ...rules, targetErrors: 0 }, 60), { estimate: 990_000, max: 990_000 });
  });

  it("a sweep: later points need at least this point's blocks, at most maxBlocks each", () => {
    // This point: 30 s left, 40,000 blocks in all; 3 later points: 3·40 s to 3·1000 s.
    assert.deepEqual(sweepEta(10_000, 25, 3, rules, 1_000), { low: 30 + 120, high: 30 + 3000 });
    // A point that will hit maxBlocks: later ones too (their BLER is lower), so the range closes.
    const capped = sweepEta(100_000, 1, 2, rules, 1_000)!;
    assert.deepEqual(capped, { low: 900 + 2000, high: 900 + 2000 });
    // No error yet: only an upper bound.
    assert.deepEqual(sweepEta(5_000, 0, 2, rules, 1_000), { high: 995 + 2000 });
    // Already below minBler: the sweep is expected to stop after this point.
    assert.deepEqual(sweepEta(10_000, 25, 3, { ...rules, minBler: 0.01 }, 1_000), { low: 30, high: 3030 });
    assert.deepEqual(sweepEtaAfterPoint(40_000, 2, rules, 2_000), { low: 40, high: 1000 });
  });

  it("the sweep stops after a point without errors or below minBler (the engine's rule)", () => {
    assert.equal(endsSweep({ errors: 0, bler: 0 }, { minBler: 0, stopOnZeroErrors: true }), true);
    assert.equal(endsSweep({ errors: 0, bler: 0 }, { minBler: 0, stopOnZeroErrors: false }), false);
    assert.equal(endsSweep({ errors: 5, bler: 1e-7 }, { minBler: 1e-6, stopOnZeroErrors: true }), true);
    assert.equal(endsSweep({ errors: 5, bler: 1e-3 }, { minBler: 1e-6, stopOnZeroErrors: true }), false);
  });

  it('training: steps per second over a sliding window; a restart starts over', () => {
    const m = new RateMeter(10);
    assert.equal(m.rate(), undefined);
    m.add(0, 0);
    assert.equal(m.rate(), undefined, 'one sample is no rate');
    m.add(1, 5); // a slow first second (warm-up)
    for (let t = 2; t <= 30; t++) m.add(t, 5 + (t - 1) * 100);
    // The window (the last ~10 s) sees only the steady 100 steps/s.
    assert.equal(m.rate(), 100);
    assert.equal(timeLeft(2905, 3905, m.rate()), 10);
    m.add(31, 50); // restarted from step 0
    assert.equal(m.rate(), undefined);
    m.add(32, 250);
    assert.equal(m.rate(), 200);
    assert.equal(timeLeft(10, 20, undefined), undefined);
  });

  it('durations and ranges in words', () => {
    assert.equal(formatDuration(0.3), '<1s');
    assert.equal(formatDuration(4.4), '4s');
    assert.equal(formatDuration(185), '3m05s');
    assert.equal(formatDuration(3720), '1h02m');
    assert.equal(formatDuration(1e9), '>99h');
    assert.equal(formatDuration(Infinity), '>99h');
    assert.equal(formatEta({ low: 30, high: 30 }), '~30s');
    assert.equal(formatEta({ low: 150, high: 3030 }), '2m30s–50m30s');
    assert.equal(formatEta({ high: 2995 }), '≤ 49m55s');
    assert.equal(formatEta({ low: 0.2, high: 0.4 }), '<1s');
    assert.equal(formatEta({ low: 0.2, high: 75 }), '<1s–1m15s');
  });
});
