/** One hidden layer of an encoder, decoder or RTN estimator, as a spec describes it (src/autoencoder/spec.ts). */
import type { Activation } from '../vocabulary.ts';

export interface HiddenLayerSpec {
  units: number;
  /** Default relu. */
  activation?: Activation;
  /** Layer normalization between the dense map and the activation. Default false. */
  layerNorm?: boolean;
  /** Weight-normalized dense map (w = g·v/‖v‖). Default false. */
  weightNorm?: boolean;
}
