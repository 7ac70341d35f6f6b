/**
 * The training record: what one network's training did (logged loss and accuracy, validation checks,
 * learning-rate decays, restarts, extensions, the decoder refinement, why it stopped). A single link keeps one,
 * each user of a two-user pair its own; saved with the model and in results.json.
 */
import type { ConvergenceRule } from './plateau.ts';

/** Training Eb/N0 in dB: fixed, or a range { from, to } drawn uniformly per batch (the scenario's form, also on disk). */
export type TrainEbno = number | { from: number; to: number };

/** Block errors of the learned decoder and of ML decoding of its codebook on the same blocks, and where only one erred. */
export interface DecoderErrors {
  learned: number;
  ml: number;
  learnedOnly: number;
  mlOnly: number;
}

/**
 * What training did, kept with the model and in results.json: the loss and accuracy curve (means over logging
 * windows), the schedule it ran with (Eb/N0 in dB, batch size, learning rate, steps), its duration in seconds,
 * restarts and extensions with their reasons, the seed path of the attempt that produced the weights, and, when used,
 * the convergence, learning-rate and refinement history.
 */
export interface TrainingRecord {
  /** Step at the end of each logging window, and the window's mean loss and accuracy. */
  steps: number[];
  loss: number[];
  accuracy: number[];
  finalAccuracy: number;
  seconds: number;
  ebnoDb: TrainEbno;
  batchSize: number;
  learningRate: number;
  totalSteps: number;
  /** How many times training restarted from a new seed (divergence, stuck at chance, collapsed code), and why. */
  restarts: number;
  restartReasons: string[];
  /** Each time training was extended because the decoder lagged ML decoding of its own code (why, how much). */
  extensions: string[];
  /** The seed path of the attempt that produced these weights. */
  seed: string;
  /** The tfjs backend it trained on (src/backend.ts); older records lack it. */
  backend?: string;
  /** Why training ended (converged, step limit, fixed length). Older records lack it. */
  stopReason?: string;
  /** Learning-rate decays on validation plateaus (convergence mode). */
  learningRateDecays?: { step: number; learningRate: number }[];
  /** Validation checks (convergence mode): loss and block error rate of the learned decoder on a fixed set. */
  validation?: { steps: number[]; loss: number[]; bler: number[]; blocks: number; ebnoDb: number };
  /**
   * The decoder refinement (default recipe): the encoder frozen, the decoder trained on at `ebnoDb` from step
   * `fromStep` for `steps` steps at `learningRate`, validated on its own set there. `vsMl`: the learned
   * decoder's block errors against ML decoding of the same codebook on the same fresh AWGN blocks at
   * `ebnoDb`, before and after (AWGN only).
   */
  refinement?: RefinementRecord;
}

export interface RefinementRecord {
  ebnoDb: number;
  learningRate: number;
  fromStep: number;
  steps: number;
  blocks: number;
  stopReason: string;
  learningRateDecays: { step: number; learningRate: number }[];
  validation: { steps: number[]; loss: number[]; bler: number[] };
  vsMl?: { blocks: number; before: DecoderErrors; after: DecoderErrors };
}

/**
 * Decoder refinement after training (the default recipe's last stage): the encoder(s) frozen, the decoder(s)
 * trained on at `ebnoDb` with a fresh Adam at `learningRate` until the validation loss there converges.
 */
export interface DecoderRefinement {
  ebnoDb: number;
  learningRate: number;
  maxSteps: number;
  convergence: ConvergenceRule;
}

/** The middle of a training Eb/N0 range (where the validation set is drawn). */
export const middleEbno = (r: TrainEbno): number => (typeof r === 'number' ? r : (r.from + r.to) / 2);

/** The record an attempt starts with (one per network). */
export function newTrainingRecord(
  opts: { ebnoDb: TrainEbno; batchSize: number; learningRate: number; steps: number; convergence?: ConvergenceRule },
  restarts: number,
  seed: string,
  restartReasons: string[],
  backend: string | undefined,
): TrainingRecord {
  return {
    steps: [],
    loss: [],
    accuracy: [],
    finalAccuracy: NaN,
    seconds: 0,
    ebnoDb: opts.ebnoDb,
    batchSize: opts.batchSize,
    learningRate: opts.learningRate,
    totalSteps: opts.steps,
    restarts,
    restartReasons,
    extensions: [],
    seed,
    ...(backend ? { backend } : {}),
    learningRateDecays: [],
    stopReason: opts.convergence ? `reached the step limit (${opts.steps}) before converging` : `fixed length: ${opts.steps} steps`,
  };
}

/** The record of a decoder refinement that starts after `fromStep` steps (filled in as it runs). */
export function newRefinementRecord(r: DecoderRefinement, fromStep: number): RefinementRecord {
  return {
    ebnoDb: r.ebnoDb,
    learningRate: r.learningRate,
    fromStep,
    steps: 0,
    blocks: r.convergence.validationBlocks,
    stopReason: '',
    learningRateDecays: [],
    validation: { steps: [], loss: [], bler: [] },
  };
}
