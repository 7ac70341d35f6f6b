/**
 * The two-user interference channel of O'Shea & Hoydis 2017, Section III.B: two transmitter–receiver pairs
 * share n complex channel uses. Per complex use (real I/Q arithmetic, blocks of dims = 2n interleaved values):
 *
 *   y1 = x1 + g·x2 + n1,   y2 = x2 + g·x1 + n2,   n1, n2 ~ CN(0, 2σ²) independent
 *
 * with σ² per real dimension from each user's rate and Eb/N0 as for a single link (src/conventions.ts; both
 * users have the same k and n, so the same σ). The cross gain g is real (the paper's g = 1).
 *
 * Contract (the same definition in two forms, tested value for value against each other):
 * - draws per block: 2·dims standard normals, user 1's noise first, then user 2's (`drawDims`);
 * - `applyArrays(x1, x2, draws, σ, y1, y2, blocks)` on Float32Arrays (Monte Carlo);
 * - `applyTensors(tf, x1, x2, draws, σ)` → [y1, y2] in tfjs ops (training, differentiable in x1 and x2);
 * - `vjpArrays(draws, dy1, dy2, dx1, dx2)`: the transpose of the map x → y for the same draws (the JavaScript
 *   training step, src/twouser/js-step.ts): dx1 = (∂y1/∂x1)ᵀdy1 + (∂y2/∂x1)ᵀdy2, dx2 likewise.
 * Per-link Rayleigh fading: src/channels/two-user-rayleigh.ts (the same contract). A channel kind offers its
 * links with its `twoUser` hook; `makeTwoUserChannel` (src/channels/registry.ts) asks the link spec's kind.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { TwoUserChannelModel } from './two-user-model.ts';

export class TwoUserAwgnChannel implements TwoUserChannelModel {
  /** Real values per block and user. */
  readonly dims: number;
  /** Standard normals per block: user 1's noise, then user 2's. */
  readonly drawDims: number;

  constructor(
    /** Complex channel uses per user. */
    readonly n: number,
    /** Cross gain g of the interfering link. */
    readonly g: number,
  ) {
    this.dims = 2 * n;
    this.outDims = this.dims;
    this.drawDims = 2 * this.dims;
  }

  /** The receiver gets y only. */
  readonly outDims: number;

  vjpArrays(_draws: Float32Array, dy1: Float32Array, dy2: Float32Array, dx1: Float32Array, dx2: Float32Array, blocks: number): void {
    const g = this.g;
    for (let i = 0; i < blocks * this.dims; i++) {
      dx1[i] = dy1[i] + g * dy2[i];
      dx2[i] = dy2[i] + g * dy1[i];
    }
  }

  applyArrays(x1: Float32Array, x2: Float32Array, draws: Float32Array, sigma: number, y1: Float32Array, y2: Float32Array, blocks: number): void {
    const { dims, drawDims, g } = this;
    for (let b = 0; b < blocks; b++) {
      const o = b * dims;
      const d = b * drawDims;
      for (let j = 0; j < dims; j++) {
        y1[o + j] = x1[o + j] + g * x2[o + j] + sigma * draws[d + j];
        y2[o + j] = x2[o + j] + g * x1[o + j] + sigma * draws[d + dims + j];
      }
    }
  }

  /** Only one receiver's output (the Monte Carlo of one user's curve): the same values as applyArrays gives it. */
  applyArraysFor(user: 1 | 2, own: Float32Array, other: Float32Array, draws: Float32Array, sigma: number, y: Float32Array, blocks: number): void {
    const { dims, drawDims, g } = this;
    const noiseAt = user === 1 ? 0 : dims;
    for (let b = 0; b < blocks; b++) {
      const o = b * dims;
      const d = b * drawDims + noiseAt;
      for (let j = 0; j < dims; j++) y[o + j] = own[o + j] + g * other[o + j] + sigma * draws[d + j];
    }
  }

  /** x1, x2 [B, dims], draws [B, 2·dims], sigma [B, 1] → [y1, y2]. */
  applyTensors(
    tf: typeof tfTypes,
    x1: tfTypes.Tensor2D,
    x2: tfTypes.Tensor2D,
    draws: tfTypes.Tensor2D,
    sigma: tfTypes.Tensor2D,
  ): [tfTypes.Tensor2D, tfTypes.Tensor2D] {
    const B = x1.shape[0];
    const n1 = tf.slice(draws, [0, 0], [B, this.dims]);
    const n2 = tf.slice(draws, [0, this.dims], [B, this.dims]);
    const y1 = tf.add(tf.add(x1, tf.mul(x2, this.g)), tf.mul(n1, sigma)) as tfTypes.Tensor2D;
    const y2 = tf.add(tf.add(x2, tf.mul(x1, this.g)), tf.mul(n2, sigma)) as tfTypes.Tensor2D;
    return [y1, y2];
  }
}
