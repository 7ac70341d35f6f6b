/**
 * Independent bounds on the block error rate of maximum-likelihood (nearest-codeword) decoding of a code over
 * AWGN, from its codebook alone. With A_ij the event that the noise carries codeword i past the bisector of
 * i and j (P(A_ij) = Q(d_ij / 2σ)), the error given i is P(∪_j A_ij), and
 *
 *   upper (union bound):        Σ_j P(A_ij)
 *   lower (Bonferroni, 2 terms): Σ_j P(A_ij) − Σ_{j<k} P(A_ij ∩ A_ik)
 *
 * averaged over the M equiprobable codewords. A_ij ∩ A_ik is a quadrant of two standard normals with
 * correlation ⟨d_ij, d_ik⟩ / (|d_ij||d_ik|), integrated numerically. At high SNR the two bounds meet (the
 * intersections are of second order), so they pin the BLER from both sides.
 */
import { integrateOverEdges, qfunc } from '../../src/math/special.ts';

/** P(X > a, Y > b) for standard normals with correlation rho (|rho| < 1): ∫_a^∞ φ(x) Q((b − ρx)/√(1−ρ²)) dx. */
export function quadrant(a: number, b: number, rho: number): number {
  const s = Math.sqrt(1 - rho * rho);
  const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  return integrateOverEdges((x) => phi(x) * qfunc((b - rho * x) / s), [a, a + 0.25, a + 0.5, a + 1, a + 2, a + 4, a + 8, a + 16]);
}

/** Lower and upper bounds on the ML block error rate of `codebook` (M rows of `dims` reals) at noise σ per real dimension. */
export function mlBlerBounds(codebook: ArrayLike<number>, M: number, dims: number, sigma: number): { lower: number; upper: number } {
  let lower = 0;
  let upper = 0;
  for (let i = 0; i < M; i++) {
    const diffs: { d: number[]; norm: number; p: number }[] = [];
    for (let j = 0; j < M; j++) {
      if (j === i) continue;
      const d = Array.from({ length: dims }, (_, t) => codebook[j * dims + t] - codebook[i * dims + t]);
      const norm = Math.hypot(...d);
      diffs.push({ d, norm, p: qfunc(norm / (2 * sigma)) });
    }
    const single = diffs.reduce((s, x) => s + x.p, 0);
    let pairs = 0;
    for (let j = 0; j < diffs.length; j++)
      for (let k = j + 1; k < diffs.length; k++) {
        const a = diffs[j];
        const b = diffs[k];
        const rho = a.d.reduce((s, v, t) => s + v * b.d[t], 0) / (a.norm * b.norm);
        // Near-parallel pairs: the intersection is at most the smaller event (keeps the lower bound a bound).
        pairs += Math.abs(rho) > 0.999 ? Math.min(a.p, b.p) : quadrant(a.norm / (2 * sigma), b.norm / (2 * sigma), rho);
      }
    upper += single / M;
    lower += Math.max(0, single - pairs) / M;
  }
  return { lower, upper };
}

/** The z with Q(z) = tail (0 < tail < ½), by bisection. */
export function zFor(tail: number): number {
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (qfunc(mid) > tail) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
