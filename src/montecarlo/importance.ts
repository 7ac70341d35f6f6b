/**
 * Importance sampling (IS) of the block and bit error rates of any decoder over AWGN: the proposal, the
 * per-chunk kernel and the point statistics. The sweep that drives it is importance-sweep.ts.
 *
 * Estimator. BLER = E_m E_z[1{decode(c_m + z) ≠ m}], m uniform, z ~ φ = N(0, σ²I). Messages are drawn as in
 * plain Monte Carlo; the noise of message m is drawn from the defensive mean-shift mixture
 *
 *   q_m(z) = α·φ(z) + (1 − α)·Σ_k β_mk·φ(z − μ_mk),   μ_mk = (c_k − c_m)/2,   β_mk ∝ Q(‖c_k − c_m‖/(2σ)),
 *
 * k over the competing codewords of m. μ_mk is the dominating point (the most likely error) of the pairwise
 * error event "closer to c_k than to c_m", the half-space whose union is exactly the ML decoder's error
 * region: shifting the noise there is the large-deviations optimal mean shift of one such event (Sadowsky &
 * Bucklew 1990, IEEE Trans. IT 36(3); Bucklew, "Introduction to Rare Event Simulation", Springer 2004,
 * ch. 4–5; the mean-translation method of the survey by Smith, Shafi & Gao, IEEE JSAC 15(4), 1997). The
 * union is covered by a mixture with weights proportional to each event's probability, as in ALOE for unions
 * of rare half-spaces (Owen, Maximov & Chertkov, Electron. J. Statist. 13, 2019). The α·φ component is
 * Hesterberg's defensive mixture (Technometrics 37, 1995; Owen & Zhou, JASA 95, 2000): it keeps the whole
 * noise space in the proposal's support, so the estimator is unbiased for *any* decoder (learned ones, hard
 * decision, ...) whatever its error region looks like, and it bounds every weight by 1/α, so the variance
 * is finite and at most 1/α times that of plain Monte Carlo. The shifts are those of ML decoding; decoders
 * whose error region hugs the ML half-spaces (ML itself, a trained autoencoder) gain the most, others
 * (hard decision: its dominating points lie between the pairwise ones) gain less but stay unbiased.
 *
 * Weight of a sample: w(z) = φ(z)/q_m(z) = 1 / (α + (1 − α)·Σ_k β_mk·exp((⟨z, μ_mk⟩ − ‖μ_mk‖²/2)/σ²)),
 * evaluated with a log-sum-exp. The point estimates are P̂ = Σ_b w_b·1{error_b}/N (BLER) and
 * Σ_b w_b·e_b/(kN) (BER, e_b the bit errors of block b). Interval: 95% normal (CLT) interval from the
 * sample variance of the weighted indicators, P̂ ± 1.96·s/√N (weights are bounded, so the CLT applies);
 * its lower end is clamped at 0.
 *
 * Diagnostics (a point failing one is marked `trusted: false` with the reason, never silently reported):
 * - ESS of the error samples, (Σ w_b 1_b)² / Σ (w_b 1_b)² (Kong 1992's effective sample size applied to the
 *   weighted indicators: equals the error count for plain Monte Carlo), at least `minEss`;
 * - the largest single weighted error's share of the estimate, at most `maxWeightShare`;
 * - the mean of all weights, whose expectation under q is exactly 1: it must lie within 4 standard errors
 *   of 1 (a self-check of the proposal density and its sampler).
 *
 * Stream use per chunk (part of the reproducibility contract): `blocks` message draws (RandomStream.int(M),
 * as plain Monte Carlo), then `blocks` uniforms (the mixture component), then `blocks × dims` normals.
 * Sums are float64, accumulated in block order within a chunk and added in chunk order by the sweep, so a
 * point's estimate is bit-identical inline, with any number of workers, and across shards.
 */
