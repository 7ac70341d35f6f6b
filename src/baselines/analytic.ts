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
 * - Fading (the channel kind's gain law, src/channels/kind.ts: Rayleigh |h|² ~ Exp(1), Rician noncentral
 *   χ²), perfect CSI (zero forcing keeps the per-symbol decision; for real BPSK the sign decision does not
 *   need CSI at all): conditional on the gain g = |h|² the symbol error is the AWGN one at g·γ.
 *   · symbol fading (independent gain per channel use): symbols err independently with the averaged
 *     SER̄ = E_g[SER(gγ)] (BPSK over Rayleigh: ½(1 − √(γ/(1+γ))) in closed form), BLER = 1 − (1 − SER̄)^symbols;
 *   · block fading (one gain per block): BLER = E_g[1 − (1 − SER(gγ))^symbols], by numerical integration.
 *   The Hamming hard decoder is handled the same way with its 7 coded bits.
 * Hamming ML (soft) decoding has no closed form (only bounds): analyticCurve returns undefined for it.
 */
import { gainLaw, type ChannelSpec } from '../channels/registry.ts';
import { meanBpskBer } from '../channels/fading-fields.ts';
import { dbToLinear } from '../conventions.ts';
import type { BlockSystem } from '../system.ts';
import { bpsk } from '../modulations/bpsk.ts';
import { modulationKind, type Modulation } from '../modulations/registry.ts';
import { atLeastOne, qfunc } from '../math/special.ts';

export { atLeastOne, erfc, expectationOverExp1, integrate, qfunc } from '../math/special.ts';
export { serAwgn } from '../modulations/awgn-closed-forms.ts';
export { rayleighBpskBer } from '../channels/fading-fields.ts';

/** P(≥ 2 of 7 bits wrong) at bit error p, summed term by term (no cancellation). */
export function hammingHardBlockError(p: number): number {
  const C = [1, 7, 21, 35, 35, 21, 7, 1];
  let s = 0;
  for (let i = 2; i <= 7; i++) s += C[i] * p ** i * (1 - p) ** (7 - i);
  return s;
}

/**
 * A classical baseline with a closed-form BLER: uncoded `modulation` carrying k bits per block, or Hamming (7,4) with
 * hard-decision or ML decoding, each over `channel`.
 */
export type BaselineDescription =
  | { kind: 'uncoded'; modulation: Modulation; k: number; channel: ChannelSpec }
  | { kind: 'hamming74'; decoding: 'hard' | 'ml'; channel: ChannelSpec };

/**
 * BLER of uncoded `modulation` with k bits per block, at Eb/N0 = ebnoDb; undefined where the modulation has no
 * closed form over AWGN (its kind gives no serAwgn) or the channel none over fading.
 */
export function uncodedBler(modulation: Modulation, k: number, channel: ChannelSpec, ebnoDb: number): number | undefined {
  const kind = modulationKind(modulation);
  const ser = kind.serAwgn;
  if (!ser) return undefined;
  const q = kind.bitsPerSymbol;
  const symbols = k / q;
  const gamma = dbToLinear(ebnoDb);
  const esno = q * gamma;
  const law = gainLaw(channel);
  if (!law.exact) return undefined;
  // Zero forcing keeps the AWGN decision at SNR g·Es/N0; BPSK on a real channel needs no CSI.
  if (law.csi !== 'perfect' && kind !== bpsk) return undefined;
  if (law.coherence === 'symbol') {
    const mean = kind === bpsk ? meanBpskBer(law, gamma) : law.expect((g) => ser(g * esno), 1 / esno);
    return atLeastOne(mean, symbols);
  }
  return law.expect((g) => atLeastOne(ser(g * esno), symbols), 1 / esno);
}

/** BLER of Hamming (7,4) with hard decision (NaN where the channel has no closed form: analyticCurve never asks). */
export function hammingHardBler(channel: ChannelSpec, ebnoDb: number): number {
  const snr = (4 / 7) * dbToLinear(ebnoDb); // Es/N0 per coded bit
  const law = gainLaw(channel);
  if (!law.exact) return NaN;
  if (law.coherence === 'symbol') return hammingHardBlockError(meanBpskBer(law, snr));
  return law.expect((g) => hammingHardBlockError(qfunc(Math.sqrt(2 * g * snr))), 1 / snr);
}

/** The baseline a BlockSystem's decoder identifies (symbolwise-hard → uncoded, hamming74-hard → Hamming hard). */
export function describeBaseline(system: BlockSystem): BaselineDescription | undefined {
  const d = system.decoder;
  if (d.kind === 'hamming74-hard') return { kind: 'hamming74', decoding: 'hard', channel: system.channel };
  if (d.kind === 'symbolwise-hard') {
    return { kind: 'uncoded', modulation: d.modulation, k: system.k, channel: system.channel };
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
  if (!d || !gainLaw(d.channel).exact) return undefined; // no closed forms (multipath fading)
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
