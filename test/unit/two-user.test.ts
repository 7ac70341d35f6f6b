/**
 * The two-user interference channel (src/twouser/, src/channels/two-user.ts): the channel's two forms value for
 * value and its statistics, the Monte Carlo of one receiver against a closed form, reproducibility with
 * workers, the dynamic loss weight, the time-sharing baseline against an independent closed form, and the
 * scenario checks.
 */
import assert from 'node:assert/strict';
import type * as tf from '@tensorflow/tfjs';
import { TwoUserAwgnChannel } from '../../src/channels/two-user.ts';
import { qfunc } from '../../src/baselines/analytic.ts';
import { analyticCurve, uncodedSystem } from '../../src/baselines/index.ts';
import { dbToLinear, noiseStd } from '../../src/conventions.ts';
import { createPool, mergeShards, runSweep, type McPool } from '../../src/montecarlo/index.ts';
import { RandomStream } from '../../src/random.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import type { BlockSystem } from '../../src/system.ts';
import { trainTwoUser, userSpec } from '../../src/twouser/train.ts';
import type { CompiledTimeSharing } from '../../src/scenario/compiled.ts';
import { TwoUserChunkKernel } from '../../src/montecarlo/two-user-kernel.ts';
import { problemsOf } from './scenario-problems.ts';
import { checkTwoUserForms, repeatedRows } from './two-user-forms.ts';

/** z bound of a two-sided 99.9% interval. */
const Z = 3.29;

describe('two-user channel: one definition in two forms', () => {
  for (const g of [1, 0.5]) {
    it(`g = ${g}: applyArrays, applyArraysFor and applyTensors agree value for value`, () => {
      const n = 3;
      const ch = new TwoUserAwgnChannel(n, g);
      const B = 50;
      const sigma = 0.8;
      const { x1, x2, draws, y1, y2 } = checkTwoUserForms(ch, B, sigma, 'awgn', g);
      // The definition itself, on one value: y1 = x1 + g·x2 + σ·z1, y2 = x2 + g·x1 + σ·z2 (z2 after z1's 2n values).
      const j = 5 * ch.dims + 3;
      assert.ok(Math.abs(y1[j] - (x1[j] + g * x2[j] + sigma * draws[5 * ch.drawDims + 3])) < 1e-6);
      assert.ok(Math.abs(y2[j] - (x2[j] + g * x1[j] + sigma * draws[5 * ch.drawDims + ch.dims + 3])) < 1e-6);
    });
  }

  it("statistics: E[y1] = x1 + g·x2, Var = σ² per real dimension, the two receivers' noises uncorrelated", () => {
    const n = 2;
    const g = 0.7;
    const ch = new TwoUserAwgnChannel(n, g);
    const B = 20000;
    const row1 = [0.3, -1, 0.5, 0.2];
    const row2 = [-0.4, 0.1, 1, -0.6];
    assert.equal(row1.length, ch.dims);
    const x1 = repeatedRows(row1, B);
    const x2 = repeatedRows(row2, B);
    const draws = new Float32Array(B * ch.drawDims);
    new RandomStream('two-user-stats').fillNormal(draws);
    const sigma = 0.6;
    const y1 = new Float32Array(x1.length);
    const y2 = new Float32Array(x1.length);
    ch.applyArrays(x1, x2, draws, sigma, y1, y2, B);
    for (let j = 0; j < ch.dims; j++) {
      let m1 = 0;
      let m2 = 0;
      for (let b = 0; b < B; b++) {
        m1 += y1[b * ch.dims + j] / B;
        m2 += y2[b * ch.dims + j] / B;
      }
      let v1 = 0;
      let c12 = 0;
      for (let b = 0; b < B; b++) {
        const d1 = y1[b * ch.dims + j] - m1;
        v1 += (d1 * d1) / (B - 1);
        c12 += (d1 * (y2[b * ch.dims + j] - m2)) / (B - 1);
      }
      const se = sigma / Math.sqrt(B);
      assert.ok(Math.abs(m1 - (row1[j] + g * row2[j])) < Z * se, `mean y1[${j}] ${m1}`);
      assert.ok(Math.abs(m2 - (row2[j] + g * row1[j])) < Z * se, `mean y2[${j}] ${m2}`);
      // Var of a sample variance of normals: 2σ⁴/(B−1); of a sample covariance of independent ones: σ⁴/B.
      assert.ok(Math.abs(v1 - sigma ** 2) < Z * sigma ** 2 * Math.sqrt(2 / (B - 1)), `var y1[${j}] ${v1}`);
      assert.ok(Math.abs(c12) < (Z * sigma ** 2) / Math.sqrt(B), `cov(y1, y2)[${j}] ${c12}`);
    }
  });
});

