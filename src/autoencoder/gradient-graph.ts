/**
 * Which implementation computes a training step (the contract: gradient-graph-contract.ts).
 *
 * Two implementations of the same function (loss, decisions and gradient of the mean cross-entropy with
 * respect to one flat parameter vector θ, laid out in the models' layer order):
 * - JsTrainGraph (js-train-graph.ts): the backward pass written out, small products in JavaScript and large
 *   ones on the tfjs backend. The default: it supports every layer buildAutoencoder makes.
 * - TrainGraph (train-graph.ts): tfjs's automatic differentiation of the models' functional form. The
 *   reference the tests hold JsTrainGraph to, and the fallback for a layer JsTrainGraph does not know.
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

/** The implementation for these models: JsTrainGraph, or TrainGraph for a layer JsTrainGraph does not know. */
export function createGradientGraph(models: AutoencoderModels, channel: ChannelModel, messages: number): GradientGraph {
  try {
    return new JsTrainGraph(models, channel, messages, forBackend(DEFAULTS.train.backendGemmMinMacs), forBackend(DEFAULTS.train.decoderPassMinMacs));
  } catch (e) {
    if (!(e instanceof UnsupportedLayerError)) throw e;
    return new TrainGraph(models, channel, messages);
  }
}
