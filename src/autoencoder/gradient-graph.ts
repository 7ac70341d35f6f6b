/**
 * Which implementation computes a training step (the contract: gradient-graph-contract.ts).
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
import type { GradientGraph } from './gradient-graph-contract.ts';

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
