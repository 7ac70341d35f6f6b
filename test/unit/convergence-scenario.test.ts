/** The convergence rule set in a scenario (`train.convergence`): defaults from DEFAULTS, passed to the trainer, refused with `steps`. */
import assert from 'node:assert/strict';
import { DEFAULTS } from '../../src/defaults.ts';
import { trainingOptions } from '../../src/scenario/compile-parts.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import type { CompiledAutoencoder } from '../../src/scenario/compiled.ts';

const withTrain = (train: string) => `name: conv
sweep: { ebnoDb: [0, 2] }
systems:
  - { id: ae, type: autoencoder, k: 2, n: 2, train: ${train} }
`;

describe('train.convergence in a scenario', () => {
  it('given fields replace the defaults, the others stay DEFAULTS, and the trainer gets the rule', () => {
    const ae = parseScenario(withTrain('{ convergence: { patience: 5, validateEvery: 50, validationBlocks: 4000 } }'), 'c.yaml')
      .systems[0] as CompiledAutoencoder;
    const expected = { ...DEFAULTS.train.convergence, validationBlocks: 4000, patience: 5, validateEvery: 50 };
    assert.deepEqual(ae.train.convergence, expected);
    assert.deepEqual(trainingOptions(ae.train).convergence, expected);
    const plain = parseScenario(withTrain('{ ebnoDb: 3 }'), 'd.yaml').systems[0] as CompiledAutoencoder;
    assert.deepEqual(plain.train.convergence, { ...DEFAULTS.train.convergence, validationBlocks: DEFAULTS.train.validationBlocks });
  });

  it('bad fields and convergence with steps are refused, naming the field', () => {
    assert.throws(
      () => parseScenario(withTrain('{ convergence: { patience: 0 } }'), 'e.yaml'),
      /e\.yaml:4:\d+: systems\[0\]\.train\.convergence\.patience: expected an integer ≥ 1, found 0/,
    );
    assert.throws(() => parseScenario(withTrain('{ convergence: { decayFactor: 0.5 } }'), 'f.yaml'), /train\.convergence\.decayFactor/);
    assert.throws(() => parseScenario(withTrain('{ convergence: { patiense: 2 } }'), 'g.yaml'), /unknown key "patiense"/);
    assert.throws(
      () => parseScenario(withTrain('{ steps: 100, convergence: { patience: 2 } }'), 'h.yaml'),
      /train\.convergence: expected either steps .* or convergence/,
    );
  });
});
