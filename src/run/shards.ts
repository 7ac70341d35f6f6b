/**
 * Sharded runs: what a shard's results file is called, and how the shard files of one run combine into one
 * results object (`sim merge`). Which chunks a shard simulates, and how they merge point by point, is the
 * Monte Carlo engine's (balanced shards, src/montecarlo/engine.ts).
 */
import { UserError } from '../errors.ts';
import { resultsMsg } from '../messages.ts';
import type { PointResult, StoppingRules } from '../montecarlo/types.ts';
import type { Curve, ResultsFile } from '../results/results.ts';
import { stableJson } from '../data/stable-json.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export const shardFileName = (s: Shard): string => `results.shard-${s.index}-of-${s.count}.json`;

/** Matches the file names shardFileName produces. */
export const SHARD_FILE_PATTERN = /^results\.shard-\d+-of-\d+\.json$/;

/** The Monte Carlo engine's point merge (passed in so this module does not load the engine). */
export type MergePoints = (parts: PointResult[][], rules: Partial<StoppingRules>, k: number) => PointResult[];

/**
 * Combines the shard files of one run (all N of them, same scenario, seed, --quick and codebooks) into one
 * results object without analysis. Throws UserError naming the file that does not fit.
 */
export function mergeShardResults(dir: string, parts: { file: string; r: ResultsFile }[], mergePoints: MergePoints): ResultsFile {
  if (!parts.length) throw new UserError(resultsMsg.noShards(dir));
  const first = parts[0];
  const count = first.r.shard?.count ?? 0;
  for (const p of parts) {
    if (stableJson(p.r.scenario) !== stableJson(first.r.scenario)) throw new UserError(resultsMsg.shardMismatch(p.file, 'scenario'));
    if (p.r.quick !== first.r.quick) throw new UserError(resultsMsg.shardMismatch(p.file, '--quick'));
    // Another version of the simulator may decide near-ties differently (e.g. 0.2.0's float32 decoders).
    if (p.r.versions.project !== first.r.versions.project) throw new UserError(resultsMsg.shardMismatch(p.file, 'simulator version'));
    // A file without a valid `shard` (e.g. a results.json renamed) has no place among them.
    const s = p.r.shard;
    if (!s || s.count !== count || !(Number.isInteger(s.index) && s.index >= 1 && s.index <= count))
      throw new UserError(resultsMsg.shardMismatch(p.file, 'shard count'));
  }
  const have = [...new Set(parts.map((p) => p.r.shard!.index))].sort((a, b) => a - b);
  if (have.length !== count) throw new UserError(resultsMsg.shardCountMismatch(dir, have, count));
  const ordered = [...parts].sort((a, b) => a.r.shard!.index - b.r.shard!.index);
  const sc = first.r.scenario;
  const curves: Curve[] = first.r.curves.map((c) => {
    const same = ordered.map((p) => p.r.curves.find((o) => o.id === c.id)!);
    if (c.codebook && same.some((o) => o.codebook && stableJson(o.codebook) !== stableJson(c.codebook)))
      throw new UserError(resultsMsg.shardCodebookMismatch(c.id));
    try {
      return {
        ...c,
        points: mergePoints(
          same.map((o) => o.points),
          sc.montecarlo,
          c.k,
        ),
      };
    } catch (e) {
      // Two shards counted different errors for one chunk: they did not measure the same system.
      throw new UserError(resultsMsg.shardChunksDisagree(dir, c.id, (e as Error).message));
    }
  });
  const merged: ResultsFile = {
    ...first.r,
    backend: [...new Set(ordered.map((p) => p.r.backend))].join(', '),
    startedAt: ordered.map((p) => p.r.startedAt).sort()[0],
    seconds: Math.max(...ordered.map((p) => p.r.seconds)),
    // A point the shards left short ('interrupted', for --resume) makes the merged run incomplete too.
    complete: ordered.every((p) => p.r.complete) && curves.every((c) => c.points.every((pt) => pt.status !== 'interrupted')),
    curves,
  };
  delete merged.shard;
  return merged;
}
