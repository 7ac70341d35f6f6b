/**
 * The trainer's default recipe, where a scenario leaves training to the defaults.
 *
 * Training Eb/N0 ("auto"): the Eb/N0 at which sending the same k bits uncoded over the same number of real
 * dimensions has block error rate DEFAULTS.train.autoReferenceBler (0.1). Uncoded here means one bit per
 * real dimension (BPSK) when the system carries at most one bit per real dimension, and otherwise L-ary
 * PAM per real dimension with L = 2^(bits per real dimension) (so "(2,4)" = 4 bits on 2 real dimensions is
 * compared with 16-QAM). Why: the network learns distances from the confusions it makes, so it must train
 * where errors are frequent (around 10% of blocks for a reference code); much higher (the paper's 7 dB for
 * (7,4), ~3% reference errors) converges to codes with smaller minimum distance, 0.4–0.7 dB worse at 1e-4
 * (docs/concepts.md, "Training"), much lower drowns the geometry in noise. Measured across (7,4), (2,2), (8,8) and
 * "(2,4)": see docs/measurements.md, "Training defaults".
 */
import { gainLaw, type ChannelSpec } from '../channels/registry.ts';
import { qfunc } from '../math/special.ts';
import { dbToLinear } from '../conventions.ts';
import { DEFAULTS } from '../defaults.ts';
import type { Signalling } from '../vocabulary.ts';

/**
 * Block error rate of the uncoded reference at Eb/N0 (dB) over `channel` (perfect CSI: the reference is the
 * coherent uncoded system). Block fading: one gain for the whole block, E_g[BLER_awgn(g·Eb/N0)]. Symbol
 * fading: each real dimension's symbol sees its own gain (for complex signalling the two dimensions of a
 * use share one; treating them as independent changes this reference by well under its role's precision).
 */
export function referenceBler(k: number, dims: number, ebnoDb: number, channel: ChannelSpec = { type: 'awgn' }): number {
  const rho = k / dims; // bits per real dimension
  const ebno = dbToLinear(ebnoDb);
  const L = 2 ** rho;
  const esno = rho * ebno; // per real dimension
  // Symbol error per real dimension at channel power gain g, and how many such symbols a block has.
  const ser = rho <= 1 ? (g: number) => qfunc(Math.sqrt(2 * g * ebno)) : (g: number) => 2 * (1 - 1 / L) * qfunc(Math.sqrt((6 * g * esno) / (L * L - 1)));
  const symbols = rho <= 1 ? k : dims;
  const scale = 1 / Math.max(ebno, esno);
  // The channel kind's gain law (multipath: one Exp(1) gain per block, src/channels/multipath.ts).
  const law = gainLaw(channel);
  if (law.coherence === 'block') return law.expect((g) => 1 - (1 - ser(g)) ** symbols, scale);
  return 1 - (1 - law.expect(ser, scale)) ** symbols;
}

/** The "auto" training Eb/N0 in dB (rounded to 0.1 dB), by bisection on the reference BLER. */
export function autoTrainingEbno(
  k: number,
  n: number,
  signalling: Signalling,
  channel: ChannelSpec = { type: 'awgn' },
  target: number = DEFAULTS.train.autoReferenceBler,
): number {
  const dims = signalling === 'complex' ? 2 * n : n;
  let lo = -10;
  let hi = 40;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (referenceBler(k, dims, mid, channel) > target) lo = mid;
    else hi = mid;
  }
  return Math.round(((lo + hi) / 2) * 10) / 10;
}
