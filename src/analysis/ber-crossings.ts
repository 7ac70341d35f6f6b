/**
 * Eb/N0 at the BER targets (1e-3 … 1e-6, src/vocabulary.ts) of a curve, read exactly like the BLER crossings
 * (src/analysis/gaps.ts: log-linear interpolation, last downward crossing, points with a final status and at
 * least one error) but on the points' BER and its interval. The interval's `errors` are bit errors, and a
 * value resting on fewer than `fewErrors` of them is marked like a BLER one.
 */
import { DEFAULTS } from '../defaults.ts';
import type { PointResult } from '../montecarlo/types.ts';
import type { Curve, EbnoInterval } from '../results/results.ts';
import { BER_TARGETS, type BerTarget } from '../vocabulary.ts';
import { crossingInterval, ebnoAtBler, type MeasuredPoint } from './gaps.ts';

const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 1000);

/** The BER of a point as a point of the crossing code (undefined: the point has no bit counts, an old file). */
function berPoint(p: PointResult): MeasuredPoint | undefined {
  if (p.ber === undefined || p.bitErrors === undefined || p.berCiLow === undefined || p.berCiHigh === undefined) return undefined;
  return { ebnoDb: p.ebnoDb, bler: p.ber, status: p.status, errors: p.bitErrors, ciLow: p.berCiLow, ciHigh: p.berCiHigh };
}

const record = <T>(f: (t: BerTarget) => T): Record<BerTarget, T> => Object.fromEntries(BER_TARGETS.map((t) => [t, f(t)])) as Record<BerTarget, T>;

/**
 * Eb/N0 (dB) at which one curve reaches each BER target (1e-3 … 1e-6), as results.json keeps it on the curve. Each
 * field is left out when the curve has nothing to read it from: `ebnoAtBer` and `ebnoAtBerCi` need measured bit
 * counts (files written before BER was counted have none), `analyticEbnoAtBer` a closed-form BER. A target the curve
 * does not reach within the sweep is null; `ebnoAtBerCi` counts bit errors.
 */
export interface BerCrossings {
  ebnoAtBer?: Record<BerTarget, number | null>;
  ebnoAtBerCi?: Record<BerTarget, EbnoInterval | null>;
  analyticEbnoAtBer?: Record<BerTarget, number | null>;
}

/** The BER crossings of one curve (fields left out where the curve has no BER points or no closed form). */
export function berCrossings(c: Curve, fewErrors: number = DEFAULTS.analysis.fewErrors): BerCrossings {
  const out: BerCrossings = {};
  const pts = c.points.map(berPoint).filter((p): p is MeasuredPoint => p !== undefined);
  if (pts.length) {
    out.ebnoAtBer = record((t) => round(ebnoAtBler(pts, Number(t)).ebnoDb));
    out.ebnoAtBerCi = record((t) => {
      const i = crossingInterval(pts, Number(t));
      return i.errors === null ? null : { low: round(i.low), high: round(i.high), errors: i.errors, fewErrors: i.errors < fewErrors };
    });
  }
  if (c.analyticBer?.length) {
    const an = c.analyticBer.map((a) => ({ ebnoDb: a.ebnoDb, bler: a.ber }));
    out.analyticEbnoAtBer = record((t) => round(ebnoAtBler(an, Number(t)).ebnoDb));
  }
  return out;
}
