/**
 * The training loop both trainers share: a single link (src/autoencoder/train.ts) and a two-user pair
 * (src/twouser/train.ts). What differs — one network or a pair, how a step, a validation and the checks
 * after training are done — is the Learner's; the rules are the loop's:
 *
 * - attempts from seed `<seed>` then `<seed>/restart/<r>`; an attempt restarts (at most `maxRestarts` times)
 *   when a loss is not finite, when a network's accuracy is still at chance a quarter of the way in (or when
 *   the run converges before that), or when the learner's checks after training throw a RestartSignal;
 * - Adam steps, each network's loss and accuracy averaged over logging windows of `logEvery` steps, a
 *   progress report per window and per validation check;
 * - stop on convergence (plateau.ts): a validation check every `validateEvery` steps on a fixed set, the
 *   learning rate divided by `decayFactor` on plateaus of the summed validation loss, then stop;
 * - the decoder refinement (`refine`): the encoders frozen, fresh Adam at the refinement rate and Eb/N0,
 *   validated on a set of its own, until that converges or `maxSteps`;
 * - a yield to the event loop every 10 steps, so an AbortSignal (Ctrl-C) and progress bars get through.
 */
import { yieldToEventLoop } from '../platform.ts';
import { DEFAULTS } from '../defaults.ts';
import { TrainingFailedError } from '../errors.ts';
import type { RandomStream, SeedPart } from '../random.ts';
import { PlateauSchedule, type ConvergenceRule, type PlateauDecision } from './plateau.ts';
import {
  middleEbno,
  newRefinementRecord,
  newTrainingRecord,
  type DecoderRefinement,
  type RefinementRecord,
  type TrainEbno,
  type TrainingRecord,
} from './record.ts';

/**
 * A progress report of a trainer, after each logging window and at the end: the step reached, the planned steps, the
 * window's mean loss (summed over networks) and accuracy (mean over networks; NaN before the first window), and the
 * attempt (0 for the first, one more per restart).
 */
export interface TrainProgress {
  step: number;
  steps: number;
  loss: number;
  accuracy: number;
  attempt: number;
  /** The latest validation check (convergence mode): loss and block error rate on the validation set. */
  validation?: { loss: number; bler: number };
}

/** What every trainer takes (`P`: its progress reports). */
export interface TrainingOptions<P extends TrainProgress = TrainProgress> {
  /** Training Eb/N0 in dB: fixed, or { from, to } drawn uniformly per batch. */
  ebnoDb: TrainEbno;
  batchSize: number;
  steps: number;
  learningRate: number;
  seed: SeedPart;
  /** Called with each progress report, synchronously on the training loop. */
  onProgress?: (p: P) => void;
  signal?: AbortSignal;
  /** Loss/accuracy are recorded as averages over windows of this many steps (default steps/200). */
  logEvery?: number;
  /** Restarts allowed after a divergent, stuck or collapsed run (default DEFAULTS.train.maxRestarts). */
  maxRestarts?: number;
  /**
   * Stop on convergence (plateau.ts): `steps` becomes an upper bound, the learning rate decays on
   * plateaus of the validation loss. Without it training runs exactly `steps` steps at a constant rate.
   */
  convergence?: ConvergenceRule;
  /** Decoder refinement after training (the default recipe's last stage). */
  refine?: DecoderRefinement;
  /**
   * A pause (the browser playground's stop and continue): asked every 10 steps, training waits on the
   * promise it returns; undefined goes on at once. Time spent waiting counts in the record's seconds.
   */
  paused?: () => Promise<void> | undefined;
}

/** Thrown by a trainer when its `signal` is aborted (checked before every step); no model is returned. */
export class TrainingAbortedError extends Error {
  constructor() {
    super('training interrupted');
  }
}

/** Thrown inside an attempt to restart training from a derived seed (the message says why). */
export class RestartSignal extends Error {}

/** One step's numbers, one entry per network. */
export interface StepResult {
  /** Mean cross-entropy on the batch (not finite: the attempt restarts). */
  loss: number[];
  /** Correct decisions on the batch. */
  correct: number[];
  /** Further numbers averaged over each logging window (a pair's weight α). */
  extra?: number[];
}

/** A validation check's numbers, one entry per network: mean cross-entropy and block errors on the set. */
export interface CheckResult {
  loss: number[];
  errors: number[];
}

