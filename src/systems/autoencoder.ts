/**
 * The autoencoder system kind: `type: autoencoder`, an end-to-end learned transmitter and receiver over one
 * link (src/autoencoder/), trained (or loaded) and measured by Monte Carlo. Its curves: `<id>` (the learned
 * decoder), `<id>-searched` (labelling: search, the labelling the binary switching algorithm finds) and
 * `<id>-ml` (ML decoding of the learned codebook, on the autoencoder's own streams: a paired comparison).
 */
import { requireNodeBuiltin } from '../platform.ts';
import { z } from 'zod';
import { channelKindOf, channelLabel, referenceDecoding, rtnChannelsText, rtnTransformsOf, type ChannelSpec } from '../channels/registry.ts';
import { realDims } from '../conventions.ts';
import { DEFAULTS, LIMITS } from '../defaults.ts';
import { hiddenOptionsText } from '../network/hidden-options.ts';
import { defaultDecoder, type AutoencoderSpec, type FullAutoencoderSpec } from '../autoencoder/spec.ts';
import { PartialRunError, TrainingFailedError, UserError } from '../errors.ts';
import { trainingSuspects } from './training-suspects.ts';
import { isObj } from '../data/is-object.ts';
import { cliMsg, multipathMsg, scenarioMsg as M } from '../messages.ts';
import { deriveSeed } from '../random.ts';
import { stableJson } from '../data/stable-json.ts';
import type { BlockSystem } from '../system.ts';
import { codeName, compileLayers, compileTrain, quickTrain, trainingOptions } from '../scenario/compile-parts.ts';
import type { CompiledCommon, CompiledLayer, CompiledTrain, PowerMode } from '../scenario/compiled-parts.ts';
import { common, finite, hiddenLayerSchema, posInt, receiverSchema, trainSchema, type ReceiverInput } from '../scenario/schema-parts.ts';
import {
  AUTOENCODER_OUTPUTS,
  LABELLINGS,
  POWER_CONSTRAINT_LABELS,
  POWER_CONSTRAINTS,
  SIGNALLINGS,
  type AutoencoderOutput,
  type Labelling,
  type RtnTransform,
} from '../vocabulary.ts';
import { loadAutoencoder, loadBaselines, type TrainedAutoencoder } from './engines.ts';
import { defineSystemKind, trainEbnoText, type CurveRecord, type ObtainContext } from './kind.ts';
import { codebookRows, trainingSummary, type ModelSource } from './records.ts';
import { isNum, isPosInt } from './values.ts';

const schema = z
  .strictObject({
    type: z.literal('autoencoder'),
    ...common,
    k: posInt().meta({ description: 'Bits per block; M = 2^k messages.' }),
    n: posInt().max(4096).meta({ description: 'Channel uses per block (real or complex, see signalling).' }),
    signalling: z
      .enum(SIGNALLINGS)
      .optional()
      .meta({ description: `Default ${DEFAULTS.autoencoder.signalling}.` }),
    normalization: z
      .enum(POWER_CONSTRAINTS)
      .optional()
      .meta({
        description: `Power constraint. energy: ‖x‖² = n; energy-max: ‖x‖² ≤ n; average-power: batch mean ‖x‖² = n. Default ${DEFAULTS.autoencoder.powerConstraint}.`,
      }),
    encoder: z.array(hiddenLayerSchema).max(16).optional().meta({ description: 'Hidden layers; default one Dense(M, relu).' }),
    decoder: z
      .array(hiddenLayerSchema)
      .max(16)
      .optional()
      .meta({
        description: `Hidden layers; default one Dense(M, relu), after an RTN receiver ${DEFAULTS.rtn.decoder.map((l) => `Dense(${l.units}, relu)`).join(', ')}.`,
      }),
    train: trainSchema.optional(),
    receiver: receiverSchema
      .optional()
      .meta({ description: "What stands before the decoder; default nothing (the plain decoder). { rtn: {} } is the paper's radio transformer network." }),
    mlReference: z
      .boolean()
      .optional()
      .meta({
        description: `Also measure ML (nearest codeword) decoding of the learned codebook as curve "<id>-ml". Default true for k ≤ ${DEFAULTS.autoencoder.mlReferenceMaxK}.`,
      }),
    output: z
      .enum(AUTOENCODER_OUTPUTS)
      .optional()
      .meta({
        description: `The decoder's output. symbols: a softmax over the M messages (cross-entropy); bits: k sigmoid outputs trained with binary cross-entropy, the labelling learned with the code. Default ${DEFAULTS.autoencoder.output}.`,
      }),
    labelling: z
      .enum(LABELLINGS)
      .optional()
      .meta({
        description: `Bit labelling of the messages for the BER. natural: message m carries the bits of m; search: also measure the labelling found by the binary switching algorithm as curve "<id>-searched" (symbol-wise output, k ≤ ${LIMITS.maxLabellingSearchK}). Default ${DEFAULTS.autoencoder.labelling}.`,
      }),
    labellingEbnoDb: finite()
      .optional()
      .meta({ description: 'Eb/N0 (dB) at which the labelling search minimizes the BER (default: the training Eb/N0, the middle of a range).' }),
  })
  .meta({ description: 'An end-to-end learned autoencoder (trained, then measured).' });

