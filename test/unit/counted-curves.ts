/**
 * Synthetic measured curves built from block counts: every point's interval is the Clopper–Pearson interval of
 * its counts, as the Monte Carlo engine writes it, so claims read them as they read a real run.
 */
import { clopperPearson } from '../../src/montecarlo/stats.ts';
import type { PointResult } from '../../src/montecarlo/types.ts';
import type { Curve } from '../../src/results/results.ts';

/** Many errors per point: a crossing's interval is about ±0.01 dB. */
export const TIGHT = 10_000;
/** Few errors per point: a crossing's interval is about −0.5 … +0.4 dB, a gap's about ±0.9 dB. */
export const LOOSE = 5;

/** A measured point with `errors` block errors at BLER `bler`, its interval from the counts. */
export function countedPoint(ebnoDb: number, bler: number, errors: number): PointResult {
  const blocks = Math.round(errors / bler);
  const ci = clopperPearson(errors, blocks);
  return { ebnoDb, bler: errors / blocks, errors, blocks, ciLow: ci.low, ciHigh: ci.high, seconds: 0, status: 'target-errors' };
}

/** A curve falling one decade per dB that reaches BLER `target` at `atDb`, every point with `errors` errors. */
export function curveAt(id: string, target: number, atDb: number, errors: number, extra: Partial<Curve> = {}): Curve {
  const points = Array.from({ length: 10 }, (_, i) => [atDb - 3 + i, target * 10 ** (3 - i)])
    .filter(([, bler]) => bler < 0.5)
    .map(([db, bler]) => countedPoint(db, bler, errors));
  return { id, label: id, type: 'uncoded', k: 4, n: 7, rate: 4 / 7, signalling: 'real', channel: { type: 'awgn' }, points, ...extra };
}