/** The network(s) of one attempt: how they step, validate, freeze and report. */
export interface Learner<T> {
  /** One record per network (1: a single link, 2: a pair), in the order of the step's and check's entries. */
  readonly records: TrainingRecord[];
  /** Messages per network and the accuracy at or below which a network is still at chance. */
  readonly chance: { messages: number; accuracy: number };
  /** Starts worker threads, if any (before the first step). */
  start?(): Promise<void>;
  /** One step: a batch at an Eb/N0 drawn from `ebnoDb` (drawEbno), the gradients (masked while frozen), Adam. */
  step(ebnoDb: TrainEbno): StepResult | Promise<StepResult>;
  /** Adam's learning rate, the moments kept (a decay on a plateau). */
  setLearningRate(learningRate: number): void;
  /** A fresh Adam at `learningRate` (an extension or the refinement). */
  resetOptimizers(learningRate: number): void;
  /** Draws the fixed validation set of `blocks` blocks at `ebnoDb` from stream (seed, 'validation-set'). */
  useValidationSet(blocks: number, ebnoDb: number, seed: string): void;
  /** Evaluates the current weights on the validation set. */
  validate(): CheckResult;
  /** From now on only the decoders train (the refinement). */
  freezeEncoders(): void;
  /** The tfjs models' weights ← the trained parameters. */
  sync(): void;
  /** Stops worker threads, if any (after the attempt, whatever its end). */
  stop?(): Promise<void>;
  /** Frees the models of a failed attempt. */
  dispose(): void;
  /** After the main stage (weights synced): checks that may throw a RestartSignal, further training. */
  trained(run: TrainingRun): Promise<void> | void;
  /** Just before and after the refinement. */
  refining?(): void;
  refined?(): void;
  /** The attempt's product. */
  result(): T;
  /** A logging window ended at `step` (records written); `extra`: its means of StepResult.extra. */
  logged?(step: number, extra: number[]): void;
  /** A validation check at `step` (in the refinement or the main stage). */
  checked?(step: number, check: CheckResult, refining: boolean): void;
  /** Fields after `attempt` in a progress report (default: none, and after a check the stage's validation). */
  progressExtra?(check: boolean): object;
  /** Why the convergence rule stopped a stage (default convergedReason). */
  convergedReason?(rule: ConvergenceRule, decays: number, step: number): string;
}

/** Why the convergence rule stopped a stage, after `decays` decays at `step`. */
export function convergedReason(
  rule: ConvergenceRule,
  decays: number,
  step: number,
  measure = 'the validation loss',
  decayWord = decays === 1 ? 'decay' : 'decays',
): string {
  return `converged: ${measure} did not improve by ${(rule.minImprovement * 100).toFixed(1)}% in ${rule.patience} checks after ${decays} learning-rate ${decayWord} (step ${step})`;
}

/** The Eb/N0 of one batch: fixed, or drawn uniformly from the range (one draw from `stream`). */
export const drawEbno = (range: TrainEbno, stream: RandomStream): number =>
  typeof range === 'number' ? range : range.from + (range.to - range.from) * stream.uniform();

const last = (a: number[]): number | undefined => a[a.length - 1];
const sum = (a: number[]): number => a.reduce((s, x) => s + x);

/** One attempt's training from one seed; `run` may be called again to train further. */
export class TrainingRun {
  private step = 0;
  private learningRate: number;
  /** The training Eb/N0 of the current stage (the refinement trains at its own). */
  private ebnoDb: TrainEbno;
  private validation?: { schedule: PlateauSchedule; rule: ConvergenceRule };
  /** Set when the refinement started: its record per network. */
  private refinement?: RefinementRecord[];
  /** Set when the convergence rule ended training (or the current stage). */
  converged = false;
  /** Why the convergence rule ended the last stage. */
  stopReason = '';

  constructor(
    private readonly learner: Learner<unknown>,
    private readonly opts: TrainingOptions,
    readonly seed: string,
    readonly index: number,
  ) {
    this.learningRate = opts.learningRate;
    this.ebnoDb = opts.ebnoDb;
    const rule = opts.convergence;
    if (rule) {
      const ebnoDb = middleEbno(opts.ebnoDb);
      learner.useValidationSet(rule.validationBlocks, ebnoDb, seed);
      this.validation = { schedule: new PlateauSchedule(rule), rule };
      for (const r of learner.records) r.validation = { steps: [], loss: [], bler: [], blocks: rule.validationBlocks, ebnoDb };
    }
  }

