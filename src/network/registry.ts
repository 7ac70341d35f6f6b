/**
 * The layer kinds: one module each in kinds/, one line each here. A tfjs layer is one of these or an
 * error naming it (UnknownLayerError): the training step, the tf.grad reference and the Monte Carlo compiler
 * all look layers up here.
 */
import type * as tf from '@tensorflow/tfjs';
import type { MlpLayer } from '../mlp/spec.ts';
import { UnknownLayerError } from './errors.ts';
import { HIDDEN_OPTION_SPECS, type HiddenOptionKey } from './hidden-options.ts';
import type { HiddenOption, LayerKind, SlotContext, TfForm } from './kind.ts';
import type { TrainOp } from './op.ts';
import { activationKind } from './kinds/activation.ts';
import { batchNormKind } from './kinds/batch-norm.ts';
import { denseKind } from './kinds/dense.ts';
import { layerNormKind, tfLayerNormalizationKind } from './kinds/layer-norm.ts';
import { powerKind } from './kinds/power.ts';
import { rtnKind } from './kinds/rtn.ts';
import { weightNormDenseKind } from './kinds/weight-norm-dense.ts';

const KINDS = [denseKind, layerNormKind, weightNormDenseKind, tfLayerNormalizationKind, activationKind, powerKind, rtnKind, batchNormKind] as const;

const kinds: LayerKind[] = [...KINDS];

/** Every layer kind: the shipped ones, then those registered from user code (registerLayerKind). */
export const LAYER_KINDS: readonly LayerKind[] = kinds;

/**
 * Adds a layer kind from outside the package (a user's module): a model built in user code with its tfjs layer
 * then trains on the JavaScript step (its `train` ops), differentiates under tf.grad (`tf`) and decodes in
 * the Monte Carlo engine (`mlp`) as the shipped layers do. A scenario's hidden-layer options are the shipped
 * catalogue's (src/network/hidden-options.ts), so a kind with an `option` is refused. For worker threads,
 * load the module with `useKindModule` (src/kind-modules.ts). Throws when the name is taken.
 */
export function registerLayerKind(kind: LayerKind): void {
  if (kinds.includes(kind)) return;
  if (kinds.some((k) => k.name === kind.name)) throw new Error(`registerLayerKind: layer kind ${kind.name} is already registered`);
  if (kind.option) throw new Error(`registerLayerKind: ${kind.name}: hidden-layer options of the scenario are the package's own; leave \`option\` out`);
  kinds.push(kind);
}

export {
  hiddenOptionConflict,
  hiddenOptionFields,
  usesBatchStatistics,
  type HiddenOptionKey,
  type HiddenOptions,
} from './hidden-options.ts';

/** The hidden-layer options with the layers that build them, in the catalogue's order. */
export const HIDDEN_OPTIONS = HIDDEN_OPTION_SPECS.map((spec) => {
  const option = LAYER_KINDS.find((k) => k.option?.key === spec.key)?.option;
  if (!option) throw new Error(`hidden-layer option ${spec.key} has no layer kind (src/network/kinds/)`);
  return option;
}) as readonly HiddenOption<HiddenOptionKey>[];

/** Every catalogue entry has a registered kind that builds it (a compile-time check). */
type KindOptionKey = Extract<(typeof KINDS)[number], { option: unknown }>['option']['key'];
const everyOptionHasAKind: [Exclude<HiddenOptionKey, KindOptionKey>] extends [never] ? true : never = true;
void everyOptionHasAKind;

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
