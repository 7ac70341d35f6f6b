import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaText, SCHEMA_FILE } from '../../sim/cli.ts';
import {
  compileScenario,
  curvePlan,
  expandRange,
  loadScenario,
  parseScenario,
  quickScenario,
  scenarioJsonSchema,
  validateScenario,
} from '../../src/scenario/index.ts';
import { problemsOf } from './scenario-problems.ts';

const SHIPPED = readdirSync('scenarios').filter((f) => /\.ya?ml$/.test(f));

const MINIMAL = `name: ok
sweep: { ebnoDb: [0, 1] }
systems:
  - { id: a, type: hamming74, decoding: ml }
`;

describe('scenario files', () => {
  it('ships the expected scenarios, all valid', async () => {
    for (const name of ['fig3a-hamming74', 'fig3b-rates', 'power-constraints', 'rayleigh', 'train-snr-study', 'quick'])
      assert.ok(SHIPPED.includes(`${name}.yaml`), `scenarios/${name}.yaml missing`);
    for (const f of SHIPPED) {
      const s = await loadScenario(join('scenarios', f));
      assert.equal(`${s.name}.yaml`, f, 'the scenario name matches its file name');
      assert.ok(s.description.length > 10, `${f}: a description`);
    }
  });

  it('the committed JSON Schema is up to date (npm run schema)', () => {
    assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), schemaText(), 'scenarios/scenario.schema.json is stale: run npm run schema');
    const schema = scenarioJsonSchema() as { additionalProperties?: boolean; required?: string[] };
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual([...(schema.required ?? [])].sort(), ['name', 'sweep', 'systems']);
  });

  it('compiles with every default filled in', () => {
    const s = parseScenario(
      `name: d
sweep: { ebnoDb: { from: 0, to: 1, step: 0.5 } }
systems:
  - { id: ae, type: autoencoder, k: 4, n: 7 }
  - { id: q, type: uncoded, modulation: qam16, k: 8, channel: { type: rayleigh } }
`,
      'd.yaml',
    );
    assert.deepEqual(s.sweep.ebnoDb, [0, 0.5, 1]);
    assert.equal(s.seed, 1);
    assert.deepEqual(s.channel, { type: 'awgn' });
    assert.deepEqual(s.montecarlo, { targetErrors: 100, targetBitErrors: 0, maxBlocks: 10_000_000, minBler: 0, minBer: 0, stopOnZeroErrors: true });
    // "Whichever the scenario sets": a bit-error target alone turns the block-error target off.
    const bitsOnly = parseScenario(
      'name: b\nsweep: { ebnoDb: [0] }\nmontecarlo: { targetBitErrors: 500 }\nsystems: [{ id: u, type: uncoded, modulation: bpsk, k: 4 }]\n',
      'b.yaml',
    );
    assert.equal(bitsOnly.montecarlo.targetErrors, 0);
    assert.equal(bitsOnly.montecarlo.targetBitErrors, 500);
    const ae = s.systems[0];
    assert.ok(ae.type === 'autoencoder');
    assert.equal(ae.signalling, 'real');
    assert.equal(ae.normalization, 'energy');
    assert.deepEqual(ae.encoder, [{ units: 16, activation: 'relu', layerNorm: false, weightNorm: false }]);
    // No train block: the trainer's recipe (src/defaults.ts): auto Eb/N0 (2.8 dB for (7,4): uncoded BPSK
    // with 4 bits has BLER 0.1 there), stop on convergence within maxSteps, then the decoder refinement at
    // 4.0 dB (BPSK (4,4) BLER 1 − (1 − Q(√(2·10^0.4)))^4 = 0.049, at 3.9 dB 0.052).
    assert.deepEqual(ae.train, {
      ebnoDb: 2.8,
      ebnoDbChoice: 'auto',
      batchSize: 1000,
      learningRate: 0.01,
      stop: 'converged',
      steps: 20000,
      convergence: { validateEvery: 200, patience: 3, minImprovement: 0.005, decays: 2, decayFactor: 3, validationBlocks: 20000 },
      refine: {
        ebnoDb: 4,
        learningRate: 0.0003,
        maxSteps: 1600,
        convergence: { validateEvery: 200, patience: 3, minImprovement: 0.005, decays: 1, decayFactor: 3, validationBlocks: 20000 },
      },
    });
    assert.equal(ae.mlReference, true, 'default true for k ≤ 8');
    assert.deepEqual(s.systems[1].channel, { type: 'rayleigh', coherence: 'block', csi: 'perfect' });
    assert.equal(s.systems[1].n, 2, '16-QAM with k = 8: two complex uses');
    assert.deepEqual(
      curvePlan(s).map((c) => c.id),
      ['ae', 'ae-ml', 'q'],
    );
    // Plain JSON: survives a round trip unchanged.
    assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
  });

  it('mlReference defaults to false above k = 8', () => {
    const s = parseScenario(`name: m\nsweep: { ebnoDb: [0] }\nsystems: [{ id: big, type: autoencoder, k: 9, n: 9 }]\n`, 'm.yaml');
    assert.deepEqual(
      curvePlan(s).map((c) => c.id),
      ['big'],
    );
  });

  it('expands ranges without floating-point drift', () => {
    const v = expandRange({ from: -4, to: 8, step: 0.1 });
    assert.equal(v.length, 121);
    assert.equal(v[3], -3.7);
    assert.equal(v.at(-1), 8);
  });

  it('--quick scales budgets down', () => {
    const input = parseYamlLike();
    assert.ok(validateScenario(input).ok);
    const s = quickScenario(compileScenario(input));
    const ae = s.systems[0];
    assert.ok(ae.type === 'autoencoder');
    assert.equal(ae.train.steps, 1000);
    assert.equal(s.montecarlo.targetErrors, 20);
    assert.equal(s.montecarlo.maxBlocks, 200_000);
  });

  describe('errors name the file, line, field path, what was expected and what was found', () => {
    it('wrong type', () => {
      const m = problemsOf(MINIMAL.replace('systems:', 'seed: 1\nsystems:\n  - { id: b, type: autoencoder, k: 4, n: 0.5 }'));
      assert.match(m, /^bad\.yaml: invalid scenario \(1 problem\):/);
      assert.match(m, /bad\.yaml:5:\d+: systems\[0\]\.n: expected an integer, found 0\.5/);
    });
    it('below the minimum', () => {
      assert.match(
        problemsOf(MINIMAL.replace('systems:', 'systems:\n  - { id: b, type: autoencoder, k: 0, n: 7 }')),
        /systems\[0\]\.k: expected an integer ≥ 1, found 0/,
      );
    });
    it('unknown key (a typo) lists the allowed keys', () => {
      const m = problemsOf(MINIMAL.replace('decoding: ml', 'decoding: ml, decodng: hard'));
      assert.match(m, /systems\[0\]\.decodng: expected one of the keys type, id, label, channel, montecarlo, decoding, found unknown key "decodng"/);
    });
    it('bad enum value', () => {
      assert.match(problemsOf(MINIMAL.replace('decoding: ml', 'decoding: soft')), /systems\[0\]\.decoding: expected one of "hard", "ml", found "soft"/);
    });
    it('unknown system type', () => {
      assert.match(
        problemsOf(MINIMAL.replace('type: hamming74, decoding: ml', 'type: turbo')),
        /systems\[0\]\.type: expected a system type: autoencoder, hamming74, uncoded, hamming74-dbpsk, two-user, time-sharing, found "turbo"/,
      );
    });
    it('missing field', () => {
      assert.match(
        problemsOf('name: x\nsystems: [{ id: a, type: hamming74, decoding: ml }]\n'),
        /sweep: expected a mapping, found nothing \(the field is missing\)/,
      );
    });
    it('bad name (it becomes a folder)', () => {
      assert.match(problemsOf(MINIMAL.replace('name: ok', 'name: ../Evil')), /bad\.yaml:1:7: name: expected a name of lowercase letters.*found "\.\.\/Evil"/);
    });
    it('bad sweep shape', () => {
      assert.match(
        problemsOf(MINIMAL.replace('[0, 1]', '"0 to 8"')),
        /sweep\.ebnoDb: expected a list of Eb\/N0 values in dB, or \{ from, to, step \}, found "0 to 8"/,
      );
    });
    it('every problem at once, in file order', () => {
      const m = problemsOf(`name: Bad
sweep: { ebnoDb: [0] }
systems:
  - { id: a, type: autoencoder, k: 4, n: 7, normalization: power, signalling: quaternion }
`);
      assert.match(m, /\(3 problems\)/);
      assert.ok(m.indexOf('name:') < m.indexOf('normalization') && m.indexOf('normalization') < m.indexOf('signalling'));
    });
    it('schema and cross-field problems in one pass (one file with 4 cross-field problems and schema errors)', () => {
      const m = problemsOf(`name: Bad
sweep: { ebnoDb: { from: 8, to: 0, step: 1 } }
compare: [[ae, nope]]
systems:
  - { id: ae, type: autoencoder, k: 4, n: 7, normalization: power }
  - { id: q, type: uncoded, modulation: qam16, k: 3 }
  - { id: q, type: hamming74, decoding: ml }
`);
      const lines = m.split('\n').slice(1);
      assert.match(m, /\(6 problems\)/);
      assert.match(lines[0], /bad\.yaml:1:7: name: expected a name/);
      assert.match(lines[1], /bad\.yaml:2:33: sweep\.ebnoDb\.to: expected a value ≥ from \(8\), found 0/);
      assert.match(lines[2], /bad\.yaml:3:16: compare\[0\]\[1\]: expected one of the curve ids ae, q, ae-ml, found "nope"/);
      assert.match(lines[3], /bad\.yaml:5:\d+: systems\[0\]\.normalization: expected one of/);
      assert.match(lines[4], /bad\.yaml:6:\d+: systems\[1\]\.k: expected a k that is a multiple of 4/);
      assert.match(lines[5], /bad\.yaml:7:\d+: systems\[2\]\.id: expected a curve id not used by another system, found "q" again/);
    });
    it('cross-field checks skip what they cannot read, and do not repeat a field the schema reports', () => {
      // ae's k is broken, so whether "ae-ml" exists is unknown: no "unknown curve id" for it.
      const m = problemsOf(`name: x
sweep: { ebnoDb: { from: 0, to: "8", step: 1 } }
compare: [[ae-ml, h]]
systems:
  - { id: ae, type: autoencoder, k: four, n: 7 }
  - { id: h, type: hamming74, decoding: ml }
  - { id: "b b", type: hamming74, decoding: ml }
  - { id: "b b", type: hamming74, decoding: ml }
`);
      assert.match(m, /\(4 problems\)/, m);
      assert.match(m, /bad\.yaml:2:\d+: sweep\.ebnoDb\.to: expected a number, found "8"/);
      assert.match(m, /bad\.yaml:5:\d+: systems\[0\]\.k: expected a number, found "four"/);
      assert.doesNotMatch(m, /compare/);
      assert.equal(m.match(/systems\[3\]\.id/g)?.length, 1, "one problem per field: the schema's");
    });
    it('an unknown key is located at the key, not at its value', () => {
      const flow = problemsOf(MINIMAL.replace('decoding: ml', 'decoding: ml, decodng: hard'));
      assert.match(flow, /bad\.yaml:4:45: systems\[0\]\.decodng: /);
      const block = problemsOf('name: x\nsweep:\n  ebnoDb: [0]\n  stepp:\n    - 1\nsystems: [{ id: a, type: hamming74, decoding: ml }]\n');
      assert.match(block, /bad\.yaml:4:3: sweep\.stepp: /);
      const top = problemsOf(MINIMAL + 'colour: blue\n');
      assert.match(top, /bad\.yaml:5:1: colour: /);
      const json = problemsOf(
        '{"name": "x", "sweep": {"ebnoDb": [0]},\n "systems": [{"id": "a", "type": "hamming74", "decoding": "ml", "colour": 1}]}',
        'bad.json',
      );
      assert.match(json, /bad\.json:2:65: systems\[0\]\.colour: /);
    });
    it('not a mapping at all', () => {
      assert.match(problemsOf('- just\n- a list\n'), /\(top level\): expected a mapping of scenario fields/);
    });
    it('YAML syntax errors carry the line', () => {
      assert.match(problemsOf('name: x\nsweep: { ebnoDb: [0, 1]\n'), /^bad\.yaml:\d+:\d+: YAML syntax error/);
    });
    it('JSON files: syntax and validation errors', () => {
      assert.match(problemsOf('{"name": "x",}', 'bad.json'), /^bad\.json: JSON syntax error/);
      assert.match(
        problemsOf('{"name": "x", "sweep": {"ebnoDb": [0]}, "systems": [{"id": "a", "type": "hamming74"}]}', 'bad.json'),
        /bad\.json:1:\d+: systems\[0\]\.decoding: expected one of "hard", "ml", found nothing/,
      );
    });
    it('a missing file', async () => {
      await assert.rejects(loadScenario('no/such/file.yaml'), /no\/such\/file\.yaml: cannot read the scenario file: no such file/);
    });
  });

  describe('cross-field checks', () => {
    const sys = (s: string) => `name: x\nsweep: { ebnoDb: [0] }\nsystems:\n${s}`;
    it('duplicate ids', () => {
      assert.match(
        problemsOf(sys('  - { id: a, type: hamming74, decoding: ml }\n  - { id: a, type: hamming74, decoding: hard }\n')),
        /systems\[1\]\.id: expected a curve id not used by another system, found "a" again \(already used by systems\[0\]\.id\)/,
      );
    });
    it('an id that clashes with an ML-reference curve', () => {
      assert.match(
        problemsOf(sys('  - { id: a, type: autoencoder, k: 2, n: 2 }\n  - { id: a-ml, type: hamming74, decoding: hard }\n')),
        /systems\[1\]\.id: .*found "a-ml", the id of the ML-reference curve of systems\[0\]/,
      );
    });
    it('M = 2^k ≤ 2^16', () => {
      assert.match(
        problemsOf(sys('  - { id: a, type: autoencoder, k: 17, n: 20 }\n')),
        /systems\[0\]\.k: expected k ≤ 16 \(M = 2\^k ≤ 65536 messages\), found 17/,
      );
    });
    it('QAM k must be a multiple of the bits per symbol', () => {
      assert.match(
        problemsOf(sys('  - { id: q, type: uncoded, modulation: qam64, k: 8 }\n')),
        /systems\[0\]\.k: expected a k that is a multiple of 6 \(qam64 carries 6 bits per symbol\), found 8/,
      );
    });
    it('sweep range: from ≤ to, step > 0, bounded size', () => {
      const r = (range: string) => `name: x\nsweep: { ebnoDb: ${range} }\nsystems: [{ id: a, type: hamming74, decoding: ml }]\n`;
      assert.match(problemsOf(r('{ from: 4, to: 0, step: 1 }')), /sweep\.ebnoDb\.to: expected a value ≥ from \(4\), found 0/);
      assert.match(problemsOf(r('{ from: 0, to: 4, step: 0 }')), /sweep\.ebnoDb\.step: expected a step > 0, found 0/);
      assert.match(problemsOf(r('{ from: 0, to: 4, step: -1 }')), /step > 0, found -1/);
      assert.match(problemsOf(r('{ from: 0, to: 400, step: 0.1 }')), /expected at most 1000 sweep points/);
    });
    it('training range: from ≤ to', () => {
      assert.match(
        problemsOf(sys('  - { id: a, type: autoencoder, k: 2, n: 2, train: { ebnoDb: { from: 9, to: 1 } } }\n')),
        /systems\[0\]\.train\.ebnoDb\.to: expected a value ≥ from \(9\), found 1/,
      );
    });
    it('compare pairs name existing curves (including -ml curves)', () => {
      const base = sys('  - { id: a, type: autoencoder, k: 2, n: 2 }\n  - { id: b, type: hamming74, decoding: ml }\n');
      assert.doesNotThrow(() => parseScenario(base + 'compare: [[a-ml, b]]\n', 'ok.yaml'));
      assert.match(problemsOf(base + 'compare: [[a, c]]\n'), /compare\[0\]\[1\]: expected one of the curve ids a, b, a-ml, found "c"/);
      assert.match(problemsOf(base + 'compare: [[a, a]]\n'), /compare\[0\]: expected two different curve ids/);
    });
  });

  it('loadScenario reads YAML and JSON files from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scenario-'));
    try {
      await writeFile(
        join(dir, 's.json'),
        JSON.stringify({ name: 'j', sweep: { ebnoDb: [1] }, systems: [{ id: 'a', type: 'uncoded', modulation: 'qpsk', k: 2 }] }),
      );
      const s = await loadScenario(join(dir, 's.json'));
      assert.equal(s.systems[0].signalling, 'complex');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

function parseYamlLike(): Parameters<typeof compileScenario>[0] {
  return {
    name: 'q',
    sweep: { ebnoDb: [0] },
    montecarlo: { targetErrors: 100, maxBlocks: 1e7 },
    systems: [{ id: 'ae', type: 'autoencoder', k: 4, n: 7, train: { steps: 10000 } }],
  };
}
