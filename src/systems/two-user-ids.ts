/**
 * A compiled two-user system and the names of two-user systems and their curves (the kind, its run step, its
 * claims and its report part share them).
 */
import type { CompiledCommon, CompiledLayer, CompiledTrain } from '../scenario/compiled-parts.ts';
import type { PowerConstraint, TwoUserAlpha } from '../vocabulary.ts';

/**
 * The compiled `type: two-user` system: two autoencoders trained jointly over the two-user interference channel, k
 * bits per user on n complex uses each, with the cross gain and the weighting α of the users' losses.
 */
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

/** "(n,k)" as the paper writes the two-user configurations: n complex uses, k bits per user. */
export const twoUserName = (n: number, k: number): string => `(${n},${k})`;

/** Curve ids of a two-user system. */
export const userCurveId = (id: string, user: 1 | 2): string => `${id}-u${user}`;
export const userMlCurveId = (id: string, user: 1 | 2): string => `${id}-u${user}-ml`;
