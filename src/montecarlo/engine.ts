/**
 * Monte Carlo BLER vs Eb/N0.
 *
 * Reproducibility contract. Point i of a sweep is cut into chunks j = 0, 1, … of deterministic sizes
 * min(base·2^j, max) (the last one capped so the point never exceeds maxBlocks). Chunk j draws from
 * `new RandomStream(seed, 'mc', streamId, i, j)` (streamId defaults to the system id) and nothing else, so
 * its counts are a function of (seed, streamId, i, j, ebnoDb, system, maxBlocks, chunk schedule) only,
 * wherever and whenever it is computed. Chunks are accepted in index order; the point ends at the first
 * chunk after which cumulative errors ≥ targetErrors ('target-errors'), cumulative bit errors ≥
 * targetBitErrors ('target-bit-errors'; either target 0 = off) or cumulative blocks ≥ maxBlocks
 * ('max-blocks'). Chunks computed past that one are discarded. A point's counts are therefore identical
 * inline, with 1 or N workers, in a resumed run, and after merging balanced shards:
 *
 * - Balanced shards (`shard` option): shard s of N computes chunks j ≡ s − 1 (mod N) of every point, in
 *   order, up to its plan (src/montecarlo/chunks.ts shardPlanDone: its error estimate for all chunks
 *   before its next one reaches the target with a margin, or it reaches the chunk at maxBlocks), and records
 *   each chunk's counts (`chunks`). mergeShards puts the shards' chunks side by side and accepts them in
 *   index order under the same rules: where every chunk up to the stopping one is there, the merged point is
 *   the unsharded point. Where a plan turned out too short, the point is left 'interrupted' ('shards-short')
 *   with the chunks known so far, and a resumed run computes only the missing chunks.
 * - Interrupted points keep their chunk counts too, so --resume continues a point instead of restarting it.
 *
 * Sweep rule (AFF3CT/Sionna style): after a point that ended by its own rule with zero errors
 * (stopOnZeroErrors), with BLER < minBler or with BER < minBer, the remaining points are returned
 * 'not-simulated' with a note. A shard cannot know the merged point, so it applies the rule to its own
 * chunks' counts; mergeShards re-applies it to the merged points (points a shard computed past the merged
 * stop are discarded; points a shard skipped that the merged sweep needs are left for --resume).
 *
 * Bit errors (src/montecarlo/ber.ts) are counted from the same decisions as block errors and draw nothing
 * from the streams, so counting them changes no block count.
 */
import { yieldToEventLoop } from '../platform.ts';
import { noiseStd } from '../conventions.ts';
import { RandomStream, type SeedPart } from '../random.ts';
import type { BlockSystem } from '../system.ts';
import type { ChunkCounts, ChunkRunner } from './chunk-runner.ts';
import { makeKernel, prepareFor, validateSystem } from './kernel.ts';
import { shareSystem, systemKey, type ChunkTask, type McPool } from './pool-tasks.ts';
import { addCounts, cappedChunkSize, chunkOffset, hasChunks, lastChunk, pointEnds, shardPlanDone, trimChunks, ZERO_COUNTS, type ChunkList } from './chunks.ts';
import { DEFAULTS } from '../defaults.ts';
import { runImportanceSweep } from './importance-sweep.ts';
import { earlyStop, notSimulated, pointResult, resolveChunks, resolveRules, shardEarlyStop, type NotFinal } from './point-results.ts';

export { chunkSize } from './chunks.ts';
export { notSimulated, pointResult, resolveRules, type NotFinal } from './point-results.ts';
export { mergeShards } from './merge-shards.ts';
import { isFinalStatus, type PointResult, type PointStatus, type SweepOptions } from './types.ts';