import { requireNoiseOnly } from '../channels/registry.ts';
import { qfunc } from '../math/special.ts';
import { realDims } from '../conventions.ts';
import { decoderModule, type DecodeFn } from '../decoders/index.ts';
import type { RandomStream } from '../random.ts';
import type { BlockSystem } from '../system.ts';
import { bitsWrong } from './ber.ts';
import { validateSystem } from './kernel.ts';

/** Settings of the estimator and its stopping rule (defaults: DEFAULTS.importance). */
export interface ImportanceSettings {
  /** Probability of the defensive (unshifted) component. */
  alpha: number;
  /** A point ends once the 95% interval's half-width is at most this fraction of the estimate. */
  targetRelativeHalfWidth: number;
  /** A point is trusted only with at least this effective number of error samples. */
  minEss: number;
  /** ... and when no single error sample carries more than this share of the estimate. */
  maxWeightShare: number;
  /** Competitors whose pairwise-error probability is below this fraction of the largest one are left out. */
  pruneBelow: number;
  /**
   * A point ends on its precision target only after this many samples: the CLT interval's variance estimate
   * is itself noisy over few samples, and stopping when it happens to be low would make intervals too short.
   */
  minSamples: number;
}

/** What one chunk adds to a point (all additive, except maxWeight: a maximum). */
export interface IsChunkSums {
  /** Blocks that were decoded wrongly (unweighted). */
  hits: number;
  /** Σ w·1{error}, Σ (w·1{error})². */
  sumW: number;
  sumW2: number;
  /** Σ w·e, Σ (w·e)², e = bit errors of the block. */
  sumWB: number;
  sumWB2: number;
  /** Unweighted bit errors of the wrongly decoded blocks. */
  bitHits: number;
  /** The largest weight of an error sample. */
  maxWeight: number;
  /** Σ w, Σ w² over all samples (E_q[w] = 1: the self-check). */
  sumAllW: number;
  sumAllW2: number;
}

export const ZERO_IS_SUMS: IsChunkSums = { hits: 0, sumW: 0, sumW2: 0, sumWB: 0, sumWB2: 0, bitHits: 0, maxWeight: 0, sumAllW: 0, sumAllW2: 0 };

export function addIsSums(a: IsChunkSums, b: IsChunkSums): IsChunkSums {
  return {
    hits: a.hits + b.hits,
    sumW: a.sumW + b.sumW,
    sumW2: a.sumW2 + b.sumW2,
    sumWB: a.sumWB + b.sumWB,
    sumWB2: a.sumWB2 + b.sumWB2,
    bitHits: a.bitHits + b.bitHits,
    maxWeight: Math.max(a.maxWeight, b.maxWeight),
    sumAllW: a.sumAllW + b.sumAllW,
    sumAllW2: a.sumAllW2 + b.sumAllW2,
  };
}

/** log Q(x): from erfc where it does not underflow, else its asymptotic series (only ratios of these matter). */
function logQ(x: number): number {
  if (x < 30) return Math.log(qfunc(x));
  const x2 = x * x;
  return -0.5 * x2 - Math.log(x * Math.sqrt(2 * Math.PI)) + Math.log1p(-1 / x2 + 3 / (x2 * x2));
}

/** The mixture proposal of every message at one σ. */
export interface IsProposal {
  sigma: number;
  alpha: number;
  dims: number;
  /** Components of message m: indices start[m] … start[m+1]−1. */
  start: Int32Array;
  /** μ of each component (dims values each). */
  shift: Float64Array;
  /** ‖μ‖²/2 of each component. */
  halfNorm2: Float64Array;
  /** log((1 − α)·β) of each component. */
  logWeight: Float64Array;
  /** Cumulative probability up to and including each component, starting from α (for drawing one). */
  cumulative: Float64Array;
}

/**
 * The shifts of message m's components: the decoder's own dominating points where its module declares them
 * (DecoderModule.dominatingPoints), else the pairwise ML boundaries (c_k − c_m)/2 of every other codeword.
 */
