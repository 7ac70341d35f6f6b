/**
 * A layer kind: everything the simulator asks of one kind of network layer, in one module
 * (src/network/kinds/), registered once (src/network/registry.ts):
 * - recognising the kind's tfjs layer (`matches`);
 * - its JavaScript training ops (`train`: forward on Float32Arrays with a tape, backward), run by JsTrainGraph;
 * - its functional tfjs form on θ's tensors (`tf`), run by TrainGraph under tf.grad (the tests' reference);
 * - its compiled Monte Carlo form, MlpLayer pieces (`mlp`), where a decoder may contain it;
 * - and, for a hidden-layer option of the scenario (`option`), its field, default and how it is built.
 */
import type * as tf from '@tensorflow/tfjs';
import type { MlpLayer } from '../mlp/spec.ts';
import type { HiddenOptionSpec } from './hidden-options.ts';
import type { TrainOp } from './op.ts';

export type { HiddenRole } from './hidden-options.ts';

/** What a kind's `train` and `tf` get from the graph that compiles the layers: θ's slots. */
export interface SlotContext {
  /** Appends the slot of `layer.trainableWeights[index]` to θ; returns its index. */
  slot(layer: tf.layers.Layer, index: number): number;
  /** The shape of slot i. */
  shape(i: number): number[];
}

/** A layer's functional form for tf.grad: h and the θ slots' tensors → the output. */
export type TfForm = (h: tf.Tensor, p: tf.Tensor[]) => tf.Tensor;

/** A hidden-layer option of the scenario (its catalogue entry, src/network/hidden-options.ts) and the layer it adds or replaces. */
export interface HiddenOption<K extends string = string> extends HiddenOptionSpec<K> {
  /** The tfjs layer: `units` and the dense map's seed for a map; `first`: the model's input shape, when it is the first layer. */
  layer(args: { units: number; seed: number; first: { inputShape?: number[] } }): tf.layers.Layer;
}

/**
 * A layer kind: everything the simulator asks of one kind of network layer, in one module (src/network/kinds/):
 * recognising its tfjs layer, its JavaScript training ops, its functional tfjs form, its compiled Monte Carlo form,
 * and, for a hidden-layer option of the scenario, the option. Add one with registerLayerKind (learned-phy-sim/kinds).
 */
export interface LayerKind {
  readonly name: string;
  /** Whether `layer` is this kind's tfjs layer (test its class: the first kind that matches a layer handles it). */
  matches(layer: tf.layers.Layer): boolean;
  /** The JavaScript training ops of the layer, taking `inDim` values per row (absent: the kind has none). */
  train?(layer: tf.layers.Layer, ctx: SlotContext, inDim: number): TrainOp[];
  /** The functional tfjs form (absent: the kind cannot be trained). */
  tf?(layer: tf.layers.Layer, ctx: SlotContext): TfForm;
  /**
   * Appends the layer's compiled form to `layers` (it may fold itself into the previous piece); returns the
   * output width. Absent: not part of a compiled decoder.
   */
  mlp?(layer: tf.layers.Layer, inDim: number, layers: MlpLayer[]): number;
  readonly option?: HiddenOption;
}

/**
 * A kind of a hidden-layer option: trainable, with its tfjs and compiled forms, its field name kept as a
 * literal type (a named type, so declaration files can refer to it).
 */
export type OptionLayerKind<K extends string> = LayerKind & Required<Pick<LayerKind, 'train' | 'tf' | 'mlp'>> & { readonly option: HiddenOption<K> };

/** A kind's hidden-layer option, its field name kept as a literal type (the scenario's types are made from it). */
export const hiddenOption = <K extends string>(o: HiddenOption<K>): HiddenOption<K> => o;
