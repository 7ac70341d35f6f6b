/**
 * Where a BLER curve crosses a target, and the Eb/N0 gap between two curves at that target.
 *
 * A crossing is interpolated linearly in log10(BLER) against Eb/N0 (dB) between two consecutive usable
 * points. Measured points are usable only when they carry a measurement: status `target-errors` or
 * `max-blocks` and at least one error (a zero-error point only bounds the BLER from above). Closed-form
 * points (no status) are usable when their BLER is finite and > 0.
 *
 * Monte Carlo noise can make a measured curve non-monotone near the target (… 1.1e-3, 0.9e-3, 1.05e-3,
 * 0.7e-3 …). The crossing used is then the *last* downward crossing: between the last usable point above
 * the target and the point after it, i.e. the Eb/N0 from which the measured curve stays at or below the
 * target. The result says when that happened (`nonMonotone`).
 */
import type { PointStatus } from '../montecarlo/types.ts';
import { BLER_TARGETS, isFinalStatus, type BlerTarget } from '../vocabulary.ts';

export type { BlerTarget } from '../vocabulary.ts';
/** The BLER targets the analysis reads curves at (src/vocabulary.ts). */
export const TARGET_LABELS: readonly BlerTarget[] = BLER_TARGETS;

/** A measured point (PointResult) or a closed-form point ({ ebnoDb, bler }). */
export interface CurvePoint {
  ebnoDb: number;
  bler: number;
  status?: PointStatus;
  errors?: number;
}

/**
 * Where a curve reaches a BLER target: the interpolated Eb/N0 (dB) with the points it rests on, or `ebnoDb: null`
 * with the reason in words (no usable point, the curve starts below the target, the sweep stops above it).
 */
export type Crossing =
  | {
      ebnoDb: number;
      /** The two usable points the value was interpolated between (equal for an exact hit). */
      between: [number, number];
      exact: boolean;
      /** The curve went back above the target after first going below it. */
      nonMonotone: boolean;
    }
  | { ebnoDb: null; reason: string };

/** A BLER target as a number: a label such as '1e-4' is parsed, a number is returned as is. */
export const targetValue = (t: BlerTarget | number): number => (typeof t === 'number' ? t : Number(t));

/** Points that count for interpolation, sorted by Eb/N0. */
export function usablePoints(points: readonly CurvePoint[]): CurvePoint[] {
  return points
    .filter((p) => {
      if (!Number.isFinite(p.ebnoDb) || !Number.isFinite(p.bler) || p.bler <= 0) return false;
      if (p.status !== undefined && !isFinalStatus(p.status)) return false;
      if (p.errors !== undefined && !(p.errors > 0)) return false;
      return true;
    })
    .sort((a, b) => a.ebnoDb - b.ebnoDb);
}

const fmtBler = (x: number): string => x.toExponential(2);

/** The Eb/N0 (dB) at which the curve reaches BLER `target`, or null with the reason. */
export function ebnoAtBler(points: readonly CurvePoint[], target: BlerTarget | number): Crossing {
  const t = targetValue(target);
  if (!(t > 0 && t < 1)) throw new RangeError(`BLER target must be in (0, 1), got ${t}`);
  const pts = usablePoints(points);
  if (pts.length === 0) return { ebnoDb: null, reason: 'no measured point with errors > 0' };
  let lastAbove = -1;
  for (let i = 0; i < pts.length; i++) if (pts[i].bler > t) lastAbove = i;
  if (lastAbove === -1)
    return { ebnoDb: null, reason: `curve starts below the target: BLER ${fmtBler(pts[0].bler)} at ${pts[0].ebnoDb} dB, the lowest Eb/N0 measured` };
  if (lastAbove === pts.length - 1) {
    const last = pts[pts.length - 1];
    return { ebnoDb: null, reason: `not reached: the sweep stops above the target (last BLER ${fmtBler(last.bler)} at ${last.ebnoDb} dB)` };
  }
  const a = pts[lastAbove];
  const b = pts[lastAbove + 1];
  const nonMonotone = pts.slice(0, lastAbove).some((p) => p.bler <= t);
  if (b.bler === t) return { ebnoDb: b.ebnoDb, between: [b.ebnoDb, b.ebnoDb], exact: true, nonMonotone };
  const la = Math.log10(a.bler);
  const lb = Math.log10(b.bler);
  const frac = (la - Math.log10(t)) / (la - lb);
  return { ebnoDb: a.ebnoDb + frac * (b.ebnoDb - a.ebnoDb), between: [a.ebnoDb, b.ebnoDb], exact: false, nonMonotone };
}

