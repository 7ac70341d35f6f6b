/**
 * Closed-form bit error rates of the classical baselines (the BLER ones are in analytic.ts; same conventions:
 * γ = Eb/N0 linear, σ² = 1/(2·R·γ) per real dimension, unit energy per channel use). All are exact:
 *
 * - Uncoded BPSK, and square Gray M-QAM (QPSK, 16-QAM, 64-QAM), AWGN. The I and Q axes are independent
 *   L-PAM (L = √M) with half the bits each, so the BER is that of Gray L-PAM, summed exactly over every
 *   (sent level i, decided level j) pair: P(j | i)·d_H(gray(i), gray(j)) / (L·log2 L), with P(j | i) the
 *   Gaussian mass of level j's decision interval. No nearest-neighbour approximation: this equals the
 *   textbook formulas, e.g. 16-QAM ¼[3Q(a) + 2Q(3a) − Q(5a)], a = √(3·Es/N0/(M−1)) (checked in the tests
 *   against those formulas evaluated independently, test/fixtures/make-closed-forms.ts). BPSK is Q(√(2γ)),
 *   QPSK the same per bit. The BER does not depend on k.
 * - Hamming (7,4), hard decision (sign per coded bit, syndrome decoding, systematic bits read out): exact
 *   from the decoder's behaviour. The code is linear and the decoder commutes with adding a codeword, so the
 *   information bits in error depend only on the channel's error pattern e: popcount(decode(e)). Summing over
 *   all 128 patterns gives A_w = Σ_{wt(e)=w} popcount(decode(e)) and BER = Σ_w A_w p^w (1−p)^(7−w) / 4,
 *   p = Q(√(2Rγ)) the coded bit error, R = 4/7.
 * - Fading, by the channel kind's gain law (Rayleigh: |h|² = g ~ Exp(1); Rician: noncentral χ²), perfect CSI (real BPSK needs none): a bit's error depends only on the gain
 *   of its own channel use(s), whose marginal is Exp(1) for block and symbol coherence alike, so the uncoded
 *   BER is E_g[BER_AWGN(g·Es/N0)] for both (BPSK: ½(1 − √(γ/(1+γ)))). Hamming hard with symbol fading has
 *   independent coded bit errors at p = ½(1 − √(Rγ/(1+Rγ))); with block fading all 7 share g, so the BER is
 *   E_g[Σ_w A_w p(g)^w (1−p(g))^(7−w)] / 4 by numerical integration.
 * Hamming ML and learned systems have no closed form (undefined), as for the BLER; nor QAM over Rayleigh
 * without CSI.
 */
import { meanBpskBer } from '../channels/fading-fields.ts';
import { gainLaw, type ChannelSpec } from '../channels/registry.ts';
import { dbToLinear } from '../conventions.ts';
import type { BlockSystem } from '../system.ts';
import { describeBaseline, qfunc, type BaselineDescription } from './analytic.ts';
import { hammingDecodeWord } from './hamming.ts';
import { BITS_PER_SYMBOL, grayEncode, type Modulation } from './modulation.ts';
import { popcount } from '../bits.ts';

/** Gaussian mass of [lo·a, hi·a] (lo < hi, ±Infinity allowed), without cancellation on either side of 0. */
function mass(lo: number, hi: number, a: number): number {
  const A = lo * a;
  const B = hi * a;
  if (A >= 0) return qfunc(A) - qfunc(B);
  if (B <= 0) return qfunc(-B) - qfunc(-A);
  return 1 - qfunc(-A) - qfunc(B);
}

/**
 * Bit error rate of Gray L-PAM with levels (2i − (L−1))·d, noise σ, a = d/σ: every sent level, every
 * decision interval [(2j − L)d, (2j − L + 2)d] (the outer ones open), weighted by the Gray label distance.
 */
