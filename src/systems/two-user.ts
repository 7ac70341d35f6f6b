/**
 * The two-user system kind: `type: two-user`, the interference channel of O'Shea & Hoydis 2017, Section
 * III.B: two learned transmitter–receiver pairs sharing one channel, trained together (src/twouser/). Its
 * curves: `<id>-u1`, `<id>-u2` (each receiver) and, with mlReference, `<id>-u1-ml`, `<id>-u2-ml` (joint ML
 * decoding of each user: nearest pair of codewords). Every curve is measured on the system's own streams, so
 * all four see the same blocks. docs/scenarios.md, "Two users", describes them.
 */
import { z } from 'zod';
import { blockFading, channelKindOf, channelTypesWhere, writtenFading, type ChannelSpec } from '../channels/registry.ts';
import { DEFAULTS, LIMITS } from '../defaults.ts';
import { autoTrainingEbno } from '../autoencoder/recipe.ts';
import type { TrainEbno } from '../autoencoder/spec.ts';
import { UserError } from '../errors.ts';
import { isObj } from '../data/is-object.ts';
import { cliMsg, twoUserMsg as M } from '../messages.ts';
import type { BlockSystem } from '../system.ts';
import { userSpec } from '../twouser/spec.ts';
import { compileLayers, compileTrain, quickTrain } from '../scenario/compile-parts.ts';
import type { CompiledTrain } from '../scenario/compiled-parts.ts';
import { common, finite, hiddenLayerSchema, posInt, trainSchema, type HiddenLayerInput } from '../scenario/schema-parts.ts';
import { POWER_CONSTRAINT_LABELS, POWER_CONSTRAINTS, SIGNALLINGS } from '../vocabulary.ts';
import { defineSystemKind, trainEbnoText, type CurvePlanOf, type ObtainContext, type SystemCheckContext, type SystemReport } from './kind.ts';
import { codebookRows, trainingSummary, type ModelSource } from './records.ts';
import { twoUserName, userCurveId, userMlCurveId, type CompiledTwoUser } from './two-user-ids.ts';
import { isPosInt } from './values.ts';

const schema = z
  .strictObject({
    type: z.literal('two-user'),
    ...common,
    k: posInt().meta({ description: 'Bits per block and user; M = 2^k messages each.' }),
    n: posInt().max(4096).meta({ description: 'Complex channel uses per block, shared by both users (2n real values each).' }),
    signalling: z.enum(SIGNALLINGS).optional().meta({ description: 'Only complex (the default): the two users share n complex channel uses.' }),
    normalization: z
      .enum(POWER_CONSTRAINTS)
      .optional()
      .meta({ description: `Power constraint of each transmitter. Default ${DEFAULTS.twoUser.powerConstraint} (the paper's for this case).` }),
    encoder: z
      .array(hiddenLayerSchema)
      .max(16)
      .optional()
      .meta({ description: "Hidden layers of each encoder; default one Dense(M, relu) (the paper's Table IV)." }),
    decoder: z
      .array(hiddenLayerSchema)
      .max(16)
      .optional()
      .meta({
        description: `Hidden layers of each decoder; default one Dense(M, relu), over Rayleigh links ${DEFAULTS.twoUser.fading.decoderLayers} × Dense(max(M, ${DEFAULTS.twoUser.fading.decoderUnits}), relu).`,
      }),
    train: trainSchema.optional(),
    crossGain: finite()
      .meta({ description: `Cross gain g of the interfering links: y1 = x1 + g·x2 + n1 (default ${DEFAULTS.twoUser.crossGain}).` })
      .optional(),
    alpha: z
      .union([z.literal('dynamic'), z.number().min(0).max(1)], { error: 'expected dynamic or a number in [0, 1]' })
      .optional()
      .meta({
        description: `Weight α of the loss α·L1 + (1−α)·L2: dynamic (α = L1/(L1+L2) after every batch, from ${DEFAULTS.twoUser.alpha0}) or fixed. Default ${DEFAULTS.twoUser.alpha}.`,
      }),
    mlReference: z
      .boolean()
      .optional()
      .meta({
        description: `Also measure joint ML decoding of each user (nearest pair of codewords, M² candidates) as "<id>-u1-ml", "<id>-u2-ml". Default true for k ≤ ${DEFAULTS.twoUser.mlReferenceMaxK}; allowed for M² ≤ ${LIMITS.twoUserMlPairs}.`,
      }),
  })
  .meta({ description: 'Two learned transmitter–receiver pairs sharing one channel (the paper\'s interference channel); curves "<id>-u1", "<id>-u2".' });

