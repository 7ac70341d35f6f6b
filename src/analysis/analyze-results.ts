/**
 * What every results file gets, whatever claims it opts into: where each curve crosses each BLER target
 * (with the crossing's interval and whether it rests on few errors), the closed forms' crossings, and the
 * gaps of the scenario's `compare` pairs with their intervals (src/analysis/gaps.ts).
 */
import { DEFAULTS } from '../defaults.ts';
import type { Curve, EbnoInterval, GapInterval, ResultsFile } from '../results/results.ts';
import { crossingInterval, ebnoAtBler, gap, gapInterval, TARGET_LABELS, type BlerTarget } from './gaps.ts';

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The dB analysis every results file gets, whatever claims the scenario opts into (annotateResults writes it into the
 * curves and `gaps`): the crossings of every curve at the BLER targets, their intervals, and the gaps of the
 * scenario's `compare` pairs.
 * Curves are keyed by curve id; all Eb/N0 values are in dB, rounded to 0.001.
 */
export interface ResultsAnalysis {
  /** Eb/N0 (dB) where each measured curve reaches each BLER target; null when not reached. */
  ebnoAtBler: Record<string, Record<BlerTarget, number | null>>;
  /** The same for closed-form curves (`analytic`), keyed by curve id. */
  analyticEbnoAtBler: Record<string, Record<BlerTarget, number | null>>;
  /** The interval of each crossing (crossingInterval) and whether it rests on few errors; null: no crossing. */
  ebnoAtBlerCi: Record<string, Record<BlerTarget, EbnoInterval | null>>;
  /**
   * The scenario's `compare` pairs at each target: a − b in dB (positive: a needs more Eb/N0), with the
   * interval [a.low − b.high, a.high − b.low] and the fewest errors of the four points it rests on.
   */
  gaps: ({ a: string; b: string; target: BlerTarget; db: number | null; reason?: string } & Partial<GapInterval>)[];
}

const roundOrNull = (x: number | null): number | null => (x === null ? null : round(x));

/** A crossing's interval as results.json keeps it; null where the measured curve does not cross. */
function ebnoInterval(c: Curve, t: BlerTarget, fewErrors: number): EbnoInterval | null {
  const i = crossingInterval(c.points, t);
  if (i.errors === null) return null;
  return { low: roundOrNull(i.low), high: roundOrNull(i.high), errors: i.errors, fewErrors: i.errors < fewErrors };
}

const targetsRecord = (f: (t: BlerTarget) => number | null): Record<BlerTarget, number | null> =>
  Object.fromEntries(TARGET_LABELS.map((t) => [t, f(t)])) as Record<BlerTarget, number | null>;

/**
 * Crossings, their intervals and the gaps of the compare pairs. A value interpolated from a point with fewer
 * than `fewErrors` block errors is marked (DEFAULTS.analysis.fewErrors). Claims are decided by these intervals
 * (PASS, FAIL or INCONCLUSIVE, src/analysis/verdict.ts), never by the point estimate alone.
 */
export function analyzeResults(results: ResultsFile, fewErrors: number = DEFAULTS.analysis.fewErrors): ResultsAnalysis {
  const ebno: ResultsAnalysis['ebnoAtBler'] = {};
  const analytic: ResultsAnalysis['analyticEbnoAtBler'] = {};
  const ci: ResultsAnalysis['ebnoAtBlerCi'] = {};
  for (const c of results.curves) {
    ci[c.id] = Object.fromEntries(TARGET_LABELS.map((t) => [t, ebnoInterval(c, t, fewErrors)])) as Record<BlerTarget, EbnoInterval | null>;
    ebno[c.id] = targetsRecord((t) => {
      const x = ebnoAtBler(c.points, t).ebnoDb;
      return x === null ? null : round(x);
    });
    const an = c.analytic;
    if (an?.length)
      analytic[c.id] = targetsRecord((t) => {
        const x = ebnoAtBler(an, t).ebnoDb;
        return x === null ? null : round(x);
      });
  }
  const gaps: ResultsAnalysis['gaps'] = [];
  for (const [a, b] of results.scenario.compare) {
    const ca = results.curves.find((c) => c.id === a);
    const cb = results.curves.find((c) => c.id === b);
    for (const t of TARGET_LABELS) {
      if (!ca || !cb) {
        gaps.push({ a, b, target: t, db: null, reason: `no curve ${!ca ? a : b}` });
        continue;
      }
      const g = gap(ca, cb, t);
      if (g.db === null) {
        gaps.push({ a, b, target: t, db: null, reason: g.reason });
        continue;
      }
      const ia = ci[a]?.[t];
      const ib = ci[b]?.[t];
      const iv = ia && ib ? gapInterval(ia, ib) : { low: null, high: null };
      const errors = Math.min(ia?.errors ?? Infinity, ib?.errors ?? Infinity);
      gaps.push({ a, b, target: t, db: round(g.db), low: roundOrNull(iv.low), high: roundOrNull(iv.high), errors, fewErrors: errors < fewErrors });
    }
  }
  return { ebnoAtBler: ebno, analyticEbnoAtBler: analytic, ebnoAtBlerCi: ci, gaps };
}