  /** Steps trained so far. */
  get steps(): number {
    return this.step;
  }

  /** Continues with a fresh Adam at a lower learning rate (fine-tuning after the main run). */
  lowerLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
    this.learner.resetOptimizers(learningRate);
  }

  /** Trains `steps` more steps; throws RestartSignal for a divergent or stuck run. */
  async run(steps: number): Promise<void> {
    const { learner, opts } = this;
    const { records } = learner;
    const B = opts.batchSize;
    const logEvery = opts.logEvery ?? Math.max(1, Math.round(opts.steps / 200));
    const end = this.step + steps;
    const total = Math.max(opts.steps, end);
    const stuckCheckAt = this.step === 0 && opts.steps >= 400 ? Math.floor(opts.steps / 4) : -1;
    let w = { loss: records.map(() => 0), correct: records.map(() => 0), extra: [] as number[], steps: 0 };
    const flush = (step: number): void => {
      for (const [u, r] of records.entries()) {
        r.steps.push(step);
        r.loss.push(w.loss[u] / w.steps);
        r.accuracy.push(w.correct[u] / (w.steps * B));
      }
      learner.logged?.(
        step,
        w.extra.map((s) => s / w.steps),
      );
      w = { loss: records.map(() => 0), correct: records.map(() => 0), extra: [], steps: 0 };
    };
    for (let step = this.step + 1; step <= end; step++) {
      // Yield to the event loop now and then so Ctrl-C (an AbortSignal) and progress bars get through.
      if (step % 10 === 0) {
        await yieldToEventLoop();
        await opts.paused?.();
      }
      if (opts.signal?.aborted) throw new TrainingAbortedError();
      const out = await learner.step(this.ebnoDb);
      this.step = step;
      if (!out.loss.every(Number.isFinite)) throw new RestartSignal(`attempt ${this.index}: loss became ${out.loss.join(', ')} at step ${step}`);
      for (const [u, l] of out.loss.entries()) w.loss[u] += l;
      for (const [u, c] of out.correct.entries()) w.correct[u] += c;
      for (const [i, x] of (out.extra ?? []).entries()) w.extra[i] = (w.extra[i] ?? 0) + x;
      w.steps++;
      if (step % logEvery === 0 || step === end) {
        flush(step);
        this.report(step, total, false);
      }
      if (step === stuckCheckAt) this.throwIfAtChance(step);
      if (this.validation && !this.converged && step % this.validation.rule.validateEvery === 0) {
        const decision = this.check(step);
        this.report(step, total, true);
        if (decision === 'stop') {
          const { rule, schedule } = this.validation;
          this.converged = true;
          this.stopReason = learner.convergedReason?.(rule, schedule.decays, step) ?? convergedReason(rule, schedule.decays, step);
          if (!this.refinement) for (const r of records) r.stopReason = this.stopReason;
          // Keep the last logging window's numbers.
          if (w.steps > 0) flush(step);
          // A run still at chance plateaus early (about 10 checks), before the quarter-way stuck check: it
          // has converged to nothing, so the stuck rule applies here too.
          if (step < stuckCheckAt) this.throwIfAtChance(step);
          return;
        }
      }
    }
  }

  /**
   * The decoder refinement: the encoders frozen, a fresh Adam at the refinement rate, batches at the refinement
   * Eb/N0, validated on a set of its own (seed `<seed>/refine`) until that converges or `maxSteps`.
   */
  async refine(r: DecoderRefinement): Promise<void> {
    const { learner } = this;
    learner.freezeEncoders();
    this.ebnoDb = r.ebnoDb;
    this.lowerLearningRate(r.learningRate);
    learner.useValidationSet(r.convergence.validationBlocks, r.ebnoDb, `${this.seed}/refine`);
    this.validation = { schedule: new PlateauSchedule(r.convergence), rule: r.convergence };
    this.converged = false;
    const recs = learner.records.map((rec) => (rec.refinement = newRefinementRecord(r, this.step)));
    this.refinement = recs;
    await this.run(r.maxSteps);
    learner.sync();
    for (const rec of recs) {
      rec.steps = this.step - rec.fromStep;
      rec.stopReason = this.converged ? this.stopReason : `reached its step limit (${r.maxSteps})`;
    }
    for (const rec of learner.records) rec.totalSteps = this.step;
  }

  /** One validation check: record it (in the current stage's records) and let the schedule decide. */
  private check(step: number): PlateauDecision {
    const v = this.validation!;
    const { records } = this.learner;
    const result = this.learner.validate();
    this.learner.checked?.(step, result, this.refinement !== undefined);
    for (const [u, r] of records.entries()) {
      const rec = this.refinement ? this.refinement[u].validation : r.validation;
      rec?.steps.push(step);
      rec?.loss.push(result.loss[u]);
      rec?.bler.push(result.errors[u] / v.rule.validationBlocks);
    }
    const loss = sum(result.loss);
    const decision = Number.isFinite(loss) ? v.schedule.observe(loss) : 'continue';
    if (decision === 'decay') {
      this.learningRate /= v.rule.decayFactor;
      this.learner.setLearningRate(this.learningRate);
      for (const [u, r] of records.entries())
        (this.refinement ? this.refinement[u].learningRateDecays : (r.learningRateDecays ??= [])).push({ step, learningRate: this.learningRate });
    }
    return decision;
  }

  /** Restarts when a network's latest logged accuracy is still at chance. */
  private throwIfAtChance(step: number): void {
    const { records, chance } = this.learner;
    if (chance.messages <= 2) return;
    for (const [u, r] of records.entries()) {
      const acc = last(r.accuracy);
      if (acc !== undefined && acc <= chance.accuracy) {
        const what = records.length === 1 ? 'accuracy' : `user ${u + 1}'s accuracy`;
        throw new RestartSignal(`attempt ${this.index}: ${what} ${acc.toFixed(4)} still at chance (1/${chance.messages}) at step ${step}`);
      }
    }
  }

  /** A progress report: the latest window's loss (summed over networks) and accuracy (their mean). */
  private report(step: number, steps: number, check: boolean): void {
    const { records } = this.learner;
    const logged = records[0].loss.length > 0;
    const loss = logged ? sum(records.map((r) => last(r.loss)!)) : NaN;
    const accuracy = logged ? sum(records.map((r) => last(r.accuracy)!)) / records.length : NaN;
    let extra: object = {};
    if (this.learner.progressExtra) extra = this.learner.progressExtra(check);
    else if (check) {
      const vs = records.map((r, u) => (this.refinement ? this.refinement[u].validation : r.validation!));
      extra = { validation: { loss: sum(vs.map((v) => last(v.loss)!)), bler: sum(vs.map((v) => last(v.bler)!)) / vs.length } };
    }
    this.opts.onProgress?.({ step, steps, loss, accuracy, attempt: this.index, ...extra });
  }
}

