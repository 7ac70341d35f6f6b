/**
 * Importance sampling on a trained (7,4) autoencoder (the default recipe): agreement with plain Monte Carlo
 * where both are feasible, and the target — BLER ~1e-9 with a 95% interval within ±20%, well inside
 * 60 s — for the autoencoder and Hamming (7,4) ML. Independent truth at 1e-9: the ML block error rate of
 * each codebook lies between its two-term Bonferroni lower bound and its union bound (./ml-bounds.ts), which
 * at 10.5 dB agree to 1e-4 relative; the learned decoder cannot do better than ML decoding of its own codebook.
 */
import assert from 'node:assert/strict';
import { trainAutoencoder, type AutoencoderSpec } from '../../src/autoencoder/index.ts';
import { hamming74System, mlDecoderFor } from '../../src/baselines/index.ts';
import { runSweep, type PointResult } from '../../src/montecarlo/index.ts';
import { hammingCodebook } from '../../src/baselines/hamming.ts';
import { compileScenario, type CompiledAutoencoder } from '../../src/scenario/compile.ts';
import { mlBlerBounds, zFor } from './ml-bounds.ts';

const AE74: AutoencoderSpec = { k: 4, n: 7, signalling: 'real', normalization: 'energy', channel: { type: 'awgn' } };
const se = (p: PointResult) => (p.ciHigh - p.bler) / 1.959963984540054;

describe('importance sampling of a trained (7,4) autoencoder', function () {
  this.timeout(180_000);

  it('agrees with plain Monte Carlo at BLER ~1e-3, and reaches BLER ~1e-9 within ±20% in far less than 60 s', async () => {
    const sc = compileScenario({ name: 'is', sweep: { ebnoDb: [0] }, systems: [{ id: 'ae', type: 'autoencoder', k: 4, n: 7 }] });
    const t = (sc.systems[0] as CompiledAutoencoder).train;
    const ae = await trainAutoencoder(AE74, {
      ebnoDb: t.ebnoDb,
      batchSize: t.batchSize,
      steps: t.steps,
      learningRate: t.learningRate,
      convergence: t.convergence,
      seed: 'is-e2e',
    });
    const system = ae.toBlockSystem('ae74');

    const [plain] = await runSweep(system, { ebnoDb: [6], seed: 'plain', rules: { targetErrors: 300, maxBlocks: 2_000_000 } });
    const [is] = await runSweep(system, { ebnoDb: [6], seed: 'is', method: 'importance', rules: { maxBlocks: 2_000_000 } });
    const sePlain = Math.sqrt((plain.bler * (1 - plain.bler)) / plain.blocks);
    console.log(
      `      6 dB: plain ${plain.bler.toExponential(3)} (${plain.errors} errors / ${plain.blocks}), IS ${is.bler.toExponential(3)} ± ${(100 * is.importance!.relativeHalfWidth).toFixed(1)}% (${is.blocks} samples, ESS ${is.importance!.ess.toFixed(0)})`,
    );
    assert.ok(is.importance!.trusted, is.note);
    assert.ok(Math.abs(is.bler - plain.bler) <= 3.29 * Math.hypot(se(is), sePlain), `IS ${is.bler} vs plain ${plain.bler}`);

    const t0 = performance.now();
    const rare = {
      ebnoDb: [10.5],
      seed: 'rare',
      method: 'importance' as const,
      importance: { targetRelativeHalfWidth: 0.2 },
      rules: { maxBlocks: 10_000_000 },
    };
    const [aePt] = await runSweep(system, rare);
    const [aeMl] = await runSweep(mlDecoderFor(system, 'ae74-ml'), rare);
    const [hamming] = await runSweep(hamming74System({ id: 'hamming-ml', decoding: 'ml', channel: { type: 'awgn' } }), rare);
    const seconds = (performance.now() - t0) / 1000;
    for (const [name, p] of [
      ['AE', aePt],
      ['AE + ML', aeMl],
      ['Hamming ML', hamming],
    ] as const) {
      console.log(
        `      10.5 dB ${name}: ${p.bler.toExponential(3)} [${p.ciLow.toExponential(2)}, ${p.ciHigh.toExponential(2)}], ${p.blocks} samples, ESS ${p.importance!.ess.toFixed(0)}, ${p.seconds.toFixed(2)} s`,
      );
      assert.ok(p.importance!.trusted, `${name}: ${p.note}`);
      assert.ok(p.ciHigh - p.bler <= 0.2 * p.bler && p.bler - p.ciLow <= 0.2 * p.bler, `${name}: interval wider than ±20%`);
    }
    assert.ok(seconds < 60, `three points took ${seconds} s`);
    // Against the bounds, with the estimator's own standard error: five one-sided checks at a joint 99%
    // (Bonferroni: each at 1 − 0.01/5, z = 2.88).
    const sigma = Math.sqrt(1 / (2 * (4 / 7) * 10 ** (10.5 / 10)));
    const z = zFor(0.01 / 5);
    const hammingBounds = mlBlerBounds(hammingCodebook(), 16, 7, sigma);
    const aeBounds = mlBlerBounds(ae.codebook(), 16, 7, sigma);
    console.log(
      `      bounds at 10.5 dB: Hamming ML [${hammingBounds.lower.toExponential(4)}, ${hammingBounds.upper.toExponential(4)}], AE codebook ML [${aeBounds.lower.toExponential(4)}, ${aeBounds.upper.toExponential(4)}]`,
    );
    const within = (name: string, p: PointResult, b: { lower: number; upper: number }) => {
      assert.ok(p.bler + z * se(p) >= b.lower, `${name}: ${p.bler} + ${z.toFixed(2)}·${se(p)} below the lower bound ${b.lower}`);
      assert.ok(p.bler - z * se(p) <= b.upper, `${name}: ${p.bler} − ${z.toFixed(2)}·${se(p)} above the union bound ${b.upper}`);
    };
    within('Hamming ML', hamming, hammingBounds);
    within('AE + ML', aeMl, aeBounds);
    assert.ok(aePt.bler + z * se(aePt) >= aeBounds.lower, `learned decoder ${aePt.bler} below the ML lower bound ${aeBounds.lower} of its codebook`);
    // ML decoding of the same codebook is optimal: the learned decoder cannot beat it (beyond the intervals).
    assert.ok(aePt.ciHigh >= aeMl.ciLow, `learned decoder ${aePt.bler} below ML of its own code ${aeMl.bler}`);
  });
});