export function candidateShifts(system: BlockSystem, m: number): number[][] {
  const own = decoderModule(system.decoder).dominatingPoints?.(system, system.decoder, m);
  if (own) return own;
  const dims = realDims(system.n, system.signalling);
  const cb = system.codebook;
  const out: number[][] = [];
  for (let c = 0; c < 2 ** system.k; c++) {
    if (c === m) continue;
    const mu: number[] = [];
    for (let j = 0; j < dims; j++) mu.push(0.5 * (cb[c * dims + j] - cb[m * dims + j]));
    out.push(mu);
  }
  return out;
}

/**
 * Builds the proposal of the file comment at noise std σ. Component weights: β ∝ Q(‖μ‖/σ), the probability
 * of the half-space {⟨z, μ⟩ ≥ ‖μ‖²} whose closest point is μ (for a pairwise ML boundary, Q(d/2σ)).
 * A zero shift (a duplicate codeword: it errs half the time whatever the noise) needs no component.
 */
export function buildProposal(system: BlockSystem, sigma: number, settings: Pick<ImportanceSettings, 'alpha' | 'pruneBelow'>): IsProposal {
  const { alpha, pruneBelow } = settings;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`importance sampling: alpha must be in (0, 1), got ${alpha}`);
  if (!(sigma > 0)) throw new Error(`importance sampling: sigma must be positive, got ${sigma}`);
  const dims = realDims(system.n, system.signalling);
  const M = 2 ** system.k;
  const start = new Int32Array(M + 1);
  const shifts: number[] = [];
  const half: number[] = [];
  const logW: number[] = [];
  const cum: number[] = [];
  for (let m = 0; m < M; m++) {
    start[m] = half.length;
    const cands = candidateShifts(system, m).filter((mu) => mu.some((v) => v !== 0));
    const norms = cands.map((mu) => Math.sqrt(mu.reduce((t, v) => t + v * v, 0)));
    const logP = norms.map((r) => logQ(r / sigma));
    const top = Math.max(...logP);
    const floor = top + Math.log(pruneBelow);
    let total = 0;
    for (const l of logP) if (l >= floor) total += Math.exp(l - top);
    let acc = alpha;
    cands.forEach((mu, c) => {
      if (logP[c] < floor) return;
      if (mu.length !== dims) throw new Error(`importance sampling: a dominating point of ${dims} values expected, got ${mu.length}`);
      const beta = Math.exp(logP[c] - top) / total;
      for (const v of mu) shifts.push(v);
      half.push(0.5 * norms[c] * norms[c]);
      logW.push(Math.log((1 - alpha) * beta));
      acc += (1 - alpha) * beta;
      cum.push(acc);
    });
    // The last component takes whatever rounding left (a draw u < 1 always lands somewhere).
    if (cum.length > start[m]) cum[cum.length - 1] = 1;
  }
  start[M] = half.length;
  return {
    sigma,
    alpha,
    dims,
    start,
    shift: Float64Array.from(shifts),
    halfNorm2: Float64Array.from(half),
    logWeight: Float64Array.from(logW),
    cumulative: Float64Array.from(cum),
  };
}

/** w(z) = φ(z)/q_m(z) for the noise z (dims values from offset zo) of message m. */
export function isWeight(p: IsProposal, m: number, z: Float64Array, zo: number): number {
  const { dims, shift, halfNorm2, logWeight, start } = p;
  const inv = 1 / (p.sigma * p.sigma);
  const a = start[m];
  const b = start[m + 1];
  // A message without components (no competitor differs from it) is sampled from φ itself: weight 1.
  if (a === b) return 1;
  // log(α + Σ exp(t_c)), t_c = logWeight_c + (⟨z, μ_c⟩ − ‖μ_c‖²/2)/σ², by log-sum-exp.
  let top = Math.log(p.alpha);
  const t = scratch(b - a);
  for (let c = a; c < b; c++) {
    let dot = 0;
    const so = c * dims;
    for (let j = 0; j < dims; j++) dot += z[zo + j] * shift[so + j];
    const v = logWeight[c] + (dot - halfNorm2[c]) * inv;
    t[c - a] = v;
    if (v > top) top = v;
  }
  let s = Math.exp(Math.log(p.alpha) - top);
  for (let c = 0; c < b - a; c++) s += Math.exp(t[c] - top);
  return Math.exp(-(top + Math.log(s)));
}

