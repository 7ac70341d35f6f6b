/**
 * What every compiled system is made of, as plain data: the common fields, hidden layers, the training recipe.
 * The system kinds (src/systems/) declare their compiled shapes with them; compiled.ts puts the scenario together.
 */
import type { ChannelSpec } from '../channels/registry.ts';
import type { HiddenActivation, PowerConstraint, Signalling } from '../vocabulary.ts';
import type { ConvergenceRule } from '../autoencoder/convergence.ts';
import type { DecoderRefinement } from '../autoencoder/train.ts';
import type { TrainEbno } from '../autoencoder/spec.ts';

/** @deprecated name kept for readers of older code: the power constraint. */
export type PowerMode = PowerConstraint;

/** How an autoencoder trains, every choice resolved (results.json records it as the recipe used). */
export interface CompiledTrain {
  /** Training Eb/N0: fixed, or { from, to } drawn per batch. */
  ebnoDb: TrainEbno;
  /** `auto`: chosen by the trainer's rule (src/autoencoder/recipe.ts); `scenario`: written in the scenario. */
  ebnoDbChoice: 'auto' | 'scenario';
  batchSize: number;
  /** Adam's (initial) learning rate. */
  learningRate: number;
  /** `converged`: stop on convergence, at most `steps` steps; `fixed`: exactly `steps` steps at a constant rate. */
  stop: 'converged' | 'fixed';
  steps: number;
  /** The convergence rule (stop: converged). */
  convergence?: ConvergenceRule;
  /** The decoder refinement stage (auto Eb/N0 and stop on convergence, unless `refine: false`). */
  refine?: DecoderRefinement;
}

/** A hidden layer of a compiled scenario: every field given (the form results.json records). */
export interface CompiledLayer {
  units: number;
  activation: HiddenActivation;
  layerNorm: boolean;
  weightNorm: boolean;
  /** Present only when true (compiled scenarios from before it read the same). */
  batchNorm?: true;
}

/** What every compiled system has (two-user and time-sharing systems too). */
export interface CompiledCommon {
  /**
   * Present when the system's curves are measured by importance sampling (`montecarlo: { method: importance }`
   * on the system or the scenario; src/montecarlo/importance.ts); absent: plain Monte Carlo.
   */
  importance?: { targetRelativeHalfWidth: number };
  id: string;
  label: string;
  channel: ChannelSpec;
  k: number;
  n: number;
  signalling: Signalling;
}
