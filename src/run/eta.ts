/**
 * Time-left estimates for the progress output of `sim run` (pure arithmetic; sim/progress.ts draws them).
 *
 * A Monte Carlo point ends at `targetErrors` block errors, `targetBitErrors` bit errors (each when set) or at
 * `maxBlocks` blocks, whichever comes first. With e errors in b blocks so far, the point needs about
 * target·b/e blocks in all (the measured error rate held constant; the nearer of the two targets), capped by maxBlocks. Before its first error only the cap is known, so the estimate is an
 * upper bound.
 *
 * The rest of a curve's sweep runs at higher Eb/N0, where the BLER is lower, so each later point needs at
 * least as many blocks as this one (up to maxBlocks): that gives the low end. Every point ends by maxBlocks:
 * that gives the high end. The sweep can end sooner than either when a stopping rule ends it (a point below
 * minBler, or without errors), so the range says how long the sweep takes if it runs to its last point.
 */
import type { StoppingRules } from '../montecarlo/types.ts';

export { endsSweep } from '../montecarlo/types.ts';

/** Seconds left: between `low` and `high`; `low` undefined: no lower estimate yet (only "at most high"). */
export interface Eta {
  low?: number;
  high: number;
}

type Rules = Pick<StoppingRules, 'targetErrors' | 'maxBlocks' | 'minBler'> & Partial<Pick<StoppingRules, 'targetBitErrors'>>;

/** Blocks the running point still needs: `estimate` from the error rate (undefined before an error), `max` the cap. */
export function pointBlocksLeft(blocks: number, errors: number, rules: Rules, bitErrors = 0): { estimate?: number; max: number } {
  const max = Math.max(0, rules.maxBlocks - blocks);
  const targets = [
    [rules.targetErrors, errors],
    [rules.targetBitErrors ?? 0, bitErrors],
  ].filter(([t]) => t > 0);
  if (!targets.length) return { estimate: max, max };
  if (targets.some(([t, e]) => e >= t)) return { estimate: 0, max: 0 };
  const totals = targets.filter(([, e]) => e > 0).map(([t, e]) => (t * blocks) / e);
  if (!totals.length) return { max };
  const total = Math.min(...totals);
  return { estimate: Math.min(max, Math.max(0, total - blocks)), max };
}

/** Time left of the running point at `blocksPerSecond`; undefined while the rate is unknown. */
export function pointEta(blocks: number, errors: number, rules: Rules, blocksPerSecond: number, bitErrors = 0): Eta | undefined {
  if (!(blocksPerSecond > 0)) return undefined;
  const left = pointBlocksLeft(blocks, errors, rules, bitErrors);
  return { low: left.estimate === undefined ? undefined : left.estimate / blocksPerSecond, high: (left.estimate ?? left.max) / blocksPerSecond };
}

/**
 * Time left of a curve's sweep: the running point (blocks, errors so far), then `pointsAfter` more points.
 * A point whose BLER is already below minBler is expected to end the sweep (the engine stops after it).
 */
export function sweepEta(blocks: number, errors: number, pointsAfter: number, rules: Rules, blocksPerSecond: number, bitErrors = 0): Eta | undefined {
  const point = pointEta(blocks, errors, rules, blocksPerSecond, bitErrors);
  if (!point) return undefined;
  const high = point.high + (pointsAfter * rules.maxBlocks) / blocksPerSecond;
  if (point.low === undefined) return { high };
  const endsHere = rules.minBler > 0 && errors / blocks < rules.minBler;
  const thisPointTotal = Math.min(rules.maxBlocks, blocks + point.low * blocksPerSecond);
  const low = point.low + (endsHere ? 0 : (pointsAfter * thisPointTotal) / blocksPerSecond);
  return { low, high: Math.max(low, high) };
}

/** After a finished point (`blocks` in all): the rest of the sweep, `pointsAfter` points, as above. */
export function sweepEtaAfterPoint(blocks: number, pointsAfter: number, rules: Rules, blocksPerSecond: number): Eta | undefined {
  if (!(blocksPerSecond > 0)) return undefined;
  return { low: (pointsAfter * Math.min(rules.maxBlocks, blocks)) / blocksPerSecond, high: (pointsAfter * rules.maxBlocks) / blocksPerSecond };
}

/**
 * Steps (or blocks) per second over a sliding window of recent samples, so a slow start (tfjs warming up)
 * fades out. A sample with a smaller count than the last (training restarted) starts a new window.
 */
export class RateMeter {
  private samples: { t: number; x: number }[] = [];
  constructor(private readonly windowSeconds = 10) {}

  add(seconds: number, count: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && count < last.x) this.samples = [];
    this.samples.push({ t: seconds, x: count });
    // Keep one sample older than the window, so the window always spans windowSeconds once it can.
    while (this.samples.length > 2 && this.samples[1].t <= seconds - this.windowSeconds) this.samples.shift();
  }

  /** Counts per second; undefined until two samples are apart in time and count. */
  rate(): number | undefined {
    const a = this.samples[0];
    const b = this.samples[this.samples.length - 1];
    if (!a || !b || b.t <= a.t || b.x <= a.x) return undefined;
    return (b.x - a.x) / (b.t - a.t);
  }

  reset(): void {
    this.samples = [];
  }
}

/** Seconds left to reach `total` from `done` at `rate` per second; undefined while the rate is unknown. */
export function timeLeft(done: number, total: number, rate: number | undefined): number | undefined {
  return rate && rate > 0 ? Math.max(0, total - done) / rate : undefined;
}

/** `<1s`, `45s`, `3m05s`, `1h02m`; beyond 99 hours `>99h`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds >= 99 * 3600) return '>99h';
  if (seconds < 1) return '<1s';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * An Eta in words: `<1s`, `~12s` (the two ends within 10% or 2 s), `12s–3m05s` (a range), `≤ 3m05s` (only an upper
 * bound). Equal rounded ends read as one value.
 */
export function formatEta(eta: Eta): string {
  const high = formatDuration(eta.high);
  if (eta.low === undefined) return `≤ ${high}`;
  if (eta.high < 1) return high;
  const low = formatDuration(eta.low);
  if (low === high || eta.high - eta.low <= Math.max(2, 0.1 * eta.high)) return `~${high}`;
  return `${low}–${high}`;
}
