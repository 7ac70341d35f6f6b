import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hamming74System, uncodedSystem } from '../../src/baselines/index.ts';
import { runSweepInternal } from '../../src/montecarlo/engine.ts';
import {
  betaQuantile,
  chunkSize,
  clopperPearson,
  createPool,
  lgamma,
  mergeShards,
  McWorkerError,
  regIncBeta,
  runSweep,
  type McPool,
  type PointResult,
} from '../../src/montecarlo/index.ts';
import type { ChunkTask } from '../../src/montecarlo/pool.ts';
import { randomMlpSpec } from '../../src/mlp/forward.ts';
import { RandomStream } from '../../src/random.ts';
import type { BlockSystem } from '../../src/system.ts';

const withoutSeconds = (r: PointResult[]) => r.map(({ seconds: _s, ...rest }) => rest);

function aeSystem(id = 'ae74'): BlockSystem {
  const rs = new RandomStream('ae-fixture');
  // A (7,4) codebook (BPSK Hamming + a little jitter, so it is a decent code) and a random 7→16→16 decoder.
  const cb = hamming74System({ id, decoding: 'ml', channel: { type: 'awgn' } }).codebook.map((v) => v + 0.1 * rs.normal());
  return {
    id,
    k: 4,
    n: 7,
    signalling: 'real',
    codebook: cb,
    decoder: { kind: 'mlp-js', mlp: randomMlpSpec([7, 16, 16], 'relu', () => rs.uniform()) },
    channel: { type: 'awgn' },
  };
}

describe('Clopper-Pearson and the incomplete beta function', () => {
  it('matches independent bisection on the binomial CDF in 60-digit arithmetic (fixture)', () => {
    const ref = JSON.parse(readFileSync(new URL('../fixtures/clopper-pearson.json', import.meta.url), 'utf8')) as {
      errors: number;
      trials: number;
      confidence: number;
      low: number;
      high: number;
    }[];
    assert.ok(ref.length >= 20);
    for (const r of ref) {
      const ci = clopperPearson(r.errors, r.trials, r.confidence);
      for (const [got, want] of [
        [ci.low, r.low],
        [ci.high, r.high],
      ]) {
        assert.ok(Math.abs(got - want) <= 1e-10 * want, `${r.errors}/${r.trials} @${r.confidence}: ${got} vs ${want}`);
      }
    }
  });
  it('coverage, computed exactly over the binomial: never below 95%, and on average not far above it', () => {
    // P(p ∈ CI(X)) for X ~ Binomial(N, p), summed over X, on a grid of p with 20 … 400 expected errors (the
    // counts the stopping rules aim at). Clopper–Pearson guarantees ≥ 95% at every p; its discreteness makes
    // it conservative, but on this grid the mean stays below 0.975 (it misses at least half as often as a
    // nominal interval). A 99% interval passed off as 95% averages above 0.99 and fails; a 90% one fails below.
    const N = 10_000;
    const exactCoverage = (p: number, confidence: number) => {
      let cov = 0;
      const mean = N * p;
      const sd = Math.sqrt(mean);
      for (let x = Math.max(0, Math.floor(mean - 12 * sd)); x <= Math.min(N, Math.ceil(mean + 12 * sd)); x++) {
        const ci = clopperPearson(x, N, confidence);
        if (ci.low <= p && p <= ci.high) cov += Math.exp(lgamma(N + 1) - lgamma(x + 1) - lgamma(N - x + 1) + x * Math.log(p) + (N - x) * Math.log1p(-p));
      }
      return cov;
    };
    const grid = Array.from({ length: 14 }, (_, i) => (20 * 20 ** (i / 13)) / N);
    const summary = (confidence: number) => {
      const c = grid.map((p) => exactCoverage(p, confidence));
      return { min: Math.min(...c), mean: c.reduce((a, b) => a + b, 0) / c.length };
    };
    const c95 = summary(0.95);
    assert.ok(c95.min >= 0.95 - 1e-9, `coverage ${c95.min} below 95% somewhere`);
    assert.ok(c95.mean < 0.975, `mean coverage ${c95.mean}: far above 95%`);
    assert.ok(summary(0.99).mean >= 0.975, 'a 99% interval would be caught as too wide');
    assert.ok(summary(0.9).min < 0.95, 'a 90% interval would be caught as too narrow');
  });

  it('0 errors: ciHigh = 1 − 0.025^(1/N); N errors: ciLow = 0.025^(1/N), up to N = 2^53', () => {
    for (const n of [1, 3, 100, 1e6, 3e9, 2 ** 40, 2 ** 53]) {
      const hi = -Math.expm1(Math.log(0.025) / n); // = 1 − 0.025^(1/N) without cancellation
      assert.ok(Math.abs(clopperPearson(0, n).high - hi) <= 1e-13 * hi, `N=${n}`);
      assert.equal(clopperPearson(0, n).low, 0);
      const lo = Math.exp(Math.log(0.025) / n);
      assert.ok(Math.abs(clopperPearson(n, n).low - lo) <= 1e-13, `N=${n}`);
    }
  });
  it('regularized incomplete beta: closed-form special cases and symmetry', () => {
    for (const [x, a, b] of [
      [0.3, 1, 5],
      [0.01, 1, 1e6],
      [0.7, 3, 1],
      [0.5, 40, 40],
      [0.2, 2.5, 7.5],
    ]) {
      const v = regIncBeta(x, a, b);
      if (a === 1) assert.ok(Math.abs(v - -Math.expm1(b * Math.log1p(-x))) < 1e-14);
      if (b === 1) assert.ok(Math.abs(v - x ** a) < 1e-14);
      if (a === b) assert.ok(Math.abs(v - 0.5) < 1e-14);
      assert.ok(Math.abs(v + regIncBeta(1 - x, b, a) - 1) < 1e-13);
      assert.ok(Math.abs(regIncBeta(betaQuantile(v, a, b), a, b) - v) < 1e-13);
    }
  });
});

