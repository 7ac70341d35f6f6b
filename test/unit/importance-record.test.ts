/** What an importance-sampled run records in results.json and how its report states the rules that governed its points. */
import assert from 'node:assert/strict';
import { infoTable } from '../../src/report/run-tables.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { fixtureResults } from '../browser/fixture.ts';

const scenario = (montecarlo: string, systems: string) =>
  parseScenario(`name: r\nsweep: { ebnoDb: [10] }\nmontecarlo: ${montecarlo}\nsystems:\n${systems}`, 'r.yaml');

/** The report's "Stopping rules" cell, as text. */
function rulesCell(sc: ReturnType<typeof scenario>): string {
  const results = { ...fixtureResults(), scenario: sc };
  const row = /Stopping rules<\/th>\s*<td[^>]*>([^<]*)</.exec(infoTable(results))?.[1];
  assert.ok(row, 'a stopping-rules row');
  return row;
}

describe('importance sampling: recorded and described', () => {
  it('the compiled scenario records method: importance and its precision target; a plain one records no method', () => {
    const is = scenario('{ method: importance, targetRelativeHalfWidth: 0.05 }', '  - { id: a, type: hamming74, decoding: ml }\n');
    assert.equal(is.montecarlo.method, 'importance');
    assert.equal(is.montecarlo.targetRelativeHalfWidth, 0.05);
    const plain = scenario('{ targetErrors: 50 }', '  - { id: a, type: hamming74, decoding: ml }\n');
    assert.equal('method' in plain.montecarlo, false);
  });

  it('the report describes the rules each method applied, and no rule that governed no point', () => {
    const all = rulesCell(
      scenario('{ method: importance, targetRelativeHalfWidth: 0.05, stopOnZeroErrors: true }', '  - { id: a, type: hamming74, decoding: ml }\n'),
    );
    assert.match(all, /^importance sampling: a point ends when its 95% interval&#39;s half-width is at most 5% of the estimate/);
    assert.doesNotMatch(all, /block errors|without errors|counting/);
    const mixed = rulesCell(
      scenario(
        '{ method: importance, targetErrors: 50 }',
        '  - { id: a, type: hamming74, decoding: ml }\n  - { id: b, type: hamming74, decoding: ml, montecarlo: { method: plain } }\n',
      ),
    );
    assert.match(mixed, /^counting \(b\): 50 block errors or .* blocks per point; .*\. importance sampling \(a\): .*10% of the estimate/);
    const plain = rulesCell(scenario('{ targetErrors: 50 }', '  - { id: a, type: hamming74, decoding: ml }\n'));
    assert.match(plain, /^counting: 50 block errors/);
    assert.doesNotMatch(plain, /importance/);
  });
});
