/**
 * A 2-D view of codewords with more than 2 real dimensions: the projection on the two leading principal
 * axes (power iteration with deflation on the dims × dims covariance; M ≤ 256 and dims ≤ 32 here, so plain
 * loops suffice). The sign of each axis is fixed (largest entry positive) so the picture does not flip
 * between snapshots.
 */
export function pca2(codebook: Float32Array, M: number, dims: number): { x: number[]; y: number[] } {
  const mean = new Float64Array(dims);
  for (let m = 0; m < M; m++) for (let j = 0; j < dims; j++) mean[j] += codebook[m * dims + j] / M;
  const cov = new Float64Array(dims * dims);
  for (let m = 0; m < M; m++)
    for (let a = 0; a < dims; a++)
      for (let b = 0; b < dims; b++) cov[a * dims + b] += ((codebook[m * dims + a] - mean[a]) * (codebook[m * dims + b] - mean[b])) / M;
  const axes: Float64Array[] = [];
  for (let c = 0; c < 2; c++) {
    let v = new Float64Array(dims).map((_, i) => 1 + i * 0.01);
    for (let it = 0; it < 200; it++) {
      const w = new Float64Array(dims);
      for (let a = 0; a < dims; a++) for (let b = 0; b < dims; b++) w[a] += cov[a * dims + b] * v[b];
      for (const u of axes) {
        const d = w.reduce((s, x, i) => s + x * u[i], 0);
        for (let i = 0; i < dims; i++) w[i] -= d * u[i];
      }
      const norm = Math.hypot(...w) || 1;
      v = w.map((x) => x / norm);
    }
    let big = 0;
    for (let i = 0; i < dims; i++) if (Math.abs(v[i]) > Math.abs(v[big])) big = i;
    if (v[big] < 0) v = v.map((x) => -x);
    axes.push(v);
  }
  const proj = (m: number, u: Float64Array) => u.reduce((s, x, j) => s + x * (codebook[m * dims + j] - mean[j]), 0);
  return { x: Array.from({ length: M }, (_, m) => proj(m, axes[0])), y: Array.from({ length: M }, (_, m) => proj(m, axes[1])) };
}