/**
 * (1,1) with orthogonal BPSK axes (user 1 on I, user 2 on Q, the paper's Fig. 7a): with g = 1 user 1's
 * joint-ML decision is the sign of I, untouched by user 2, so its BLER is exactly uncoded BPSK's Q(√(2Eb/N0)).
 */
function orthogonalPair(user: 1 | 2, decoder: 'joint' | 'nearest'): BlockSystem {
  const i = new Float32Array([1, 0, -1, 0]);
  const q = new Float32Array([0, 1, 0, -1]);
  const own = user === 1 ? i : q;
  const other = user === 1 ? q : i;
  return {
    id: `orth-u${user}-${decoder}`,
    k: 1,
    n: 1,
    signalling: 'complex',
    codebook: own,
    decoder: decoder === 'joint' ? { kind: 'joint-nearest-pair', other, crossGain: 1 } : { kind: 'nearest-codeword' },
    channel: { type: 'awgn' },
    coUser: { user, codebook: other, crossGain: 1 },
  };
}

describe('two-user Monte Carlo', function () {
  this.timeout(60_000);
  let pool: McPool;
  before(async () => {
    pool = await createPool(2);
  });
  after(async () => {
    await pool.destroy();
  });

  it("orthogonal BPSK (1,1): each user's joint-ML BLER is Q(√(2Eb/N0)) within its 99.9% interval", async () => {
    const ebno = [0, 3, 5];
    for (const user of [1, 2] as const) {
      const pts = await runSweep(orthogonalPair(user, 'joint'), {
        ebnoDb: ebno,
        seed: 'orth',
        streamId: 'orth',
        rules: { targetErrors: 2000, maxBlocks: 400_000 },
      });
      pts.forEach((p, j) => {
        const exact = qfunc(Math.sqrt(2 * dbToLinear(ebno[j])));
        const se = Math.sqrt((exact * (1 - exact)) / p.blocks);
        assert.ok(Math.abs(p.bler - exact) < Z * se, `user ${user} at ${ebno[j]} dB: ${p.bler} vs ${exact}`);
      });
    }
  });

  it('interference is there: decoding the own codebook alone (nearest codeword) fails on superimposed QPSK-like pairs', async () => {
    // User 1 BPSK on I, user 2 BPSK on I too (same axis, g = 1): y = ±1 ± 1 + n; nearest-codeword decoding of
    // the own codebook decides the sign and errs on about half of the blocks where the interferer cancels it.
    const same: BlockSystem = { ...orthogonalPair(1, 'nearest'), coUser: { user: 1, codebook: new Float32Array([1, 0, -1, 0]), crossGain: 1 } };
    const [p] = await runSweep(same, { ebnoDb: [20], seed: 'same', rules: { targetErrors: 500, maxBlocks: 200_000 } });
    // At high SNR: y = x1 + x2 is 0 on half of the blocks, where the tie goes to message 0: BLER → 1/4.
    assert.ok(Math.abs(p.bler - 0.25) < Z * Math.sqrt((0.25 * 0.75) / p.blocks), `BLER ${p.bler}`);
  });

  it('both receivers are measured on the same blocks, and counts are identical inline, with 2 workers and from merged shards', async () => {
    const rs = new RandomStream('cb');
    const cb1 = new Float32Array(16 * 4).map(() => rs.normal());
    const cb2 = new Float32Array(16 * 4).map(() => rs.normal());
    const mk = (user: 1 | 2): BlockSystem => ({
      id: `rand-u${user}`,
      k: 4,
      n: 2,
      signalling: 'complex',
      codebook: user === 1 ? cb1 : cb2,
      decoder: { kind: 'joint-nearest-pair', other: user === 1 ? cb2 : cb1, crossGain: 1 },
      channel: { type: 'awgn' },
      coUser: { user, codebook: user === 1 ? cb2 : cb1, crossGain: 1 },
    });
    // One chunk of each receiver's kernel from the same stream: the same messages of both users and the same noise.
    type Inside = { m1: Int32Array; m2: Int32Array; draws: Float32Array };
    const k1 = new TwoUserChunkKernel(mk(1));
    const k2 = new TwoUserChunkKernel(mk(2));
    k1.run(0.5, new RandomStream('chunk'), 300);
    k2.run(0.5, new RandomStream('chunk'), 300);
    const [a, b] = [k1, k2].map((k) => k as unknown as Inside);
    assert.deepEqual(a.m1.subarray(0, 300), b.m1.subarray(0, 300));
    assert.deepEqual(a.m2.subarray(0, 300), b.m2.subarray(0, 300));
    assert.deepEqual(a.draws.subarray(0, 300 * 16), b.draws.subarray(0, 300 * 16));
    assert.notDeepEqual(a.m1.subarray(0, 300), a.m2.subarray(0, 300));
    const opts = { ebnoDb: [2, 6], seed: 'same-blocks', streamId: 'rand', rules: { targetErrors: 50, maxBlocks: 50_000 } };
    for (const user of [1, 2] as const) {
      const inline = await runSweep(mk(user), opts);
      const pooled = await runSweep(mk(user), opts, pool);
      assert.deepEqual(
        pooled.map((p) => [p.blocks, p.errors, p.bitErrors]),
        inline.map((p) => [p.blocks, p.errors, p.bitErrors]),
      );
      // Balanced shards merged give the unsharded counts.
      const parts = [];
      for (let index = 1; index <= 3; index++) parts.push(await runSweep(mk(user), { ...opts, shard: { index, count: 3 } }, pool));
      const merged = mergeShards(parts, opts.rules, 4);
      assert.deepEqual(
        merged.map((p) => [p.blocks, p.errors, p.bitErrors, p.status]),
        inline.map((p) => [p.blocks, p.errors, p.bitErrors, p.status]),
      );
    }
  });
});

