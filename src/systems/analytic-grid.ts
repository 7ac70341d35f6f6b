/** Eb/N0 grid of a closed-form curve over the sweep range: ≤ 0.25 dB spacing, at most 241 points, both ends included. */
export function analyticGrid(ebno: number[]): number[] {
  const lo = Math.min(...ebno);
  const hi = Math.max(...ebno);
  const step = Math.max(0.25, (hi - lo) / 240);
  const grid = hi > lo ? Array.from({ length: Math.floor((hi - lo) / step + 1e-9) + 1 }, (_, i) => Math.round((lo + i * step) * 1e6) / 1e6) : [lo];
  if (grid[grid.length - 1] < hi) grid.push(hi);
  return grid;
}
