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
import { noiseStd } from '../conventions.ts';
import { RandomStream, type SeedPart } from '../random.ts';
import type { BlockSystem } from '../system.ts';
import type { ChunkCounts, ChunkRunner } from './chunk-runner.ts';
import { makeKernel, prepareFor, validateSystem } from './kernel.ts';
import { shareSystem, systemKey, type ChunkTask, type McPool } from './pool.ts';
import { berFields, type BitCounts } from './ber.ts';
import { acceptInOrder, addCounts, cappedChunkSize, chunkOffset, chunkSize, hasChunks, lastChunk, pointEnds, shardPlanDone, trimChunks, unionChunks, ZERO_COUNTS, type ChunkList } from './chunks.ts';
import { DEFAULTS } from '../defaults.ts';
import { clopperPearson } from './stats.ts';
import { runImportanceSweep } from './importance-sweep.ts';
import {
  DEFAULT_CHUNKS,
  DEFAULT_RULES,
  endsSweep,
  isFinalStatus,
  type ChunkSchedule,
  type PointReason,
  type PointResult,
  type PointStatus,
  type StoppingRules,
  type SweepOptions,
} from './types.ts';

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

export function resolveRules(rules: Partial<StoppingRules> = {}): StoppingRules {
  const r = { ...DEFAULT_RULES, ...rules };
  if (!(Number.isInteger(r.targetErrors) && r.targetErrors >= 0)) throw new Error(`rules.targetErrors must be a whole number (0 = off), got ${r.targetErrors}`);
  if (!(Number.isInteger(r.targetBitErrors) && r.targetBitErrors >= 0)) throw new Error(`rules.targetBitErrors must be a whole number (0 = off), got ${r.targetBitErrors}`);
  if (!(Number.isInteger(r.maxBlocks) && r.maxBlocks >= 1 && r.maxBlocks <= Number.MAX_SAFE_INTEGER)) {
    throw new Error(`rules.maxBlocks must be a positive integer ≤ 2^53, got ${r.maxBlocks}`);
  }
  if (!(r.minBler >= 0 && r.minBler < 1)) throw new Error(`rules.minBler must be in [0, 1), got ${r.minBler}`);
  if (!(r.minBer >= 0 && r.minBer < 1)) throw new Error(`rules.minBer must be in [0, 1), got ${r.minBer}`);
  return r;
}

function resolveChunks(c: Partial<ChunkSchedule> = {}): ChunkSchedule {
  const s = { ...DEFAULT_CHUNKS, ...c };
  if (!(Number.isInteger(s.base) && s.base >= 1 && Number.isInteger(s.max) && s.max >= s.base)) {
    throw new Error(`chunks: need integers 1 ≤ base ≤ max, got base=${s.base}, max=${s.max}`);
  }
  return s;
}

export { chunkSize };

/** Why a point has no final status: a code for programs, a note for people. */
export interface NotFinal {
  reason: PointReason;
  note: string;
}

/**
 * A PointResult from counts (bler, 95% Clopper-Pearson interval; with `bits`, the BER fields of ber.ts);
 * `why` for points without a final status.
 */
export function pointResult(
  ebnoDb: number,
  blocks: number,
  errors: number,
  seconds: number,
  status: PointStatus,
  why?: NotFinal,
  bits?: BitCounts & { k: number },
): PointResult {
  const ci = clopperPearson(errors, blocks);
  const r: PointResult = { ebnoDb, blocks, errors, bler: blocks > 0 ? errors / blocks : 0, ciLow: ci.low, ciHigh: ci.high, seconds, status };
  if (bits) Object.assign(r, berFields(blocks, bits.k, bits));
  if (why) {
    r.reason = why.reason;
    r.note = why.note;
  }
  return r;
}

/** A point that was not simulated, and why. */
export const notSimulated = (ebnoDb: number, why: NotFinal): PointResult => pointResult(ebnoDb, 0, 0, 0, 'not-simulated', why);