export type AutoencoderInput = z.infer<typeof schema>;

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

/** Whether an autoencoder input gets its `<id>-ml` curve. */
export function wantsMlReference(s: { k: number; mlReference?: boolean }): boolean {
  return s.mlReference ?? s.k <= DEFAULTS.autoencoder.mlReferenceMaxK;
}

/** The network a compiled autoencoder system describes (what the trainer and the backend choice take). */
export const autoencoderSpecOf = (s: CompiledAutoencoder): AutoencoderSpec => ({
  k: s.k,
  n: s.n,
  signalling: s.signalling,
  normalization: s.normalization,
  channel: s.channel,
  encoder: s.encoder,
  decoder: s.decoder,
  output: s.output,
  ...(s.receiver ? { receiver: s.receiver } : {}),
});

function compileReceiver(r: ReceiverInput): CompiledReceiver {
  const rtn = r.rtn ?? {};
  return {
    rtn: {
      estimator: compileLayers(rtn.estimator ?? [...DEFAULTS.rtn.estimator], 0),
      transform: rtn.transform ?? DEFAULTS.rtn.transform,
    },
  };
}

function compile(input: Record<string, unknown>, channel: ChannelSpec): CompiledAutoencoder {
  const s = input as AutoencoderInput;
  const signalling = s.signalling ?? DEFAULTS.autoencoder.signalling;
  const normalization = s.normalization ?? DEFAULTS.autoencoder.powerConstraint;
  const M = 2 ** s.k;
  const train = compileTrain(s.train ?? {}, s.k, s.n, signalling, channel);
  const labelling = s.labelling ?? DEFAULTS.autoencoder.labelling;
  const middle = typeof train.ebnoDb === 'number' ? train.ebnoDb : (train.ebnoDb.from + train.ebnoDb.to) / 2;
  const out: CompiledAutoencoder = {
    type: 'autoencoder',
    id: s.id,
    label: s.label ?? '',
    channel,
    k: s.k,
    n: s.n,
    signalling,
    normalization,
    encoder: compileLayers(s.encoder, M),
    decoder: compileLayers(s.decoder ?? defaultDecoder(s), M),
    train,
    mlReference: wantsMlReference(s),
    output: s.output ?? DEFAULTS.autoencoder.output,
    labelling,
    ...(labelling === 'search' ? { labellingEbnoDb: s.labellingEbnoDb ?? middle } : {}),
    ...(s.receiver ? { receiver: compileReceiver(s.receiver) } : {}),
  };
  out.label = s.label ?? defaultLabel(out);
  return out;
}

const defaultLabel = (s: CompiledAutoencoder): string => `AE ${codeName(s.n, s.k, s.signalling)}, ${POWER_CONSTRAINT_LABELS[s.normalization]}`;

/** Trains one autoencoder (undefined: interrupted). Its seed path is (scenario seed, 'train', id). */
async function train(s: CompiledAutoencoder, ctx: ObtainContext): Promise<TrainedAutoencoder | undefined> {
  const { progress, signal } = ctx;
  const ae = await loadAutoencoder();
  const t = s.train;
  progress.trainStart(s.id, t.steps, trainEbnoText(t));
  let model: TrainedAutoencoder;
  try {
    model = await ae.trainAutoencoder(autoencoderSpecOf(s), {
      ...trainingOptions(t),
      seed: deriveSeed(ctx.seed, 'train', s.id),
      signal,
      onProgress: (p) => progress.trainTick(s.id, p),
    });
  } catch (e) {
    if (e instanceof ae.TrainingAbortedError || signal?.aborted) {
      progress.sweepEnd(s.id);
      return undefined;
    }
    if (e instanceof TrainingFailedError) throw new PartialRunError(cliMsg.trainingFailed(s.id, e.reasons, trainingSuspects(t, e.reasons)), { cause: e });
    throw e;
  }
  const extensions = model.training.extensions?.length ?? 0;
  progress.trainEnd(s.id, model.training.seconds, model.training.finalAccuracy, model.training.restarts, extensions, model.training.refinement);
  if (extensions >= DEFAULTS.train.maxExtensions) progress.log(cliMsg.decoderMayLag(s.id, extensions));
  return model;
}

