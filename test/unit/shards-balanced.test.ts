/**
 * Balanced shards: every shard takes every N-th chunk of every point; merged, they must give exactly the
 * unsharded run's counts (the contract at the top of src/montecarlo/engine.ts), for several N, and a point
 * a shard's plan left short must be completed by a resumed run to the same counts.
 */
import assert from 'node:assert/strict';
import { hamming74System, uncodedSystem } from '../../src/baselines/index.ts';
import { acceptInOrder, cappedChunkSize, chunkOffset, chunkSize, lastChunk, shardPlanDone, unionChunks } from '../../src/montecarlo/chunks.ts';
import { mergeShards, runSweep, type PointResult, type StoppingRules } from '../../src/montecarlo/index.ts';
import { DEFAULTS } from '../../src/defaults.ts';
import { ChunkKernel } from '../../src/montecarlo/kernel.ts';
import type { ChunkTask, McPool } from '../../src/montecarlo/pool.ts';
import { RandomStream } from '../../src/random.ts';

const withoutSeconds = (r: PointResult[]) => r.map(({ seconds: _s, ...rest }) => rest);
const counts = (r: PointResult[]) => r.map((p) => `${p.ebnoDb}:${p.status}:${p.errors}/${p.blocks}`);

const hamming = hamming74System({ id: 'ham-hard', decoding: 'hard', channel: { type: 'awgn' } });
const bpsk = uncodedSystem({ id: 'bpsk', modulation: 'bpsk', k: 1, channel: { type: 'awgn' } });

/** Runs N shards one after another and merges them. */
async function sharded(system: typeof hamming, ebnoDb: number[], seed: number, rules: Partial<StoppingRules>, n: number, planSigmas?: number) {
  const parts: PointResult[][] = [];
  for (let index = 1; index <= n; index++)
    parts.push(await runSweep(system, { ebnoDb, seed, rules, shard: { index, count: n }, ...(planSigmas !== undefined ? { planSigmas } : {}) }));
  return { parts, merged: mergeShards(parts, rules, system.k) };
}

describe('chunk arithmetic (src/montecarlo/chunks.ts)', () => {
  it('chunkOffset, cappedChunkSize and lastChunk agree with summing the schedule chunk by chunk', () => {
    for (const sched of [DEFAULTS.chunks, { base: 3, max: 3 }, { base: 5, max: 37 }, { base: 512, max: 65536 }]) {
      for (const maxBlocks of [1, 2, 511, 512, 513, 5000, 65536 * 3 + 1, 10_000_000]) {
        let offset = 0;
        let j = 0;
        for (; ; j++) {
          assert.equal(chunkOffset(j, sched), offset, `offset of chunk ${j}`);
          const size = Math.min(chunkSize(j, sched), maxBlocks - offset);
          assert.equal(cappedChunkSize(j, sched, maxBlocks), size);
          offset += size;
          if (offset >= maxBlocks) break;
        }
        assert.equal(lastChunk(maxBlocks, sched), j, `last chunk for maxBlocks ${maxBlocks}, schedule ${JSON.stringify(sched)}`);
        assert.equal(cappedChunkSize(j + 1, sched, maxBlocks), 0);
      }
    }
  });

  it('acceptInOrder stops at the stopping chunk (block or bit errors, or maxBlocks), or at the first unknown chunk', () => {
    const s = { base: 10, max: 40 };
    const c = (errors: number, bitErrors = errors) => ({ errors, bitErrors, bitErrorsSq: bitErrors });
    const rules = { targetErrors: 5, targetBitErrors: 0, maxBlocks: 1000 };
    assert.deepEqual(acceptInOrder([c(1), c(1), c(3), c(7)], rules, s), { blocks: 70, counts: c(5), accepted: 3, status: 'target-errors' });
    assert.deepEqual(acceptInOrder([c(1), null, c(3)], rules, s), { blocks: 10, counts: c(1), accepted: 1 });
    assert.deepEqual(acceptInOrder([c(0), c(0), c(0), c(0)], { ...rules, maxBlocks: 75 }, s), { blocks: 75, counts: c(0), accepted: 4, status: 'max-blocks' });
    assert.deepEqual(acceptInOrder([c(1, 3), c(1, 3)], { ...rules, targetBitErrors: 6 }, s), {
      blocks: 30,
      counts: c(2, 6),
      accepted: 2,
      status: 'target-bit-errors',
    });
  });

  it('the plan needs margin: an estimate just at the target is not enough, one well above it is', () => {
    assert.equal(shardPlanDone(0, 1000, 4000, 100, 1), false);
    assert.equal(shardPlanDone(25, 1000, 4000, 100, 0), true); // estimate 100, no margin
    assert.equal(shardPlanDone(25, 1000, 4000, 100, 1), false); // 100 · (1 − 1/5) = 80
    assert.equal(shardPlanDone(25, 1000, 5000, 100, 1), true); // 125 · 0.8 = 100
  });

  it('unionChunks refuses two different counts for one chunk', () => {
    const c = (errors: number) => ({ errors, bitErrors: errors, bitErrorsSq: errors });
    assert.deepEqual(unionChunks([[c(1), null, c(3)], [null, c(2)], [c(1)]]), [c(1), c(2), c(3)]);
    assert.throws(
      () =>
        unionChunks([
          [c(1), c(2)],
          [c(1), c(3)],
        ]),
      /chunk 1/,
    );
  });
});