/** Why the sweep stops after point r (the sweep rule), or undefined if it goes on. */
function earlyStop(r: PointResult, rules: StoppingRules): NotFinal | undefined {
  if (!isFinalStatus(r.status) || !endsSweep(r, rules)) return undefined;
  if (r.method === 'importance') return undefined; // the sweep rule is plain Monte Carlo's (importance-sweep.ts)
  if (rules.stopOnZeroErrors && r.errors === 0)
    return { reason: 'sweep-stopped', note: `sweep stopped: the point at ${r.ebnoDb} dB counted zero errors in ${r.blocks} blocks` };
  if (rules.minBler > 0 && r.bler < rules.minBler)
    return { reason: 'sweep-stopped', note: `sweep stopped: the point at ${r.ebnoDb} dB measured BLER ${r.bler.toExponential(3)} < minBler ${rules.minBler}` };
  return { reason: 'sweep-stopped', note: `sweep stopped: the point at ${r.ebnoDb} dB measured BER ${(r.ber ?? 0).toExponential(3)} < minBer ${rules.minBer}` };
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
      await new Promise<void>((resolve) => setImmediate(resolve));
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
          throw new McWorkerError(
            `Monte Carlo failed for system ${system.id} at point ${i} (${e} dB): ${(err as Error).message}`,
            system.id,
            i,
            e,
            partial,
            { cause: err },
          );
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
      partial('not-simulated', { reason: 'shard-part', note: `chunks ${first}, ${first + stride}, … of this point (shard ${shard!.index} of ${shard!.count}); sim merge combines the shards` });
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
        opts.onChunk?.({ systemId: system.id, pointIndex: i, ebnoDb: e, blocks, errors: counts.errors, bitErrors: counts.bitErrors, blocksPerSecond: s > 0 ? blocks / s : 0 });
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

/**
 * The sweep rule as a shard applies it: to the errors of its own chunks of the point (it cannot know the
 * merged counts). Wrong either way only costs work: chunks past the merged stop are discarded by the
 * merge, and a point the merged sweep needs but no shard computed is left for --resume.
 */
function shardEarlyStop(r: PointResult, rules: StoppingRules): NotFinal | undefined {
  if (r.blocks === 0 || !endsSweep(r, rules)) return undefined;
  return {
    reason: 'sweep-stopped',
    note: `sweep stopped in this shard: its chunks of the point at ${r.ebnoDb} dB counted ${r.errors} errors in ${r.blocks} blocks`,
  };
}

/**
 * Combines the results of shards point by point, then re-applies the sweep rule in point order, so the
 * merge equals an unsharded run (up to `seconds`). Balanced shards' parts (`chunks`) are put side by
 * side and accepted in chunk order (see the contract at the top); a final point of a whole-point shard
 * (older shard files) is taken as it is. A point whose known chunks stop before its stopping rule comes
 * back 'interrupted' ('shards-short') with those chunks, for --resume. Every part must cover the same
 * Eb/N0 list and come from the same rules and chunk schedule.
 */
export function mergeShards(parts: PointResult[][], rules: Partial<StoppingRules> = {}, k?: number, chunks: Partial<ChunkSchedule> = {}): PointResult[] {
  if (parts.length === 0) return [];
  const r = resolveRules(rules);
  const sched = resolveChunks(chunks);
  const len = parts[0].length;
  for (const p of parts) {
    if (p.length !== len) throw new Error(`mergeShards: parts have different lengths (${p.length} vs ${len})`);
    p.forEach((pt, i) => {
      if (pt.ebnoDb !== parts[0][i].ebnoDb) throw new Error(`mergeShards: point ${i} is at ${pt.ebnoDb} dB in one part, ${parts[0][i].ebnoDb} dB in another`);
    });
  }
  const out: PointResult[] = [];
  let stop: NotFinal | undefined;
  for (let i = 0; i < len; i++) {
    const e = parts[0][i].ebnoDb;
    if (stop !== undefined) {
      out.push(notSimulated(e, stop));
      continue;
    }
    const pt = mergePoint(parts.map((p) => p[i]), r, sched, k);
    out.push(pt);
    stop = earlyStop(pt, r);
  }
  return out;
}

/** One point from its parts: a final one, else the chunks of all parts accepted in order (k: bits per block, for the BER). */
function mergePoint(same: PointResult[], rules: StoppingRules, sched: ChunkSchedule, k: number | undefined): PointResult {
  const e = same[0].ebnoDb;
  const final = same.find((pt) => isFinalStatus(pt.status));
  if (final) return final;
  const withChunks = same.filter(hasChunks);
  if (!withChunks.length) {
    const interrupted = same.find((pt) => pt.status === 'interrupted');
    if (interrupted) return interrupted;
    if (same.some((pt) => pt.reason === 'sweep-stopped'))
      return pointResult(e, 0, 0, 0, 'interrupted', { reason: 'shards-short', note: 'every shard stopped its sweep before this point; sim run --resume simulates it' });
    return notSimulated(e, { reason: 'not-in-any-shard', note: 'not simulated in any shard' });
  }
  let known: ChunkList;
  try {
    known = unionChunks(withChunks.map((pt) => pt.chunks!));
  } catch (err) {
    throw new Error(`mergeShards: point at ${e} dB: ${(err as Error).message}`, { cause: err });
  }
  const seconds = withChunks.reduce((t, pt) => t + pt.seconds, 0);
  const a = acceptInOrder(known, rules, sched);
  const bits = k === undefined ? undefined : { k, bitErrors: a.counts.bitErrors, bitErrorsSq: a.counts.bitErrorsSq };
  if (a.status) return pointResult(e, a.blocks, a.counts.errors, seconds, a.status, undefined, bits);
  const r = pointResult(
    e,
    a.blocks,
    a.counts.errors,
    seconds,
    'interrupted',
    {
      reason: 'shards-short',
      note: `the shards' chunks stop at chunk ${a.accepted} before the stopping rule (${a.counts.errors} errors in ${a.blocks} blocks); sim run --resume completes the point from the chunks already counted`,
    },
    bits,
  );
  r.chunks = trimChunks(known);
  return r;
}