export type TwoUserInput = z.infer<typeof schema>;

export { twoUserName, userCurveId, userMlCurveId, type CompiledTwoUser } from './two-user-ids.ts';

/**
 * Whether a two-user input gets its joint-ML curves: by default for small k, and not over fading links
 * without CSI (the nearest-pair search needs the gains; the scenario checks refuse asking for it there).
 */
export function wantsTwoUserMl(s: { k: number; mlReference?: boolean }, channel?: { type: string; csi?: string }): boolean {
  const fading = writtenFading(channel);
  const noCsi = fading !== undefined && fading.gains > 0 && fading.csi === 'none';
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
  // Over fading links BLER falls as 1/Eb/N0: a range of training Eb/N0, not one value.
  if (blockFading(channel, n).gains === 0) return autoTrainingEbno(k, n, 'real', channel);
  const [from, to] = DEFAULTS.twoUser.fading.trainBlers;
  return { from: autoTrainingEbno(k, n, 'real', channel, from), to: autoTrainingEbno(k, n, 'real', channel, to) };
}

/**
 * Training settings: the single-link rules, with the two-user auto Eb/N0. The decoder refinement of the default
 * recipe runs where time sharing has BLER DEFAULTS.train.refine.referenceBler (the single-link rule with the
 * two-user reference); over fading links, trained over an Eb/N0 range, there is no refinement.
 */
function twoUserTrain(s: TwoUserInput, channel: ChannelSpec): CompiledTrain {
  const t = compileTrain(s.train ?? {}, s.k, s.n, 'complex', channel, twoUserAutoEbno(s.k, s.n, channel));
  if (!t.refine) return t;
  const { refine, ...rest } = t;
  if (blockFading(channel, s.n).gains > 0) return rest;
  return { ...rest, refine: { ...refine, ebnoDb: autoTrainingEbno(s.k, s.n, 'real', channel, DEFAULTS.train.refine.referenceBler) } };
}

/** The hidden layers of each decoder where the scenario does not give them (DEFAULTS.twoUser.fading over fading links). */
function defaultDecoder(k: number, n: number, channel: ChannelSpec): HiddenLayerInput[] | undefined {
  if (blockFading(channel, n).gains === 0) return undefined; // the paper's Dense(M, relu)
  const f = DEFAULTS.twoUser.fading;
  return Array.from({ length: f.decoderLayers }, () => ({ units: Math.max(2 ** k, f.decoderUnits) }));
}

function compile(input: Record<string, unknown>, channel: ChannelSpec): CompiledTwoUser {
  const s = input as TwoUserInput;
  const M = 2 ** s.k;
  const normalization = s.normalization ?? DEFAULTS.twoUser.powerConstraint;
  const out: CompiledTwoUser = {
    type: 'two-user',
    id: s.id,
    label: '',
    channel,
    k: s.k,
    n: s.n,
    signalling: 'complex',
    normalization,
    encoder: compileLayers(s.encoder, M),
    decoder: compileLayers(s.decoder ?? defaultDecoder(s.k, s.n, channel), M),
    train: twoUserTrain(s, channel),
    crossGain: s.crossGain ?? DEFAULTS.twoUser.crossGain,
    alpha: s.alpha ?? DEFAULTS.twoUser.alpha,
    mlReference: wantsTwoUserMl(s, channel),
  };
  out.label = s.label ?? defaultLabel(out);
  return out;
}

const defaultLabel = (s: CompiledTwoUser): string => `AE two users ${twoUserName(s.n, s.k)}, ${POWER_CONSTRAINT_LABELS[s.normalization]}`;

