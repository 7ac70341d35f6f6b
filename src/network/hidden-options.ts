/**
 * The scenario's boolean hidden-layer options (`layerNorm`, `weightNorm`, `batchNorm`, …): their fields,
 * defaults, descriptions and labels, without tfjs. The layer kind that builds each option (src/network/kinds/)
 * takes its entry from here and adds the layer; src/network/registry.ts checks, at compile time, that every
 * entry has its kind. Why a catalogue apart from the kinds: the scenario schema reads these fields, and
 * `sim validate`, `sim list` and `sim schema` must not load tfjs (test/e2e/cli-light.test.ts), which every
 * layer kind imports (the same split as the claims: src/claim-catalogue.ts).
 */
import { z } from 'zod';
import { DEFAULTS } from '../defaults.ts';

/** Where a hidden-layer option goes in a hidden layer: its dense map, or a normalization after it (before the activation). */
export type HiddenRole = 'map' | 'norm';

export interface HiddenOptionSpec<K extends string = string> {
  /** The scenario's field. */
  readonly key: K;
  readonly role: HiddenRole;
  readonly default: boolean;
  /** The field's description in the scenario schema. */
  readonly description: string;
  /** The layer's output depends on the whole batch (its statistics), so the batch must not be cut into shards. */
  readonly batchStatistics?: boolean;
  /** How the option reads in a model description (" + layer norm"). */
  readonly label: string;
}

const spec = <K extends string>(o: HiddenOptionSpec<K>): HiddenOptionSpec<K> => o;

/** In the order of the scenario's fields. */
export const HIDDEN_OPTION_SPECS = [
  spec({
    key: 'layerNorm',
    role: 'norm',
    default: DEFAULTS.hiddenLayer.layerNorm,
    description: `Layer normalization between the dense map and the activation (default ${DEFAULTS.hiddenLayer.layerNorm}).`,
    label: 'layer norm',
  }),
  spec({
    key: 'weightNorm',
    role: 'map',
    default: DEFAULTS.hiddenLayer.weightNorm,
    description: `Weight normalization of the kernel (default ${DEFAULTS.hiddenLayer.weightNorm}).`,
    label: 'weight norm',
  }),
  spec({
    key: 'batchNorm',
    role: 'norm',
    default: false,
    batchStatistics: true,
    description:
      'Batch normalization between the dense map and the activation: batch statistics in training, running statistics (momentum 0.99) at inference (default false; not with layerNorm).',
    label: 'batch norm',
  }),
] as const;

/**
 * The field name of a hidden-layer option in a scenario and in HiddenLayerSpec (`weightNorm`, `layerNorm`,
 * `batchNorm`).
 */
export type HiddenOptionKey = (typeof HIDDEN_OPTION_SPECS)[number]['key'];

/** A hidden layer's options, each optional. */
export type HiddenOptions = { [K in HiddenOptionKey]?: boolean };

/** The catalogue entry of an option. */
export const hiddenOptionSpec = <K extends HiddenOptionKey>(key: K): Extract<(typeof HIDDEN_OPTION_SPECS)[number], { key: K }> =>
  HIDDEN_OPTION_SPECS.find((o) => o.key === key) as Extract<(typeof HIDDEN_OPTION_SPECS)[number], { key: K }>;

/** The options' fields of the scenario's hidden-layer schema (src/scenario/schema-parts.ts), each with its description. */
export const hiddenOptionFields = (): { [K in HiddenOptionKey]: z.ZodOptional<z.ZodBoolean> } =>
  Object.fromEntries(HIDDEN_OPTION_SPECS.map((o) => [o.key, z.boolean().optional().meta({ description: o.description })])) as {
    [K in HiddenOptionKey]: z.ZodOptional<z.ZodBoolean>;
  };

/**
 * A problem with a hidden layer's options (more than one normalization), or undefined. `layer` is what the
 * scenario or spec gives (an object of fields).
 */
export function hiddenOptionConflict(layer: Record<string, unknown>): { key: HiddenOptionKey; message: string } | undefined {
  const norms = HIDDEN_OPTION_SPECS.filter((o) => o.role === 'norm' && layer[o.key] === true);
  if (norms.length < 2) return undefined;
  return {
    key: norms[1].key,
    message: `at most one of ${HIDDEN_OPTION_SPECS.filter((o) => o.role === 'norm')
      .map((o) => `${o.key}`)
      .join(', ')} on a hidden layer (${norms.map((o) => o.key).join(' and ')} are both true)`,
  };
}

/** Whether hidden layers with these options compute batch statistics (the batch must stay whole). */
export const usesBatchStatistics = (layers: readonly HiddenOptions[]): boolean =>
  layers.some((l) => HIDDEN_OPTION_SPECS.some((o) => 'batchStatistics' in o && o.batchStatistics && l[o.key]));

/** A hidden layer's options in words, e.g. " + layer norm" (defaults filled). */
export const hiddenOptionsText = (l: HiddenOptions): string => HIDDEN_OPTION_SPECS.map((o) => ((l[o.key] ?? o.default) ? ` + ${o.label}` : '')).join('');
