/**
 * Special functions and quadrature for the closed forms (baselines, channel gain laws, the training recipe,
 * importance sampling): the Gaussian tail, adaptive Gauss–Kronrod integration and expectations over the
 * fading power. Plain numbers in double precision; nothing here knows about systems or channels.
 */
const SQRT_PI = Math.sqrt(Math.PI);

/**
 * Complementary error function, ~1e-15 relative over the whole range: for |x| < 1.5 erf by the
 * positive-term series erf(x) = 2/√π·e^{−x²}·Σ 2^n x^{2n+1}/(1·3·…·(2n+1)) (no cancellation), for x ≥ 1.5
 * the Laplace continued fraction erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))) evaluated by
 * modified Lentz (relative precision in the far tail, e.g. erfc(20) ≈ 5.4e-176).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 1.5) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x2) * sum;
  }
  if (x > 27.3) return 0; // underflows (erfc(27.3) < 1e-325)
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 5000; n++) {
    const a = n / 2;
    d = x + a * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/** Gaussian tail Q(x) = P(Z > x) = ½·erfc(x/√2). */
export const qfunc = (x: number): number => 0.5 * erfc(x / Math.SQRT2);

/** 1 − (1 − p)^m without cancellation for small p. */
export const atLeastOne = (p: number, m: number): number => -Math.expm1(m * Math.log1p(-p));

// Gauss–Kronrod 7/15 (QUADPACK qk15).
const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
  0.586087235467691130294144845693013, 0.405845151377397166906606412076961, 0.207784955007898467600689403773245, 0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
  0.16900472663926790282658342659855, 0.190350578064785409913256402421014, 0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
const WG = [0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975, 0.417959183673469387755102040816327];

function gk15(f: (x: number) => number, a: number, b: number): { value: number; err: number } {
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  const fc = f(c);
  let resK = fc * WGK[7];
  let resG = fc * WG[3];
  for (let j = 0; j < 7; j++) {
    const dx = h * XGK[j];
    const s = f(c - dx) + f(c + dx);
    resK += WGK[j] * s;
    if (j % 2 === 1) resG += WG[(j - 1) / 2] * s;
  }
  return { value: resK * h, err: Math.abs((resK - resG) * h) };
}

/** Adaptive Gauss–Kronrod integral of f over [a, b] to absolute tolerance tol. */
export function integrate(f: (x: number) => number, a: number, b: number, tol: number, depth = 0): number {
  const r = gk15(f, a, b);
  if (r.err <= tol || depth > 40) return r.value;
  const m = 0.5 * (a + b);
  return integrate(f, a, m, tol / 2, depth + 1) + integrate(f, m, b, tol / 2, depth + 1);
}

/**
 * ∫ f over [edges[0], edges[last]], piece by piece, to a tolerance relative to the result: a first pass of one
 * Gauss–Kronrod rule per piece for the magnitude, then each piece adaptively. The edges place the nodes
 * where f changes (the expectations below choose them).
 */
export function integrateOverEdges(f: (x: number) => number, edges: readonly number[]): number {
  let rough = 0;
  for (let i = 0; i + 1 < edges.length; i++) rough += gk15(f, edges[i], edges[i + 1]).value;
  const tol = Math.max(Math.abs(rough) * 1e-12, 1e-300) / edges.length;
  let sum = 0;
  for (let i = 0; i + 1 < edges.length; i++) sum += integrate(f, edges[i], edges[i + 1], tol);
  return sum;
}

/**
 * E_g[f(g)] for g ~ Exp(1), as ∫₀^∞ 2t·e^{−t²}·f(t²) dt (t = √g removes the √g kink of Q(√(2gγ)) at 0).
 * The range is split geometrically around the scale `scale` (where f changes) so narrow features at high
 * SNR are resolved; the tolerance is relative to the result.
 */
export function expectationOverExp1(f: (g: number) => number, scale: number): number {
  const integrand = (t: number) => 2 * t * Math.exp(-t * t) * f(t * t);
  const edges = [0];
  let e = Math.min(scale, 1) / 64;
  while (e < 9) {
    edges.push(e);
    e *= 2;
  }
  edges.push(9);
  return integrateOverEdges(integrand, edges);
}