/** What differs between a saved model's spec and the scenario's system (empty: they match): a saved autoencoder (--models, --resume) may stand in for the system only if it is the same kind of system. */
export function modelDifferences(m: FullAutoencoderSpec, s: CompiledAutoencoder): string[] {
  const diffs: string[] = [];
  if (m.k !== s.k) diffs.push(`k ${m.k} ≠ ${s.k}`);
  if (m.n !== s.n) diffs.push(`n ${m.n} ≠ ${s.n}`);
  if (m.signalling !== s.signalling) diffs.push(`signalling ${m.signalling} ≠ ${s.signalling}`);
  if (m.normalization !== s.normalization) diffs.push(`normalization ${m.normalization} ≠ ${s.normalization}`);
  if ((m.output ?? DEFAULTS.autoencoder.output) !== s.output) diffs.push(`output ${m.output ?? DEFAULTS.autoencoder.output} ≠ ${s.output}`);
  if (stableJson(m.channel) !== stableJson(s.channel)) diffs.push(`channel ${channelLabel(m.channel)} ≠ ${channelLabel(s.channel)}`);
  const receiver = (r: AutoencoderSpec['receiver']) => (r ? `RTN (${r.rtn.transform}, estimator ${layersText(r.rtn.estimator)})` : 'plain');
  if (receiver(m.receiver) !== receiver(s.receiver)) diffs.push(`receiver ${receiver(m.receiver)} ≠ ${receiver(s.receiver)}`);
  for (const part of ['encoder', 'decoder'] as const) {
    const saved = layersText(m[part]);
    const wanted = layersText(s[part]);
    if (saved !== wanted) diffs.push(`${part} hidden layers ${saved} ≠ ${wanted}`);
  }
  return diffs;
}

/** Hidden layers in words, e.g. "[16 relu, 16 tanh + layer norm]" (defaults filled as the scenario compiler does). */
function layersText(layers: AutoencoderSpec['encoder']): string {
  const one = (l: NonNullable<AutoencoderSpec['encoder']>[number]) => `${l.units} ${l.activation ?? DEFAULTS.hiddenLayer.activation}${hiddenOptionsText(l)}`;
  return `[${(layers ?? []).map(one).join(', ')}]`;
}

/** Throws a UserError naming the model folder and every difference. */
export function checkModelMatches(m: FullAutoencoderSpec, s: CompiledAutoencoder, dir: string): void {
  const diffs = modelDifferences(m, s);
  if (diffs.length) throw new UserError(cliMsg.modelMismatch(s.id, dir, diffs.join(', ')));
}

/** A saved model to use instead of training, and the folder it came from. */
export interface SavedModel {
  model: TrainedAutoencoder;
  from: string;
}

/** The saved model of this run (--resume: the run's own models/; --models DIR), checked against the system. */
async function loadSaved(s: CompiledAutoencoder, ctx: ObtainContext): Promise<SavedModel | undefined> {
  // Model folders are files: Node's (platform.ts).
  const { existsSync } = requireNodeBuiltin('node:fs', 'loading a saved model');
  const { join } = requireNodeBuiltin('node:path', 'loading a saved model');
  const own = join(ctx.modelsDir, s.id);
  let from: string | undefined;
  if (ctx.resume && existsSync(join(own, 'autoencoder.json'))) from = own;
  else if (ctx.models) {
    from = join(ctx.models, s.id);
    if (!existsSync(join(from, 'autoencoder.json'))) throw new UserError(cliMsg.modelMissing(s.id, ctx.models, existsSync(join(ctx.models, 'models', s.id))));
  }
  if (!from) return undefined;
  const model = await (await loadAutoencoder()).TrainedAutoencoder.load(from);
  checkModelMatches(model.spec, s, from);
  return { model, from };
}

