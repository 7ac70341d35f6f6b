/** Budgets from the command line: parsed with the scenario fields' rules, applied over the scenario, compared on --resume. */
import assert from 'node:assert/strict';
import { overridesDifference, parseEbnoOption, withOverrides } from '../../src/run/budget-overrides.ts';
import { parseScenario } from '../../src/scenario/index.ts';

describe('budgets from the command line', () => {
  it('--ebno: a range FROM:TO:STEP or a list, sorted', () => {
    assert.deepEqual(parseEbnoOption('0:10:0.5').length, 21);
    assert.deepEqual(parseEbnoOption('0:10:0.5').slice(0, 3), [0, 0.5, 1]);
    assert.deepEqual(parseEbnoOption('0:1:0.1').at(-1), 1);
    assert.deepEqual(parseEbnoOption('4,0,2'), [0, 2, 4]);
    assert.deepEqual(parseEbnoOption('-2.5'), [-2.5]);
  });

  it('--ebno: bad values are refused with the reason', () => {
    const cases: [string, RegExp][] = [
      ['0:10:0', /STEP must be > 0/],
      ['10:0:1', /TO must be ≥ FROM/],
      ['0:1e6:0.001', /at most 1000 points/],
      ['0,2,2', /2 is listed twice/],
      ['0,x', /every value must be a number/],
      ['', /every value must be a number/],
      ['0:1', /a range is FROM:TO:STEP/],
      ['a:b:c', /must be numbers/],
    ];
    for (const [v, why] of cases)
      assert.throws(
        () => parseEbnoOption(v),
        (e: Error) => why.test(e.message) && e.message.startsWith(`--ebno ${v}: expected`),
        v,
      );
  });

  it('applied over the scenario, only what is given; --resume compares them', () => {
    const sc = parseScenario('name: o\nsweep: { ebnoDb: [0, 1] }\nsystems: [{ id: u, type: uncoded, modulation: bpsk, k: 1 }]\n', 'o.yaml');
    assert.equal(withOverrides(sc, {}), sc);
    const o = withOverrides(sc, { maxBlocks: 500, ebnoDb: [3, 4] });
    assert.deepEqual(o.sweep.ebnoDb, [3, 4]);
    assert.equal(o.montecarlo.maxBlocks, 500);
    assert.equal(o.montecarlo.targetErrors, sc.montecarlo.targetErrors);
    assert.equal(overridesDifference({ maxBlocks: 500 }, { maxBlocks: 500 }), undefined);
    assert.equal(overridesDifference(undefined, {}), undefined);
    assert.match(
      overridesDifference({ maxBlocks: 500 }, undefined) ?? '',
      /--resume: the run was made with the budgets \{"maxBlocks":500\}.*this command gives \{\}/,
    );
  });
});
