/**
 * Which training settings most likely made a training fail on legal values, from what failed (the restart
 * reasons of src/training/loop.ts): a non-finite loss or accuracy stuck at chance come, in practice, from a
 * learning rate far above the recipe's or a training Eb/N0 so low that the noise buries every codeword.
 */
import { DEFAULTS } from '../defaults.ts';
import type { CompiledTrain } from '../scenario/compiled-parts.ts';

/** Below this training Eb/N0 (dB) the decoder sees mostly noise: every recipe of the project trains above −5 dB. */
const LOW_TRAIN_EBNO_DB = -10;

export function trainingSuspects(t: CompiledTrain, reasons: string[]): string[] {
  const out: string[] = [];
  const diverged = reasons.some((r) => /loss became/.test(r));
  if (t.learningRate >= 10 * DEFAULTS.train.learningRate || (diverged && t.learningRate > DEFAULTS.train.learningRate))
    out.push(
      `train.learningRate: ${t.learningRate} (the default is ${DEFAULTS.train.learningRate}; a rate this large makes Adam's steps overshoot: a non-finite loss or no learning)`,
    );
  const e = t.ebnoDb;
  const low = typeof e === 'number' ? e : typeof e === 'object' && e !== null && 'from' in e ? e.to : undefined;
  if (low !== undefined && low < LOW_TRAIN_EBNO_DB)
    out.push(
      `train.ebnoDb: ${JSON.stringify(e)} dB (below ${LOW_TRAIN_EBNO_DB} dB the noise buries the codewords: nothing to learn; "auto" picks one from k and n)`,
    );
  return out;
}
