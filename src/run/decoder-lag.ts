/**
 * Does a learned decoder end far from ML decoding of its own codebook? Both curves are measured on the same
 * messages and noise (the `-ml` curve reuses the autoencoder's streams), so a gap is the decoder's, not the
 * code's. "Far" means at least `minRatio` times the BLER with the two 95% intervals apart, so sampling noise
 * alone never triggers it.
 */
import { referenceKnowsMore } from '../channels/registry.ts';
import { isFinished, type Curve } from '../results/results.ts';

export interface DecoderLag {
  ebnoDb: number;
  /** Learned BLER ÷ ML BLER at that point. */
  ratio: number;
}

/**
 * The point where the learned decoder lags most clearly, or undefined when it never does, or when the
 * reference knows what the learned receiver cannot (the genie with the multipath taps known, against a
 * receiver without CSI): training cannot close that gap, and "train longer" would send the user in vain.
 */
export function decoderLag(learned: Curve, ml: Curve, minRatio = 2): DecoderLag | undefined {
  if (referenceKnowsMore(learned.channel, learned.n)) return undefined;
  let worst: DecoderLag | undefined;
  learned.points.forEach((p, i) => {
    const q = ml.points[i];
    if (!q || !isFinished(p) || !isFinished(q) || q.bler <= 0 || p.ciLow <= q.ciHigh) return;
    const ratio = p.bler / q.bler;
    if (ratio >= minRatio && (!worst || ratio > worst.ratio)) worst = { ebnoDb: p.ebnoDb, ratio };
  });
  return worst;
}
