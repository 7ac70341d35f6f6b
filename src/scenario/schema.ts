/**
 * The scenario file format, defined once with zod 4. The same definition validates files at load time
 * (src/scenario/load.ts) and generates scenarios/scenario.schema.json (`npm run schema`) for editors.
 *
 * Objects are strict (an unknown key is an error, so a typo never silently falls back to a default).
 * Defaults are *not* filled here but in src/scenario/compile.ts, so the JSON Schema describes exactly what a
 * user may write, and the compiled scenario (what results.json records) is where every default is visible.
 * Checks that involve several fields (duplicate ids, M ≤ 2^16, compare ids, ...) live in load.ts.
 */
import { z } from 'zod';
import { CHANNEL_KINDS, CHANNEL_TYPES } from '../channels/registry.ts';
import { CLAIM_CATALOGUE, CLAIM_NAMES } from '../claim-catalogue.ts';
import { MODULATIONS } from '../modulations/registry.ts';
import { DEFAULTS, LIMITS } from '../defaults.ts';
import { hiddenOptionConflict, hiddenOptionFields } from '../network/registry.ts';
import {
  AUTOENCODER_OUTPUTS,
  LABELLINGS,
  MC_METHODS,
  HAMMING_DECODINGS,
  HIDDEN_ACTIVATIONS,
  POWER_CONSTRAINTS,
  RTN_TRANSFORMS,
  SIGNALLINGS,
  SYSTEM_TYPES,
} from '../vocabulary.ts';

/** Custom expectations: the loader prints these as "expected …" (see messages.ts). */
const X = {
  name: 'expected a name of lowercase letters, digits, "-" and "_" (it becomes a folder name)',
  id: 'expected an id of letters, digits, "-" and "_"',
  ebno: 'expected a list of Eb/N0 values in dB, or { from, to, step }',
  trainEbno: 'expected an Eb/N0 in dB, a range { from, to } drawn uniformly per batch, or auto',
  system: `expected a system type: ${SYSTEM_TYPES.join(', ')}`,
  channel: `expected a channel type: ${CHANNEL_TYPES.join(', ')}`,
} as const;

/** zod 4 numbers already reject NaN and ±Infinity (YAML `.nan`, `.inf`). */
const finite = () => z.number();
const posInt = () => z.number().int().min(1);

export const idSchema = z.string().regex(/^[A-Za-z0-9_-]+$/, { error: X.id }).max(64);

/** `channel:` of a scenario or a system: one object per registered channel kind (src/channels/registry.ts). */
export const channelSchema = z.discriminatedUnion(
  'type',
  CHANNEL_KINDS.map((k) => k.schema) as unknown as [ChannelObject, ...ChannelObject[]],
  { error: X.channel },
);
type ChannelObject = (typeof CHANNEL_KINDS)[number]['schema'];

export const activationSchema = z.enum(HIDDEN_ACTIVATIONS);

export const hiddenLayerSchema = z
  .strictObject({
    units: posInt().max(65536).meta({ description: 'Width of the dense layer.' }),
    activation: activationSchema.optional().meta({ description: `Default ${DEFAULTS.hiddenLayer.activation}.` }),
    // layerNorm, weightNorm, batchNorm, …: each from its layer kind (src/network/kinds/).
    ...hiddenOptionFields(),
  })
  .superRefine((layer, ctx) => {
    const conflict = hiddenOptionConflict(layer);
    if (conflict) ctx.addIssue({ code: 'custom', path: [conflict.key], message: `expected ${conflict.message}` });
  });

/** A radio transformer network in front of the decoder (src/layers/radio-transformer.ts). */
export const receiverSchema = z.strictObject({
  rtn: z
    .strictObject({
      estimator: z
        .array(hiddenLayerSchema)
        .max(16)
        .optional()
        .meta({ description: `Hidden layers of the parameter estimator (default two Dense(${DEFAULTS.rtn.estimator[0].units}, tanh)); a linear output layer gives the transform's parameters.` }),
      transform: z
        .enum(RTN_TRANSFORMS)
        .optional()
        .meta({ description: `filter: complex convolution of y with an estimated L-tap filter (inverse filtering); phase: rotation by an estimated phase (eq. 11). Default ${DEFAULTS.rtn.transform}.` }),
    })
    .meta({ description: 'Radio transformer network receiver: estimator → parametric transform → the decoder, trained end to end.' }),
});

