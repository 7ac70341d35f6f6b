/**
 * The layer kinds: one module each in kinds/, one line each here. A tfjs layer is one of these or an
 * error naming it (UnknownLayerError): the training step, the tf.grad reference and the Monte Carlo compiler
 * all look layers up here.
 */
import type * as tf from '@tensorflow/tfjs';
import type { MlpLayer } from '../system.ts';
import { UnknownLayerError } from './errors.ts';
import type { HiddenOption, LayerKind, SlotContext, TfForm } from './kind.ts';
import type { TrainOp } from './op.ts';
import { activationKind } from './kinds/activation.ts';
import { denseKind } from './kinds/dense.ts';
import { layerNormKind, tfLayerNormalizationKind } from './kinds/layer-norm.ts';
import { powerKind } from './kinds/power.ts';
import { rtnKind } from './kinds/rtn.ts';
import { weightNormDenseKind } from './kinds/weight-norm-dense.ts';

export const LAYER_KINDS: readonly LayerKind[] = [
  denseKind,
  weightNormDenseKind,
  layerNormKind,
  tfLayerNormalizationKind,
  activationKind,
  powerKind,
  rtnKind,
];

/** The hidden-layer options of the scenario, in the order their layers are built (maps, then normalizations). */
export const HIDDEN_OPTIONS: readonly HiddenOption[] = LAYER_KINDS.flatMap((k) => (k.option ? [k.option] : []));

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
