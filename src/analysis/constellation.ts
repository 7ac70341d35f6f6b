/**
 * Geometry of a learned codebook, for the power-constraint claims.
 *
 * A codebook is M rows of real values, complex rows interleaved I, Q, I, Q, … (results.json's form).
 * Two-dimensional codebooks (one complex channel use, rows [I, Q]; or n = 2 real uses, rows [a, b]) get
 * their radii, the angular gaps between neighbouring points and a verdict on whether they all lie on one
 * circle. The minimum pairwise Euclidean distance works for any n.
 */

export type Codebook = readonly (readonly number[])[];

/** The codebook as 2-D points, or undefined when its rows do not have exactly 2 real dimensions. */
export function points2d(rows: Codebook): [number, number][] | undefined {
  if (rows.length === 0 || rows.some((r) => r.length !== 2)) return undefined;
  return rows.map((r) => [r[0], r[1]]);
}

/**
 * How close a 2-D codebook is to one circle with evenly spaced points (an M-PSK). Radii are in the codebook's
 * amplitude units, angles in radians.
 */
export interface CircleGeometry {
  M: number;
  radii: number[];
  minRadius: number;
  maxRadius: number;
  meanRadius: number;
  /** max / min radius (Infinity when a point sits at the origin). */
  radiusRatio: number;
  /** (max − min) / mean radius. */
  relativeRadiusSpread: number;
  /** Smallest angle (rad) between neighbouring points in angular order (0 for two points on one ray). */
  minAngularGap: number;
  /** 2π / M: the gap of an M-PSK. */
  uniformGap: number;
  /** minAngularGap / uniformGap (1 for M-PSK). */
  gapRatio: number;
  /** relativeRadiusSpread ≤ tolerance. */
  onOneCircle: boolean;
  tolerance: number;
}

/** Default tolerance of `onOneCircle` on the relative radius spread. */
export const CIRCLE_TOLERANCE = 0.05;

/**
 * The radii and angular spacing of M ≥ 2 points in the plane, and whether they lie on one circle: relative radius
 * spread (max − min)/mean at most `tolerance`. Throws a RangeError for fewer than 2 points.
 */
export function circleGeometry(points: readonly (readonly [number, number])[], tolerance = CIRCLE_TOLERANCE): CircleGeometry {
  const M = points.length;
  if (M < 2) throw new RangeError('circleGeometry needs at least 2 points');
  const radii = points.map(([x, y]) => Math.hypot(x, y));
  const minRadius = Math.min(...radii);
  const maxRadius = Math.max(...radii);
  const meanRadius = radii.reduce((s, r) => s + r, 0) / M;
  const angles = points.map(([x, y]) => Math.atan2(y, x)).sort((a, b) => a - b);
  let minGap = angles[0] + 2 * Math.PI - angles[M - 1]; // wrap-around gap
  for (let i = 1; i < M; i++) minGap = Math.min(minGap, angles[i] - angles[i - 1]);
  const relativeRadiusSpread = meanRadius > 0 ? (maxRadius - minRadius) / meanRadius : 0;
  const uniformGap = (2 * Math.PI) / M;
  return {
    M,
    radii,
    minRadius,
    maxRadius,
    meanRadius,
    radiusRatio: minRadius > 0 ? maxRadius / minRadius : Infinity,
    relativeRadiusSpread,
    minAngularGap: minGap,
    uniformGap,
    gapRatio: minGap / uniformGap,
    onOneCircle: relativeRadiusSpread <= tolerance,
    tolerance,
  };
}

/** Smallest Euclidean distance between two codewords (any n), with the pair. */
export function minDistance(rows: Codebook): { distance: number; squared: number; pair: [number, number] } {
  if (rows.length < 2) throw new RangeError('minDistance needs at least 2 codewords');
  let best = Infinity;
  let pair: [number, number] = [0, 1];
  for (let i = 0; i < rows.length; i++)
    for (let j = i + 1; j < rows.length; j++) {
      let d = 0;
      const a = rows[i];
      const b = rows[j];
      for (let t = 0; t < a.length; t++) d += (a[t] - b[t]) ** 2;
      if (d < best) {
        best = d;
        pair = [i, j];
      }
    }
  return { distance: Math.sqrt(best), squared: best, pair };
}
