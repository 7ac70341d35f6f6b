import assert from 'node:assert/strict';
import { decideBackend } from '../../src/backend.ts';
import { DEFAULTS } from '../../src/defaults.ts';
import { largestNetworkMacs } from '../../src/run/backend-workload.ts';
import { compileScenario } from '../../src/scenario/compile.ts';

describe('backend choice by workload', () => {
  const threshold = DEFAULTS.backend.tensorflowMinMacs;
  it('tfjs-node for networks at or above the crossover, wasm below, wasm when tfjs-node is missing, AE_BACKEND wins', () => {
    assert.equal(decideBackend(threshold, undefined, true).backend, 'tensorflow');
    assert.equal(decideBackend(threshold - 1, undefined, true).backend, 'wasm');
    assert.equal(decideBackend(undefined, undefined, true).backend, 'wasm');
    assert.equal(decideBackend(10 * threshold, undefined, false).backend, 'wasm');
    assert.match(decideBackend(10 * threshold, undefined, false).reason, /not installed/);
    assert.deepEqual(decideBackend(10, 'tensorflow', false), { backend: 'tensorflow', reason: 'forced by AE_BACKEND=tensorflow' });
  });

  it('the workload is the largest autoencoder of the scenarios: (7,4) 736, (8,8) 135168 multiply-adds per example', () => {
    const sc = (k: number, n: number) =>
      compileScenario({
        name: 'w',
        sweep: { ebnoDb: [0] },
        systems: [
          { id: 'ae', type: 'autoencoder', k, n },
          { id: 'h', type: 'hamming74', decoding: 'ml' },
        ],
      });
    // (7,4): 16·16 + 16·7 (encoder) + 7·16 + 16·16 (decoder); (8,8): 256·256 + 256·8 + 8·256 + 256·256.
    assert.equal(largestNetworkMacs([sc(4, 7)]), 736);
    assert.equal(largestNetworkMacs([sc(4, 7), sc(8, 8)]), 135168);
    assert.equal(
      largestNetworkMacs([compileScenario({ name: 'b', sweep: { ebnoDb: [0] }, systems: [{ id: 'h', type: 'hamming74', decoding: 'ml' }] })]),
      undefined,
    );
  });
});