/** Anything a crossing can be read from: a list of points, or a curve (its measured points). */
export type CurveSource = readonly CurvePoint[] | { points: readonly CurvePoint[] };
const pointsOf = (c: CurveSource): readonly CurvePoint[] =>
  'points' in c && !Array.isArray(c) ? (c as { points: readonly CurvePoint[] }).points : (c as readonly CurvePoint[]);

/**
 * The Eb/N0 gap A − B between two curves at one BLER target, with both crossings; `reason` says which crossing is
 * missing when `db` is null.
 */
export interface Gap {
  /** A minus B in dB (positive: A needs more Eb/N0), or null when either crossing is missing. */
  db: number | null;
  a: Crossing;
  b: Crossing;
  reason?: string;
}

/** Eb/N0 gap A − B (dB) at a BLER target. Pass a curve's `analytic` list for its closed form. */
export function gap(curveA: CurveSource, curveB: CurveSource, target: BlerTarget | number): Gap {
  const a = ebnoAtBler(pointsOf(curveA), target);
  const b = ebnoAtBler(pointsOf(curveB), target);
  if (a.ebnoDb === null || b.ebnoDb === null) {
    const reasons = [a.ebnoDb === null ? `A: ${a.reason}` : '', b.ebnoDb === null ? `B: ${b.reason}` : ''].filter(Boolean);
    return { db: null, a, b, reason: reasons.join('; ') };
  }
  return { db: a.ebnoDb - b.ebnoDb, a, b };
}

/**
 * The uncertainty of a crossing, from the points' 95% Clopper–Pearson intervals: the curve of the interval's
 * upper ends (BLER at most this, pointwise) reaches the target at the highest Eb/N0 the data allow, the curve
 * of the lower ends at the lowest. Both are read exactly like the measured curve (log-linear interpolation,
 * last downward crossing). The upper-end curve also uses zero-error points (their upper bound is a
 * measurement of sorts), the lower-end curve cannot (its lower end is 0).
 *
 * These are pointwise intervals joined by interpolation, not a simultaneous 95% band: read [low, high] as
 * "what the points' own uncertainty allows", a conservative spread rather than an exact confidence level.
 */
export interface CrossingInterval {
  /** Crossing of the lower-bound curve (null: it does not cross within the sweep). */
  low: number | null;
  /** Crossing of the upper-bound curve (null: it does not cross within the sweep, the value is open upwards). */
  high: number | null;
  /** Fewest errors of the points the value was interpolated between (null: no crossing). */
  errors: number | null;
}

/** Points as they carry their interval (measured points; closed forms have none). */
export interface MeasuredPoint extends CurvePoint {
  ciLow: number;
  ciHigh: number;
  errors: number;
}

/**
 * The interval of a curve's crossing at `target` from its points' Clopper–Pearson bounds (see CrossingInterval), with
 * the fewest errors of the two points the crossing was interpolated between. Throws a RangeError when the target is
 * not in (0, 1).
 */
export function crossingInterval(points: readonly MeasuredPoint[], target: BlerTarget | number): CrossingInterval {
  const final = points.filter((p) => p.status === undefined || isFinalStatus(p.status));
  const bound = (which: 'ciLow' | 'ciHigh') =>
    ebnoAtBler(
      final.map((p) => ({ ebnoDb: p.ebnoDb, bler: p[which] })),
      target,
    ).ebnoDb;
  const c = ebnoAtBler(points, target);
  let errors: number | null = null;
  if (c.ebnoDb !== null) {
    const at = points.filter((p) => p.ebnoDb === c.between[0] || p.ebnoDb === c.between[1]).filter((p) => p.errors > 0);
    errors = Math.min(...at.map((p) => p.errors));
  }
  return { low: bound('ciLow'), high: bound('ciHigh'), errors };
}

/** The interval of a gap A − B from the intervals of its crossings: [A.low − B.high, A.high − B.low]. */
export function gapInterval(a: CrossingInterval, b: CrossingInterval): { low: number | null; high: number | null } {
  return {
    low: a.low === null || b.high === null ? null : a.low - b.high,
    high: a.high === null || b.low === null ? null : a.high - b.low,
  };
}
