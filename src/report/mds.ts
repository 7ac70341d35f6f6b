/**
 * A second 2-D view of codebooks with more than 2 real dimensions: metric multidimensional scaling (MDS).
 *
 * PCA keeps the two directions of largest spread and drops the rest, so codewords that differ only in the
 * dropped directions land on top of each other (a (7,4) code keeps about a third of its energy in two
 * components). Classical MDS (eigenvectors of the double-centred squared-distance matrix) gives exactly the
 * PCA picture for Euclidean points, so it adds nothing; metric MDS instead looks for the 2-D layout whose
 * pairwise distances best match the true ones in least squares (the "stress"), which spreads such codewords
 * apart. It is solved by SMACOF (de Leeuw's majorization: X ← B(X)·X / M, each step lowers the stress),
 * started from the PCA layout, so the result is deterministic (no random start, unlike t-SNE).
 */
import { pca2 } from './pca.ts';

/** Codebooks larger than this get no MDS view (each step costs M² distances). */
export const MDS_MAX_M = 512;

/**
 * A 2-D layout of a codebook by metric MDS, with its Stress-1 and that of the PCA layout it started from (both are
 * shown in the panel's subtitle).
 */
export interface MdsLayout {
  points: [number, number][];
  /** Stress-1 of the layout: √(Σ(δ − d)² / Σδ²) over pairs (0: distances exact). */
  stress: number;
  /** The same for the PCA layout it started from. */
  pcaStress: number;
}

function distances(rows: readonly (readonly number[])[]): Float64Array {
  const M = rows.length;
  const D = new Float64Array(M * M);
  for (let i = 0; i < M; i++)
    for (let j = i + 1; j < M; j++) {
      let s = 0;
      for (let t = 0; t < rows[i].length; t++) s += (rows[i][t] - rows[j][t]) ** 2;
      D[i * M + j] = D[j * M + i] = Math.sqrt(s);
    }
  return D;
}

function stress1(target: Float64Array, X: readonly (readonly number[])[]): number {
  const D = distances(X);
  let num = 0;
  let den = 0;
  for (let k = 0; k < D.length; k++) {
    num += (target[k] - D[k]) ** 2;
    den += target[k] ** 2;
  }
  return den > 0 ? Math.sqrt(num / den) : 0;
}

/** Metric MDS of the rows into 2-D (SMACOF from the PCA layout). */
export function mds2(rows: number[][], opts: { maxSteps?: number; tolerance?: number } = {}): MdsLayout {
  const M = rows.length;
  const start = pca2(rows).points;
  const target = distances(rows);
  const pcaStress = stress1(target, start);
  let X = start.map((p) => [p[0], p[1]] as [number, number]);
  let stress = pcaStress;
  const maxSteps = opts.maxSteps ?? 500;
  const tolerance = opts.tolerance ?? 1e-7;
  for (let step = 0; step < maxSteps && stress > 0; step++) {
    const D = distances(X);
    const next: [number, number][] = [];
    for (let i = 0; i < M; i++) {
      // Guttman transform, row i: (1/M) Σ_j b_ij x_j with b_ij = −δ_ij/d_ij (j ≠ i), b_ii = −Σ_j b_ij.
      let x = 0;
      let y = 0;
      let bii = 0;
      for (let j = 0; j < M; j++) {
        if (j === i) continue;
        const d = D[i * M + j];
        const b = d > 0 ? -target[i * M + j] / d : 0;
        bii -= b;
        x += b * X[j][0];
        y += b * X[j][1];
      }
      next.push([(x + bii * X[i][0]) / M, (y + bii * X[i][1]) / M]);
    }
    const s = stress1(target, next);
    X = next;
    const done = stress - s < tolerance * Math.max(stress, 1e-12);
    stress = s;
    if (done) break;
  }
  return { points: X, stress, pcaStress };
}
