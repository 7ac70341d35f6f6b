/**
 * The layer kinds: one module each in kinds/, one line each here. A tfjs layer is one of these or an
 * error naming it (UnknownLayerError): the training step, the tf.grad reference and the Monte Carlo compiler
 * all look layers up here.
 */
import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { MlpLayer } from '../mlp-spec.ts';
import { UnknownLayerError } from './errors.ts';
import type { HiddenOption, LayerKind, SlotContext, TfForm } from './kind.ts';
import type { TrainOp } from './op.ts';
import { activationKind } from './kinds/activation.ts';
import { batchNormKind } from './kinds/batch-norm.ts';
import { denseKind } from './kinds/dense.ts';
import { layerNormKind, tfLayerNormalizationKind } from './kinds/layer-norm.ts';
import { powerKind } from './kinds/power.ts';
import { rtnKind } from './kinds/rtn.ts';
import { weightNormDenseKind } from './kinds/weight-norm-dense.ts';

const KINDS = [
  denseKind,
  layerNormKind,
  weightNormDenseKind,
  tfLayerNormalizationKind,
  activationKind,
  powerKind,
  rtnKind,
  batchNormKind,
] as const;

export const LAYER_KINDS: readonly LayerKind[] = KINDS;

/** The scenario's boolean hidden-layer options: one per kind that has one (`layerNorm`, `weightNorm`, …). */
export type HiddenOptionKey = Extract<(typeof KINDS)[number], { option: unknown }>['option']['key'];

/** A hidden layer's options, each optional. */
export type HiddenOptions = { [K in HiddenOptionKey]?: boolean };

/** The hidden-layer options, in registry order. */
export const HIDDEN_OPTIONS = LAYER_KINDS.flatMap((k) => (k.option ? [k.option] : [])) as readonly HiddenOption<HiddenOptionKey>[];

/** The options' fields of the scenario's hidden-layer schema (src/scenario/schema.ts), each with its description. */
export const hiddenOptionFields = (): { [K in HiddenOptionKey]: z.ZodOptional<z.ZodBoolean> } =>
  Object.fromEntries(HIDDEN_OPTIONS.map((o) => [o.key, o.schema])) as { [K in HiddenOptionKey]: z.ZodOptional<z.ZodBoolean> };

/**
 * A problem with a hidden layer's options (more than one normalization), or undefined. `layer` is what the
 * scenario or spec gives (an object of fields).
 */
export function hiddenOptionConflict(layer: Record<string, unknown>): { key: HiddenOptionKey; message: string } | undefined {
  const norms = HIDDEN_OPTIONS.filter((o) => o.role === 'norm' && layer[o.key] === true);
  if (norms.length < 2) return undefined;
  return { key: norms[1].key, message: `at most one of ${HIDDEN_OPTIONS.filter((o) => o.role === 'norm').map((o) => `${o.key}`).join(', ')} on a hidden layer (${norms.map((o) => o.key).join(' and ')} are both true)` };
}

/** Whether hidden layers with these options compute batch statistics (the batch must stay whole). */
export const usesBatchStatistics = (layers: readonly HiddenOptions[]): boolean => layers.some((l) => HIDDEN_OPTIONS.some((o) => o.batchStatistics && l[o.key]));

/** The kind of a tfjs layer. */
export function layerKind(layer: tf.layers.Layer): LayerKind {
  const kind = LAYER_KINDS.find((k) => k.matches(layer));
  if (!kind) throw new UnknownLayerError(layer, '');
  return kind;
}

/** The layers' JavaScript training ops, from `inDim` values per row; returns them and the output width. */
export function trainOps(layers: tf.layers.Layer[], ctx: SlotContext, inDim: number): TrainOp[] {
  const ops: TrainOp[] = [];
  let dim = inDim;
  for (const layer of layers) {
    const kind = layerKind(layer);
    if (!kind.train) throw new UnknownLayerError(layer, 'with a JavaScript training op');
    for (const op of kind.train(layer, ctx, dim)) {
      ops.push(op);
      dim = op.outDim;
    }
  }
  return ops;
}

/** The layer's functional tfjs form (TrainGraph). */
export function tfForm(layer: tf.layers.Layer, ctx: SlotContext): TfForm {
  const kind = layerKind(layer);
  if (!kind.tf) throw new UnknownLayerError(layer, 'with a functional tfjs form');
  return kind.tf(layer, ctx);
}

/** Appends the layer's compiled Monte Carlo form; returns the output width. */
export function mlpForm(layer: tf.layers.Layer, inDim: number, layers: MlpLayer[]): number {
  const kind = LAYER_KINDS.find((k) => k.matches(layer));
  if (!kind?.mlp) throw new Error(`decoder layer ${layer.name} (${layer.getClassName()}) is not supported by the fast path`);
  return kind.mlp(layer, inDim, layers);
}