let scratchBuf = new Float64Array(64);
function scratch(n: number): Float64Array {
  if (scratchBuf.length < n) scratchBuf = new Float64Array(n);
  return scratchBuf;
}

/** Checks that importance sampling applies to the system: its proposal shifts noise that is all there is (any decoder). */
export function checkImportanceSystem(system: BlockSystem): void {
  requireNoiseOnly(system.channel, system.id, 'importance sampling');
}

/** The IS counterpart of ChunkKernel: same messages, proposal noise, the same decoder, weighted sums. */
export class IsChunkKernel {
  readonly M: number;
  readonly dims: number;
  private readonly decode: DecodeFn;
  private proposal: IsProposal | undefined;
  private msgs = new Int32Array(0);
  private decided = new Int32Array(0);
  private comp = new Int32Array(0);
  private z = new Float64Array(0);
  private y = new Float32Array(0);

  constructor(
    readonly system: BlockSystem,
    readonly settings: Pick<ImportanceSettings, 'alpha' | 'pruneBelow'>,
    capacity = 0,
  ) {
    validateSystem(system);
    checkImportanceSystem(system);
    this.M = 2 ** system.k;
    this.dims = realDims(system.n, system.signalling);
    this.decode = decoderModule(system.decoder).build(system, system.decoder);
    this.ensure(capacity);
  }

  private ensure(blocks: number): void {
    if (this.msgs.length >= blocks) return;
    this.msgs = new Int32Array(blocks);
    this.decided = new Int32Array(blocks);
    this.comp = new Int32Array(blocks);
    this.z = new Float64Array(blocks * this.dims);
    this.y = new Float32Array(blocks * this.dims);
  }

  /** Frees what the decoder holds outside the JavaScript heap (tfjs weights). */
  dispose(): void {
    this.decode.dispose?.();
  }

  private proposalFor(sigma: number): IsProposal {
    if (this.proposal?.sigma !== sigma) this.proposal = buildProposal(this.system, sigma, this.settings);
    return this.proposal;
  }

  /** Draws `blocks` messages, components and noises from the proposal and decodes them (z = the noise). */
  private sample(p: IsProposal, sigma: number, stream: RandomStream, blocks: number): void {
    this.ensure(blocks);
    const { msgs, decided, comp, z, y, dims } = this;
    const cb = this.system.codebook;
    stream.fillInts(msgs, this.M, blocks);
    for (let b = 0; b < blocks; b++) {
      const u = stream.uniform();
      let c = -1; // the defensive component
      if (u >= p.alpha) {
        const lo = p.start[msgs[b]];
        const hi = p.start[msgs[b] + 1];
        c = hi - 1;
        for (let i = lo; i < hi; i++) {
          if (u < p.cumulative[i]) {
            c = i;
            break;
          }
        }
        if (hi === lo) c = -1;
      }
      comp[b] = c;
    }
    stream.fillNormal(z, 0, blocks * dims);
    for (let b = 0, o = 0; b < blocks; b++) {
      const c = comp[b];
      const co = msgs[b] * dims;
      for (let j = 0; j < dims; j++, o++) {
        const zz = sigma * z[o] + (c >= 0 ? p.shift[c * dims + j] : 0);
        z[o] = zz;
        y[o] = cb[co + j] + zz;
      }
    }
    this.decode(y, blocks, decided);
  }

  /** Simulates `blocks` blocks at noise std `sigma` under the proposal; returns the chunk's sums. */
  run(sigma: number, stream: RandomStream, blocks: number): IsChunkSums {
    const p = this.proposalFor(sigma);
    this.sample(p, sigma, stream, blocks);
    const { msgs, decided, z, dims } = this;
    const labels = this.system.labels;
    const s: IsChunkSums = { ...ZERO_IS_SUMS };
    for (let b = 0; b < blocks; b++) {
      const w = isWeight(p, msgs[b], z, b * dims);
      s.sumAllW += w;
      s.sumAllW2 += w * w;
      if (decided[b] === msgs[b]) continue;
      const e = bitsWrong(decided[b], msgs[b], labels);
      s.hits++;
      s.sumW += w;
      s.sumW2 += w * w;
      s.sumWB += w * e;
      s.sumWB2 += w * e * (w * e);
      s.bitHits += e;
      if (w > s.maxWeight) s.maxWeight = w;
    }
    return s;
  }
}

