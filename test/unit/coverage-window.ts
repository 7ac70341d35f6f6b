/**
 * The two-sided acceptance window of a coverage test: R independent intervals of nominal level c cover the truth
 * K ~ Binomial(R, c) times. The window [low, high] holds K with probability ≥ 1 − α under the nominal level
 * (each tail ≤ α/2), so a test that asserts low ≤ K ≤ high fails with probability ≤ α for a correct interval,
 * and fails for an interval that is too narrow (K below) or too wide (K above: coverage far above nominal).
 */
import { lgamma } from '../../src/montecarlo/stats.ts';

export function coverageWindow(R: number, nominal: number, alpha: number): { low: number; high: number } {
  const pmf = (k: number) => Math.exp(lgamma(R + 1) - lgamma(k + 1) - lgamma(R - k + 1) + k * Math.log(nominal) + (R - k) * Math.log1p(-nominal));
  let low = 0;
  for (let tail = 0; low <= R && tail + pmf(low) <= alpha / 2; low++) tail += pmf(low);
  let high = R;
  for (let tail = 0; high >= 0 && tail + pmf(high) <= alpha / 2; high--) tail += pmf(high);
  return { low, high };
}
