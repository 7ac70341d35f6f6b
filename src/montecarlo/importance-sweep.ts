/**
 * A sweep measured by importance sampling (`montecarlo: { method: importance }`; the estimator is
 * importance.ts). It keeps the engine's chunk contract (top of engine.ts) with its own streams: chunk j of
 * point i draws from `new RandomStream(seed, 'is', streamId, i, j)` only, chunks of the schedule
 * min(base·2^j, max) are accepted in index order, and the point ends at the first chunk after which
 *   - the estimate is trusted so far (at least minEss effective error samples, no sample above
 *     maxWeightShare of the estimate) and the 95% interval's half-width is ≤ targetRelativeHalfWidth × the
 *     estimate ('target-precision'), or
 *   - maxBlocks samples were drawn ('max-blocks').
 * Chunks computed past that one are discarded. The sums of the accepted chunks are added in chunk order in
 * float64, so estimates, intervals and diagnostics are bit-identical inline, with any number of workers,
 * and in a sharded run.
 *
 * Shards: an importance-sampled point is cheap (seconds), so a shard computes whole points, i ≡ s − 1
 * (mod N) for shard s of N; mergeShards takes each final point from the shard that has it. A point
 * interrupted by Ctrl-C keeps no chunks and is recomputed from its first chunk by --resume.
 *
 * The sweep rule of plain Monte Carlo (stopOnZeroErrors, minBler, minBer) does not apply: measuring the
 * points where errors are rare is what importance sampling is for.
 */
import { yieldToEventLoop } from '../platform.ts';
import { noiseStd } from '../conventions.ts';
import { DEFAULTS } from '../defaults.ts';
import { RandomStream, type SeedPart } from '../random.ts';
import type { BlockSystem } from '../system.ts';
import { cappedChunkSize, lastChunk } from './chunks.ts';
import { addIsSums, checkImportanceSystem, IsChunkKernel, isPointStats, ZERO_IS_SUMS, type ImportanceSettings, type IsChunkSums } from './importance.ts';
import { prepareFor, validateSystem } from './kernel.ts';
import { shareSystem, systemKey, type ChunkTask, type McPool } from './pool-tasks.ts';
import { DEFAULT_CHUNKS, isFinalStatus, type ChunkSchedule, type PointResult, type StoppingRules, type SweepOptions } from './types.ts';

/** The settings with every default filled, checked. */
export function resolveImportance(s: Partial<ImportanceSettings> = {}): ImportanceSettings {
  const d = DEFAULTS.importance;
  const r: ImportanceSettings = {
    alpha: s.alpha ?? d.alpha,
    targetRelativeHalfWidth: s.targetRelativeHalfWidth ?? d.targetRelativeHalfWidth,
    minEss: s.minEss ?? d.minEss,
    maxWeightShare: s.maxWeightShare ?? d.maxWeightShare,
    pruneBelow: s.pruneBelow ?? d.pruneBelow,
    minSamples: s.minSamples ?? d.minSamples,
  };
  if (!(r.alpha > 0 && r.alpha < 1)) throw new Error(`importance.alpha must be in (0, 1), got ${r.alpha}`);
  if (!(r.targetRelativeHalfWidth > 0)) throw new Error(`importance.targetRelativeHalfWidth must be positive, got ${r.targetRelativeHalfWidth}`);
  if (!(r.minEss >= 0)) throw new Error(`importance.minEss must be ≥ 0, got ${r.minEss}`);
  if (!(r.maxWeightShare > 0 && r.maxWeightShare <= 1)) throw new Error(`importance.maxWeightShare must be in (0, 1], got ${r.maxWeightShare}`);
  if (!(r.pruneBelow >= 0 && r.pruneBelow < 1)) throw new Error(`importance.pruneBelow must be in [0, 1), got ${r.pruneBelow}`);
  if (!(Number.isInteger(r.minSamples) && r.minSamples >= 0)) throw new Error(`importance.minSamples must be a whole number ≥ 0, got ${r.minSamples}`);
  return r;
}

/** The point of `sums` over `blocks` samples. */
export function isPointResult(
  ebnoDb: number,
  blocks: number,
  sums: IsChunkSums,
  k: number,
  seconds: number,
  status: PointResult['status'],
  settings: ImportanceSettings,
): PointResult {
  const st = isPointStats(sums, blocks, k, settings);
  const r: PointResult = {
    ebnoDb,
    blocks,
    errors: sums.hits,
    bler: st.bler.mean,
    ciLow: st.bler.low,
    ciHigh: st.bler.high,
    seconds,
    status,
    bitErrors: sums.bitHits,
    bitErrorsSq: 0,
    ber: st.ber.mean,
    berCiLow: st.ber.low,
    berCiHigh: st.ber.high,
    method: 'importance',
    importance: st.fields,
  };
  if (!st.fields.trusted) r.note = `importance sampling: not trusted (${st.fields.why})`;
  return r;
}

/** The stopping rule after the accepted chunks (undefined: the point goes on). */
export function isPointEnds(
  sums: IsChunkSums,
  blocks: number,
  k: number,
  rules: Pick<StoppingRules, 'maxBlocks'>,
  settings: ImportanceSettings,
): 'target-precision' | 'max-blocks' | undefined {
  if (sums.hits > 0 && blocks >= settings.minSamples) {
    const st = isPointStats(sums, blocks, k, settings);
    const f = st.fields;
    if (f.ess >= settings.minEss && f.maxWeightShare <= settings.maxWeightShare && f.relativeHalfWidth <= settings.targetRelativeHalfWidth)
      return 'target-precision';
  }
  if (blocks >= rules.maxBlocks) return 'max-blocks';
  return undefined;
}