/** What a point reports about its importance sampling (results.json `importance`). */
export interface IsPointFields {
  /** Σ w·1{error}, Σ (w·1{error})² and the rest of the point's sums (for resume and audit). */
  sums: IsChunkSums;
  /** Effective number of error samples, (Σ w·1)²/Σ (w·1)². */
  ess: number;
  /** Largest single error sample's share of the estimate. */
  maxWeightShare: number;
  /** Half-width of the 95% BLER interval over the estimate. */
  relativeHalfWidth: number;
  /** Mean weight over all samples (expected 1) and its standard error. */
  meanWeight: number;
  meanWeightSe: number;
  alpha: number;
  /** False when a diagnostic says the estimate cannot be trusted; `why` says which. */
  trusted: boolean;
  why?: string;
}

const Z95 = 1.959963984540054;

/** Mean and 95% CLT interval of N samples whose values sum to s1 and whose squares sum to s2. */
export function cltInterval(s1: number, s2: number, N: number): { mean: number; se: number; low: number; high: number } {
  if (N === 0) return { mean: 0, se: 0, low: 0, high: 1 };
  const mean = s1 / N;
  const v = N > 1 ? Math.max(0, (s2 - N * mean * mean) / (N - 1)) : 0;
  const se = Math.sqrt(v / N);
  return { mean, se, low: Math.max(0, mean - Z95 * se), high: mean + Z95 * se };
}

/** The estimates, intervals and diagnostics of a point from its sums over N samples. */
export function isPointStats(
  s: IsChunkSums,
  N: number,
  k: number,
  settings: Pick<ImportanceSettings, 'alpha' | 'minEss' | 'maxWeightShare'>,
): { bler: IsInterval; ber: IsInterval; fields: IsPointFields } {
  const bler = cltInterval(s.sumW, s.sumW2, N);
  const berRaw = cltInterval(s.sumWB, s.sumWB2, N);
  const ber = { mean: berRaw.mean / k, se: berRaw.se / k, low: berRaw.low / k, high: berRaw.high / k };
  const ess = s.sumW2 > 0 ? (s.sumW * s.sumW) / s.sumW2 : 0;
  const maxWeightShare = s.sumW > 0 ? s.maxWeight / s.sumW : 0;
  const relativeHalfWidth = bler.mean > 0 ? (Z95 * bler.se) / bler.mean : Infinity;
  const mw = cltInterval(s.sumAllW, s.sumAllW2, N);
  const problems: string[] = [];
  if (s.hits === 0) problems.push('no error was sampled');
  else {
    if (ess < settings.minEss) problems.push(`effective sample size ${ess.toFixed(1)} < ${settings.minEss}`);
    if (maxWeightShare > settings.maxWeightShare)
      problems.push(`one sample carries ${(100 * maxWeightShare).toFixed(1)}% of the estimate (> ${100 * settings.maxWeightShare}%)`);
  }
  if (N > 1 && Math.abs(mw.mean - 1) > 4 * mw.se + 1e-12)
    problems.push(`mean weight ${mw.mean.toFixed(4)} is not 1 within 4 standard errors (${mw.se.toExponential(2)})`);
  const fields: IsPointFields = {
    sums: s,
    ess,
    maxWeightShare,
    relativeHalfWidth,
    meanWeight: mw.mean,
    meanWeightSe: mw.se,
    alpha: settings.alpha,
    trusted: problems.length === 0,
  };
  if (problems.length) fields.why = problems.join('; ');
  return { bler, ber, fields };
}

export interface IsInterval {
  mean: number;
  se: number;
  low: number;
  high: number;
}