/** An autoencoder for this run: the saved one, or a newly trained one; saved into the run's models/. */
async function obtainModel(
  s: CompiledAutoencoder,
  ctx: ObtainContext,
  saved: SavedModel | undefined,
): Promise<{ model: TrainedAutoencoder; source: ModelSource } | undefined> {
  const { join, resolve } = requireNodeBuiltin('node:path', 'saving a model');
  const own = join(ctx.modelsDir, s.id);
  if (saved) {
    ctx.progress.log(cliMsg.modelLoaded(s.id, saved.from));
    if (resolve(saved.from) !== resolve(own) && ctx.writesModels) await saved.model.save(own);
    return { model: saved.model, source: 'loaded' };
  }
  const model = await train(s, ctx);
  if (!model) return undefined;
  if (ctx.writesModels) await model.save(own);
  return { model, source: 'trained' };
}

/**
 * The `<id>-searched` curve: the same codebook and decoder under the labelling the binary switching algorithm
 * finds at `labellingEbnoDb` (src/autoencoder/labelling.ts); measured on the autoencoder's streams, so its block
 * counts are the autoencoder's and only the bit errors differ. The labels are recorded on the curve.
 */
async function searchedCurve(curve: CurveRecord, s: CompiledAutoencoder, system: BlockSystem): Promise<[string, BlockSystem]> {
  const { searchLabelling } = await import('../autoencoder/labelling.ts');
  const found = searchLabelling(system, s.labellingEbnoDb!);
  curve.labels = Array.from(found.labels);
  curve.labellingSearch = { ebnoDb: found.ebnoDb, startCost: found.startCost, cost: found.cost, swaps: found.swaps };
  return [curve.id, { ...system, id: curve.id, labels: found.labels }];
}

async function obtain(s: CompiledAutoencoder, ctx: ObtainContext, saved: SavedModel | undefined): Promise<[string, BlockSystem][] | undefined> {
  const obtained = await obtainModel(s, ctx, saved);
  if (!obtained) return undefined;
  const system = obtained.model.toBlockSystem(s.id);
  const rows = codebookRows(system.codebook, 2 ** s.k, realDims(s.n, s.signalling));
  const own = ctx.curves.find((c) => c.id === s.id)!;
  for (const c of ctx.curves.filter((c) => c.id === s.id || c.mlOf === s.id)) {
    c.codebook = rows;
    if (c === own) c.training = trainingSummary(obtained.model.training, obtained.source);
  }
  if (s.receiver) {
    // What the RTN's estimator learned, on blocks at the top of its training range.
    const { rtnExamples } = await import('../autoencoder/rtn-examples.ts');
    const e = s.train.ebnoDb;
    const examples = rtnExamples(obtained.model, deriveSeed(ctx.seed, 'rtn', s.id), typeof e === 'number' ? e : e.to);
    if (examples) own.rtn = examples;
  }
  const curves: [string, BlockSystem][] = [[s.id, system]];
  if (s.labelling === 'search') curves.push(await searchedCurve(ctx.curves.find((c) => c.id === `${s.id}-searched`)!, s, system));
  if (s.mlReference) curves.push([`${s.id}-ml`, (await loadBaselines()).mlDecoderFor(system, `${s.id}-ml`)]);
  return curves;
}

