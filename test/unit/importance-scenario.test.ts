/** `montecarlo: { method: importance }` in scenario files: where it applies, how it compiles, how it is refused. */
import assert from 'node:assert/strict';
import { loadScenario, parseScenario } from '../../src/scenario/index.ts';
import { problemsOf } from './scenario-problems.ts';

describe('scenario: importance sampling', () => {
  it('compiles per scenario, with a per-system override either way', () => {
    const s = parseScenario(
      `name: r
sweep: { ebnoDb: [10] }
montecarlo: { method: importance, targetRelativeHalfWidth: 0.05 }
systems:
  - { id: a, type: hamming74, decoding: ml }
  - { id: b, type: hamming74, decoding: ml, montecarlo: { method: plain } }
`,
      'r.yaml',
    );
    assert.deepEqual(s.systems[0].importance, { targetRelativeHalfWidth: 0.05 });
    assert.equal(s.systems[1].importance, undefined);
    const t = parseScenario(
      `name: r\nsweep: { ebnoDb: [10] }\nsystems:\n  - { id: a, type: hamming74, decoding: ml, montecarlo: { method: importance } }\n  - { id: b, type: hamming74, decoding: ml }\n`,
      'r.yaml',
    );
    assert.deepEqual(t.systems[0].importance, { targetRelativeHalfWidth: 0.1 });
    assert.equal(t.systems[1].importance, undefined);
  });

  it('refuses importance sampling on a Rayleigh channel, naming the field and line (no silent fallback)', () => {
    const scenarioWide = problemsOf(`name: r
sweep: { ebnoDb: [10] }
channel: { type: rayleigh }
montecarlo: { method: importance }
systems:
  - { id: a, type: hamming74, decoding: ml }
`);
    assert.match(scenarioWide, /bad\.yaml:4:\d+.*montecarlo\.method/);
    assert.match(scenarioWide, /AWGN only/);
    const perSystem = problemsOf(`name: r
sweep: { ebnoDb: [10] }
systems:
  - { id: a, type: hamming74, decoding: ml }
  - { id: b, type: uncoded, modulation: bpsk, k: 4, channel: { type: rayleigh }, montecarlo: { method: importance } }
`);
    assert.match(perSystem, /bad\.yaml:5:\d+.*systems\[1\]\.montecarlo\.method/);
    assert.match(perSystem, /systems\[1\]\.channel/);
  });

  it('the shipped rare-events scenario measures its main curves by importance sampling and keeps plain references', async () => {
    const s = await loadScenario('scenarios/rare-events.yaml');
    const byId = new Map(s.systems.map((x) => [x.id, x]));
    for (const id of ['ae74', 'hamming-ml', 'hamming-hard', 'bpsk4']) assert.ok(byId.get(id)?.importance, id);
    for (const id of ['hamming-ml-mc', 'hamming-hard-mc', 'bpsk4-mc']) assert.equal(byId.get(id)?.importance, undefined, id);
  });
});
