/**
 * A sweep's points as results: the stopping rules and chunk schedule resolved, a PointResult made from counts,
 * and the sweep rule (why a sweep stops after a point) as the whole sweep and as one shard apply it
 * (the contract: src/montecarlo/engine.ts).
 */
import { berFields, type BitCounts } from './ber.ts';
import { chunkSize } from './chunks.ts';
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
} from './types.ts';

/**
 * The stopping rules with DEFAULT_RULES filled in for what `rules` leaves out. Throws an Error naming the field when
 * a value is out of range (error targets whole numbers ≥ 0, maxBlocks an integer in [1, 2^53], minBler and minBer in
 * [0, 1)).
 */
export function resolveRules(rules: Partial<StoppingRules> = {}): StoppingRules {
  const r = { ...DEFAULT_RULES, ...rules };
  if (!(Number.isInteger(r.targetErrors) && r.targetErrors >= 0)) throw new Error(`rules.targetErrors must be a whole number (0 = off), got ${r.targetErrors}`);
  if (!(Number.isInteger(r.targetBitErrors) && r.targetBitErrors >= 0))
    throw new Error(`rules.targetBitErrors must be a whole number (0 = off), got ${r.targetBitErrors}`);
  if (!(Number.isInteger(r.maxBlocks) && r.maxBlocks >= 1 && r.maxBlocks <= Number.MAX_SAFE_INTEGER)) {
    throw new Error(`rules.maxBlocks must be a positive integer ≤ 2^53, got ${r.maxBlocks}`);
  }
  if (!(r.minBler >= 0 && r.minBler < 1)) throw new Error(`rules.minBler must be in [0, 1), got ${r.minBler}`);
  if (!(r.minBer >= 0 && r.minBer < 1)) throw new Error(`rules.minBer must be in [0, 1), got ${r.minBer}`);
  return r;
}

export function resolveChunks(c: Partial<ChunkSchedule> = {}): ChunkSchedule {
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
export function earlyStop(r: PointResult, rules: StoppingRules): NotFinal | undefined {
  if (!isFinalStatus(r.status) || !endsSweep(r, rules)) return undefined;
  if (r.method === 'importance') return undefined; // the sweep rule is plain Monte Carlo's (importance-sweep.ts)
  if (rules.stopOnZeroErrors && r.errors === 0)
    return { reason: 'sweep-stopped', note: `sweep stopped: the point at ${r.ebnoDb} dB counted zero errors in ${r.blocks} blocks` };
  if (rules.minBler > 0 && r.bler < rules.minBler)
    return { reason: 'sweep-stopped', note: `sweep stopped: the point at ${r.ebnoDb} dB measured BLER ${r.bler.toExponential(3)} < minBler ${rules.minBler}` };
  return { reason: 'sweep-stopped', note: `sweep stopped: the point at ${r.ebnoDb} dB measured BER ${(r.ber ?? 0).toExponential(3)} < minBer ${rules.minBer}` };
}

/**
 * The sweep rule as a shard applies it: to the errors of its own chunks of the point (it cannot know the
 * merged counts). Wrong either way only costs work: chunks past the merged stop are discarded by the
 * merge, and a point the merged sweep needs but no shard computed is left for --resume.
 */
export function shardEarlyStop(r: PointResult, rules: StoppingRules): NotFinal | undefined {
  if (r.blocks === 0 || !endsSweep(r, rules)) return undefined;
  return {
    reason: 'sweep-stopped',
    note: `sweep stopped in this shard: its chunks of the point at ${r.ebnoDb} dB counted ${r.errors} errors in ${r.blocks} blocks`,
  };
}