function curvePlans(s: CompiledTwoUser): CurvePlanOf<CompiledTwoUser>[] {
  const out: CurvePlanOf<CompiledTwoUser>[] = [];
  for (const user of [1, 2] as const) out.push({ id: userCurveId(s.id, user), label: `${s.label}, user ${user}`, system: s, user });
  if (s.mlReference)
    for (const user of [1, 2] as const)
      out.push({ id: userMlCurveId(s.id, user), label: `${s.label}, user ${user} + joint ML decoding`, system: s, user, mlOf: userCurveId(s.id, user) });
  return out;
}

/** The channel of a two-user or time-sharing entry as its checks read it (its kind's defaults filled). */
export function linkOf(ctx: SystemCheckContext): { fading: boolean; csi: unknown; coherence: unknown; linkless: boolean } {
  const { channel } = ctx;
  const f = writtenFading(channel);
  const fading = f !== undefined && f.gains > 0;
  const kind = channelKindOf(channel?.type);
  return {
    fading,
    csi: fading ? f.csi : undefined,
    coherence: fading ? f.coherence : undefined,
    // The kinds with a `twoUser` hook have two-user links; a kind with intersymbol interference reports systems
    // without an ISI receiver itself (its check), so it is not reported twice here.
    linkless: typeof channel?.type === 'string' && !(kind?.twoUser || kind?.intersymbol),
  };
}

/** A two-user or time-sharing entry over a channel without two-user links (reported; its other checks are skipped). */
export function reportLinkless(sys: Record<string, unknown>, ctx: SystemCheckContext, p: SystemReport): boolean {
  if (!linkOf(ctx).linkless) return false;
  p(
    [...ctx.channelAt, 'type'],
    M.linkKinds(channelTypesWhere((k) => k.twoUser !== undefined)),
    ctx.channel?.type,
    `${String(ctx.channel?.type)} for ${String(sys.type)} system ${String(sys.id)}`,
  );
  return true;
}

function check(sys: Record<string, unknown>, ctx: SystemCheckContext, p: SystemReport): void {
  if (reportLinkless(sys, ctx, p)) return;
  const i = ctx.index;
  const { csi } = linkOf(ctx);
  if (sys.signalling === 'real') p(['systems', i, 'signalling'], M.complexOnly, sys.signalling);
  // Multipath is reported by the multipath channel's checks (src/channels/multipath.ts).
  if (isPosInt(sys.k) && sys.k > LIMITS.twoUserMaxK) p(['systems', i, 'k'], M.maxK(LIMITS.twoUserMaxK), sys.k);
  else if (isPosInt(sys.k) && sys.mlReference === true && !twoUserMlAllowed(sys.k))
    p(['systems', i, 'mlReference'], M.mlPairs(LIMITS.twoUserMlPairs), sys.mlReference, `mlReference: true with k = ${sys.k} (M² = ${4 ** sys.k} pairs)`);
  else if (sys.mlReference === true && csi === 'none')
    p(['systems', i, 'mlReference'], M.mlNeedsCsi, sys.mlReference, `mlReference: true with ${ctx.ownChannel ? 'its' : "the scenario's"} channel csi: none`);
}

/** Registers the curve ids `<id>-u1`, `<id>-u2` (and their `-ml`), reporting clashes. */
function claimCurveIds(sys: Record<string, unknown>, ctx: SystemCheckContext, { owner }: { owner: Map<string, string> }, p: SystemReport): void {
  const id = sys.id as string;
  const i = ctx.index;
  const ids = [userCurveId(id, 1), userCurveId(id, 2)];
  const { k, mlReference } = sys;
  const channel = ctx.channel;
  const link = channel && typeof channel.type === 'string' ? { type: channel.type, csi: typeof channel.csi === 'string' ? channel.csi : undefined } : undefined;
  if (isPosInt(k) && (mlReference === undefined || typeof mlReference === 'boolean') && wantsTwoUserMl({ k, mlReference }, link))
    ids.push(userMlCurveId(id, 1), userMlCurveId(id, 2));
  for (const cid of ids) {
    const j = ctx.systems.findIndex((other) => isObj(other) && other.id === cid);
    if (j >= 0) p(['systems', j, 'id'], 'a unique id', cid, M.curveIdClash(cid, ctx.where(['systems', i])));
    else owner.set(cid, ctx.where(['systems', i]));
  }
}

