/**
 * Closed-form (or one-dimensional-integral) block error rates of the classical baselines, for checking
 * the simulator and for drawing reference curves. Conventions as in src/conventions.ts: γ = Eb/N0 linear,
 * σ² = 1/(2·R·γ) per real dimension, unit energy per channel use.
 *
 * - Uncoded BPSK, AWGN: p = Q(√(2γ)) per bit, BLER = 1 − (1 − p)^k.
 * - Uncoded square Gray M-QAM (QPSK = 4-QAM), AWGN: per axis P_L = 2(1 − 1/L)·Q(√(3·Es/N0/(M−1))),
 *   Es/N0 = log2(M)·γ; SER = 1 − (1 − P_L)² (exact); BLER = 1 − (1 − SER)^(k/log2 M).
 * - Hamming (7,4) hard decision, AWGN: coded bit error p = Q(√(2Rγ)), R = 4/7; a perfect code with t = 1,
 *   so BLER = P(≥ 2 of 7 coded bits wrong) exactly.
 * - Rayleigh (|h|² ~ Exp(1)), perfect CSI (zero forcing keeps the per-symbol decision; for real BPSK the
 *   sign decision does not need CSI at all): conditional on the gain g = |h|² the symbol error is the
 *   AWGN one at g·γ.
 *   · symbol fading (independent gain per channel use): symbols err independently with the averaged
 *     SER̄ = E_g[SER(gγ)] (BPSK: ½(1 − √(γ/(1+γ))) in closed form), BLER = 1 − (1 − SER̄)^symbols;
 *   · block fading (one gain per block): BLER = E_g[1 − (1 − SER(gγ))^symbols], by numerical integration.
 *   The Hamming hard decoder is handled the same way with its 7 coded bits.
 * Hamming ML (soft) decoding has no closed form (only bounds): analyticCurve returns undefined for it.
 */
import type { ChannelSpec } from '../channels/types.ts';
import { dbToLinear } from '../conventions.ts';
import type { BlockSystem } from '../system.ts';
import { BITS_PER_SYMBOL, type Modulation } from './modulation.ts';

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
    return 1 - ((2 / SQRT_PI) * Math.exp(-x2) * sum);
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
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
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
  // First pass for the magnitude, then a tolerance relative to it.
  let rough = 0;
  for (let i = 0; i + 1 < edges.length; i++) rough += gk15(integrand, edges[i], edges[i + 1]).value;
  const tol = Math.max(Math.abs(rough) * 1e-12, 1e-300) / edges.length;
  let sum = 0;
  for (let i = 0; i + 1 < edges.length; i++) sum += integrate(integrand, edges[i], edges[i + 1], tol);
  return sum;
}

/** Symbol error of Gray square M-QAM (bitsPerSymbol even) or BPSK (1) over AWGN at Es/N0 = esno (linear). */
export function serAwgn(bitsPerSymbol: number, esno: number): number {
  if (bitsPerSymbol === 1) return qfunc(Math.sqrt(2 * esno));
  const M = 2 ** bitsPerSymbol;
  const L = Math.sqrt(M);
  const pl = 2 * (1 - 1 / L) * qfunc(Math.sqrt((3 * esno) / (M - 1)));
  return pl * (2 - pl); // 1 − (1 − pl)²
}

/** P(≥ 2 of 7 bits wrong) at bit error p, summed term by term (no cancellation). */
export function hammingHardBlockError(p: number): number {
  const C = [1, 7, 21, 35, 35, 21, 7, 1];
  let s = 0;
  for (let i = 2; i <= 7; i++) s += C[i] * p ** i * (1 - p) ** (7 - i);
  return s;
}

/** Average BPSK bit error over Rayleigh at mean SNR γ (per bit, Eb/N0 for uncoded): ½(1 − √(γ/(1+γ))). */
export const rayleighBpskBer = (gamma: number): number => 0.5 * (1 - Math.sqrt(gamma / (1 + gamma)));

export type BaselineDescription =
  | { kind: 'uncoded'; modulation: Modulation; k: number; channel: ChannelSpec }
  | { kind: 'hamming74'; decoding: 'hard' | 'ml'; channel: ChannelSpec };

/** BLER of uncoded `modulation` with k bits per block, at Eb/N0 = ebnoDb. */
export function uncodedBler(modulation: Modulation, k: number, channel: ChannelSpec, ebnoDb: number): number | undefined {
  const q = BITS_PER_SYMBOL[modulation];
  const symbols = k / q;
  const gamma = dbToLinear(ebnoDb);
  const esno = q * gamma;
  if (channel.type === 'awgn') return atLeastOne(serAwgn(q, esno), symbols);
  if (channel.type === 'multipath') return undefined;
  // Rayleigh: zero forcing keeps the AWGN decision at SNR g·Es/N0; BPSK on a real channel needs no CSI.
  if (channel.csi !== 'perfect' && modulation !== 'bpsk') return undefined;
  if (channel.coherence === 'symbol') {
    const ser = modulation === 'bpsk' ? rayleighBpskBer(gamma) : expectationOverExp1((g) => serAwgn(q, g * esno), 1 / esno);
    return atLeastOne(ser, symbols);
  }
  return expectationOverExp1((g) => atLeastOne(serAwgn(q, g * esno), symbols), 1 / esno);
}

/** BLER of Hamming (7,4) with hard decision. */
export function hammingHardBler(channel: ChannelSpec, ebnoDb: number): number {
  const snr = (4 / 7) * dbToLinear(ebnoDb); // Es/N0 per coded bit
  if (channel.type === 'awgn') return hammingHardBlockError(qfunc(Math.sqrt(2 * snr)));
  if (channel.type === 'multipath') return NaN; // no closed form (analyticCurve never asks)
  if (channel.coherence === 'symbol') return hammingHardBlockError(rayleighBpskBer(snr));
  return expectationOverExp1((g) => hammingHardBlockError(qfunc(Math.sqrt(2 * g * snr))), 1 / snr);
}

/** The baseline a BlockSystem's decoder identifies (symbolwise-hard → uncoded, hamming74-hard → Hamming hard). */
export function describeBaseline(system: BlockSystem): BaselineDescription | undefined {
  const d = system.decoder;
  if (d.kind === 'hamming74-hard') return { kind: 'hamming74', decoding: 'hard', channel: system.channel };
  if (d.kind === 'symbolwise-hard') {
    const mod = (Object.keys(BITS_PER_SYMBOL) as Modulation[]).find((m) => BITS_PER_SYMBOL[m] === d.bitsPerSymbol);
    if (mod) return { kind: 'uncoded', modulation: mod, k: system.k, channel: system.channel };
  }
  return undefined;
}

/**
 * The closed-form BLER curve of a baseline (a description, or a BlockSystem whose decoder identifies it:
 * symbolwise-hard → uncoded, hamming74-hard → Hamming hard), or undefined when there is none
 * (Hamming ML, learned systems, QAM over Rayleigh without CSI).
 */
export function analyticCurve(system: BaselineDescription | BlockSystem, ebnoDb: number[]): number[] | undefined {
  const d = 'kind' in system ? system : describeBaseline(system);
  if (!d || d.channel.type === 'multipath') return undefined; // no closed forms over multipath fading
  if (d.kind === 'hamming74') {
    if (d.decoding !== 'hard') return undefined;
    return ebnoDb.map((e) => hammingHardBler(d.channel, e));
  }
  const out: number[] = [];
  for (const e of ebnoDb) {
    const v = uncodedBler(d.modulation, d.k, d.channel, e);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}
