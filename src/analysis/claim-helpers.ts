/**
 * What the claim checks of claims.ts share: finding a system's measured curve by what the scenario says it is,
 * the row of a claim whose curves are missing, a gap claim decided by its interval, and the notes on a learned
 * codebook (d²min, restarts).
 */
import type { Claim, Curve, ResultsFile } from '../results/results.ts';
import type { CompiledSystem } from '../scenario/compile.ts';
import { minDistance } from './constellation.ts';
import { energyNormalized } from './geometry.ts';
import { DEFAULTS } from '../defaults.ts';
import { dbSignedText, dbText } from '../data/db-text.ts';
import { gap, type BlerTarget, type Crossing } from './gaps.ts';
import { claimCrossingInterval, claimGapInterval, verdictOf, type Bound } from './verdict.ts';

export const fmtDb = (x: number): string => `${dbSignedText(x)} dB`;
export const crossingText = (c: Crossing): string => (c.ebnoDb === null ? c.reason : `${dbText(c.ebnoDb)} dB`);

export type Pred = (s: CompiledSystem) => boolean;

/** The measured curve of the first system matching `pred` (and the system). */
export function findCurve(r: ResultsFile, pred: Pred): { curve: Curve; system: CompiledSystem } | undefined {
  for (const s of r.scenario.systems) {
    if (!pred(s)) continue;
    const curve = r.curves.find((c) => c.id === s.id && !c.mlOf);
    if (curve) return { curve, system: s };
  }
  return undefined;
}

export function findCurves(r: ResultsFile, pred: Pred): { curve: Curve; system: CompiledSystem }[] {
  return r.scenario.systems.flatMap((s) => {
    const curve = pred(s) ? r.curves.find((c) => c.id === s.id && !c.mlOf) : undefined;
    return curve ? [{ curve, system: s }] : [];
  });
}

export const ae =
  (k: number, n: number, signalling: 'real' | 'complex', normalization?: string): Pred =>
  (s) =>
    s.type === 'autoencoder' && s.k === k && s.n === n && s.signalling === signalling && (normalization === undefined || s.normalization === normalization);
/** The row of a claim whose curves are not in the results: it FAILs (the scenario lacks what it needs). */
export function missing(scenario: string, id: string, claim: string, bound: string, what: string): Claim {
  return { id, scenario, claim, measured: null, unit: '', measuredText: `not measured: ${what}`, bound, verdict: 'FAIL' };
}

export const roundIv = (iv: { low: number | null; high: number | null }) => ({
  low: iv.low === null ? null : round(iv.low),
  high: iv.high === null ? null : round(iv.high),
});

/**
 * A gap claim: the figure is gap(a, b) = a − b at the target, its interval comes from both curves' point
 * intervals (claimGapInterval), and the verdict is verdictOf(interval, range); a null range: reported only.
 * A crossing missing from the sweep leaves the figure unmeasured but the interval may still decide.
 */
export function gapClaim(
  scenario: string,
  id: string,
  claim: string,
  a: Curve,
  b: Curve,
  target: BlerTarget,
  bound: string,
  range: Bound | null,
  note?: string,
): Claim {
  const g = gap(a, b, target);
  const iv = roundIv(claimGapInterval(a.points, b.points, target));
  const verdict: Claim['verdict'] = range ? verdictOf(iv, range) : 'reported';
  const base = { id, scenario, claim, unit: 'dB' as const, bound, interval: iv, verdict, ...(note ? { note } : {}) };
  if (g.db === null) return { ...base, measured: null, measuredText: `not measured (${g.reason})` };
  const where = `${a.id} ${crossingText(g.a)}, ${b.id} ${crossingText(g.b)}`;
  const ia = claimCrossingInterval(a.points, target);
  const ib = claimCrossingInterval(b.points, target);
  const errors = Math.min(ia.errors ?? Infinity, ib.errors ?? Infinity);
  const few =
    errors < DEFAULTS.analysis.fewErrors ? `; rests on a point with ${errors} error${errors === 1 ? '' : 's'} (< ${DEFAULTS.analysis.fewErrors})` : '';
  return { ...base, measured: round(g.db), measuredText: `${where}${few}` };
}

export const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Squared minimum distance of a real (or flattened complex) codebook, scaled to energy n per codeword on average (as geometry.ts). */
export function dminNote(c: Curve): string | undefined {
  if (!c.codebook || c.codebook.length < 2) return undefined;
  const d = minDistance(energyNormalized(c.codebook, c.n));
  return `d²min ${d.squared.toFixed(2)}`;
}

/** d²min of a learned codebook (energy-normalized, as the report's geometry table) against that of BPSK with the same n (4 per codeword pair), flagging coincident codewords. */
export function codebookNote(c: Curve, bpskD2: number): string | undefined {
  if (!c.codebook || c.codebook.length < 2) return undefined;
  const d = minDistance(energyNormalized(c.codebook, c.n));
  const collapsed = d.squared < 1e-6 ? ` — codewords ${d.pair[0]} and ${d.pair[1]} coincide (collapsed codebook)` : '';
  return `d²min ${d.squared.toFixed(2)} (uncoded BPSK ${bpskD2.toFixed(2)})${collapsed}; ${restartNote(c)}`;
}

export function restartNote(c: Curve): string {
  const t = c.training;
  if (!t) return 'no training record';
  const r = `${t.restarts} restart${t.restarts === 1 ? '' : 's'}`;
  return t.restarts ? `${r}: ${t.restartReasons.join('; ')}` : r;
}