export const autoencoder = defineSystemKind<CompiledAutoencoder, SavedModel>()({
  type: 'autoencoder',
  schema,
  example: { type: 'autoencoder', id: 'ae', k: 4, n: 7, train: { steps: 100 } },
  defaults: {
    signalling: DEFAULTS.autoencoder.signalling,
    normalization: DEFAULTS.autoencoder.powerConstraint,
    output: DEFAULTS.autoencoder.output,
    labelling: DEFAULTS.autoencoder.labelling,
    mlReferenceMaxK: DEFAULTS.autoencoder.mlReferenceMaxK,
  },
  defaultSignalling: DEFAULTS.autoencoder.signalling,
  // Over multipath: a learned receiver (an RTN or the plain decoder) on complex uses.
  isiReceiver: { kind: 'learned', defaultSignalling: DEFAULTS.autoencoder.signalling },
  curveTypes: ['autoencoder', 'autoencoder-ml', 'autoencoder-labelled'],
  importanceSampling: true,
  trains: true,
  compile,
  defaultLabel,
  quick: (s) => ({ ...s, train: quickTrain(s.train) }),
  claimCurveIds: (sys, { index: i, systems, where }, { owner, maybe }, p) => {
    const id = sys.id as string;
    const mlId = `${id}-ml`;
    const { k, mlReference } = sys;
    if (sys.labelling === 'search') {
      const searchedId = `${id}-searched`;
      const j = systems.findIndex((other) => isObj(other) && other.id === searchedId);
      if (j >= 0) p(['systems', j, 'id'], M.uniqueId, searchedId, M.searchedIdClash(searchedId, where(['systems', i])));
      else if (!owner.has(searchedId)) owner.set(searchedId, where(['systems', i]));
    }
    if (!isPosInt(k) || !(mlReference === undefined || typeof mlReference === 'boolean')) return void maybe.add(mlId);
    if (k > LIMITS.maxK || !wantsMlReference({ k, mlReference })) return;
    const j = systems.findIndex((other) => isObj(other) && other.id === mlId);
    if (j >= 0) p(['systems', j, 'id'], M.uniqueId, mlId, M.mlIdClash(mlId, where(['systems', i])));
    else if (!owner.has(mlId)) owner.set(mlId, where(['systems', i]));
  },
  check: (sys, { index: i, channel }, p) => {
    if (isPosInt(sys.k) && sys.k > LIMITS.maxK) p(['systems', i, 'k'], M.maxK, sys.k);
    else if (sys.labelling === 'search' && isPosInt(sys.k) && sys.k > LIMITS.maxLabellingSearchK)
      p(['systems', i, 'labelling'], M.labellingSearchK(LIMITS.maxLabellingSearchK), sys.labelling, `labelling: search with k = ${sys.k}`);
    if (sys.labelling === 'search' && sys.output === 'bits')
      p(['systems', i, 'labelling'], M.labellingSearchBits, sys.labelling, 'labelling: search with output: bits');
    if (sys.labellingEbnoDb !== undefined && sys.labelling !== 'search')
      p(['systems', i, 'labellingEbnoDb'], M.labellingEbnoWithoutSearch, sys.labellingEbnoDb);
    const t = isObj(sys.train) ? sys.train.ebnoDb : undefined;
    if (isObj(t) && isNum(t.from) && isNum(t.to) && t.to < t.from) p(['systems', i, 'train', 'ebnoDb', 'to'], M.fromTo(t.from), t.to);
    // An RTN only where there are channel parameters to estimate: the channel's kind lists the transforms that can.
    const rtn = isObj(sys.receiver) ? sys.receiver.rtn : undefined;
    if (isObj(rtn)) {
      const type = channel?.type ?? DEFAULTS.channel.type;
      const signalling = sys.signalling ?? DEFAULTS.autoencoder.signalling;
      const transform = rtn.transform ?? DEFAULTS.rtn.transform;
      if (!rtnTransformsOf(type).includes(transform as RtnTransform))
        p(
          ['systems', i, 'receiver', 'rtn'],
          multipathMsg.rtnChannel(rtnChannelsText()),
          type,
          `an RTN with transform ${String(transform)} over channel ${String(type)}`,
        );
      // A kind with intersymbol interference reports real signalling itself (its check, for learned ISI receivers).
      else if (!channelKindOf(type)?.intersymbol && signalling !== 'complex') p(['systems', i, 'signalling'], multipathMsg.rtnComplex, signalling);
    }
  },
  curvePlans: (s) => [
    { id: s.id, label: s.label, system: s },
    ...(s.labelling === 'search' ? [{ id: `${s.id}-searched`, label: `${s.label}, searched labelling`, system: s, labelledOf: s.id }] : []),
    ...(s.mlReference ? [{ id: `${s.id}-ml`, label: `${s.label} + ${referenceDecoding(s.channel)}`, system: s, mlOf: s.id }] : []),
  ],
  curveHead: (plan) => ({
    type: plan.mlOf ? 'autoencoder-ml' : plan.labelledOf ? 'autoencoder-labelled' : 'autoencoder',
    fields: { normalization: plan.system.normalization },
    labelling: plan.labelledOf ? 'searched' : plan.system.output === 'bits' && !plan.mlOf ? 'learned' : 'natural',
  }),
  learnedCodebookCurve: 'autoencoder',
  curveStyle: (c) =>
    c.type === 'autoencoder-ml'
      ? { dash: 'dot', symbol: 'diamond' }
      : c.type === 'autoencoder-labelled'
        ? { dash: 'longdash', symbol: 'circle-open' }
        : { dash: 'solid', symbol: 'circle' },
  trainingRecipe: (s) => s.train,
  network: autoencoderSpecOf,
  loadSaved,
  obtain,
  decoderLagPairs: (s) => (s.mlReference ? [[s.id, `${s.id}-ml`]] : []),
});
