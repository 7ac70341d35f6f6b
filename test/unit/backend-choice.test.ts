import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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

  it('a workload below the crossover chooses wasm without loading tfjs-node (loading it takes seconds); one above loads it', function () {
    this.timeout(120_000);
    // In a process of its own: this one may have loaded tfjs-node already. AE_BACKEND unset: the automatic choice.
    const loaded = (macs: number) => {
      const env = { ...process.env };
      delete env.AE_BACKEND;
      delete env.AE_BACKEND_CHOSEN;
      const script = `import { createRequire } from 'node:module'; import { chooseBackend } from './src/backend.ts';
        const c = await chooseBackend(${macs});
        console.log(JSON.stringify({ backend: c.backend, loaded: Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('tfjs-node')) }));`;
      return JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, encoding: 'utf8' }).trim().split('\n').at(-1)!,
      );
    };
    assert.deepEqual(loaded(threshold - 1), { backend: 'wasm', loaded: false });
    const above = loaded(threshold);
    // Where tfjs-node is installed the rule picks it (and so loads it); where it is not, wasm.
    assert.equal(above.loaded, above.backend === 'tensorflow');
  });
});