export const ebnoRangeSchema = z.strictObject({
  from: finite(),
  to: finite(),
  step: finite().meta({ description: 'Spacing in dB, > 0.' }),
});

export const trainSchema = z.strictObject({
  ebnoDb: z
    .union([z.literal('auto'), finite(), z.strictObject({ from: finite(), to: finite() })], { error: X.trainEbno })
    .optional()
    .meta({
      description: `Training Eb/N0 in dB, a range { from, to } drawn uniformly per batch, or auto (default: where uncoded transmission of the same k bits has BLER ${DEFAULTS.train.autoReferenceBler}).`,
    }),
  batchSize: posInt().max(1_000_000).optional().meta({ description: `Default ${DEFAULTS.train.batchSize}.` }),
  steps: posInt()
    .max(10_000_000)
    .optional()
    .meta({ description: 'Train exactly this many steps at a constant learning rate (the paper\'s recipe). Default: stop on convergence.' }),
  maxSteps: posInt()
    .max(10_000_000)
    .optional()
    .meta({ description: `Upper bound on the steps when training stops on convergence (default ${DEFAULTS.train.maxSteps}).` }),
  learningRate: z
    .number()
    .positive()
    .max(10)
    .optional()
    .meta({ description: `Adam learning rate (default ${DEFAULTS.train.learningRate}); it decays on validation plateaus unless steps is given.` }),
  refine: z
    .boolean()
    .optional()
    .meta({
      description: `Decoder refinement after convergence, with ebnoDb auto or over a multipath channel (default true): the encoder frozen, the decoder trained on at the Eb/N0 where the uncoded reference has BLER ${DEFAULTS.train.refine.referenceBler}, learning rate × ${DEFAULTS.train.refine.learningRateFactor}.`,
    }),
}).refine((t) => t.steps === undefined || t.maxSteps === undefined, {
  path: ['maxSteps'],
  error: 'expected either steps (a fixed length) or maxSteps (an upper bound when stopping on convergence), not both',
});

/** How points are measured (scenario-wide in `montecarlo`, or per system): plain Monte Carlo or importance sampling. */
const importanceFields = {
  method: z
    .enum(MC_METHODS)
    .optional()
    .meta({
      description: `plain: count errors (Clopper–Pearson intervals). importance: importance sampling for AWGN (a mean-shift mixture toward the decoder's nearest error events; weighted estimate, 95% CLT interval, effective sample size), for BLER far below 1/maxBlocks. Default ${DEFAULTS.importance.method}.`,
    }),
  targetRelativeHalfWidth: z
    .number()
    .positive()
    .max(1)
    .optional()
    .meta({ description: `Importance sampling: a point ends when its 95% interval's half-width is at most this fraction of the estimate, or at maxBlocks samples (default ${DEFAULTS.importance.targetRelativeHalfWidth}).` }),
};

const common = {
  id: idSchema.meta({ description: 'Unique id of the system (curve) in this scenario.' }),
  label: z.string().max(200).optional().meta({ description: 'Display label in the report.' }),
  channel: channelSchema.optional().meta({ description: 'Overrides the scenario-level channel.' }),
  montecarlo: z.strictObject(importanceFields).optional().meta({ description: 'Overrides the scenario-level montecarlo method for this system (and its -ml / -searched curves).' }),
};