/**
 * A two-user system's trained pairs (loaded from the run's models/ on --resume, or from --models), their
 * codebooks and training records written into its curves, and the block systems to measure.
 */
async function obtain(s: CompiledTwoUser, ctx: ObtainContext): Promise<[string, BlockSystem][] | undefined> {
  const tu = await import('./two-user-models.ts');
  const { progress, signal } = ctx;
  const from = ctx.resume ? ctx.modelsDir : ctx.models;
  let users = from ? await tu.loadTwoUser(from, s.id) : undefined;
  if (!users && ctx.models && !ctx.resume) throw new UserError(cliMsg.modelMissing(`${s.id}-u1`, ctx.models));
  let source: ModelSource = 'loaded';
  let record: import('../twouser/train.ts').TwoUserRecord | undefined;
  if (users) progress.log(cliMsg.modelLoaded(s.id, from!));
  else {
    progress.trainStart(s.id, s.train.steps, trainEbnoText(s.train));
    const trained = await tu.trainTwoUserSystem(s, ctx.seed, { signal, onProgress: (p) => progress.trainTick(s.id, p) });
    if (!trained) {
      progress.sweepEnd(s.id);
      return undefined;
    }
    users = trained.users;
    record = trained.record;
    source = 'trained';
    const tr = users[0].training;
    progress.trainEnd(s.id, tr.seconds, (users[0].training.finalAccuracy + users[1].training.finalAccuracy) / 2, tr.restarts);
  }
  if (ctx.writesModels) for (const user of [1, 2] as const) await users[user - 1].save(tu.twoUserModelDir(ctx.modelsDir, s.id, user));
  const systems = tu.twoUserSystems(s, users);
  const rows = users.map((u) => codebookRows(u.codebook(), 2 ** s.k, 2 * s.n));
  for (const c of ctx.curves) {
    if (c.twoUser?.of !== s.id) continue;
    const u = c.twoUser.user;
    c.codebook = rows[u - 1];
    c.otherCodebook = rows[2 - u];
    if (!c.mlOf) {
      c.training = trainingSummary(users[u - 1].training, source);
      if (record) c.twoUserTraining = { alpha: [...record.alpha], loss1: [...record.loss1], loss2: [...record.loss2] };
    }
  }
  return systems;
}

export const twoUser = defineSystemKind<CompiledTwoUser>()({
  type: 'two-user',
  schema,
  example: { type: 'two-user', id: 'tu', k: 4, n: 4, train: { steps: 100 } },
  defaults: {
    signalling: 'complex',
    normalization: DEFAULTS.twoUser.powerConstraint,
    crossGain: DEFAULTS.twoUser.crossGain,
    alpha: DEFAULTS.twoUser.alpha,
    mlReferenceMaxK: DEFAULTS.twoUser.mlReferenceMaxK,
  },
  curveTypes: ['two-user', 'two-user-ml'],
  // Its receivers see interference the importance-sampling proposal does not model.
  importanceSampling: false,
  trains: true,
  compile,
  defaultLabel,
  quick: (s) => ({ ...s, train: quickTrain(s.train) }),
  claimCurveIds,
  check,
  curvePlans,
  curveHead: (plan) => ({
    type: plan.mlOf ? 'two-user-ml' : 'two-user',
    fields: {
      normalization: plan.system.normalization,
      ...(plan.user ? { twoUser: { of: plan.system.id, user: plan.user, crossGain: plan.system.crossGain, alpha: plan.system.alpha } } : {}),
    },
    labelling: 'natural',
  }),
  curveStyle: (c) =>
    c.type === 'two-user-ml' ? { dash: 'dot', symbol: 'diamond' } : c.twoUser?.user === 2 ? { dash: 'dash', symbol: 'x' } : { dash: 'solid', symbol: 'circle' },
  // Each user's network is a single-link one (src/twouser/spec.ts userSpec).
  network: (s) => userSpec(s),
  obtain,
});
