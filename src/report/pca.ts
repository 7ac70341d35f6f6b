/**
 * Constellation projection: codebooks with more than 2 real dimensions are drawn on their first two
 * principal components. The covariance matrix is small (dims ≤ a few hundred), so a cyclic Jacobi
 * eigen-solver is simple, exact to rounding and needs no dependency.
 */

/** Eigen-decomposition of a symmetric matrix (row-major, d × d): values descending, vectors as columns. */
export function symmetricEigen(a: Float64Array | number[], d: number): { values: number[]; vectors: number[][] } {
  const A = Float64Array.from(a);
  const V = new Float64Array(d * d);
  for (let i = 0; i < d; i++) V[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += A[p * d + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = A[p * d + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * d + q] - A[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          // Rotate columns p and q of A.
          const akp = A[k * d + p];
          const akq = A[k * d + q];
          A[k * d + p] = c * akp - s * akq;
          A[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          // Rotate rows p and q of A.
          const apk = A[p * d + k];
          const aqk = A[q * d + k];
          A[p * d + k] = c * apk - s * aqk;
          A[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = V[k * d + p];
          const vkq = V[k * d + q];
          V[k * d + p] = c * vkp - s * vkq;
          V[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => A[j * d + j] - A[i * d + i]);
  return {
    values: order.map((i) => A[i * d + i]),
    vectors: order.map((i) => Array.from({ length: d }, (_, k) => V[k * d + i])),
  };
}

/** A codebook projected on its two leading principal components, with the share of energy each keeps. */
export interface Projection {
  /** M points, each [x, y]. */
  points: [number, number][];
  /** Share of the total energy around the mean captured by each axis (0..1). */
  explained: [number, number];
}

/**
 * Projects M rows of `dims` values on the two leading principal components (of the centred rows). Each axis
 * is oriented so its largest-magnitude loading is positive, so the picture does not flip between runs.
 */
export function pca2(rows: number[][]): Projection {
  const M = rows.length;
  const d = rows[0]?.length ?? 0;
  if (M === 0 || d === 0) return { points: [], explained: [0, 0] };
  const mean = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / M;
  const C = new Float64Array(d * d);
  for (const r of rows)
    for (let i = 0; i < d; i++) {
      const ri = r[i] - mean[i];
      for (let j = i; j < d; j++) C[i * d + j] += (ri * (r[j] - mean[j])) / M;
    }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) C[i * d + j] = C[j * d + i];
  const { values, vectors } = symmetricEigen(C, d);
  const axes = [vectors[0], vectors[1] ?? new Array<number>(d).fill(0)].map((v) => {
    let big = 0;
    for (const x of v) if (Math.abs(x) > Math.abs(big)) big = x;
    return big < 0 ? v.map((x) => -x) : v;
  });
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0);
  const points = rows.map((r) => {
    let x = 0;
    let y = 0;
    for (let j = 0; j < d; j++) {
      const c = r[j] - mean[j];
      x += c * axes[0][j];
      y += c * axes[1][j];
    }
    return [x, y] as [number, number];
  });
  return {
    points,
    explained: total > 0 ? [Math.max(values[0], 0) / total, Math.max(values[1] ?? 0, 0) / total] : [0, 0],
  };
}
