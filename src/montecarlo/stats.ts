/**
 * Exact binomial confidence intervals (Clopper-Pearson) via the regularized incomplete beta function.
 *
 * For x errors in N blocks and level 1−α:
 *   lower = B⁻¹(α/2; x, N−x+1)   (0 when x = 0)
 *   upper = B⁻¹(1−α/2; x+1, N−x)  (1 when x = N)
 * where B⁻¹ is the quantile of the Beta distribution, i.e. the inverse of I_p(a, b).
 *
 * I_p(a, b) uses the continued fraction of Numerical Recipes (modified Lentz) with the usual symmetry
 * swap. Monte Carlo counts make one parameter huge (N up to 1e10 and more) and the other small, where
 * lgamma(a)+lgamma(b)−lgamma(a+b) cancels catastrophically; `lbeta` therefore uses a Stirling-difference
 * form with log1p for large arguments. The quantile is a Newton iteration safeguarded by a bracket (and
 * geometric bisection, so tiny quantiles like 1e-12 are found to full relative precision).
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log Γ(x) for x > 0 (Lanczos, ~1e-15 relative). */
export function lgamma(x: number): number {
  if (!(x > 0)) throw new Error(`lgamma: x must be positive, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  if (x >= 20) return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + stirlingCorrection(x);
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < LANCZOS_G + 2; i++) s += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** δ(x) = lgamma(x) − [(x−½)log x − x + ½log 2π], the Stirling series (x ≥ 20: error < 1e-17). */
function stirlingCorrection(x: number): number {
  const x2 = 1 / (x * x);
  return (1 / x) * (1 / 12 - x2 * (1 / 360 - x2 * (1 / 1260 - x2 * (1 / 1680 - x2 / 1188))));
}

/** log B(a, b), accurate also when one argument is huge and the other small. */
export function lbeta(a: number, b: number): number {
  if (a > b) [a, b] = [b, a];
  if (b < 20) return lgamma(a) + lgamma(b) - lgamma(a + b);
  // lgamma(b) − lgamma(a+b) = −(b−½)·log1p(a/b) − a·log(a+b) + a + δ(b) − δ(a+b)
  const diff = -(b - 0.5) * Math.log1p(a / b) - a * Math.log(a + b) + a + stirlingCorrection(b) - stirlingCorrection(a + b);
  return lgamma(a) + diff;
}

const TINY = 1e-300;

/**
 * Continued fraction for I_x(a,b) (NR betacf), for x < (a+1)/(a+b+2). y = 1 − x is passed separately:
 * in the swapped branch x is close to 1 and the first denominator 1 − (a+b)x/(a+1) would cancel
 * catastrophically; it equals (1 − b + (a+b)·y)/(a+1) exactly.
 */
function betacf(a: number, b: number, x: number, y: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = x > 0.5 ? (1 - b + qab * y) / qap : 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) return h;
  }
  throw new Error(`incomplete beta: continued fraction did not converge (a=${a}, b=${b}, x=${x})`);
}

/** log of the front factor x^a (1−x)^b / B(a,b). */
function logFront(x: number, a: number, b: number): number {
  return a * Math.log(x) + b * Math.log1p(-x) - lbeta(a, b);
}

/** Regularized incomplete beta I_x(a, b), a, b > 0, x in [0, 1]. */
export function regIncBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new Error(`regIncBeta: a, b must be positive (a=${a}, b=${b})`);
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront(x, a, b)) * betacf(a, b, x, 1 - x)) / a;
  // Swapped branch. With b huge the continued fraction's odd terms come within ~x of −1 and lose
  // relative precision ~ε/x; for integer parameters with a small use the exact finite binomial sum
  // I_x(a, b) = 1 − P(Bin(a+b−1, x) ≤ a−1) instead (a terms, accumulated in log space).
  if (Number.isInteger(a) && Number.isInteger(b) && a <= 5000 && b > 1000) return 1 - binomialCdf(a - 1, a + b - 1, x);
  return 1 - (Math.exp(logFront(x, a, b)) * betacf(b, a, 1 - x, x)) / b;
}

/** P(Bin(n, p) ≤ k), summed term by term (k + 1 terms) with log-space term recursion. */
function binomialCdf(k: number, n: number, p: number): number {
  const logRatio = Math.log(p) - Math.log1p(-p);
  let lp = n * Math.log1p(-p); // log P(X = 0)
  let sum = Math.exp(lp);
  for (let j = 0; j < k; j++) {
    lp += Math.log((n - j) / (j + 1)) + logRatio;
    sum += Math.exp(lp);
  }
  return sum;
}

/** The Beta(a, b) density at x. */
function betaPdf(x: number, a: number, b: number): number {
  return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lbeta(a, b));
}

/** Quantile of Beta(a, b): the x with I_x(a, b) = p. */
export function betaQuantile(p: number, a: number, b: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`betaQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return 0;
  if (p === 1) return 1;
  let lo = 0;
  let hi = 1;
  let x = Math.min(Math.max(a / (a + b), 1e-300), 1 - 1e-16);
  for (let iter = 0; iter < 400; iter++) {
    const f = regIncBeta(x, a, b) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const pdf = betaPdf(x, a, b);
    let next = pdf > 0 && Number.isFinite(pdf) ? x - f / pdf : NaN;
    if (!(next > lo && next < hi)) {
      // Bisect; geometrically while the bracket spans orders of magnitude (tiny quantiles).
      next = lo > 0 && hi / lo > 4 ? Math.sqrt(lo * hi) : lo === 0 && hi < 0.25 ? hi / 16 : 0.5 * (lo + hi);
      if (lo === 0 && hi < 1e-300) return hi;
    }
    if (Math.abs(next - x) <= 1e-15 * x || hi - lo <= 1e-15 * hi) return next;
    x = next;
  }
  return x;
}

/** Two-sided Clopper-Pearson interval for `errors` out of `trials` at the given confidence (default 95%). */
export function clopperPearson(errors: number, trials: number, confidence = 0.95): { low: number; high: number } {
  if (!(Number.isInteger(errors) && Number.isInteger(trials) && errors >= 0 && errors <= trials)) {
    throw new Error(`clopperPearson: need integers 0 ≤ errors ≤ trials, got ${errors}/${trials}`);
  }
  if (trials === 0) return { low: 0, high: 1 };
  const alpha = 1 - confidence;
  const low = errors === 0 ? 0 : betaQuantile(alpha / 2, errors, trials - errors + 1);
  const high = errors === trials ? 1 : betaQuantile(1 - alpha / 2, errors + 1, trials - errors);
  return { low, high };
}