export const autoencoderSchema = z
  .strictObject({
    type: z.literal('autoencoder'),
    ...common,
    k: posInt().meta({ description: 'Bits per block; M = 2^k messages.' }),
    n: posInt().max(4096).meta({ description: 'Channel uses per block (real or complex, see signalling).' }),
    signalling: z.enum(SIGNALLINGS).optional().meta({ description: `Default ${DEFAULTS.autoencoder.signalling}.` }),
    normalization: z
      .enum(POWER_CONSTRAINTS)
      .optional()
      .meta({
        description: `Power constraint. energy: ‖x‖² = n; energy-max: ‖x‖² ≤ n; average-power: batch mean ‖x‖² = n. Default ${DEFAULTS.autoencoder.powerConstraint}.`,
      }),
    encoder: z.array(hiddenLayerSchema).max(16).optional().meta({ description: 'Hidden layers; default one Dense(M, relu).' }),
    decoder: z.array(hiddenLayerSchema).max(16).optional().meta({ description: `Hidden layers; default one Dense(M, relu), after an RTN receiver ${DEFAULTS.rtn.decoder.map((l) => `Dense(${l.units}, relu)`).join(', ')}.` }),
    train: trainSchema.optional(),
    receiver: receiverSchema
      .optional()
      .meta({ description: 'What stands before the decoder; default nothing (the plain decoder). { rtn: {} } is the paper\'s radio transformer network.' }),
    mlReference: z
      .boolean()
      .optional()
      .meta({ description: `Also measure ML (nearest codeword) decoding of the learned codebook as curve "<id>-ml". Default true for k ≤ ${DEFAULTS.autoencoder.mlReferenceMaxK}.` }),
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

export const hamming74Schema = z
  .strictObject({
    type: z.literal('hamming74'),
    ...common,
    decoding: z.enum(HAMMING_DECODINGS).meta({ description: 'hard: syndrome decoding of sign decisions; ml: nearest codeword (soft).' }),
  })
  .meta({ description: 'Hamming (7,4) code with BPSK.' });

export const uncodedSchema = z
  .strictObject({
    type: z.literal('uncoded'),
    ...common,
    modulation: z.enum(MODULATIONS),
    k: posInt().meta({ description: 'Bits per block (a multiple of the bits per symbol).' }),
  })
  .meta({ description: 'Uncoded modulation, hard decisions (Gray mapping).' });

export const hamming74DbpskSchema = z
  .strictObject({
    type: z.literal('hamming74-dbpsk'),
    ...common,
  })
  .meta({
    description:
      'The paper\'s classical scheme over multipath: Hamming (7,4) + DBPSK on 8 complex channel uses (a reference symbol, then 7 differential symbols), MLSE (Viterbi over the L-tap channel, the taps known to the receiver), differential and syndrome decoding.',
  });

// Two-user interference channel (O'Shea & Hoydis 2017, Section III.B): src/twouser/.
export const twoUserSchema = z
  .strictObject({
    type: z.literal('two-user'),
    ...common,
    k: posInt().meta({ description: 'Bits per block and user; M = 2^k messages each.' }),
    n: posInt().max(4096).meta({ description: 'Complex channel uses per block, shared by both users (2n real values each).' }),
    signalling: z
      .enum(SIGNALLINGS)
      .optional()
      .meta({ description: 'Only complex (the default): the two users share n complex channel uses.' }),
    normalization: z
      .enum(POWER_CONSTRAINTS)
      .optional()
      .meta({ description: `Power constraint of each transmitter. Default ${DEFAULTS.twoUser.powerConstraint} (the paper's for this case).` }),
    encoder: z.array(hiddenLayerSchema).max(16).optional().meta({ description: 'Hidden layers of each encoder; default one Dense(M, relu) (the paper\'s Table IV).' }),
    decoder: z
      .array(hiddenLayerSchema)
      .max(16)
      .optional()
      .meta({ description: `Hidden layers of each decoder; default one Dense(M, relu), over Rayleigh links ${DEFAULTS.twoUser.fading.decoderLayers} × Dense(max(M, ${DEFAULTS.twoUser.fading.decoderUnits}), relu).` }),
    train: trainSchema.optional(),
    crossGain: finite().meta({ description: `Cross gain g of the interfering links: y1 = x1 + g·x2 + n1 (default ${DEFAULTS.twoUser.crossGain}).` }).optional(),
    alpha: z
      .union([z.literal('dynamic'), z.number().min(0).max(1)], { error: 'expected dynamic or a number in [0, 1]' })
      .optional()
      .meta({ description: `Weight α of the loss α·L1 + (1−α)·L2: dynamic (α = L1/(L1+L2) after every batch, from ${DEFAULTS.twoUser.alpha0}) or fixed. Default ${DEFAULTS.twoUser.alpha}.` }),
    mlReference: z
      .boolean()
      .optional()
      .meta({ description: `Also measure joint ML decoding of each user (nearest pair of codewords, M² candidates) as "<id>-u1-ml", "<id>-u2-ml". Default true for k ≤ ${DEFAULTS.twoUser.mlReferenceMaxK}; allowed for M² ≤ ${LIMITS.twoUserMlPairs}.` }),
  })
  .meta({ description: 'Two learned transmitter–receiver pairs sharing one channel (the paper\'s interference channel); curves "<id>-u1", "<id>-u2".' });

export const timeSharingSchema = z
  .strictObject({
    type: z.literal('time-sharing'),
    ...common,
    k: posInt().meta({ description: 'Bits per block and user.' }),
    n: posInt().max(4096).meta({ description: 'Complex channel uses per block shared by the two users; each sends on every other one with uncoded 2^(2k/n)-QAM.' }),
  })
  .meta({ description: 'The two-user baseline: time sharing with uncoded 2^(2k/n)-QAM (no interference).' });

export const systemSchema = z.discriminatedUnion('type', [autoencoderSchema, hamming74Schema, uncodedSchema, hamming74DbpskSchema, twoUserSchema, timeSharingSchema], {
  error: X.system,
});

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Path or URL of this JSON Schema (for editors); ignored.' }),
    name: z
      .string()
      .regex(/^[a-z0-9_-]+$/, { error: X.name })
      .max(100)
      .meta({ description: 'Scenario name; also the output folder name.' }),
    description: z.string().max(2000).optional(),
    seed: z.union([z.number().int(), z.string().max(200)]).optional().meta({ description: `Root seed (default ${DEFAULTS.seed}).` }),
    channel: channelSchema.optional().meta({ description: `Default channel of every system (default ${DEFAULTS.channel.type}).` }),
    sweep: z.strictObject({
      ebnoDb: z.union([z.array(finite()).min(1).max(1000), ebnoRangeSchema], { error: X.ebno }),
    }),
    montecarlo: z
      .strictObject({
        targetErrors: posInt()
          .optional()
          .meta({ description: `Block errors per point (default ${DEFAULTS.montecarlo.targetErrors}, or none when only targetBitErrors is given).` }),
        targetBitErrors: posInt()
          .optional()
          .meta({ description: 'Bit errors per point (default: none). A point ends at whichever error target it reaches first.' }),
        maxBlocks: posInt().optional().meta({ description: `Block budget per point (default ${DEFAULTS.montecarlo.maxBlocks}).` }),
        minBler: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .meta({ description: `Stop a curve after a point below this BLER (default ${DEFAULTS.montecarlo.minBler} = off).` }),
        minBer: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .meta({ description: `Stop a curve after a point below this BER (default ${DEFAULTS.montecarlo.minBer} = off).` }),
        stopOnZeroErrors: z
          .boolean()
          .optional()
          .meta({ description: `Stop a curve after a point with no errors (default ${DEFAULTS.montecarlo.stopOnZeroErrors}).` }),
        ...importanceFields,
      })
      .optional(),
    compare: z
      .array(z.tuple([idSchema, idSchema]))
      .optional()
      .meta({ description: 'Pairs of curve ids to compare (dB gaps).' }),
    systems: z.array(systemSchema).min(1).max(100),
    claims: z
      .array(z.enum(CLAIM_NAMES))
      .optional()
      .meta({
        description:
          'Claim checks to run on the results (PASS/FAIL or reported rows in the report, "findings" in results.json); none by default. ' +
          CLAIM_NAMES.map((name) => `${name}: ${CLAIM_CATALOGUE[name].description}.`).join(' '),
      }),
  })
  .meta({ title: 'learned-phy-sim scenario', description: 'A simulation scenario: systems to train and measure, and the Eb/N0 sweep.' });

export type ScenarioInput = z.infer<typeof scenarioSchema>;
export type SystemInput = z.infer<typeof systemSchema>;
export type AutoencoderInput = z.infer<typeof autoencoderSchema>;
export type TwoUserInput = z.infer<typeof twoUserSchema>;
export type TimeSharingInput = z.infer<typeof timeSharingSchema>;
export type ChannelInput = z.infer<typeof channelSchema>;
export type HiddenLayerInput = z.infer<typeof hiddenLayerSchema>;

/** The JSON Schema of scenario files (what `sim schema` prints and scenarios/scenario.schema.json holds). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}

export const EXPECTATIONS = X;