/** Raised when a worker fails; `partial` holds the sweep as far as it got (finished points intact). */
export class McWorkerError extends Error {
  constructor(
    message: string,
    readonly systemId: string,
    readonly pointIndex: number,
    readonly ebnoDb: number,
    readonly partial: PointResult[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'McWorkerError';
  }
}

/** Internal test hook: inject a worker fault at (pointIndex, chunkIndex). */
export interface FaultInjection {
  pointIndex: number;
  chunkIndex: number;
  mode: 'throw' | 'exit';
}

const INTERRUPTED: NotFinal = { reason: 'interrupted', note: 'sweep interrupted' };

interface Executor {
  /** Chunks kept in flight. */
  depth: number;
  run(task: ChunkTask): Promise<ChunkCounts>;
  /** After the sweep: frees what the executor built (the inline kernel's decoder). */
  dispose(): void;
}

function inlineExecutor(system: BlockSystem): Executor {
  let kernel: ChunkRunner | undefined;
  return {
    depth: 1,
    async run(task) {
      // Yield to the event loop between chunks so an AbortSignal (timer, SIGINT) gets through.
      await yieldToEventLoop();
      if (!kernel) {
        await prepareFor(system);
        kernel = makeKernel(system, task.blocks);
      }
      if (task.fault) throw new Error('injected fault (test)');
      return kernel.run(task.sigma, new RandomStream(...task.streamParts), task.blocks);
    },
    dispose: () => kernel?.dispose(),
  };
}

function poolExecutor(pool: McPool): Executor {
  return { depth: 2 * pool.workers, run: (task) => pool.runChunk(task), dispose: () => {} };
}

class Aborted extends Error {}

function abortPromise(signal: AbortSignal | undefined): { promise: Promise<never>; dispose: () => void } {
  if (!signal) return { promise: new Promise<never>(() => {}), dispose: () => {} };
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Aborted());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => {});
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/**
 * Simulates the sweep. Without a pool the chunks run inline in this thread (one after another); with a
 * pool they run on its workers, 2 per worker in flight. Counts are identical either way.
 */
export async function runSweep(system: BlockSystem, opts: SweepOptions, pool?: McPool): Promise<PointResult[]> {
  return runSweepInternal(system, opts, pool);
}

