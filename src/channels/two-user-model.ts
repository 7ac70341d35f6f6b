/**
 * The interface both two-user channels implement (two-user.ts: AWGN links; two-user-rayleigh.ts: Rayleigh
 * fading on each link), apart from either so that each implementation and the factory import it from below.
 */
import type * as tfTypes from '@tensorflow/tfjs';

/** What both two-user channels provide (the contract in two-user.ts's header). */
export interface TwoUserChannelModel {
  readonly n: number;
  /** Cross gain g of the interfering links. */
  readonly g: number;
  /** Real values per block and user (what a transmitter sends). */
  readonly dims: number;
  /** Real values per block a receiver gets: dims, or more with channel side information (perfect CSI). */
  readonly outDims: number;
  /** Standard normals per block. */
  readonly drawDims: number;
  applyArrays(x1: Float32Array, x2: Float32Array, draws: Float32Array, sigma: number, y1: Float32Array, y2: Float32Array, blocks: number): void;
  applyArraysFor(user: 1 | 2, own: Float32Array, other: Float32Array, draws: Float32Array, sigma: number, y: Float32Array, blocks: number): void;
  vjpArrays(draws: Float32Array, dy1: Float32Array, dy2: Float32Array, dx1: Float32Array, dx2: Float32Array, blocks: number): void;
  applyTensors(
    tf: typeof tfTypes,
    x1: tfTypes.Tensor2D,
    x2: tfTypes.Tensor2D,
    draws: tfTypes.Tensor2D,
    sigma: tfTypes.Tensor2D,
  ): [tfTypes.Tensor2D, tfTypes.Tensor2D];
}