describe('Monte Carlo engine (inline)', () => {
  const bpsk = uncodedSystem({ id: 'bpsk4', modulation: 'bpsk', k: 4, channel: { type: 'awgn' } });

  it('stops a point at the first chunk reaching targetErrors, caps at maxBlocks, and reports CIs', async () => {
    const chunks = { base: 100, max: 400 };
    const r = await runSweep(bpsk, { ebnoDb: [0, 6], seed: 3, rules: { targetErrors: 50, maxBlocks: 1000, stopOnZeroErrors: false }, chunks });
    // 0 dB: BLER ≈ 0.29, so chunk 0 (100 blocks) already has ≥ 50 errors? maybe; blocks is a chunk boundary.
    const bounds = [100, 300, 700, 1000];
    assert.ok(bounds.includes(r[0].blocks));
    assert.equal(r[0].status, 'target-errors');
    assert.ok(r[0].errors >= 50);
    // 6 dB: BLER ≈ 0.009 → hits maxBlocks = 1000 exactly (last chunk capped at 300)
    assert.equal(r[1].status, 'max-blocks');
    assert.equal(r[1].blocks, 1000);
    assert.equal(r[1].bler, r[1].errors / r[1].blocks);
    const ci = clopperPearson(r[1].errors, r[1].blocks);
    assert.equal(r[1].ciLow, ci.low);
    assert.equal(r[1].ciHigh, ci.high);
    assert.deepEqual(
      [0, 1, 2, 3, 10].map((j) => chunkSize(j, chunks)),
      [100, 200, 400, 400, 400],
    );
  });

  it('the sweep stops after a zero-error point or a point below minBler; later points are not-simulated with a note', async () => {
    const ebnoDb = [0, 4, 20, 22];
    const r = await runSweep(bpsk, { ebnoDb, seed: 1, rules: { targetErrors: 20, maxBlocks: 2000 } });
    assert.equal(r.length, 4);
    assert.equal(r[2].errors, 0);
    assert.equal(r[3].status, 'not-simulated');
    assert.match(r[3].note!, /zero errors/);
    const r2 = await runSweep(bpsk, { ebnoDb: [0, 6, 8], seed: 1, rules: { targetErrors: 20, maxBlocks: 2000, minBler: 0.05 } });
    assert.ok(r2[0].bler > 0.05 && r2[1].bler < 0.05);
    assert.equal(r2[2].status, 'not-simulated');
    assert.match(r2[2].note!, /minBler/);
  });

  it('is reproducible: same seed → identical counts, other seed → different', async () => {
    const o = { ebnoDb: [2, 4], rules: { targetErrors: 100 } };
    const a = await runSweep(aeSystem(), { ...o, seed: 5 });
    const b = await runSweep(aeSystem(), { ...o, seed: 5 });
    const c = await runSweep(aeSystem(), { ...o, seed: 6 });
    assert.deepEqual(withoutSeconds(a), withoutSeconds(b));
    assert.notDeepEqual(
      withoutSeconds(a).map((p) => p.errors),
      withoutSeconds(c).map((p) => p.errors),
    );
  });

  it('shards merged with mergeShards equal the unsharded run, including the early-stop rule', async () => {
    const sys = hamming74System({ id: 'ham-hard', decoding: 'hard', channel: { type: 'awgn' } });
    const ebnoDb = [0, 2, 4, 6, 8, 14, 16];
    const rules = { targetErrors: 30, maxBlocks: 20_000 };
    const full = await runSweep(sys, { ebnoDb, seed: 9, rules });
    assert.ok(
      full.some((p) => p.status === 'not-simulated'),
      'the fixture should trigger the early stop',
    );
    const even = await runSweep(sys, { ebnoDb, seed: 9, rules, pointIndices: [0, 2, 4, 6] });
    const odd = await runSweep(sys, { ebnoDb, seed: 9, rules, pointIndices: [1, 3, 5] });
    assert.equal(odd[0].status, 'not-simulated');
    assert.deepEqual(withoutSeconds(mergeShards([even, odd], rules)), withoutSeconds(full));
    assert.deepEqual(withoutSeconds(mergeShards([odd, even], rules)), withoutSeconds(full));
  });

  it('resumeFrom keeps final points and recomputes the others to the same counts', async () => {
    const ebnoDb = [0, 3, 6];
    const o = { ebnoDb, seed: 2, rules: { targetErrors: 40, maxBlocks: 5000 } };
    const full = await runSweep(bpsk, o);
    const partial: PointResult[] = [full[0], { ...full[1], status: 'interrupted', blocks: 17, errors: 1 }, { ...full[2], status: 'not-simulated' }];
    const ran: number[] = [];
    const resumed = await runSweep(bpsk, { ...o, resumeFrom: partial, onPoint: (_p, i) => ran.push(i) });
    assert.deepEqual(ran, [1, 2]);
    assert.equal(resumed[0], full[0]);
    assert.deepEqual(withoutSeconds(resumed), withoutSeconds(full));
  });

  it('an AbortSignal stops promptly: finished points kept, the running one interrupted, the rest not-simulated', async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    const r = await runSweep(bpsk, {
      ebnoDb: [0, 12, 13],
      seed: 1,
      rules: { targetErrors: 1e9, maxBlocks: 50_000, stopOnZeroErrors: false },
      signal: ac.signal,
      onChunk: (p) => {
        if (p.pointIndex === 1 && p.blocks >= 1500) ac.abort();
      },
      onPoint: (_p, i) => seen.push(i),
    });
    assert.equal(r[0].status, 'max-blocks');
    assert.equal(r[1].status, 'interrupted');
    assert.equal(r[1].blocks, 512 + 1024);
    assert.equal(r[2].status, 'not-simulated');
    assert.deepEqual(seen, [0, 1]);
  });

  it('counts beyond 2^31 (and 2^32) accumulate exactly', async () => {
    // A fake pool that "simulates" instantly: errors = floor(0.3·blocks) per chunk.
    const fake: McPool = {
      workers: 2,
      runChunk: async (t: ChunkTask) => ({
        errors: Math.floor(0.3 * t.blocks),
        bitErrors: Math.floor(0.3 * t.blocks),
        bitErrorsSq: Math.floor(0.3 * t.blocks),
        blocks: t.blocks,
        ms: 0,
      }),
      destroy: async () => {},
    };
    const maxBlocks = 2 ** 33 + 7;
    const chunks = { base: 2 ** 28, max: 2 ** 30 };
    const r = await runSweep(bpsk, { ebnoDb: [0], seed: 1, rules: { targetErrors: 2 ** 52, maxBlocks }, chunks }, fake);
    let blocks = 0;
    let errors = 0;
    for (let j = 0; blocks < maxBlocks; j++) {
      const s = Math.min(chunkSize(j, chunks), maxBlocks - blocks);
      blocks += s;
      errors += Math.floor(0.3 * s);
    }
    assert.equal(r[0].blocks, maxBlocks);
    assert.equal(r[0].errors, errors);
    assert.ok(r[0].errors > 2 ** 31);
    // merging shards with such counts keeps them as they are
    assert.equal(mergeShards([r, r])[0].blocks, 2 ** 33 + 7);
  });
});

