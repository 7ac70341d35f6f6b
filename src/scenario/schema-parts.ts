/**
 * The pieces of the scenario format that several parts share: ids, channels, hidden layers, training, the
 * Monte Carlo method and the fields every system has. The system kinds (src/systems/) build their scenario
 * fragments from them; src/scenario/schema.ts puts the fragments together.
 */
import { z } from 'zod';
import { CHANNEL_KINDS, CHANNEL_TYPES, channelKinds, channelRegistryVersion } from '../channels/registry.ts';
import { hiddenOptionConflict, hiddenOptionFields } from '../network/hidden-options.ts';
import { DEFAULTS } from '../defaults.ts';
import { HIDDEN_ACTIVATIONS, MC_METHODS, RTN_TRANSFORMS } from '../vocabulary.ts';

/** Custom expectations: the loader prints these as "expected …" (see messages.ts). */
export const X = {
  name: 'expected a name of lowercase letters, digits, "-" and "_" (it becomes a folder name)',
  id: 'expected an id of letters, digits, "-" and "_"',
  ebno: 'expected a list of Eb/N0 values in dB, or { from, to, step }',
  trainEbno: 'expected an Eb/N0 in dB, a range { from, to } drawn uniformly per batch, or auto',
  channel: `expected a channel type: ${CHANNEL_TYPES.join(', ')}`,
} as const;

/** zod 4 numbers already reject NaN and ±Infinity (YAML `.nan`, `.inf`). */
export const finite = () => z.number();
export const posInt = () => z.number().int().min(1);

/** A system or curve id: letters, digits, "-" and "_", at most 64 characters. */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, { error: X.id })
  .max(64);

/** The union of the shipped kinds' fragments (its type is the scenario's). */
const shippedChannelUnion = z.discriminatedUnion('type', CHANNEL_KINDS.map((k) => k.schema) as unknown as [ChannelObject, ...ChannelObject[]], {
  error: X.channel,
});
type ChannelObject = (typeof CHANNEL_KINDS)[number]['schema'];

/**
 * A schema that is, at each parse and each JSON Schema export, the one `build` makes for the registry's
 * current `version` (rebuilt only when the version changed). Why not z.lazy alone: zod caches a lazy
 * schema's inner type at its first use, and a kind registered from user code after that would never be
 * seen; so the lazy's `innerType` is redefined as a getter (zod reads it on every parse and export).
 */
export function followingRegistry<T extends z.ZodType>(shipped: T, version: () => number, build: () => z.ZodType): T {
  let cached = { version: 0, schema: shipped as z.ZodType };
  const current = (): z.ZodType => {
    const v = version();
    if (cached.version !== v) cached = { version: v, schema: build() };
    return cached.schema;
  };
  const schema = z.lazy(current);
  Object.defineProperty(schema._zod, 'innerType', { get: current, configurable: true });
  return schema as unknown as T;
}

/**
 * `channel:` of a scenario or a system: one object per registered channel kind (src/channels/registry.ts),
 * including kinds registered from user code after this module loaded; typed as the shipped union.
 */
export const channelSchema = followingRegistry(shippedChannelUnion, channelRegistryVersion, () => {
  const kinds = channelKinds();
  return z.discriminatedUnion('type', kinds.map((k) => k.schema) as unknown as [ChannelObject, ...ChannelObject[]], {
    error: `expected a channel type: ${kinds.map((k) => k.type).join(', ')}`,
  });
});

/** The activation of a hidden layer: `linear`, `relu`, `elu`, `selu`, `tanh` or `sigmoid`. */
export const activationSchema = z.enum(HIDDEN_ACTIVATIONS);

/**
 * A hidden layer in a scenario: `units` (1 … 65536), an optional activation, and the options of the layer kinds
 * (`layerNorm`, `weightNorm`, `batchNorm`; at most one normalization). Defaults are filled by compileLayers.
 */
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
        .meta({
          description: `Hidden layers of the parameter estimator (default two Dense(${DEFAULTS.rtn.estimator[0].units}, tanh)); a linear output layer gives the transform's parameters.`,
        }),
      transform: z
        .enum(RTN_TRANSFORMS)
        .optional()
        .meta({
          description: `filter: complex convolution of y with an estimated L-tap filter (inverse filtering); phase: rotation by an estimated phase (eq. 11). Default ${DEFAULTS.rtn.transform}.`,
        }),
    })
    .meta({ description: 'Radio transformer network receiver: estimator → parametric transform → the decoder, trained end to end.' }),
});

/** An Eb/N0 range `{ from, to, step }` in dB; expandRange gives its values (`to` included when on the grid). */
export const ebnoRangeSchema = z.strictObject({
  from: finite(),
  to: finite(),
  step: finite().meta({ description: 'Spacing in dB, > 0.' }),
});

