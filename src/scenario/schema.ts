/**
 * The scenario file format, defined once with zod 4. The same definition validates files at load time
 * (src/scenario/load.ts) and generates scenarios/scenario.schema.json (`npm run schema`) for editors.
 *
 * Objects are strict (an unknown key is an error, so a typo never silently falls back to a default).
 * Defaults are *not* filled here but in src/scenario/compile.ts, so the JSON Schema describes exactly what a
 * user may write, and the compiled scenario (what results.json records) is where every default is visible.
 * Checks that involve several fields (duplicate ids, M ≤ 2^16, compare ids, ...) live in load.ts.
 * The shared pieces are in schema-parts.ts; each system's entry is its kind's fragment (src/systems/).
 */
import { z } from 'zod';
import { CLAIM_CATALOGUE, CLAIM_NAMES } from '../claim-catalogue.ts';
import { DEFAULTS } from '../defaults.ts';
import { SYSTEM_KINDS, SYSTEM_TYPES, systemKinds, systemRegistryVersion } from '../systems/registry.ts';
import { channelSchema, ebnoRangeSchema, followingRegistry, finite, idSchema, importanceFields, posInt, X as PARTS } from './schema-parts.ts';

export {
  activationSchema,
  channelSchema,
  ebnoRangeSchema,
  hiddenLayerSchema,
  idSchema,
  receiverSchema,
  trainSchema,
  type ChannelInput,
  type HiddenLayerInput,
  type ReceiverInput,
  type TrainInput,
} from './schema-parts.ts';

/** Custom expectations: the loader prints these as "expected …" (see messages.ts). */
const X = {
  name: PARTS.name,
  id: PARTS.id,
  ebno: PARTS.ebno,
  trainEbno: PARTS.trainEbno,
  system: `expected a system type: ${SYSTEM_TYPES.join(', ')}`,
  channel: PARTS.channel,
} as const;

const shippedSystemUnion = z.discriminatedUnion('type', SYSTEM_KINDS.map((k) => k.schema) as unknown as [SystemObject, ...SystemObject[]], {
  error: X.system,
});
type SystemObject = (typeof SYSTEM_KINDS)[number]['schema'];

/** `systems[i]`: one object per registered system kind (src/systems/registry.ts), user code's included. */
export const systemSchema = followingRegistry(shippedSystemUnion, systemRegistryVersion, () => {
  const kinds = systemKinds();
  return z.discriminatedUnion('type', kinds.map((k) => k.schema) as unknown as [SystemObject, ...SystemObject[]], {
    error: `expected a system type: ${kinds.map((k) => k.type).join(', ')}`,
  });
});

/**
 * The zod schema of a scenario file, strict at every level (an unknown key is an error): name, seed, default channel,
 * Eb/N0 sweep, Monte Carlo stopping rules, compared pairs, systems and claim checks. It validates what a user may
 * write; defaults are filled by compileScenario, and checks across fields are in validateScenario.
 */
export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Path or URL of this JSON Schema (for editors); ignored.' }),
    name: z
      .string()
      .regex(/^[a-z0-9_-]+$/, { error: X.name })
      .max(100)
      .meta({ description: 'Scenario name; also the output folder name.' }),
    description: z.string().max(2000).optional(),
    seed: z
      .union([z.number().int(), z.string().max(200)])
      .optional()
      .meta({ description: `Root seed (default ${DEFAULTS.seed}).` }),
    channel: channelSchema.optional().meta({ description: `Default channel of every system (default ${DEFAULTS.channel.type}).` }),
    sweep: z.strictObject({
      ebnoDb: z.union([z.array(finite()).min(1).max(1000), ebnoRangeSchema], { error: X.ebno }).meta({
        description:
          'Eb/N0 points in dB: a list, or { from, to, step }. A list is measured in increasing order (an unsorted one is sorted, with a warning); a value listed twice is an error.',
      }),
    }),
    montecarlo: z
      .strictObject({
        targetErrors: posInt()
          .optional()
          .meta({ description: `Block errors per point (default ${DEFAULTS.montecarlo.targetErrors}, or none when only targetBitErrors is given).` }),
        targetBitErrors: posInt()
          .optional()
          .meta({ description: 'Bit errors per point (default: none). A point ends at whichever error target it reaches first.' }),
        maxBlocks: posInt()
          .optional()
          .meta({ description: `Block budget per point (default ${DEFAULTS.montecarlo.maxBlocks}).` }),
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

/** A scenario as its file says it, validated but before defaults (compileScenario fills them). */
export type ScenarioInput = z.infer<typeof scenarioSchema>;
/** One `systems[i]` entry as a scenario writes it, of any registered system kind (before defaults). */
export type SystemInput = z.infer<typeof systemSchema>;

/** The JSON Schema of scenario files (what `sim schema` prints and scenarios/scenario.schema.json holds). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}

/**
 * The "expected …" texts the loader prints for fields whose zod message would be unclear (name, id, Eb/N0, training
 * Eb/N0, system and channel type).
 */
export const EXPECTATIONS = X;
