/**
 * What an incomplete run is missing, curve by curve, read from the points' `status` and `reason` codes
 * (never from their notes). The report's banner says exactly this: which curves were never simulated, which
 * stopped part way and why, which points belong to other shards.
 *
 * A point that is not finished because the sweep ended early by its own rule (`sweep-stopped`: zero errors,
 * or below minBler) is not missing: the curve is complete.
 */
import type { PointReason } from '../vocabulary.ts';
import { isFinished, type ResultsFile } from '../results/results.ts';

/**
 * One curve of an incomplete run: how many of its points are finished, and the missing ones counted by reason code.
 */
export interface CurveGap {
  id: string;
  label: string;
  /** Finished points, and the points the curve has. */
  finished: number;
  total: number;
  /** Unfinished points that are missing (not `sweep-stopped`), by reason. */
  missing: Partial<Record<PointReason, number>>;
}

/** What an incomplete run is missing (empty `curves` and 0 points for a complete one); the report's banner says it. */
export interface Completeness {
  /** Curves with at least one missing point, in the results' order. */
  curves: CurveGap[];
  /** Missing points in all. */
  missingPoints: number;
}

/** Reasons that leave a point missing (everything but an early stop the sweep chose). */
const isMissing = (reason: PointReason | undefined): boolean => reason !== 'sweep-stopped';

/**
 * What each curve of `results` is missing, read from the points' `status` and `reason` codes (never their notes). A
 * point the sweep chose not to run (`sweep-stopped`: zero errors, below minBler or minBer) does not count as missing.
 */
export function completeness(results: ResultsFile): Completeness {
  const curves: CurveGap[] = [];
  let missingPoints = 0;
  for (const c of results.curves) {
    const missing: Partial<Record<PointReason, number>> = {};
    let count = 0;
    for (const p of c.points) {
      if (isFinished(p) || !isMissing(p.reason)) continue;
      // Without a reason (format 1 files are upgraded, so only a hand-made file): an interrupted point is
      // missing, a not-simulated one is taken as the sweep's own stop, as reports did before reasons existed.
      if (p.reason === undefined && p.status !== 'interrupted') continue;
      const r: PointReason = p.reason ?? 'interrupted';
      missing[r] = (missing[r] ?? 0) + 1;
      count++;
    }
    if (!count) continue;
    missingPoints += count;
    curves.push({ id: c.id, label: c.label, finished: c.points.filter(isFinished).length, total: c.points.length, missing });
  }
  return { curves, missingPoints };
}
