/**
 * How a claim is decided: by the interval of its figure, never by the point estimate alone. A bound is a
 * range [min, max] the figure must lie in (one end may be missing); the verdict is PASS when the whole interval
 * lies in it, FAIL when none of it does, INCONCLUSIVE when the interval straddles an end of it. An open end of
 * the interval (null) reaches to ±∞, so an interval the data leave open can never PASS or FAIL on that side.
 *
 * The interval of a crossing Eb/N0 comes from the points' 95% Clopper–Pearson intervals (crossingInterval of
 * gaps.ts); here it is also closed on one side where the data allow it, so a curve that never reaches the
 * target within the sweep still bounds the crossing: beyond the last Eb/N0 whose interval lies wholly above
 * the target, below the first Eb/N0 whose interval lies wholly below it.
 */
import type { ClaimVerdict } from '../vocabulary.ts';
import { crossingInterval, gapInterval, targetValue, type BlerTarget, type CrossingInterval, type MeasuredPoint } from './gaps.ts';
import { isFinalStatus } from '../vocabulary.ts';
import { dbSignedText } from '../data/db-text.ts';

/** A judged claim's verdict: PASS, FAIL or INCONCLUSIVE (a reported row has none). */
export type Verdict = Exclude<ClaimVerdict, 'reported'>;

/** An interval of a figure: null ends are open (−∞ below, +∞ above). */
export interface Interval {
  low: number | null;
  high: number | null;
}

/** The range a figure must lie in: min ≤ x ≤ max (a missing end is unbounded). */
export interface Bound {
  min?: number;
  max?: number;
}

/** PASS: [low, high] ⊆ [min, max]; FAIL: the two do not meet; INCONCLUSIVE otherwise. */
export function verdictOf(iv: Interval, bound: Bound): Verdict {
  const low = iv.low ?? -Infinity;
  const high = iv.high ?? Infinity;
  // Pointwise intervals joined up can, on a very non-monotone curve, cross in the wrong order: no decision then.
  if (low > high) return 'INCONCLUSIVE';
  const min = bound.min ?? -Infinity;
  const max = bound.max ?? Infinity;
  if (high < min || low > max) return 'FAIL';
  if (low >= min && high <= max) return 'PASS';
  return 'INCONCLUSIVE';
}

/** Several conditions that must all hold: FAIL if one fails, PASS if every one passes, else INCONCLUSIVE. */
export function allOf(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('FAIL')) return 'FAIL';
  return verdicts.every((v) => v === 'PASS') ? 'PASS' : 'INCONCLUSIVE';
}

/**
 * crossingInterval, closed on one side where a bound curve does not cross within the sweep: when every
 * interval's lower end stays above the target up to the last measured point, the crossing lies beyond that
 * point (low = its Eb/N0); when every upper end is already below the target at the first point, the crossing
 * lies before it (high = its Eb/N0).
 */
export function claimCrossingInterval(points: readonly MeasuredPoint[], target: BlerTarget | number): CrossingInterval {
  const iv = crossingInterval(points, target);
  const t = targetValue(target);
  const final = points.filter((p) => (p.status === undefined || isFinalStatus(p.status)) && Number.isFinite(p.ebnoDb)).sort((a, b) => a.ebnoDb - b.ebnoDb);
  let { low, high } = iv;
  const lows = final.filter((p) => p.ciLow > 0);
  if (low === null && lows.length && lows.every((p) => p.ciLow > t)) low = lows[lows.length - 1].ebnoDb;
  if (high === null && final.length && final.every((p) => p.ciHigh <= t)) high = final[0].ebnoDb;
  return { ...iv, low, high };
}

/** The interval of a gap A − B at a target from both curves' points (claimCrossingInterval of each). */
export function claimGapInterval(a: readonly MeasuredPoint[], b: readonly MeasuredPoint[], target: BlerTarget | number): Interval {
  return gapInterval(claimCrossingInterval(a, target), claimCrossingInterval(b, target));
}

/** A figure as the findings show it: signed dB with two decimals, a ratio with three. */
export function figureText(measured: number | null, unit: 'dB' | 'ratio' | ''): string {
  if (measured === null) return '—';
  if (unit === 'dB') return `${dbSignedText(measured)} dB`;
  return unit === 'ratio' ? measured.toFixed(3) : String(measured);
}

/** An interval as the findings show it: "[+0.02, +0.36] dB", "…" for an open end; "exact" for a figure without one. */
export function intervalText(interval: Interval | undefined, measured: number | null, unit: 'dB' | 'ratio' | ''): string {
  if (!interval) return measured === null ? '—' : 'exact';
  const end = (x: number | null) => (x === null ? '…' : unit === 'dB' ? dbSignedText(x) : x.toFixed(3));
  return `[${end(interval.low)}, ${end(interval.high)}]${unit === 'dB' ? ' dB' : ''}`;
}
