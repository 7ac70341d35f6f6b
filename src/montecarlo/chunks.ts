/**
 * The chunks of one Monte Carlo point, as plain arithmetic: where chunk j starts, how many blocks it has
 * under the maxBlocks cap, the in-order acceptance that decides a point (the engine's contract, see the top
 * of engine.ts), a balanced shard's plan, and the merge of the chunk errors that shards (or interrupted
 * runs) recorded.
 *
 * A point without a final status may carry `chunks`: entry j is the counts (block errors, bit errors and
 * their squares) of chunk j where that chunk was computed, null where it was not. Chunk j's counts depend
 * only on (seed, stream, point, j) and the schedule, so chunks from any shard, run or resume can be put side
 * by side; accepting them in index order under the stopping rules gives exactly the unsharded point.
 */
import type { ChunkCounts } from './chunk-runner.ts';
import type { ChunkSchedule, PointResult, PointStatus, StoppingRules } from './types.ts';

export type ChunkList = (ChunkCounts | null)[];

export const ZERO_COUNTS: ChunkCounts = { errors: 0, bitErrors: 0, bitErrorsSq: 0 };
export const addCounts = (a: ChunkCounts, b: ChunkCounts): ChunkCounts => ({
  errors: a.errors + b.errors,
  bitErrors: a.bitErrors + b.bitErrors,
  bitErrorsSq: a.bitErrorsSq + b.bitErrorsSq,
});
const sameCounts = (a: ChunkCounts, b: ChunkCounts): boolean => a.errors === b.errors && a.bitErrors === b.bitErrors && a.bitErrorsSq === b.bitErrorsSq;

/** Size of chunk j before the maxBlocks cap: min(base·2^j, max). */
export const chunkSize = (j: number, s: ChunkSchedule): number => Math.min(s.base * 2 ** Math.min(j, 60), s.max);

/** Blocks in chunks 0 … j−1 (closed form: the schedule doubles up to `max`, then stays there). */
export function chunkOffset(j: number, s: ChunkSchedule): number {
  let total = 0;
  let t = 0;
  for (; t < j && chunkSize(t, s) < s.max; t++) total += chunkSize(t, s);
  return total + (j - t) * s.max;
}

/** Blocks of chunk j under the maxBlocks cap (0 past the last chunk). */
export const cappedChunkSize = (j: number, s: ChunkSchedule, maxBlocks: number): number =>
  Math.max(0, Math.min(chunkSize(j, s), maxBlocks - chunkOffset(j, s)));

/** Index of the chunk that reaches maxBlocks: no point ever has a chunk after it. */
export function lastChunk(maxBlocks: number, s: ChunkSchedule): number {
  let j = 0;
  for (; chunkSize(j, s) < s.max; j++) if (chunkOffset(j + 1, s) >= maxBlocks) return j;
  return j + Math.max(0, Math.ceil((maxBlocks - chunkOffset(j, s)) / s.max) - 1);
}

/** What accepting the known chunks 0, 1, … in order gives: a final point, or a prefix that stops at a gap. */
export interface Acceptance {
  blocks: number;
  counts: ChunkCounts;
  /** Chunks accepted (the first one not accepted is this index). */
  accepted: number;
  status?: Extract<PointStatus, 'target-errors' | 'target-bit-errors' | 'max-blocks'>;
}

/** The point's own stopping rule after its accepted chunks (undefined: it goes on). */
export function pointEnds(blocks: number, c: ChunkCounts, rules: Pick<StoppingRules, 'targetErrors' | 'targetBitErrors' | 'maxBlocks'>): Acceptance['status'] {
  if (rules.targetErrors > 0 && c.errors >= rules.targetErrors) return 'target-errors';
  if (rules.targetBitErrors > 0 && c.bitErrors >= rules.targetBitErrors) return 'target-bit-errors';
  if (blocks >= rules.maxBlocks) return 'max-blocks';
  return undefined;
}

/**
 * The contract's acceptance rule: chunks in index order; the point ends at the first chunk after which a
 * stopping rule holds (pointEnds). Stops early at the first chunk that is not known.
 */
export function acceptInOrder(known: ChunkList, rules: Pick<StoppingRules, 'targetErrors' | 'targetBitErrors' | 'maxBlocks'>, s: ChunkSchedule): Acceptance {
  let blocks = 0;
  let counts = ZERO_COUNTS;
  for (let j = 0; j < known.length; j++) {
    const c = known[j];
    if (c === null || c === undefined) return { blocks, counts, accepted: j };
    blocks += cappedChunkSize(j, s, rules.maxBlocks);
    counts = addCounts(counts, c);
    const status = pointEnds(blocks, counts, rules);
    if (status) return { blocks, counts, accepted: j + 1, status };
  }
  return { blocks, counts, accepted: known.length };
}

/**
 * A balanced shard's plan for one point: it has computed its own chunks (every N-th) through chunk j,
 * counting `ownErrors` in `ownBlocks`; its next chunk would be j + N, and chunks 0 … j + N − 1 hold
 * `throughBlocks` blocks in all. It stops when its estimate of the errors of those chunks, lowered by
 * `sigmas` standard deviations of its own Poisson count (relative: 1/√ownErrors), reaches targetErrors:
 * then the unsharded run would most likely stop by chunk j + N − 1, and the chunks between j and j + N are
 * the other shards' (each of which decides the same way about its own), so chunk j + N is not needed. A plan that turns out too
 * short leaves the merged point incomplete (`shards-short`); `sim run --resume` completes it. Reaching the
 * last chunk (maxBlocks) always ends the plan; that is decided by the caller.
 */
export function shardPlanDone(ownErrors: number, ownBlocks: number, throughBlocks: number, targetErrors: number, sigmas: number): boolean {
  if (ownErrors === 0 || ownBlocks === 0) return false;
  const estimate = (ownErrors * throughBlocks) / ownBlocks;
  return estimate * (1 - sigmas / Math.sqrt(ownErrors)) >= targetErrors;
}

/** Element-wise union of chunk lists; two different counts for one chunk mean the parts are not of one run. */
export function unionChunks(parts: ChunkList[]): ChunkList {
  const out: (ChunkCounts | null | undefined)[] = [];
  for (const p of parts)
    p.forEach((c, j) => {
      if (c === null || c === undefined) return;
      const have = out[j];
      if (have && !sameCounts(have, c))
        throw new Error(`chunk ${j} has ${have.errors} errors (${have.bitErrors} bit errors) in one part and ${c.errors} (${c.bitErrors}) in another`);
      out[j] = c;
    });
  return Array.from({ length: out.length }, (_, j) => out[j] ?? null);
}

/** The chunk list a point carries, without the trailing unknowns. */
export function trimChunks(c: ChunkList): ChunkList {
  let end = c.length;
  while (end > 0 && (c[end - 1] === null || c[end - 1] === undefined)) end--;
  return Array.from({ length: end }, (_, j) => c[j] ?? null);
}

/** True if the point holds chunk counts (a shard's part, or a point left partial). */
export const hasChunks = (p: PointResult): boolean => Array.isArray(p.chunks) && p.chunks.some((c) => c !== null);
