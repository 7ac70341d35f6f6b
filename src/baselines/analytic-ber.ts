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
import { bpsk } from '../modulations/bpsk.ts';
import { modulationKind, type Modulation } from '../modulations/registry.ts';
import { popcount } from '../math/bits.ts';
export { berAwgn, grayPamBer } from '../modulations/awgn-closed-forms.ts';

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
  const kind = modulationKind(modulation);
  const ber = kind.berAwgn;
  if (!ber) return undefined;
  const gamma = dbToLinear(ebnoDb);
  const esno = kind.bitsPerSymbol * gamma;
  const law = gainLaw(channel);
  if (!law.exact) return undefined;
  if (law.csi !== 'perfect' && kind !== bpsk) return undefined;
  // A bit's error depends only on its own symbol's gain, so block and symbol coherence give the same BER.
  if (kind === bpsk) return meanBpskBer(law, gamma);
  return law.expect((g) => ber(g * esno), 1 / esno);
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