/** runSweep with test hooks. */
export async function runSweepInternal(system: BlockSystem, opts: SweepOptions, pool?: McPool, fault?: FaultInjection): Promise<PointResult[]> {
  validateSystem(system);
  const rules = resolveRules(opts.rules);
  // Importance sampling has its own sweep (same chunk contract, its own streams): importance-sweep.ts.
  if (opts.method === 'importance') return runImportanceSweep(system, opts, rules, pool);
  const sched = resolveChunks(opts.chunks);
  const ebno = opts.ebnoDb;
  if (!ebno.every((e) => Number.isFinite(e))) throw new Error('runSweep: ebnoDb values must be finite numbers');
  if (opts.resumeFrom && opts.resumeFrom.length !== ebno.length) {
    throw new Error(`runSweep: resumeFrom has ${opts.resumeFrom.length} points, the sweep has ${ebno.length}`);
  }
  const selected = opts.pointIndices ? new Set(opts.pointIndices) : undefined;
  if (opts.pointIndices?.some((i) => !(Number.isInteger(i) && i >= 0 && i < ebno.length))) {
    throw new Error(`runSweep: pointIndices must be integers in [0, ${ebno.length})`);
  }
  const shard = opts.shard;
  if (shard && !(Number.isInteger(shard.index) && Number.isInteger(shard.count) && shard.index >= 1 && shard.index <= shard.count)) {
    throw new Error(`runSweep: shard must be i of N with 1 ≤ i ≤ N, got ${shard.index} of ${shard.count}`);
  }
  const planSigmas = opts.planSigmas ?? DEFAULTS.shards.planSigmas;
  const streamId = opts.streamId ?? system.id;
  const exec = pool ? poolExecutor(pool) : inlineExecutor(system);
  const shared = pool ? shareSystem(system) : system;
  const key = pool ? systemKey(system) : system.id;
  const last = lastChunk(rules.maxBlocks, sched);

  try {
    const results: PointResult[] = [];
    let stop: NotFinal | undefined;
    for (let i = 0; i < ebno.length; i++) {
      const e = ebno[i];
      if (stop !== undefined) {
        results.push(notSimulated(e, stop));
        continue;
      }
      const prev = opts.resumeFrom?.[i];
      if (prev && prev.ebnoDb !== e) throw new Error(`runSweep: resumeFrom point ${i} is at ${prev.ebnoDb} dB, the sweep's at ${e} dB`);
      if (prev && isFinalStatus(prev.status)) {
        results.push(prev);
      } else if (selected && !selected.has(i)) {
        results.push(notSimulated(e, { reason: 'not-in-shard', note: 'simulated by another shard' }));
        continue;
      } else if (opts.signal?.aborted) {
        results.push(notSimulated(e, INTERRUPTED));
        stop = INTERRUPTED;
        continue;
      } else {
        let r: PointResult;
        try {
          r = await runPoint(i, prev && hasChunks(prev) ? prev : undefined);
        } catch (err) {
          const failed: NotFinal = { reason: 'worker-failed', note: `worker failed: ${(err as Error).message}` };
          const partial = [...results, pointResult(e, 0, 0, 0, 'interrupted', failed)];
          for (let j = i + 1; j < ebno.length; j++) partial.push(notSimulated(ebno[j], { reason: 'worker-failed', note: 'sweep aborted by a worker failure' }));
          throw new McWorkerError(`Monte Carlo failed for system ${system.id} at point ${i} (${e} dB): ${(err as Error).message}`, system.id, i, e, partial, {
            cause: err,
          });
        }
        results.push(r);
        opts.onPoint?.(r, i);
        if (r.status === 'interrupted') {
          stop = INTERRUPTED;
          continue;
        }
        if (shard) {
          stop = shardEarlyStop(r, rules);
          continue;
        }
      }
      stop = earlyStop(results[i], rules);
    }
    return results;
  } finally {
    exec.dispose();
  }

  /**
   * Computes one point: every chunk (unsharded), or this shard's chunks. Chunks already known from `prev`
   * (a resumed partial point) are taken as they are, the others dispatched, up to exec.depth in flight.
   */
  async function runPoint(i: number, prev?: PointResult): Promise<PointResult> {
    const e = ebno[i];
    const sigma = noiseStd(e, system.k, system.n);
    const t0 = performance.now();
    const earlier = prev?.seconds ?? 0;
    const seconds = () => earlier + (performance.now() - t0) / 1000;
    const known: ChunkList = [...(prev?.chunks ?? [])];
    const first = shard ? shard.index - 1 : 0;
    const stride = shard ? shard.count : 1;
    const chunkOf = (q: number) => first + q * stride; // the q-th chunk this run handles
    const pending = new Map<number, Promise<ChunkCounts>>();
    let nextDispatch = 0;
    // Unsharded: running totals of the chunks accepted in order. Shard: totals of this shard's chunks.
    let blocks = 0;
    let counts: ChunkCounts = ZERO_COUNTS;
    const abort = abortPromise(opts.signal);
    const result = (status: PointStatus, why?: NotFinal): PointResult =>
      pointResult(e, blocks, counts.errors, seconds(), status, why, { k: system.k, bitErrors: counts.bitErrors, bitErrorsSq: counts.bitErrorsSq });
    const partial = (status: PointStatus, why: NotFinal): PointResult => {
      const r = result(status, why);
      const chunks = trimChunks(known);
      if (chunks.length) r.chunks = chunks;
      return r;
    };
    const shardPart = (): PointResult =>
      partial('not-simulated', {
        reason: 'shard-part',
        note: `chunks ${first}, ${first + stride}, … of this point (shard ${shard!.index} of ${shard!.count}); sim merge combines the shards`,
      });
    /**
     * The plan of a shard whose own chunks so far hold `own` in `ownBlocks` blocks, and whose next chunk
     * would start after `through` blocks: done when the estimate for either error target (the unsharded
     * point stops at the first one reached) says the point ends before that next chunk.
     */
    const planDone = (own: ChunkCounts, ownBlocks: number, through: number): boolean =>
      (rules.targetErrors > 0 && shardPlanDone(own.errors, ownBlocks, through, rules.targetErrors, planSigmas)) ||
      (rules.targetBitErrors > 0 && shardPlanDone(own.bitErrors, ownBlocks, through, rules.targetBitErrors, planSigmas));
    /**
     * A shard's chunks are every N-th, so they reach the largest size quickly and a speculative chunk past
     * the end of its plan would cost a whole 65,536-block chunk per point. A shard therefore dispatches
     * chunk qd ahead of time only while its running error rates predict the plan goes on past chunk qd − 1.
     * This only decides what is computed early; it never changes which chunks are accepted.
     */
    const worthSpeculating = (q: number, qd: number): boolean => {
      if (!shard) return true;
      if (blocks === 0) return false; // the first chunk alone tells a high-BLER point from a low one
      if (counts.errors === 0 && counts.bitErrors === 0) return true;
      let ownBlocks = blocks;
      for (let k = q; k < qd; k++) ownBlocks += cappedChunkSize(chunkOf(k), sched, rules.maxBlocks);
      const scale = ownBlocks / blocks;
      const projected = { errors: counts.errors * scale, bitErrors: counts.bitErrors * scale, bitErrorsSq: counts.bitErrorsSq * scale };
      return !planDone(projected, ownBlocks, Math.min(chunkOffset(chunkOf(qd), sched), rules.maxBlocks));
    };
    try {
      for (let q = 0; ; q++) {
        const j = chunkOf(q);
        if (j > last) return shardPart(); // only a shard gets here: the unsharded point ends at `last`
        while (pending.size < exec.depth && chunkOf(nextDispatch) <= last && (nextDispatch === q || worthSpeculating(q, nextDispatch))) {
          const jd = chunkOf(nextDispatch);
          const have = known[jd];
          let p: Promise<ChunkCounts>;
          if (have !== null && have !== undefined) p = Promise.resolve(have);
          else {
            const streamParts: SeedPart[] = [opts.seed, 'mc', streamId, i, jd];
            const task: ChunkTask = { key, system: shared, sigma, streamParts, blocks: cappedChunkSize(jd, sched, rules.maxBlocks) };
            if (fault && fault.pointIndex === i && fault.chunkIndex === jd) task.fault = fault.mode;
            p = exec.run(task);
            p.catch(() => {}); // speculative chunks may fail after the point ended; never unhandled
          }
          pending.set(nextDispatch, p);
          nextDispatch++;
        }
        const p = pending.get(q);
        if (!p) throw new Error(`internal: chunk ${j} of point ${i} was not dispatched`);
        if (opts.signal?.aborted) throw new Aborted();
        const c = await Promise.race([p, abort.promise]);
        pending.delete(q);
        // Only the counts are kept (a pool's answer carries more).
        known[j] = { errors: c.errors, bitErrors: c.bitErrors, bitErrorsSq: c.bitErrorsSq };
        blocks += cappedChunkSize(j, sched, rules.maxBlocks);
        counts = addCounts(counts, c);
        const s = seconds();
        opts.onChunk?.({
          systemId: system.id,
          pointIndex: i,
          ebnoDb: e,
          blocks,
          errors: counts.errors,
          bitErrors: counts.bitErrors,
          blocksPerSecond: s > 0 ? blocks / s : 0,
        });
        if (shard) {
          // Chunks j + 1 … j + stride − 1 are other shards'; this shard's next chunk is needed only if the
          // point goes on past all of them.
          if (planDone(counts, blocks, Math.min(chunkOffset(j + stride, sched), rules.maxBlocks))) return shardPart();
          continue;
        }
        const status = pointEnds(blocks, counts, rules);
        if (status) return result(status);
      }
    } catch (err) {
      if (err instanceof Aborted) return partial('interrupted', INTERRUPTED);
      throw err;
    } finally {
      abort.dispose();
    }
  }
}
