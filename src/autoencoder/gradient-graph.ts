/**
 * What the trainer needs from a training step, and which implementation computes it.
 *
 * Two implementations of the same function (loss, decisions and gradient of the mean cross-entropy with
 * respect to one flat parameter vector θ, laid out in the models' layer order):
 * - JsTrainGraph (js-train-graph.ts): the backward pass written out, small products in JavaScript and large
 *   ones on the tfjs backend. The default: every layer kind (src/network/registry.ts) has its JavaScript op.
 * - TrainGraph (train-graph.ts): tfjs's automatic differentiation of the models' functional form. The
 *   reference the tests hold JsTrainGraph to, and the fallback for networks JsTrainGraph does not arrange
 *   (UnsupportedLayerError: a bit-wise decoder, a single-link receiver given side information). A layer of
 *   no registered kind is an error in both (UnknownLayerError), never a fallback.
 *
 * The trainer and its data-parallel workers call the same factory with the same arguments, so they compute
 * with the same implementation.
 */
import * as tf from '@tensorflow/tfjs';
import type { ChannelModel } from '../channels/types.ts';
import { DEFAULTS } from '../defaults.ts';
import type { AutoencoderModels } from './build.ts';
import { JsTrainGraph, UnsupportedLayerError } from './js-train-graph.ts';
import { TrainGraph } from './train-graph.ts';

export interface StepResult {
  loss: number;
  /** Blocks of the batch the decoder got right. */
  correct: number;
}

export interface GradientGraph {
  readonly size: number;
  /** θ, in the order of the models' trainable weights. */
  readonly theta: Float32Array;
  /**
   * Loss and correct decisions of one batch, and the gradient of the mean loss w.r.t. θ (in `gradient`,
   * valid until the next call). `draws` holds the channel's standard normals (batch × drawDims).
   */
  step(messages: Int32Array, draws: Float32Array, sigma: number): StepResult & { gradient: Float32Array };
  /** θ ← the layers' current weights. */
  readFrom(): void;
  /** The layers' weights ← θ (before using the tfjs models for anything else). */
  writeTo(): void;
  /**
   * Optional: from now on the encoder's gradient is not needed (decoder refinement), so the step may skip
   * computing it (the entries stay 0). The trainer masks the encoder's gradient either way. Calling it again
   * with the same value changes nothing.
   */
  freezeEncoder?(frozen: boolean): void;
  /** Where each layer variable lives in θ. */
  layout(): { name: string; offset: number; size: number }[];
}

/** A per-backend threshold for the current backend (other backends, e.g. cpu in tests: tfjs-node's); null: never. */
export function forBackend(table: Record<string, number | null>): number {
  const v = tf.getBackend() in table ? table[tf.getBackend()] : table.tensorflow;
  return v ?? Number.POSITIVE_INFINITY;
}

/** The implementation for these models: JsTrainGraph, or TrainGraph for a network JsTrainGraph does not arrange. */
export function createGradientGraph(models: AutoencoderModels, channel: ChannelModel, messages: number): GradientGraph {
  try {
    return new JsTrainGraph(models, channel, messages, forBackend(DEFAULTS.train.backendGemmMinMacs), forBackend(DEFAULTS.train.decoderPassMinMacs));
  } catch (e) {
    if (!(e instanceof UnsupportedLayerError)) throw e;
    return new TrainGraph(models, channel, messages);
  }
}
