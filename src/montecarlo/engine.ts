/**
 * Monte Carlo BLER vs Eb/N0.
 *
 * Reproducibility contract. Point i of a sweep is cut into chunks j = 0, 1, … of deterministic sizes
 * min(base·2^j, max) (the last one capped so the point never exceeds maxBlocks). Chunk j draws from
 * `new RandomStream(seed, 'mc', streamId, i, j)` (streamId defaults to the system id) and nothing else.
 * Chunks are accepted in index order; the point ends at the first chunk after which cumulative errors
 * ≥ targetErrors ('target-errors'), cumulative bit errors ≥ targetBitErrors ('target-bit-errors'; either
 * target 0 = off) or cumulative blocks ≥ maxBlocks ('max-blocks'). Chunks computed
 * speculatively past that one are discarded. A point's counts are therefore a function of
 * (seed, streamId, i, ebnoDb, system, rules, chunk schedule) only: identical inline, with 1 or N workers,
 * in a shard or in a resumed run.
 *
 * Sweep rule (AFF3CT/Sionna style): after a point that ended by its own rule with zero errors
 * (stopOnZeroErrors), with BLER < minBler or with BER < minBer, the remaining points are returned
 * 'not-simulated' with a note.
 *
 * Bit errors (src/montecarlo/ber.ts) are counted from the same decisions as block errors and draw nothing
 * from the streams, so counting them changes no block count.
 */
import { noiseStd } from '../conventions.ts';
import { RandomStream, type SeedPart } from '../random.ts';
import type { BlockSystem } from '../system.ts';
import { ChunkKernel, prepareFor, validateSystem, type ChunkCounts } from './kernel.ts';
import { shareSystem, systemKey, type ChunkTask, type McPool } from './pool.ts';
import { berFields, type BitCounts } from './ber.ts';
import { clopperPearson } from './stats.ts';
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

/** Size of chunk j before the maxBlocks cap. */
export const chunkSize = (j: number, s: ChunkSchedule): number => Math.min(s.base * 2 ** Math.min(j, 60), s.max);

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
  let kernel: ChunkKernel | undefined;
  return {
    depth: 1,
    async run(task) {
      // Yield to the event loop between chunks so an AbortSignal (timer, SIGINT) gets through.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!kernel) {
        await prepareFor(system);
        kernel = new ChunkKernel(system, task.blocks);
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
  const streamId = opts.streamId ?? system.id;
  const exec = pool ? poolExecutor(pool) : inlineExecutor(system);
  const shared = pool ? shareSystem(system) : system;
  const key = pool ? systemKey(system) : system.id;

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
      if (prev && isFinalStatus(prev.status)) {
        if (prev.ebnoDb !== e) throw new Error(`runSweep: resumeFrom point ${i} is at ${prev.ebnoDb} dB, the sweep's at ${e} dB`);
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
          r = await runPoint(i);
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
      }
      stop = earlyStop(results[i], rules);
    }
    return results;
  } finally {
    exec.dispose();
  }

  async function runPoint(i: number): Promise<PointResult> {
    const e = ebno[i];
    const sigma = noiseStd(e, system.k, system.n);
    const t0 = performance.now();
    const pending = new Map<number, Promise<ChunkCounts>>();
    let nextDispatch = 0;
    let dispatchOffset = 0; // blocks before chunk nextDispatch
    let blocks = 0;
    let errors = 0;
    const bits = { k: system.k, bitErrors: 0, bitErrorsSq: 0 };
    const result = (status: PointStatus, why?: NotFinal) => pointResult(e, blocks, errors, seconds(), status, why, bits);
    const abort = abortPromise(opts.signal);
    const seconds = () => (performance.now() - t0) / 1000;
    try {
      for (let j = 0; ; j++) {
        while (pending.size < exec.depth && dispatchOffset < rules.maxBlocks) {
          const size = Math.min(chunkSize(nextDispatch, sched), rules.maxBlocks - dispatchOffset);
          const streamParts: SeedPart[] = [opts.seed, 'mc', streamId, i, nextDispatch];
          const task: ChunkTask = { key, system: shared, sigma, streamParts, blocks: size };
          if (fault && fault.pointIndex === i && fault.chunkIndex === nextDispatch) task.fault = fault.mode;
          const p = exec.run(task);
          p.catch(() => {}); // speculative chunks may fail after the point ended; never unhandled
          pending.set(nextDispatch, p);
          dispatchOffset += size;
          nextDispatch++;
        }
        const p = pending.get(j);
        if (!p) throw new Error(`internal: chunk ${j} of point ${i} was not dispatched`);
        if (opts.signal?.aborted) throw new Aborted();
        const counts = await Promise.race([p, abort.promise]);
        pending.delete(j);
        blocks += Math.min(chunkSize(j, sched), rules.maxBlocks - blocks);
        errors += counts.errors;
        bits.bitErrors += counts.bitErrors;
        bits.bitErrorsSq += counts.bitErrorsSq;
        const s = seconds();
        opts.onChunk?.({ systemId: system.id, pointIndex: i, ebnoDb: e, blocks, errors, bitErrors: bits.bitErrors, blocksPerSecond: s > 0 ? blocks / s : 0 });
        if (rules.targetErrors > 0 && errors >= rules.targetErrors) return result('target-errors');
        if (rules.targetBitErrors > 0 && bits.bitErrors >= rules.targetBitErrors) return result('target-bit-errors');
        if (blocks >= rules.maxBlocks) return result('max-blocks');
      }
    } catch (err) {
      if (err instanceof Aborted) return result('interrupted', INTERRUPTED);
      throw err;
    } finally {
      abort.dispose();
    }
  }
}

/**
 * Combines the results of shards (runs of the same sweep with disjoint or overlapping `pointIndices`)
 * point by point, then re-applies the sweep rule in point order, so the merge equals an unsharded run
 * (up to `seconds`). Every part must cover the same Eb/N0 list.
 */
export function mergeShards(parts: PointResult[][], rules: Partial<StoppingRules> = {}): PointResult[] {
  if (parts.length === 0) return [];
  const r = resolveRules(rules);
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
    const final = parts.map((p) => p[i]).find((pt) => isFinalStatus(pt.status));
    const interrupted = parts.map((p) => p[i]).find((pt) => pt.status === 'interrupted');
    const pt = final ?? interrupted ?? notSimulated(e, { reason: 'not-in-any-shard', note: 'not simulated in any shard' });
    out.push(pt);
    stop = earlyStop(pt, r);
  }
  return out;
}
