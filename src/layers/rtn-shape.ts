/**
 * The shape of a radio transformer network (src/layers/radio-transformer.ts) from an autoencoder spec, without
 * tfjs: what `sim validate` and the backend choice need to count its multiply-adds.
 */
import { channelTaps, receiverGetsTaps, type ChannelSpec } from '../channels/registry.ts';
import type { HiddenActivation, RtnTransform } from '../vocabulary.ts';
import type { HiddenLayerSpec } from './hidden-layer.ts';

/** An RTN's sizes: what its layer is built from (everything but the seed). */
export interface RtnShape {
  /** Complex channel uses per block (y has 2n reals). */
  n: number;
  /** Filter length L (transform `filter`). */
  taps: number;
  /** Reals per block the layer gets: 2n, or 2n + 2L with the channel's taps appended. */
  received: number;
  /** Hidden layers of the estimator (dense; units and activation). */
  estimator: { units: number; activation: HiddenActivation }[];
  transform: RtnTransform;
}

/** The constructor arguments of the RTN of an autoencoder spec (everything but seed and name). */
export function rtnArgs(
  spec: { n: number; signalling: string; channel: ChannelSpec },
  receiver: { rtn: { estimator: HiddenLayerSpec[]; transform: RtnTransform } },
): RtnShape {
  if (spec.signalling !== 'complex') throw new Error('a radio transformer network needs complex signalling');
  // The filter has as many taps as the channel's memory; the receiver's input carries the taps after y where it gets them.
  const taps = channelTaps(spec.channel);
  const received = 2 * spec.n + (receiverGetsTaps(spec.channel, spec.n) ? 2 * taps : 0);
  return {
    n: spec.n,
    taps,
    received,
    estimator: receiver.rtn.estimator.map((l) => ({ units: l.units, activation: (l.activation ?? 'tanh') as HiddenActivation })),
    transform: receiver.rtn.transform,
  };
}

/** Parameters the estimator outputs: 2L reals for `filter`, one phase for `phase`. */
export const rtnParameterCount = (transform: RtnTransform, taps: number): number => (transform === 'filter' ? 2 * taps : 1);

/** Reals per block of the canonical signal: 2(n + L − 1) for `filter`, 2n for `phase`. */
export const rtnOutputDim = (transform: RtnTransform, n: number, taps: number): number => (transform === 'filter' ? 2 * (n + taps - 1) : 2 * n);
