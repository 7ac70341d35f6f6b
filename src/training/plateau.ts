/**
 * Stopping on convergence: a held-out measure decides when training is done, and the learning rate decays
 * when it stops improving (reduce-on-plateau), so `steps` is only an upper bound.
 *
 * The measure is the cross-entropy of the learned decoder(s) on a fixed validation set (the same messages and
 * channel draws at every check, drawn once from the run's seed: common random numbers, so a change is the
 * network's, not the sample's), with its block errors recorded beside it. Cross-entropy rather than the
 * error count: it keeps improving while errors are too rare to count, and it sees both the code (distances)
 * and the decoder. (The single link's validation set: src/autoencoder/convergence.ts; a pair's: src/twouser/train.ts.)
 *
 * Rule, per check (every `validateEvery` steps): the check improves when its loss is below the best so far
 * by more than `minImprovement` (relative). After `patience` checks without improvement the learning rate is
 * divided by `decayFactor` (at most `decays` times, the best loss is kept); after `patience` more checks
 * without improvement at the last rate, training stops: converged.
 */

export interface ConvergenceRule {
  /** Steps between validation checks. */
  validateEvery: number;
  /** Checks without improvement before the learning rate decays (or, after the last decay, training stops). */
  patience: number;
  /** Relative decrease of the validation loss that counts as an improvement. */
  minImprovement: number;
  /** Learning-rate decays before stopping. */
  decays: number;
  /** Each decay divides the learning rate by this. */
  decayFactor: number;
  /** Blocks in the validation set. */
  validationBlocks: number;
}

export type PlateauDecision = 'continue' | 'decay' | 'stop';

/** The reduce-on-plateau state machine over the sequence of validation losses. */
export class PlateauSchedule {
  private best = Infinity;
  private since = 0;
  private decaysDone = 0;

  constructor(private readonly rule: ConvergenceRule) {}

  get decays(): number {
    return this.decaysDone;
  }

  observe(loss: number): PlateauDecision {
    if (loss < this.best * (1 - this.rule.minImprovement)) {
      this.best = loss;
      this.since = 0;
      return 'continue';
    }
    this.best = Math.min(this.best, loss);
    if (++this.since < this.rule.patience) return 'continue';
    this.since = 0;
    if (this.decaysDone < this.rule.decays) {
      this.decaysDone++;
      return 'decay';
    }
    return 'stop';
  }
}
