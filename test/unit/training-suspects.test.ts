import assert from 'node:assert/strict';
import { DEFAULTS } from '../../src/defaults.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import type { CompiledAutoencoder } from '../../src/scenario/compiled.ts';
import { trainingSuspects } from '../../src/systems/training-suspects.ts';

const trainOf = (train: string) =>
  (
    parseScenario(`name: t\nsweep: { ebnoDb: [0] }\nsystems:\n  - { id: ae, type: autoencoder, k: 2, n: 2, train: ${train} }\n`, 't.yaml')
      .systems[0] as CompiledAutoencoder
  ).train;

describe('training failures: the settings likely responsible', () => {
  const chance = ['attempt 0: accuracy 0.2500 still at chance (1/4) at step 250'];
  const nan = ['attempt 0: loss became NaN at step 12'];
  it('names a learning rate far above the default, and a training Eb/N0 that buries the codewords', () => {
    assert.match(trainingSuspects(trainOf('{ learningRate: 10 }'), chance).join(), /^train\.learningRate: 10 \(the default is /);
    assert.match(trainingSuspects(trainOf('{ ebnoDb: -500 }'), chance).join(), /^train\.ebnoDb: -500 dB \(below -10 dB/);
    assert.match(trainingSuspects(trainOf('{ ebnoDb: { from: -60, to: -40 } }'), chance).join(), /^train\.ebnoDb: \{"from":-60,"to":-40\} dB/);
  });
  it('names nothing for the recipe itself; a diverged loss blames any rate above the default', () => {
    assert.deepEqual(trainingSuspects(trainOf('{ ebnoDb: 7 }'), chance), []);
    assert.deepEqual(trainingSuspects(trainOf(`{ learningRate: ${DEFAULTS.train.learningRate} }`), nan), []);
    assert.equal(trainingSuspects(trainOf(`{ learningRate: ${DEFAULTS.train.learningRate * 2} }`), nan).length, 1);
  });
});
