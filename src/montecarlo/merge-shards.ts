/** Merging the Monte Carlo results of shards (the contract: src/montecarlo/engine.ts). */
import { acceptInOrder, hasChunks, trimChunks, unionChunks, type ChunkList } from './chunks.ts';
import { earlyStop, notSimulated, pointResult, resolveChunks, resolveRules, type NotFinal } from './point-results.ts';
import { isFinalStatus, type ChunkSchedule, type PointResult, type StoppingRules } from './types.ts';

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
    const pt = mergePoint(
      parts.map((p) => p[i]),
      r,
      sched,
      k,
    );
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
      return pointResult(e, 0, 0, 0, 'interrupted', {
        reason: 'shards-short',
        note: 'every shard stopped its sweep before this point; sim run --resume simulates it',
      });
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