/**
 * The `train:` block of a learned system: training Eb/N0 (dB, a range drawn per batch, or auto), batch size, either a
 * fixed number of `steps` or `maxSteps` when stopping on convergence (not both), learning rate, and decoder
 * refinement. Defaults are filled by compileTrain.
 */
export const trainSchema = z
  .strictObject({
    ebnoDb: z
      .union([z.literal('auto'), finite(), z.strictObject({ from: finite(), to: finite() })], { error: X.trainEbno })
      .optional()
      .meta({
        description: `Training Eb/N0 in dB, a range { from, to } drawn uniformly per batch, or auto (default: where uncoded transmission of the same k bits has BLER ${DEFAULTS.train.autoReferenceBler}).`,
      }),
    batchSize: posInt()
      .max(1_000_000)
      .optional()
      .meta({ description: `Default ${DEFAULTS.train.batchSize}.` }),
    steps: posInt()
      .max(10_000_000)
      .optional()
      .meta({ description: "Train exactly this many steps at a constant learning rate (the paper's recipe). Default: stop on convergence." }),
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
    convergence: z
      .strictObject({
        validateEvery: posInt()
          .max(1_000_000)
          .optional()
          .meta({ description: `Steps between validation checks (default ${DEFAULTS.train.convergence.validateEvery}).` }),
        patience: posInt()
          .max(1000)
          .optional()
          .meta({
            description: `Checks without improvement before the learning rate decays, or after the last decay training stops (default ${DEFAULTS.train.convergence.patience}).`,
          }),
        minImprovement: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .meta({
            description: `Relative decrease of the validation loss that counts as an improvement (default ${DEFAULTS.train.convergence.minImprovement}).`,
          }),
        decays: z
          .number()
          .int()
          .min(0)
          .max(100)
          .optional()
          .meta({ description: `Learning-rate decays before training stops (default ${DEFAULTS.train.convergence.decays}).` }),
        decayFactor: z
          .number()
          .min(1)
          .max(1000)
          .optional()
          .meta({ description: `Each decay divides the learning rate by this (default ${DEFAULTS.train.convergence.decayFactor}).` }),
        validationBlocks: posInt()
          .max(10_000_000)
          .optional()
          .meta({ description: `Blocks of the validation set the checks measure the loss on (default ${DEFAULTS.train.validationBlocks}).` }),
      })
      .optional()
      .meta({ description: 'The convergence rule when training stops on convergence (not with steps); every field defaults as listed.' }),
  })
  .refine((t) => t.steps === undefined || t.convergence === undefined, {
    path: ['convergence'],
    error: 'expected either steps (a fixed length at a constant learning rate) or convergence (the rule of stopping on convergence), not both',
  })
  .refine((t) => t.steps === undefined || t.maxSteps === undefined, {
    path: ['maxSteps'],
    error: 'expected either steps (a fixed length) or maxSteps (an upper bound when stopping on convergence), not both',
  });

/** How points are measured (scenario-wide in `montecarlo`, or per system): plain Monte Carlo or importance sampling. */
export const importanceFields = {
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
    .meta({
      description: `Importance sampling: a point ends when its 95% interval's half-width is at most this fraction of the estimate, or at maxBlocks samples (default ${DEFAULTS.importance.targetRelativeHalfWidth}).`,
    }),
};

export const common = {
  id: idSchema.meta({ description: 'Unique id of the system (curve) in this scenario.' }),
  label: z.string().max(200).optional().meta({
    description:
      'Display label in the report (a written label is kept as written). Default: the kind\'s label ("AE (7,4), energy"), with what differs appended when two systems of the scenario would share it (", bit-wise", ", no CSI", ", trained at 8 dB").',
  }),
  channel: channelSchema.optional().meta({ description: 'Overrides the scenario-level channel.' }),
  montecarlo: z
    .strictObject(importanceFields)
    .optional()
    .meta({ description: 'Overrides the scenario-level montecarlo method for this system (and its -ml / -searched curves).' }),
};

/** A hidden layer as a scenario writes it (before defaults). */
export type HiddenLayerInput = z.infer<typeof hiddenLayerSchema>;
/** A `train:` block as a scenario writes it (before defaults). */
export type TrainInput = z.infer<typeof trainSchema>;
/** A `receiver:` block (radio transformer network) as a scenario writes it (before defaults). */
export type ReceiverInput = z.infer<typeof receiverSchema>;
/** A `channel:` object as a scenario writes it, of any registered channel kind (before defaults). */
export type ChannelInput = z.infer<typeof channelSchema>;