describe('two-user training: the loss weight', function () {
  this.timeout(60_000);
  const spec = userSpec({ k: 2, n: 1, normalization: 'average-power', encoder: [{ units: 4 }], decoder: [{ units: 4 }] });
  const base = { ebnoDb: 4, batchSize: 64, steps: 12, learningRate: 0.01, seed: 'alpha-test', crossGain: 1, logEvery: 1 };

  it('dynamic: α starts at 0.5 and each next α is L1/(L1+L2) of the batch before', async () => {
    const { record, users } = await trainTwoUser(spec, { ...base, alpha: 'dynamic' });
    assert.equal(record.alpha.length, 12);
    assert.equal(record.alpha[0], 0.5);
    for (let t = 1; t < 12; t++) {
      const want = record.loss1[t - 1] / (record.loss1[t - 1] + record.loss2[t - 1]);
      assert.ok(Math.abs(record.alpha[t] - want) < 1e-12, `step ${t}: α ${record.alpha[t]} vs ${want}`);
    }
    // The users' losses differ (different initial weights), so α moves.
    assert.ok(record.alpha.some((a) => Math.abs(a - 0.5) > 1e-4));
    for (const u of users) {
      u.encoder.dispose();
      u.decoder.dispose();
    }
  });

  it('fixed α stays fixed; α = 1 leaves receiver 2 untrained while transmitter 2 still learns through L1 (it interferes there)', async () => {
    const fixed = await trainTwoUser(spec, { ...base, alpha: 0.3 });
    assert.ok(fixed.record.alpha.every((a) => a === 0.3));
    const only1 = await trainTwoUser(spec, { ...base, alpha: 1 });
    const init = await trainTwoUser(spec, { ...base, steps: 1, alpha: 1 });
    const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
    // Decoder 2 gets no gradient at α = 1 (Adam moves a zero gradient by zero): after 12 steps as after 1.
    assert.deepEqual(weights(only1.users[1].decoder), weights(init.users[1].decoder));
    assert.notDeepEqual(weights(only1.users[0].decoder), weights(init.users[0].decoder));
    // Encoder 2 does: x2 is part of y1, so L1 depends on it.
    assert.notDeepEqual(weights(only1.users[1].encoder), weights(init.users[1].encoder));
    for (const r of [fixed, only1, init])
      for (const u of r.users) {
        u.encoder.dispose();
        u.decoder.dispose();
      }
  });
});

