/** Public types of the Monte Carlo engine (the engine itself: src/montecarlo/engine.ts). */
import { DEFAULTS } from '../defaults.ts';
import type { SeedPart } from '../random.ts';
import type { McMethod, PointReason, PointStatus } from '../vocabulary.ts';
import type { ImportanceSettings, IsPointFields } from './importance.ts';
import type { BerFields } from './ber.ts';

export { isFinalStatus, type PointReason, type PointStatus } from '../vocabulary.ts';

/**
 * When a Monte Carlo point stops, and when a curve's sweep stops; runSweep fills what `SweepOptions.rules` leaves out
 * from DEFAULT_RULES and checks the values (resolveRules).
 */
export interface StoppingRules {
  /** A point stops once it has counted this many block errors (default 100; 0 = no block-error target). */
  targetErrors: number;
  /** ... or this many bit errors (default 0 = off). */
  targetBitErrors: number;
  /** ... or simulated this many blocks (default 1e7). */
  maxBlocks: number;
  /** The sweep stops after a point whose measured BLER is below this (default 0 = off). */
  minBler: number;
  /** The sweep stops after a point whose measured BER is below this (default 0 = off). */
  minBer: number;
  /** The sweep stops after a point that counted zero errors (default true). */
  stopOnZeroErrors: boolean;
}

/**
 * The stopping rules of a sweep that gives none (DEFAULTS.montecarlo): 100 block errors or 1e7 blocks per point, the
 * sweep ending after a point with zero errors.
 */
export const DEFAULT_RULES: StoppingRules = { ...DEFAULTS.montecarlo };

/**
 * One Eb/N0 point. The bit fields (`bitErrors`, `bitErrorsSq`, `ber`, `berCiLow`, `berCiHigh`; src/montecarlo/ber.ts)
 * are written for every point the engine measures; results.json files from before they existed lack them.
 */
export interface PointResult extends Partial<BerFields> {
  ebnoDb: number;
  blocks: number;
  errors: number;
  bler: number;
  /** 95% Clopper-Pearson interval of the BLER. */
  ciLow: number;
  ciHigh: number;
  seconds: number;
  /**
   * How the point ended: it reached its error target, hit its block budget, was not simulated, or was
   * interrupted before finishing.
   */
  status: PointStatus;
  /** For points without a final status: why, as a code (see POINT_REASONS in src/vocabulary.ts). */
  reason?: PointReason;
  /** Human-readable detail for the report (never parsed). */
  note?: string;
  /**
   * Only on points without a final status: the counts of chunk j for every chunk computed so far, null
   * where it was not (a balanced shard's part of the point, a point interrupted, or one the shards left
   * short). `sim merge` puts the parts side by side and --resume continues from them (src/montecarlo/chunks.ts).
   */
  chunks?: ({ errors: number; bitErrors: number; bitErrorsSq: number } | null)[];
  /**
   * Importance-sampled points only: `blocks` are samples, `errors` the wrongly decoded ones among them
   * (unweighted), bler/ber the weighted estimates with 95% CLT intervals, and `importance` the sums and
   * diagnostics (src/montecarlo/importance.ts).
   */
  method?: 'importance';
  importance?: IsPointFields;
}

/**
 * A progress report after each accepted chunk of a point: the running totals of that point (blocks, block and bit
 * errors) and its throughput in blocks per second over the time spent on it (earlier runs included).
 */
export interface ChunkProgress {
  systemId: string;
  pointIndex: number;
  ebnoDb: number;
  /** Running totals of the point, over the chunks accepted so far. */
  blocks: number;
  errors: number;
  bitErrors: number;
  blocksPerSecond: number;
}

/**
 * What runSweep measures and how: the Eb/N0 points (dB), the stopping rules, the seed every random stream derives
 * from, and optionally a subset of points, a shard, resume, progress callbacks, an abort signal, common random
 * numbers (`streamId`), the chunk schedule and importance sampling. For a given system the counts depend on these
 * options only, never on whether the chunks run inline or on a pool of any size.
 */
export interface SweepOptions {
  ebnoDb: number[];
  rules?: Partial<StoppingRules>;
  seed: SeedPart;
  /** Only these point indices are simulated; others come back 'not-simulated' with a note. */
  pointIndices?: number[];
  /**
   * A balanced shard (1-based index of count): of every point it computes chunks j ≡ index − 1 (mod count)
   * up to its plan (src/montecarlo/chunks.ts shardPlanDone) and returns them as `chunks` of a
   * 'not-simulated' point with reason 'shard-part'; mergeShards turns the parts into the unsharded points.
   */
  shard?: { index: number; count: number };
  /** Standard deviations of margin in a balanced shard's plan (default DEFAULTS.shards.planSigmas). */
  planSigmas?: number;
  /** Called after each chunk a point accepts, for progress display. */
  onChunk?: (p: ChunkProgress) => void;
  /** Called once per point simulated in this run, when it ends (final or 'interrupted'): save partial results here. */
  onPoint?: (result: PointResult, pointIndex: number) => void;
  /** Finished points so far (for --resume): points with a final status are kept as they are. */
  resumeFrom?: PointResult[];
  /** Stops the sweep promptly: finished points are kept, the running one comes back 'interrupted'. */
  signal?: AbortSignal;
  /**
   * The label that keys the random streams instead of the system id (default: system.id). Give two
   * systems with the same codebook and channel the same streamId to run them on identical messages and
   * noise (common random numbers), e.g. a learned decoder against `mlDecoderFor` of it.
   */
  streamId?: string;
  /** Chunk schedule (part of the reproducibility contract): chunk j has min(base·2^j, max) blocks. */
  chunks?: Partial<ChunkSchedule>;
  /** plain (default) or importance (src/montecarlo/importance-sweep.ts). */
  method?: McMethod;
  /** Settings of importance sampling (defaults: DEFAULTS.importance). */
  importance?: Partial<ImportanceSettings>;
}

/**
 * The sizes of a point's chunks: chunk j has min(base·2^j, max) blocks. Part of the reproducibility contract (each
 * chunk has its own random stream), so changing it changes the counts.
 */
export interface ChunkSchedule {
  /** Blocks in chunk 0 (default 512). */
  base: number;
  /** Largest chunk (default 65536). */
  max: number;
}

/** The chunk schedule of a sweep that gives none (DEFAULTS.chunks): 512 blocks doubling up to 65536. */
export const DEFAULT_CHUNKS: ChunkSchedule = { ...DEFAULTS.chunks };

/** The sweep rule: a finished point with these counts ends its curve's sweep (zero errors, below minBler, or below minBer). */
export function endsSweep(
  r: { errors: number; bler: number; ber?: number },
  rules: Pick<StoppingRules, 'minBler' | 'stopOnZeroErrors'> & Partial<Pick<StoppingRules, 'minBer'>>,
): boolean {
  const minBer = rules.minBer ?? 0;
  return (rules.stopOnZeroErrors && r.errors === 0) || (rules.minBler > 0 && r.bler < rules.minBler) || (minBer > 0 && r.ber !== undefined && r.ber < minBer);
}
