/**
 * One figure, one text: the report's tables, the findings and the terminal write a dB figure through one
 * formatter, so a figure and its copies (rounded to 3 decimals by the analysis, or the same difference
 * computed in another order) never print differently, and nothing prints "-0.00".
 */
import assert from 'node:assert/strict';
import { dbSignedText, dbText, roundHalfAway } from '../../src/data/db-text.ts';
import { figureText, intervalText } from '../../src/analysis/verdict.ts';
import { fmtDb, fmtDbSigned } from '../../src/report/format.ts';

describe('dB figures: one formatter', () => {
  it('a figure and the same figure reached another way print alike (tables and findings)', () => {
    // 5.905 stored, and 5.905 as a difference of rounded crossings in binary (5.90499999… or 5.90500…01).
    const copies = [5.905, 7.2 - 1.295, 6.2 - 0.295, 5.905000000000001];
    assert.deepEqual(new Set(copies.map((x) => fmtDb(x))), new Set(['5.91']));
    const gaps = [0.035, 5.905 - 5.87, 6.035 - 6, 0.3 - 0.265]; // 0.03500000000000014 and 0.034999999999999976 among them
    assert.deepEqual(new Set(gaps.map((g) => fmtDbSigned(g))), new Set(['+0.04']));
    assert.deepEqual(new Set(gaps.map((g) => figureText(g, 'dB'))), new Set(['+0.04 dB']));
    for (const g of [...gaps, -0.035, 1.005, 2.675, -3.1]) assert.equal(figureText(g, 'dB'), `${fmtDbSigned(g)} dB`);
  });

  it('never "-0.00": a figure that rounds to zero has no sign', () => {
    for (const x of [-0.004, -0.0049, -1e-9, -0]) {
      assert.equal(dbText(x), '0.00');
      assert.equal(dbSignedText(x), '0.00');
      assert.equal(figureText(x, 'dB'), '0.00 dB');
    }
    assert.equal(intervalText({ low: -0.001, high: 0.3 }, 0.1, 'dB'), '[0.00, +0.30] dB');
    assert.equal(dbSignedText(-0.005), '-0.01');
    assert.equal(dbSignedText(0.005), '+0.01');
  });

  it('rounds half away from zero on the decimal value', () => {
    assert.equal(roundHalfAway(2.675, 2), 2.68);
    assert.equal(roundHalfAway(-2.675, 2), -2.68);
    assert.equal(roundHalfAway(1.2345, 3), 1.235);
    assert.equal(roundHalfAway(1.2344, 3), 1.234);
  });
});