describe('two-user training: decoder refinement', function () {
  this.timeout(60_000);
  it('freezes both encoders, trains both decoders at its Eb/N0 with its own validation set, and records it per user', async () => {
    const spec = userSpec({ k: 2, n: 1, normalization: 'average-power', encoder: [{ units: 4 }], decoder: [{ units: 4 }] });
    const convergence = { validateEvery: 5, patience: 2, minImprovement: 0.005, decays: 0, decayFactor: 3, validationBlocks: 500 };
    const opts = { ebnoDb: 4, batchSize: 64, steps: 20, learningRate: 0.01, seed: 'refine-test', crossGain: 1, alpha: 'dynamic' as const, convergence };
    const plain = await trainTwoUser(spec, opts);
    const refine = { ebnoDb: 6, learningRate: 0.003, maxSteps: 15, convergence: { ...convergence, patience: 100 } };
    const refined = await trainTwoUser(spec, { ...opts, refine });
    const weights = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
    for (const u of [0, 1]) {
      // Same main stage (same seed and streams), then only the decoders moved.
      assert.deepEqual(weights(refined.users[u].encoder), weights(plain.users[u].encoder), `user ${u + 1} encoder frozen`);
      assert.notDeepEqual(weights(refined.users[u].decoder), weights(plain.users[u].decoder), `user ${u + 1} decoder refined`);
      const rec = refined.users[u].training.refinement;
      assert.ok(rec, 'refinement recorded');
      assert.equal(rec.ebnoDb, 6);
      assert.equal(rec.steps, 15);
      assert.match(rec.stopReason, /step limit/);
      assert.deepEqual(rec.validation.steps, [
        plain.users[u].training.totalSteps + 5,
        plain.users[u].training.totalSteps + 10,
        plain.users[u].training.totalSteps + 15,
      ]);
      assert.equal(refined.users[u].training.totalSteps, plain.users[u].training.totalSteps + 15);
    }
    for (const r of [plain, refined])
      for (const u of r.users) {
        u.encoder.dispose();
        u.decoder.dispose();
      }
  });
});

describe('time sharing: closed form and Monte Carlo', function () {
  this.timeout(60_000);
  /**
   * Independent closed form: each user sends k bits on n/2 complex uses at power 2, i.e. one L-PAM symbol
   * (L = 2^(k/n)) per real dimension on n real dimensions, Gray labelled, at Es/N0 per real dimension
   * ρ·Eb/N0 (ρ = k/n): SER_PAM = 2(1 − 1/L)·Q(√(6ρ·Eb/N0/(L² − 1))), BLER = 1 − (1 − SER)^n (1 bit per
   * dimension: the k = n bits are BPSK, Q(√(2Eb/N0)) each).
   */
  const independent = (k: number, n: number, ebnoDb: number): number => {
    const rho = k / n;
    const L = 2 ** rho;
    const g = dbToLinear(ebnoDb);
    const ser = 2 * (1 - 1 / L) * qfunc(Math.sqrt((6 * rho * g) / (L * L - 1)));
    return 1 - (1 - ser) ** n;
  };
  const cases: { k: number; n: number; modulation: CompiledTimeSharing['modulation'] }[] = [
    { k: 1, n: 1, modulation: 'bpsk' },
    { k: 2, n: 2, modulation: 'bpsk' },
    { k: 4, n: 4, modulation: 'bpsk' },
    { k: 8, n: 4, modulation: 'qam16' },
  ];
  for (const c of cases) {
    it(`(${c.n},${c.k}): the compiled baseline's closed form equals the independent one, and Monte Carlo agrees with it`, async () => {
      const sc = parseScenario(`name: t\nsweep: { ebnoDb: [0] }\nsystems: [{ id: ts, type: time-sharing, k: ${c.k}, n: ${c.n} }]\n`, 't.yaml');
      const ts = sc.systems[0] as CompiledTimeSharing;
      assert.equal(ts.modulation, c.modulation);
      const system = uncodedSystem({ id: 'ts', modulation: ts.modulation, k: ts.k, channel: ts.channel });
      // The noise the engine uses for the measured system equals the time-sharing one: σ² = n/(2k·Eb/N0) at power 1 per real dimension.
      const ebno = [2, 6];
      const closed = analyticCurve(system, ebno)!;
      ebno.forEach((e, j) =>
        assert.ok(Math.abs(closed[j] - independent(c.k, c.n, e)) < 1e-9 * Math.max(1e-3, closed[j]), `${e} dB: ${closed[j]} vs ${independent(c.k, c.n, e)}`),
      );
      const pts = await runSweep(system, { ebnoDb: ebno, seed: 'ts-mc', rules: { targetErrors: 1000, maxBlocks: 300_000 } });
      pts.forEach((p, j) => {
        const se = Math.sqrt((closed[j] * (1 - closed[j])) / p.blocks);
        assert.ok(Math.abs(p.bler - closed[j]) < Z * se, `${ebno[j]} dB: MC ${p.bler} vs ${closed[j]}`);
      });
      // The measured system's SNR per real dimension is time sharing's: power 2 per active complex use (1 per
      // real dimension) against σ² = n/(2k·Eb/N0) of the two-user system's own rate.
      const dims = system.signalling === 'complex' ? 2 * system.n : system.n;
      const energy = system.codebook.reduce((t, v) => t + v * v, 0) / (2 ** system.k * dims);
      const snr = energy / noiseStd(2, system.k, system.n) ** 2;
      assert.ok(Math.abs(snr - 1 / (c.n / (2 * c.k * dbToLinear(2)))) < 1e-6 * snr, `SNR ${snr}`);
    });
  }
});

