/**
 * A compiled scenario as plain data: every system with its defaults filled in (compile.ts and the system
 * kinds, src/systems/, build it), and the curves a run measures. results.json records the scenario in this shape.
 */
import type { ClaimName } from '../claim-catalogue.ts';
import type { ChannelSpec } from '../channels/registry.ts';
import type { StoppingRules } from '../montecarlo/types.ts';
import type {
  HammingDecoding,
  HiddenActivation,
  Modulation,
  PowerConstraint,
  Signalling,
  AutoencoderOutput,
  Labelling,
  RtnTransform,
  TwoUserAlpha,
} from '../vocabulary.ts';
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

export interface CompiledLayer {
  units: number;
  activation: HiddenActivation;
  layerNorm: boolean;
  weightNorm: boolean;
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

export interface CompiledAutoencoder extends CompiledCommon {
  type: 'autoencoder';
  normalization: PowerMode;
  encoder: CompiledLayer[];
  decoder: CompiledLayer[];
  train: CompiledTrain;
  mlReference: boolean;
  /** The decoder's output: softmax over the messages, or k sigmoid bits (src/autoencoder/bit-output.ts). */
  output: AutoencoderOutput;
  /** `search`: the run also measures the labelling the binary switching algorithm finds, as `<id>-searched`. */
  labelling: Labelling;
  /** With labelling: search, the Eb/N0 (dB) the search minimizes the BER at. */
  labellingEbnoDb?: number;
  /** A radio transformer network before the decoder (absent: the plain decoder). */
  receiver?: CompiledReceiver;
}

/** The receiver front end of an autoencoder: a radio transformer network (src/layers/radio-transformer.ts). */
export interface CompiledReceiver {
  rtn: { estimator: CompiledLayer[]; transform: RtnTransform };
}

export interface CompiledHamming74 extends CompiledCommon {
  type: 'hamming74';
  decoding: HammingDecoding;
}

export interface CompiledUncoded extends CompiledCommon {
  type: 'uncoded';
  modulation: Modulation;
}

/** Hamming (7,4) + DBPSK over 8 complex uses with MLSE (src/baselines/dbpsk-mlse.ts); its channel has csi: perfect. */
export interface CompiledHamming74Dbpsk extends CompiledCommon {
  type: 'hamming74-dbpsk';
}

export type CompiledSystem = CompiledAutoencoder | CompiledHamming74 | CompiledUncoded | CompiledHamming74Dbpsk | CompiledTwoUser | CompiledTimeSharing;

export interface CompiledScenario {
  name: string;
  description: string;
  seed: number | string;
  channel: ChannelSpec;
  sweep: { ebnoDb: number[] };
  montecarlo: StoppingRules;
  compare: [string, string][];
  systems: CompiledSystem[];
  /** Claim checks to run on the results (src/claim-catalogue.ts), in the order listed; [] by default. */
  claims: ClaimName[];
}

export interface CompiledTwoUser extends Omit<CompiledCommon, 'importance' | 'signalling'> {
  type: 'two-user';
  /** Never set: the scenario checks refuse importance sampling for two-user systems (src/scenario/load.ts). */
  importance?: undefined;
  /** Complex channel uses per block, shared by both users. */
  n: number;
  signalling: 'complex';
  normalization: PowerConstraint;
  encoder: CompiledLayer[];
  decoder: CompiledLayer[];
  train: CompiledTrain;
  /** Cross gain g: y1 = x1 + g·x2 + n1, y2 = x2 + g·x1 + n2. */
  crossGain: number;
  /** `dynamic` (α = L1/(L1+L2) per batch) or a fixed weight. */
  alpha: TwoUserAlpha;
  /** Also measure joint ML decoding of each user (`<id>-u1-ml`, `<id>-u2-ml`). */
  mlReference: boolean;
}

export interface CompiledTimeSharing extends Omit<CompiledCommon, 'signalling'> {
  type: 'time-sharing';
  /** Complex channel uses per block of the two-user system it is the baseline of. */
  n: number;
  signalling: 'complex';
  /**
   * What one user sends on its n/2 active complex uses: 2^(2k/n)-QAM (QPSK for k = n: measured as the
   * equivalent Gray BPSK per real dimension, which has the same bit and block errors and also fits odd n).
   */
  modulation: Modulation;
}

/** One measured curve: every system, plus `<id>-ml` for autoencoders with mlReference. */
export interface CurvePlan {
  id: string;
  label: string;
  system: CompiledSystem;
  /** For `<id>-ml`: the curve measures ML decoding of the system's learned codebook. */
  mlOf?: string;
  /** For `<id>-searched`: the curve measures the system with its searched bit labelling. */
  labelledOf?: string;
  /** Two-user systems: the receiver this curve measures (`<id>-u1`, `<id>-u2` and their `-ml` curves). */
  user?: 1 | 2;
}
