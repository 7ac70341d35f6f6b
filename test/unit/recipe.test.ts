import assert from 'node:assert/strict';
import { PlateauSchedule, type ConvergenceRule } from '../../src/training/plateau.ts';
import { autoTrainingEbno, referenceBler } from '../../src/autoencoder/recipe.ts';
import { uncodedBler } from '../../src/baselines/analytic.ts';
import { trainAutoencoder } from '../../src/autoencoder/train.ts';
import { parseScenario, type CompiledAutoencoder } from '../../src/scenario/index.ts';

describe('training recipe: auto training Eb/N0', () => {
  it('the reference is uncoded BPSK (≤ 1 bit per real dimension) or square QAM (the closed forms of src/baselines)', () => {
    for (const e of [-2, 0, 2.5, 5, 8]) {
      const bpsk = uncodedBler('bpsk', 4, { type: 'awgn' }, e)!;
      assert.ok(Math.abs(referenceBler(4, 7, e) - bpsk) < 1e-12 * Math.max(bpsk, 1e-300), `(7,4) at ${e} dB`);
      const qam = uncodedBler('qam16', 4, { type: 'awgn' }, e)!;
      assert.ok(Math.abs(referenceBler(4, 2, e) - qam) < 1e-9 * qam, `4 bits on 2 real dims at ${e} dB: ${referenceBler(4, 2, e)} vs ${qam}`);
    }
  });

  it('picks the Eb/N0 where that reference has BLER 0.1 (hand-computed for (7,4): 2.76 dB → 2.8)', () => {
    // BPSK, 4 bits: p = 1 − 0.9^(1/4) = 0.02600, Q⁻¹(p) = 1.9431, Eb/N0 = 1.9431²/2 = 1.8879 = 2.76 dB.
    assert.equal(autoTrainingEbno(4, 7, 'real'), 2.8);
    for (const [k, n, s] of [
      [2, 2, 'real'],
      [8, 8, 'real'],
      [4, 1, 'complex'],
      [8, 4, 'complex'],
    ] as const) {
      const e = autoTrainingEbno(k, n, s);
      const dims = s === 'complex' ? 2 * n : n;
      assert.ok(referenceBler(k, dims, e - 0.05) > 0.1 && referenceBler(k, dims, e + 0.05) < 0.1, `(${n},${k}) ${s}: ${e} dB`);
    }
  });
});

describe('training recipe: auto training Eb/N0 over Rayleigh fading', () => {
  it('the reference is the uncoded system over the same fading (closed forms of src/baselines: BPSK symbol fading ½(1 − √(γ/(1+γ))) per bit)', () => {
    const block = { type: 'rayleigh', coherence: 'block', csi: 'perfect' } as const;
    const symbol = { type: 'rayleigh', coherence: 'symbol', csi: 'perfect' } as const;
    for (const e of [0, 5, 10, 20]) {
      const bs = uncodedBler('bpsk', 4, symbol, e)!;
      assert.ok(Math.abs(referenceBler(4, 7, e, symbol) - bs) < 1e-9 * bs, `symbol fading, (7,4) at ${e} dB: ${referenceBler(4, 7, e, symbol)} vs ${bs}`);
      const bb = uncodedBler('bpsk', 4, block, e)!;
      assert.ok(Math.abs(referenceBler(4, 7, e, block) - bb) < 1e-9 * bb, `block fading, (7,4) at ${e} dB`);
      const qb = uncodedBler('qam16', 4, block, e)!;
      assert.ok(Math.abs(referenceBler(4, 2, e, block) - qb) < 1e-6 * qb, `block fading, 16-QAM at ${e} dB: ${referenceBler(4, 2, e, block)} vs ${qb}`);
    }
  });

  it('fading moves the auto training Eb/N0 up to where the faded reference has BLER 0.1', () => {
    const block = { type: 'rayleigh', coherence: 'block', csi: 'perfect' } as const;
    const e = autoTrainingEbno(4, 7, 'real', block);
    assert.ok(e > autoTrainingEbno(4, 7, 'real') + 5, `${e} dB`);
    assert.ok(referenceBler(4, 7, e - 0.05, block) > 0.1 && referenceBler(4, 7, e + 0.05, block) < 0.1);
  });
});