describe('Monte Carlo engine with worker threads', function () {
  this.timeout(60_000);
  let pool1: McPool;
  let pool2: McPool;
  before(async () => {
    [pool1, pool2] = await Promise.all([createPool(1), createPool(2)]);
  });
  after(async () => {
    await pool1?.destroy();
    await pool2?.destroy();
  });

  it('inline, 1 worker and 2 workers give identical counts', async () => {
    for (const sys of [
      aeSystem(),
      uncodedSystem({ id: 'qam16', modulation: 'qam16', k: 8, channel: { type: 'rayleigh', coherence: 'block', csi: 'perfect' } }),
    ]) {
      const o = { ebnoDb: [0, 4, 8, 12], seed: 11, rules: { targetErrors: 300, maxBlocks: 300_000 } };
      const inline = await runSweep(sys, o);
      const one = await runSweep(sys, o, pool1);
      const two = await runSweep(sys, o, pool2);
      assert.deepEqual(withoutSeconds(one), withoutSeconds(inline));
      assert.deepEqual(withoutSeconds(two), withoutSeconds(inline));
    }
  });

  for (const mode of ['throw', 'exit'] as const) {
    it(`a worker failure (${mode}) rejects with an error naming system and point, keeping finished points`, async () => {
      const sys = aeSystem('crashy');
      const done: number[] = [];
      const err = await runSweepInternal(sys, { ebnoDb: [0, 1, 2], seed: 1, rules: { targetErrors: 100 }, onPoint: (_p, i) => done.push(i) }, pool2, {
        pointIndex: 1,
        chunkIndex: 0,
        mode,
      }).then(
        () => assert.fail('should reject'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof McWorkerError);
      assert.match(err.message, /system crashy at point 1 \(1 dB\)/);
      assert.equal(err.pointIndex, 1);
      assert.deepEqual(done, [0]);
      assert.equal(err.partial[0].status, 'target-errors');
      assert.equal(err.partial[1].status, 'interrupted');
      assert.equal(err.partial[2].status, 'not-simulated');
      // the pool still works afterwards
      const ok = await runSweep(sys, { ebnoDb: [0], seed: 1, rules: { targetErrors: 10 } }, pool2);
      assert.equal(ok[0].status, 'target-errors');
    });
  }
});
