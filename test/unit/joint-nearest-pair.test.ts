import assert from 'node:assert/strict';
import { jointNearestPairDecoder } from '../../src/decoders/joint-nearest-pair.ts';
import { RandomStream } from '../../src/random.ts';
import type { BlockSystem } from '../../src/system.ts';

/**
 * The AWGN joint-ML decoder searches the pairs through precomputed energies and per-block products; the truth
 * here is the definition, argmin over all M² pairs of ‖y − c_a − g·d_b‖² computed directly in doubles.
 */
describe('joint-nearest-pair decoder (AWGN)', () => {
  for (const [k, n, g] of [
    [4, 4, 1],
    [2, 2, 0.7],
    [3, 1, 1.3],
  ] as const) {
    it(`(${n},${k}), g = ${g}: the decisions of the direct search over M² pairs`, () => {
      const rs = new RandomStream(`jnp-${k}-${n}`);
      const M = 2 ** k;
      const dims = 2 * n;
      const own = new Float32Array(M * dims).map(() => rs.normal());
      const other = new Float32Array(M * dims).map(() => rs.normal());
      const system: BlockSystem = {
        id: 'jnp',
        k,
        n,
        signalling: 'complex',
        codebook: own,
        decoder: { kind: 'joint-nearest-pair', other, crossGain: g },
        channel: { type: 'awgn' },
      };
      const blocks = 3000;
      // Received rows near random pairs, plus rows far from every pair (large noise).
      const y = new Float32Array(blocks * dims);
      for (let b = 0; b < blocks; b++) {
        const a = b % M;
        const i = (b * 7) % M;
        const s = b % 3 === 0 ? 3 : 0.4;
        for (let j = 0; j < dims; j++) y[b * dims + j] = own[a * dims + j] + g * other[i * dims + j] + s * rs.normal();
      }
      const decided = new Int32Array(blocks);
      jointNearestPairDecoder.build(system, system.decoder as never)(y, blocks, decided);
      let compared = 0;
      for (let b = 0; b < blocks; b++) {
        let best = Infinity;
        let second = Infinity;
        let arg = -1;
        for (let a = 0; a < M; a++)
          for (let i = 0; i < M; i++) {
            let d = 0;
            for (let j = 0; j < dims; j++) {
              const e = y[b * dims + j] - own[a * dims + j] - g * other[i * dims + j];
              d += e * e;
            }
            if (d < best) {
              if (a !== arg) second = best;
              best = d;
              arg = a;
            } else if (a !== arg && d < second) second = d;
          }
        // A different own message within rounding of the best pair is a tie: either decision is ML.
        if (second - best < 1e-9 * best) continue;
        compared++;
        assert.equal(decided[b], arg, `block ${b}`);
      }
      assert.ok(compared > blocks * 0.99, `${compared} blocks compared`);
    });
  }
});