class Aborted extends Error {}

/** Runs the sweep; without a pool inline, with one on its workers (2 chunks per worker in flight). */
export async function runImportanceSweep(system: BlockSystem, opts: SweepOptions, rules: StoppingRules, pool?: McPool): Promise<PointResult[]> {
  validateSystem(system);
  checkImportanceSystem(system);
  const settings = resolveImportance(opts.importance);
  const sched: ChunkSchedule = { ...DEFAULT_CHUNKS, ...opts.chunks };
  const ebno = opts.ebnoDb;
  const streamId = opts.streamId ?? system.id;
  const selected = opts.pointIndices ? new Set(opts.pointIndices) : undefined;
  const shard = opts.shard;
  const last = lastChunk(rules.maxBlocks, sched);
  const proposal = { alpha: settings.alpha, pruneBelow: settings.pruneBelow };
  let inline: IsChunkKernel | undefined;
  const shared = pool ? shareSystem(system) : system;
  const key = pool ? systemKey(system) : system.id;
  const depth = pool ? 2 * pool.workers : 1;

  const runChunk = async (sigma: number, parts: SeedPart[], blocks: number): Promise<IsChunkSums> => {
    if (pool) {
      const task: ChunkTask = { key, system: shared, sigma, streamParts: parts, blocks, importance: proposal };
      const r = await pool.runChunk(task);
      if (!r.is) throw new Error('internal: an importance-sampling chunk came back without its sums');
      return r.is;
    }
    await yieldToEventLoop();
    if (!inline) {
      await prepareFor(system);
      inline = new IsChunkKernel(system, proposal, blocks);
    }
    return inline.run(sigma, new RandomStream(...parts), blocks);
  };

  try {
    const results: PointResult[] = [];
    let interrupted = false;
    for (let i = 0; i < ebno.length; i++) {
      const e = ebno[i];
      const prev = opts.resumeFrom?.[i];
      if (prev && prev.ebnoDb !== e) throw new Error(`runSweep: resumeFrom point ${i} is at ${prev.ebnoDb} dB, the sweep's at ${e} dB`);
      const mine = (!selected || selected.has(i)) && (!shard || i % shard.count === shard.index - 1);
      if (prev && isFinalStatus(prev.status)) results.push(prev);
      else if (!mine) results.push(notSimulatedIs(e, 'not-in-shard', 'simulated by another shard'));
      else if (interrupted || opts.signal?.aborted) {
        interrupted = true;
        results.push(notSimulatedIs(e, 'interrupted', 'sweep interrupted'));
      } else {
        const r = await runPoint(i);
        results.push(r);
        opts.onPoint?.(r, i);
        if (r.status === 'interrupted') interrupted = true;
      }
    }
    return results;
  } finally {
    inline?.dispose();
  }

  async function runPoint(i: number): Promise<PointResult> {
    const e = ebno[i];
    const sigma = noiseStd(e, system.k, system.n);
    const t0 = performance.now();
    const seconds = () => (performance.now() - t0) / 1000;
    const pending = new Map<number, Promise<IsChunkSums>>();
    let next = 0;
    let blocks = 0;
    let sums = ZERO_IS_SUMS;
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new Aborted());
      if (opts.signal?.aborted) onAbort();
      else opts.signal?.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => {});
    try {
      for (let j = 0; j <= last; j++) {
        while (pending.size < depth && next <= last) {
          const p = runChunk(sigma, [opts.seed, 'is', streamId, i, next], cappedChunkSize(next, sched, rules.maxBlocks));
          p.catch(() => {}); // chunks past the point's end may fail after it ended; never unhandled
          pending.set(next++, p);
        }
        const c = await Promise.race([pending.get(j)!, aborted]);
        pending.delete(j);
        blocks += cappedChunkSize(j, sched, rules.maxBlocks);
        sums = addIsSums(sums, c);
        const s = seconds();
        opts.onChunk?.({
          systemId: system.id,
          pointIndex: i,
          ebnoDb: e,
          blocks,
          errors: sums.hits,
          bitErrors: sums.bitHits,
          blocksPerSecond: s > 0 ? blocks / s : 0,
        });
        const status = isPointEnds(sums, blocks, system.k, rules, settings);
        if (status) return isPointResult(e, blocks, sums, system.k, seconds(), status, settings);
      }
      throw new Error(`internal: importance-sampled point ${i} passed its last chunk`);
    } catch (err) {
      if (err instanceof Aborted) {
        const r = notSimulatedIs(e, 'interrupted', 'sweep interrupted');
        r.status = 'interrupted';
        return r;
      }
      throw err;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }
}

function notSimulatedIs(ebnoDb: number, reason: NonNullable<PointResult['reason']>, note: string): PointResult {
  return { ebnoDb, blocks: 0, errors: 0, bler: 0, ciLow: 0, ciHigh: 1, seconds: 0, status: 'not-simulated', reason, note, method: 'importance' };
}