describe('balanced shards', function () {
  this.timeout(60_000);
  // From BLER ~0.3 down to zero errors: target-errors points, max-blocks points, and the zero-error sweep stop.
  const ebnoDb = [0, 2, 4, 5, 6, 7, 8, 11, 12];
  const rules = { targetErrors: 60, maxBlocks: 300_000 };

  it('merged shards equal the unsharded run exactly, for N = 1, 2, 3, 4, 7 (after --resume where a plan fell short)', async () => {
    const full = await runSweep(hamming, { ebnoDb, seed: 11, rules });
    assert.ok(full.some((p) => p.status === 'max-blocks') && full.some((p) => p.status === 'target-errors'), 'fixture should hit both rules');
    assert.equal(full.at(-1)!.status, 'not-simulated', 'fixture should trigger the zero-error sweep stop');
    let completeMerges = 0;
    for (const n of [1, 2, 3, 4, 7]) {
      const { parts, merged } = await sharded(hamming, ebnoDb, 11, rules, n);
      // Each shard computes only chunks j ≡ index − 1 (mod N).
      parts.forEach((part, s) =>
        part.forEach((p) => p.chunks?.forEach((c, j) => c !== null && assert.equal(j % n, s, `shard ${s + 1} of ${n} has chunk ${j}`))),
      );
      const short = merged.filter((p) => p.reason === 'shards-short');
      if (!short.length) completeMerges++;
      const resumed = short.length ? await runSweep(hamming, { ebnoDb, seed: 11, rules, resumeFrom: merged }) : merged;
      assert.deepEqual(counts(resumed), counts(full), `N = ${n}`);
      assert.deepEqual(withoutSeconds(resumed), withoutSeconds(full), `N = ${n}`);
    }
    assert.ok(completeMerges >= 3, `the default plan should usually cover the stopping chunks (complete merges: ${completeMerges} of 5)`);
  });

  it('with a bit-error target (and the block-error target off), merged shards equal the unsharded run, BER included', async () => {
    const r = { targetErrors: 0, targetBitErrors: 90, maxBlocks: 200_000 };
    const pts = [0, 3, 5, 7, 9];
    const full = await runSweep(hamming, { ebnoDb: pts, seed: 6, rules: r });
    assert.ok(
      full.some((p) => p.status === 'target-bit-errors'),
      'fixture should stop points on bit errors',
    );
    for (const n of [3, 4]) {
      const { merged } = await sharded(hamming, pts, 6, r, n);
      const done = merged.some((p) => p.reason === 'shards-short') ? await runSweep(hamming, { ebnoDb: pts, seed: 6, rules: r, resumeFrom: merged }) : merged;
      assert.deepEqual(withoutSeconds(done), withoutSeconds(full), `N = ${n}`);
      assert.ok(done.every((p) => p.status === 'not-simulated' || typeof p.ber === 'number'));
    }
  });

  it('the merge accepts the shard files in any order', async () => {
    const full = await runSweep(bpsk, { ebnoDb: [0, 3, 6, 8], seed: 4, rules });
    const { parts } = await sharded(bpsk, [0, 3, 6, 8], 4, rules, 3);
    const merged = mergeShards([parts[2], parts[0], parts[1]], rules, bpsk.k);
    const done = merged.some((p) => p.reason === 'shards-short') ? await runSweep(bpsk, { ebnoDb: [0, 3, 6, 8], seed: 4, rules, resumeFrom: merged }) : merged;
    assert.deepEqual(withoutSeconds(done), withoutSeconds(full));
  });

  it('a plan that falls short leaves points "shards-short"; --resume computes only the missing chunks, to the same counts', async () => {
    const full = await runSweep(hamming, { ebnoDb, seed: 3, rules });
    // A large negative margin makes every shard stop after its first chunk with an error: the merge cannot finish those points.
    const { merged } = await sharded(hamming, ebnoDb, 3, rules, 4, -1000);
    const short = merged.map((p, i) => [p, i] as const).filter(([p]) => p.reason === 'shards-short');
    assert.ok(short.length >= 2, 'the too-short plan should leave points incomplete');
    for (const [p] of short) {
      assert.equal(p.status, 'interrupted');
      assert.ok(
        p.chunks!.some((e) => e !== null),
        'the chunks already counted are kept',
      );
    }
    // A pool that records which (point, chunk) it is asked to simulate.
    const kernel = new ChunkKernel(hamming, 0);
    const asked: string[] = [];
    const pool: McPool = {
      workers: 1,
      runChunk: async (t: ChunkTask) => {
        asked.push(`${t.streamParts[3]}:${t.streamParts[4]}`);
        return { ...kernel.run(t.sigma, new RandomStream(...t.streamParts), t.blocks), blocks: t.blocks, ms: 0 };
      },
      destroy: async () => {},
    };
    const resumed = await runSweep(hamming, { ebnoDb, seed: 3, rules, resumeFrom: merged }, pool);
    assert.deepEqual(withoutSeconds(resumed), withoutSeconds(full));
    for (const [p, i] of short) {
      for (const [j, e] of p.chunks!.entries())
        if (e !== null) assert.ok(!asked.includes(`${i}:${j}`), `chunk ${j} of point ${i} was known, yet simulated again`);
      assert.ok(
        asked.some((a) => a.startsWith(`${i}:`)),
        `point ${i} needed more chunks`,
      );
    }
    merged.forEach(
      (p, i) =>
        (p.status === 'target-errors' || p.status === 'max-blocks') && assert.ok(!asked.some((a) => a.startsWith(`${i}:`)), `final point ${i} recomputed`),
    );
  });

  it('a shard does not simulate chunks ahead that its plan will not need (no 65,536-block chunk wasted per point)', async () => {
    const kernel = new ChunkKernel(hamming, 0);
    const asked: string[] = [];
    const pool: McPool = {
      workers: 2, // 4 chunks in flight, were the shard to speculate blindly
      runChunk: async (t: ChunkTask) => {
        asked.push(`${t.streamParts[3]}:${t.streamParts[4]}`);
        return { ...kernel.run(t.sigma, new RandomStream(...t.streamParts), t.blocks), blocks: t.blocks, ms: 0 };
      },
      destroy: async () => {},
    };
    // BLER ~0.3 and ~0.1: shard 4 of 4 is done after its first chunk (chunk 3, 4096 blocks) at both points.
    const parts = await runSweep(hamming, { ebnoDb: [0, 2], seed: 1, rules: { targetErrors: 100 }, shard: { index: 4, count: 4 } }, pool);
    assert.deepEqual(
      parts.map((p) => p.chunks!.filter((e) => e !== null).length),
      [1, 1],
    );
    assert.deepEqual(asked, ['0:3', '1:3']);
  });

  it('an interrupted point keeps its chunks; --resume continues it instead of starting over', async () => {
    const o = { ebnoDb: [0, 9], seed: 8, rules: { targetErrors: 1e9, maxBlocks: 40_000, stopOnZeroErrors: false } };
    const full = await runSweep(bpsk, o);
    const ac = new AbortController();
    const cut = await runSweep(bpsk, { ...o, signal: ac.signal, onChunk: (p) => p.pointIndex === 1 && p.blocks >= 1536 && ac.abort() });
    assert.equal(cut[1].status, 'interrupted');
    assert.deepEqual(cut[1].chunks!.length, 2);
    const firstChunks: number[] = [];
    const resumed = await runSweep(bpsk, { ...o, resumeFrom: cut, onChunk: (p) => firstChunks.push(p.blocks) });
    assert.deepEqual(withoutSeconds(resumed), withoutSeconds(full));
    assert.equal(firstChunks[0], 512, 'the known chunks are accepted first (running totals 512, 1536, …)');
  });

  it('a shard stops its sweep by its own chunks, and the merge discards what it computed past the merged stop', async () => {
    const pts = [2, 12, 13, 14];
    const r = { targetErrors: 20, maxBlocks: 20_000 };
    const full = await runSweep(bpsk, { ebnoDb: pts, seed: 2, rules: r });
    assert.equal(full[1].errors, 0);
    const { parts, merged } = await sharded(bpsk, pts, 2, r, 2);
    assert.ok(parts.every((p) => p[2].reason === 'sweep-stopped'));
    assert.deepEqual(withoutSeconds(merged), withoutSeconds(full));
  });
});