describe('two-user scenarios: validation', () => {
  const problems = (text: string): string => problemsOf(text, 'tu.yaml');
  const head = 'name: tu\nsweep: { ebnoDb: [0, 2] }\nsystems:\n';

  it('defaults: average power, g = 1, dynamic α, joint-ML curves for k ≤ 4, auto training Eb/N0 where time sharing has BLER 0.1', () => {
    const sc = parseScenario(head + '  - { id: a, type: two-user, k: 2, n: 2 }\n  - { id: b, type: two-user, k: 8, n: 4 }\n', 'tu.yaml');
    const [a, b] = sc.systems;
    assert.equal(a.type, 'two-user');
    if (a.type !== 'two-user' || b.type !== 'two-user') return;
    assert.equal(a.normalization, 'average-power');
    assert.equal(a.crossGain, 1);
    assert.equal(a.alpha, 'dynamic');
    assert.equal(a.mlReference, true);
    assert.equal(b.mlReference, false);
    // QPSK time sharing (2 bits on 2 real dimensions) has BLER 0.1 at about 1.2 dB.
    assert.equal(a.train.ebnoDb, 1.2);
  });

  it('rejects real signalling, multipath links, mlReference with M² > 65536, k > 8, and time sharing with a rate QAM cannot carry', () => {
    const msg = problems(
      head +
        '  - type: two-user\n    id: a\n    k: 2\n    n: 2\n    signalling: real\n' +
        '  - { id: b, type: two-user, k: 2, n: 2, channel: { type: multipath } }\n' +
        '  - { id: c, type: two-user, k: 9, n: 4, mlReference: true }\n' +
        '  - { id: d, type: time-sharing, k: 3, n: 2 }\n' +
        '  - { id: e, type: time-sharing, k: 2, n: 1 }\n',
    );
    assert.match(msg, /tu\.yaml:8:\d+: systems\[0\]\.signalling: expected signalling: complex/);
    assert.match(msg, /tu\.yaml:9:\d+: systems\[1\]\.type: expected/);
    assert.match(msg, /tu\.yaml:10:\d+: systems\[2\]\.k: expected k ≤ 8/);
    assert.match(msg, /tu\.yaml:11:\d+: systems\[3\]\.k: expected k\/n equal to 1, 2 or 3/);
    assert.match(msg, /tu\.yaml:12:\d+: systems\[4\]\.n: expected an even n/);
  });

  it('mlReference: true is allowed up to M² = 65536 and refused above; curve ids may not clash', () => {
    assert.doesNotThrow(() => parseScenario(head + '  - { id: a, type: two-user, k: 8, n: 4, mlReference: true }\n', 'tu.yaml'));
    const msg = problems(head + '  - { id: a, type: two-user, k: 2, n: 2 }\n  - { id: a-u2-ml, type: uncoded, modulation: bpsk, k: 2 }\n');
    assert.match(msg, /systems\[1\]\.id: expected a unique id, found a-u2-ml is already the id of a curve of systems\[0\]/);
    assert.doesNotThrow(() =>
      parseScenario(
        head + '  - { id: a, type: two-user, k: 2, n: 2 }\n  - { id: t, type: time-sharing, k: 2, n: 2 }\ncompare: [[a-u1, t], [a-u2-ml, t]]\n',
        'tu.yaml',
      ),
    );
  });
});
