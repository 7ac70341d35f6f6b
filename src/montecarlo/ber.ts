/**
 * Bit error rate of a Monte Carlo point and its 95% interval, with blocks as the independent unit.
 *
 * A block carries k bits, and they do not err independently: a decoding error of a code (or a symbol error
 * of 16-QAM) usually flips several bits of one block together. Counting k·N bits as independent Bernoulli
 * trials would make the interval too narrow (test/unit/ber.test.ts shows it missing the true BER far more
 * often than 5% of the time). What is independent is the blocks, so the engine counts, per point, the bit
 * errors B = Σ X_b and their squares S = Σ X_b², X_b ∈ {0 … k} being block b's bit errors.
 *
 * The interval is Clopper–Pearson with an effective sample size (Korn & Graubard 1998, for clustered binary
 * data): the BER estimate p̂ = B/(kN) has variance v/(k²N), v the sample variance of X_b; the number of
 * independent bits that would give the same variance is n_eff = p̂(1 − p̂)·k²N / v. n_eff is kept within
 * [N, kN]: kN when bits behave independently (v at most binomial: the interval is the bit-level one), N
 * when a block's bits err all together (the design effect of a block is at most k). With no bit errors the
 * variance cannot be estimated and n_eff = N, the conservative end. The interval is then the beta quantiles
 * of Clopper–Pearson at x = p̂·n_eff out of n_eff (non-integer counts are fine for the beta function).
 */
import { popcount } from '../math/bits.ts';
import { betaQuantile } from './stats.ts';

/** Additive bit counts of a chunk or a point (sum over shards and chunks by adding them). */
export interface BitCounts {
  /** Σ X_b: bit errors over the blocks. */
  bitErrors: number;
  /** Σ X_b²: what the interval needs for the spread of bit errors between blocks. */
  bitErrorsSq: number;
}

/** The BER fields of a point. */
export interface BerFields extends BitCounts {
  ber: number;
  /** 95% interval of the BER (blocks as the independent unit, see above). */
  berCiLow: number;
  berCiHigh: number;
}

/** The effective number of independent bits of a point (see the file comment). */
export function effectiveBits(blocks: number, k: number, c: BitCounts): number {
  const bits = k * blocks;
  if (c.bitErrors === 0 || blocks < 2) return blocks;
  const p = c.bitErrors / bits;
  const v = (c.bitErrorsSq - (c.bitErrors * c.bitErrors) / blocks) / (blocks - 1);
  if (!(v > 0)) return bits;
  const n = (p * (1 - p) * k * k * blocks) / v;
  return Math.min(bits, Math.max(blocks, n));
}

/** BER and its interval from the counts of `blocks` blocks of k bits. */
export function berFields(blocks: number, k: number, c: BitCounts, confidence = 0.95): BerFields {
  if (!(Number.isInteger(c.bitErrors) && c.bitErrors >= 0 && c.bitErrors <= k * blocks)) {
    throw new Error(`berFields: need whole bit errors in [0, k·blocks], got ${c.bitErrors} for ${blocks} blocks of ${k} bits`);
  }
  if (blocks === 0) return { ...c, ber: 0, berCiLow: 0, berCiHigh: 1 };
  const ber = c.bitErrors / (k * blocks);
  const n = effectiveBits(blocks, k, c);
  const x = ber * n;
  const alpha = 1 - confidence;
  const low = x <= 0 ? 0 : betaQuantile(alpha / 2, x, n - x + 1);
  const high = x >= n ? 1 : betaQuantile(1 - alpha / 2, x + 1, n - x);
  return { bitErrors: c.bitErrors, bitErrorsSq: c.bitErrorsSq, ber, berCiLow: low, berCiHigh: high };
}

/** Bit errors of a block: the bits of its label (message index without labels) where decided and sent differ. */
export function bitsWrong(decided: number, sent: number, labels: ArrayLike<number> | undefined): number {
  return labels ? popcount(labels[decided] ^ labels[sent]) : popcount(decided ^ sent);
}

/** Block errors and bit-error sums of `blocks` decisions against the messages sent. */
export function countErrors(decided: Int32Array, sent: Int32Array, blocks: number, labels: ArrayLike<number> | undefined): BitCounts & { errors: number } {
  let errors = 0;
  let bitErrors = 0;
  let bitErrorsSq = 0;
  for (let b = 0; b < blocks; b++) {
    if (decided[b] === sent[b]) continue;
    errors++;
    const e = bitsWrong(decided[b], sent[b], labels);
    bitErrors += e;
    bitErrorsSq += e * e;
  }
  return { errors, bitErrors, bitErrorsSq };
}