/** A trainer: how many networks, and the learner of each attempt. */
export interface Trainer<T> {
  /** Named in the error after the last failed attempt ("<what> failed after N attempts"). */
  what: string;
  networks: number;
  /** The tfjs backend, for the records. */
  backend: string | undefined;
  learner(seed: string, index: number, records: TrainingRecord[]): Learner<T>;
}

/** Trains attempt after attempt until one passes its checks (or the restarts run out). */
export async function trainWithRestarts<T, P extends TrainProgress>(opts: TrainingOptions<P>, trainer: Trainer<T>): Promise<T> {
  const maxRestarts = opts.maxRestarts ?? DEFAULTS.train.maxRestarts;
  const started = performance.now();
  const restartReasons: string[] = [];
  for (let index = 0; ; index++) {
    const seed = index === 0 ? String(opts.seed) : `${opts.seed}/restart/${index}`;
    const records = Array.from({ length: trainer.networks }, () => newTrainingRecord(opts, index, seed, restartReasons, trainer.backend));
    const learner = trainer.learner(seed, index, records);
    let result: T;
    try {
      const run = new TrainingRun(learner, opts as TrainingOptions, seed, index);
      await learner.start?.();
      await run.run(opts.steps);
      for (const r of records) r.totalSteps = run.steps;
      learner.sync();
      await learner.trained(run);
      if (opts.refine) {
        learner.refining?.();
        await run.refine(opts.refine);
        learner.refined?.();
      }
      result = learner.result();
    } catch (err) {
      await learner.stop?.();
      learner.dispose();
      if (!(err instanceof RestartSignal)) throw err;
      restartReasons.push(err.message);
      if (index >= maxRestarts) throw new TrainingFailedError(trainer.what, restartReasons);
      continue;
    }
    await learner.stop?.();
    const seconds = (performance.now() - started) / 1000;
    for (const r of records) {
      r.finalAccuracy = last(r.accuracy) ?? NaN;
      r.seconds = seconds;
    }
    return result;
  }
}