export function grayPamBer(L: number, a: number): number {
  const bits = Math.log2(L);
  let sum = 0;
  for (let i = 0; i < L; i++)
    for (let j = 0; j < L; j++) {
      if (j === i) continue;
      // Noise interval (in units of d) that moves level i into the decision interval of level j.
      const lo = j === 0 ? -Infinity : 2 * (j - i) - 1;
      const hi = j === L - 1 ? Infinity : 2 * (j - i) + 1;
      sum += mass(lo, hi, a) * popcount(grayEncode(i) ^ grayEncode(j));
    }
  return sum / (L * bits);
}

/** BER of BPSK (1 bit per symbol) or Gray square M-QAM (bitsPerSymbol even) over AWGN at Es/N0 = esno (linear). */
export function berAwgn(bitsPerSymbol: number, esno: number): number {
  if (bitsPerSymbol === 1) return qfunc(Math.sqrt(2 * esno));
  const M = 2 ** bitsPerSymbol;
  return grayPamBer(Math.sqrt(M), Math.sqrt((3 * esno) / (M - 1)));
}

/** A_w: information bits in error summed over the 7-bit error patterns of weight w (syndrome decoder). */
export const HAMMING_HARD_INFO_ERRORS: readonly number[] = (() => {
  const a = new Array<number>(8).fill(0);
  for (let e = 0; e < 128; e++) a[popcount(e)] += popcount(hammingDecodeWord(e));
  return a;
})();

/** Information-bit error rate of Hamming (7,4) hard decoding at coded bit error p. */
export function hammingHardBitError(p: number): number {
  let s = 0;
  for (let w = 1; w <= 7; w++) s += HAMMING_HARD_INFO_ERRORS[w] * p ** w * (1 - p) ** (7 - w);
  return s / 4;
}

/** BER of uncoded `modulation` at Eb/N0 = ebnoDb (independent of the block size); undefined without a closed form. */
export function uncodedBer(modulation: Modulation, channel: ChannelSpec, ebnoDb: number): number | undefined {
  const q = BITS_PER_SYMBOL[modulation];
  const gamma = dbToLinear(ebnoDb);
  const esno = q * gamma;
  const law = gainLaw(channel);
  if (!law.exact) return undefined;
  if (law.csi !== 'perfect' && modulation !== 'bpsk') return undefined;
  // A bit's error depends only on its own symbol's gain, so block and symbol coherence give the same BER.
  if (modulation === 'bpsk') return meanBpskBer(law, gamma);
  return law.expect((g) => berAwgn(q, g * esno), 1 / esno);
}

/** BER (information bits) of Hamming (7,4) with hard decision (NaN without a closed form: analyticBerCurve never asks). */
export function hammingHardBer(channel: ChannelSpec, ebnoDb: number): number {
  const snr = (4 / 7) * dbToLinear(ebnoDb);
  const law = gainLaw(channel);
  if (!law.exact) return NaN;
  if (law.coherence === 'symbol') return hammingHardBitError(meanBpskBer(law, snr));
  return law.expect((g) => hammingHardBitError(qfunc(Math.sqrt(2 * g * snr))), 1 / snr);
}

function describe(system: BlockSystem): BaselineDescription | undefined {
  // A relabelled system is no longer the Gray / systematic baseline the formulas describe.
  return system.labels ? undefined : describeBaseline(system);
}

/** The closed-form BER curve of a baseline (a description or a BlockSystem), or undefined where there is none. */
export function analyticBerCurve(system: BaselineDescription | BlockSystem, ebnoDb: number[]): number[] | undefined {
  const d = 'kind' in system ? system : describe(system);
  if (!d || !gainLaw(d.channel).exact) return undefined; // no closed forms (multipath fading)
  if (d.kind === 'hamming74') return d.decoding === 'hard' ? ebnoDb.map((e) => hammingHardBer(d.channel, e)) : undefined;
  const out: number[] = [];
  for (const e of ebnoDb) {
    const v = uncodedBer(d.modulation, d.channel, e);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}