describe('training recipe: stop on convergence (reduce on plateau)', () => {
  const rule: ConvergenceRule = { validateEvery: 1, patience: 2, minImprovement: 0.01, decays: 2, decayFactor: 3, validationBlocks: 1 };
  const run = (losses: number[]) => {
    const s = new PlateauSchedule(rule);
    return losses.map((l) => s.observe(l));
  };

  it('continues while the loss improves by more than minImprovement', () => {
    assert.deepEqual(run([1, 0.9, 0.8, 0.7, 0.6]), ['continue', 'continue', 'continue', 'continue', 'continue']);
  });

  it('decays after `patience` checks without improvement, and stops after the last decay plateaus', () => {
    // 0.995 is not 1% better than 1: no improvement.
    assert.deepEqual(run([1, 0.995, 0.996, 0.994, 0.999, 0.998, 0.997]), ['continue', 'continue', 'decay', 'continue', 'decay', 'continue', 'stop']);
  });

  it('an improvement after a decay resets the patience', () => {
    assert.deepEqual(run([1, 1, 1, 0.5, 0.5, 0.5, 0.2]), ['continue', 'continue', 'decay', 'continue', 'continue', 'decay', 'continue']);
  });
});

describe('training recipe: decoder refinement', () => {
  const spec = { k: 3, n: 3, signalling: 'real', normalization: 'energy', channel: { type: 'awgn' } } as const;
  const base = {
    ebnoDb: 3,
    batchSize: 200,
    steps: 600,
    learningRate: 0.01,
    seed: 'refine-test',
    validationBlocks: 2000,
    convergence: { validateEvery: 100, patience: 2, minImprovement: 0.005, decays: 1, decayFactor: 3, validationBlocks: 2000 },
  };
  const refine = {
    ebnoDb: 4,
    learningRate: 3e-4,
    maxSteps: 300,
    convergence: { validateEvery: 100, patience: 2, minImprovement: 0.005, decays: 1, decayFactor: 3, validationBlocks: 2000 },
  };

  const weights = (ae: Awaited<ReturnType<typeof trainAutoencoder>>) => ae.decoder.getWeights().flatMap((w) => Array.from(w.dataSync()));

  it('trains the decoder only: the same seed gives the same codebook with and without it, a different decoder, and a record of it', async () => {
    const short = { ...base, steps: 150 };
    const plain = await trainAutoencoder(spec, short);
    const refined = await trainAutoencoder(spec, { ...short, refine });
    try {
      assert.deepEqual(Array.from(refined.codebook()), Array.from(plain.codebook()), 'the encoder is frozen');
      const a = weights(plain);
      const b = weights(refined);
      assert.ok(
        a.some((v, i) => v !== b[i]),
        'the decoder trained on',
      );
      const r = refined.training.refinement!;
      assert.ok(r, 'recorded');
      assert.equal(r.ebnoDb, 4);
      assert.ok(r.steps > 0 && r.steps <= 300, `${r.steps} steps`);
      assert.equal(refined.training.totalSteps, plain.training.totalSteps + r.steps);
      assert.ok(r.validation.loss.length > 0 && r.stopReason.length > 0);
      assert.ok(r.vsMl && r.vsMl.blocks === 2000, 'learned vs ML errors before and after, on the same blocks');
      // Each stage keeps its own learning-rate decays.
      assert.ok(
        r.learningRateDecays.every((d) => d.step > r.fromStep),
        JSON.stringify(r.learningRateDecays),
      );
      assert.ok((refined.training.learningRateDecays ?? []).every((d) => d.step <= r.fromStep));
      assert.equal(plain.training.refinement, undefined);
    } finally {
      plain.dispose();
      refined.dispose();
    }
  });

  it('is part of the default recipe only: a written-out Eb/N0, a fixed length or refine: false leave it out', () => {
    const compile = (train: string) =>
      parseScenario(`name: r\nsweep: { ebnoDb: [0] }\nsystems: [{ id: a, type: autoencoder, k: 4, n: 7${train} }]\n`, 'r.yaml')
        .systems[0] as CompiledAutoencoder;
    assert.equal(compile('').train.refine?.ebnoDb, autoTrainingEbno(4, 7, 'real', { type: 'awgn' }, 0.05));
    assert.equal(compile(', train: { ebnoDb: 5 }').train.refine, undefined);
    assert.equal(compile(', train: { steps: 100 }').train.refine, undefined);
    assert.equal(compile(', train: { refine: false }').train.refine, undefined);
  });
});
