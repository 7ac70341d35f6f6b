/**
 * Compiling `type: two-user` and `type: time-sharing` scenario entries (every default filled in), and the
 * curves a two-user system measures. The README section "Two users" describes them.
 */
import type { ChannelSpec } from '../channels/registry.ts';
import { rayleighDefaults } from '../channels/rayleigh.ts';
import { DEFAULTS, LIMITS } from '../defaults.ts';
import { autoTrainingEbno } from '../autoencoder/recipe.ts';
import type { Modulation } from '../modulations/registry.ts';
import { POWER_CONSTRAINT_LABELS } from '../vocabulary.ts';
import { compileLayers, compileTrain } from './compile-parts.ts';
import type { CompiledTimeSharing, CompiledTrain, CompiledTwoUser, CurvePlan } from './compiled.ts';
import type { HiddenLayerInput, TimeSharingInput, TwoUserInput } from './schema.ts';
import type { TrainEbno } from '../autoencoder/spec.ts';

/** "(n,k)" as the paper writes the two-user configurations: n complex uses, k bits per user. */
export const twoUserName = (n: number, k: number): string => `(${n},${k})`;

/**
 * Whether a two-user input gets its joint-ML curves: by default for small k, and not over Rayleigh links
 * without CSI (the nearest-pair search needs the gains; the scenario checks refuse asking for it there).
 */
export function wantsTwoUserMl(s: { k: number; mlReference?: boolean }, channel?: { type: string; csi?: string }): boolean {
  const noCsi = channel?.type === 'rayleigh' && (channel.csi ?? rayleighDefaults.csi) === 'none';
  return s.mlReference ?? (s.k <= DEFAULTS.twoUser.mlReferenceMaxK && !noCsi);
}

/** M² ≤ LIMITS.twoUserMlPairs: the joint ML decoder searches every pair of codewords. */
export const twoUserMlAllowed = (k: number): boolean => 4 ** k <= LIMITS.twoUserMlPairs;

/**
 * The time-sharing reference a two-user (n, k) system is compared with has k bits on n real dimensions
 * (each user: n/2 complex uses at twice the power), so the auto training Eb/N0 is where that uncoded
 * reference has BLER 0.1: the single-link recipe's rule (src/autoencoder/recipe.ts) applied to it. Over Rayleigh
 * links the reference is coherent time sharing over the own link's fading (recipe.ts referenceBler).
 */
export function twoUserAutoEbno(k: number, n: number, channel: ChannelSpec = { type: 'awgn' }): TrainEbno {
  if (channel.type !== 'rayleigh') return autoTrainingEbno(k, n, 'real', channel);
  const [from, to] = DEFAULTS.twoUser.fading.trainBlers;
  return { from: autoTrainingEbno(k, n, 'real', channel, from), to: autoTrainingEbno(k, n, 'real', channel, to) };
}

/**
 * Training settings: the single-link rules, with the two-user auto Eb/N0. The decoder refinement of the default
 * recipe runs where time sharing has BLER DEFAULTS.train.refine.referenceBler (the single-link rule with the
 * two-user reference); over Rayleigh links, trained over an Eb/N0 range, there is no refinement.
 */
function twoUserTrain(s: TwoUserInput, channel: ChannelSpec): CompiledTrain {
  const t = compileTrain(s.train ?? {}, s.k, s.n, 'complex', channel, twoUserAutoEbno(s.k, s.n, channel));
  if (!t.refine) return t;
  const { refine, ...rest } = t;
  if (channel.type !== 'awgn') return rest;
  return { ...rest, refine: { ...refine, ebnoDb: autoTrainingEbno(s.k, s.n, 'real', channel, DEFAULTS.train.refine.referenceBler) } };
}

/** The hidden layers of each decoder where the scenario does not give them (DEFAULTS.twoUser.fading over Rayleigh). */
function defaultDecoder(k: number, channel: ChannelSpec): HiddenLayerInput[] | undefined {
  if (channel.type !== 'rayleigh') return undefined; // the paper's Dense(M, relu)
  const f = DEFAULTS.twoUser.fading;
  return Array.from({ length: f.decoderLayers }, () => ({ units: Math.max(2 ** k, f.decoderUnits) }));
}

export function compileTwoUser(s: TwoUserInput, channel: ChannelSpec): CompiledTwoUser {
  const M = 2 ** s.k;
  const normalization = s.normalization ?? DEFAULTS.twoUser.powerConstraint;
  return {
    type: 'two-user',
    id: s.id,
    label: s.label ?? `AE two users ${twoUserName(s.n, s.k)}, ${POWER_CONSTRAINT_LABELS[normalization]}`,
    channel,
    k: s.k,
    n: s.n,
    signalling: 'complex',
    normalization,
    encoder: compileLayers(s.encoder, M),
    decoder: compileLayers(s.decoder ?? defaultDecoder(s.k, channel), M),
    train: twoUserTrain(s, channel),
    crossGain: s.crossGain ?? DEFAULTS.twoUser.crossGain,
    alpha: s.alpha ?? DEFAULTS.twoUser.alpha,
    mlReference: wantsTwoUserMl(s, channel),
  };
}

/** Bits per real dimension of time sharing → the uncoded modulation measured (per real dimension, Gray). */
export const TIME_SHARING_MODULATION: Record<number, Modulation> = { 1: 'bpsk', 2: 'qam16', 3: 'qam64' };
const QAM_NAME: Record<number, string> = { 1: 'QPSK', 2: '16-QAM', 3: '64-QAM' };

export function compileTimeSharing(s: TimeSharingInput, channel: ChannelSpec): CompiledTimeSharing {
  const perDim = s.k / s.n;
  return {
    type: 'time-sharing',
    id: s.id,
    label: s.label ?? `Time sharing ${twoUserName(s.n, s.k)}, ${QAM_NAME[perDim] ?? '?'}`,
    channel,
    k: s.k,
    n: s.n,
    signalling: 'complex',
    modulation: TIME_SHARING_MODULATION[perDim],
  };
}

/** Curve ids of a two-user system. */
export const userCurveId = (id: string, user: 1 | 2): string => `${id}-u${user}`;
export const userMlCurveId = (id: string, user: 1 | 2): string => `${id}-u${user}-ml`;

export function twoUserCurvePlans(s: CompiledTwoUser): CurvePlan[] {
  const out: CurvePlan[] = [];
  for (const user of [1, 2] as const) out.push({ id: userCurveId(s.id, user), label: `${s.label}, user ${user}`, system: s, user });
  if (s.mlReference)
    for (const user of [1, 2] as const)
      out.push({ id: userMlCurveId(s.id, user), label: `${s.label}, user ${user} + joint ML decoding`, system: s, user, mlOf: userCurveId(s.id, user) });
  return out;
}

/** Training settings of a two-user system as the trainer takes them. */
export type TwoUserTrainSettings = Pick<CompiledTwoUser, 'k' | 'n' | 'normalization' | 'encoder' | 'decoder' | 'crossGain' | 'alpha'> & { train: CompiledTrain };
