/**
 * The two-user interference channel (src/channels/two-user.ts) with Rayleigh fading on each of its four links.
 * h_ij is the gain from transmitter j to receiver i, each CN(0, 1) (E|h|² = 1), independent, one per block
 * (`coherence: block`) or one per complex channel use (`coherence: symbol`). Per complex use (real I/Q
 * arithmetic, blocks of dims = 2n interleaved values):
 *
 *   y1 = h11·x1 + g·h12·x2 + n1,   y2 = h22·x2 + g·h21·x1 + n2,   n1, n2 ~ CN(0, 2σ²) independent
 *
 * - `csi: perfect`: each receiver gets its two gains as side information after y (its own link first):
 *   receiver 1 gets [y1, h11, h12], receiver 2 [y2, h22, h21], each gain as (re, im) per gain (outDims =
 *   dims + 4·gains). The decoder learns what to do with them; zero forcing on h11 alone (what single-link
 *   Rayleigh with CSI does, src/channels/rayleigh.ts) would leave the interference's gain unknown.
 * - `csi: none`: each receiver gets y only.
 *
 * Draws per block (part of the reproducibility contract): user 1's noise (dims), user 2's noise (dims), then
 * h11, h12, h21, h22, each as `gains` (re, im) pairs of standard normals scaled by 1/√2. Both receivers read
 * the same draws, so a Monte Carlo chunk measures both users on the same blocks (src/twouser/kernel.ts).
 *
 * The same definition in three forms, tested against each other (test/unit/two-user.test.ts): applyArrays
 * (Monte Carlo), applyTensors (tfjs), vjpArrays (the JavaScript training step). The side information does not
 * depend on x, so the VJP reads only the first dims values of each dy row.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { TwoUserChannelModel } from './two-user-model.ts';

const HALF_SQRT = Math.SQRT1_2;

/** Offsets of the links' gains inside a block's draws, after both noises (in units of `gains` complex values). */
const LINK = { h11: 0, h12: 1, h21: 2, h22: 3 } as const;

export class TwoUserRayleighChannel implements TwoUserChannelModel {
  readonly dims: number;
  readonly outDims: number;
  readonly drawDims: number;
  /** Independent gains per link and block: 1 (block fading) or n (per channel use). */
  readonly gains: number;
  readonly perfect: boolean;

  constructor(
    readonly n: number,
    readonly g: number,
    readonly coherence: 'block' | 'symbol',
    readonly csi: 'perfect' | 'none',
  ) {
    this.dims = 2 * n;
    this.gains = coherence === 'block' ? 1 : n;
    this.perfect = csi === 'perfect';
    this.outDims = this.dims + (this.perfect ? 4 * this.gains : 0);
    this.drawDims = 2 * this.dims + 8 * this.gains;
  }

  /** Offset (in draws) of link `link`'s gain for complex use j of the block starting at draw offset d. */
  private gainAt(d: number, link: number, j: number): number {
    return d + 2 * this.dims + 2 * (link * this.gains + (this.gains === 1 ? 0 : j));
  }

  applyArrays(x1: Float32Array, x2: Float32Array, draws: Float32Array, sigma: number, y1: Float32Array, y2: Float32Array, blocks: number): void {
    this.applyArraysFor(1, x1, x2, draws, sigma, y1, blocks);
    this.applyArraysFor(2, x2, x1, draws, sigma, y2, blocks);
  }

  /** Receiver `user`'s input: own = its transmitter's blocks, other = the interferer's. */
  applyArraysFor(user: 1 | 2, own: Float32Array, other: Float32Array, draws: Float32Array, sigma: number, y: Float32Array, blocks: number): void {
    const { n, dims, outDims, drawDims, g, gains } = this;
    const ownLink = user === 1 ? LINK.h11 : LINK.h22;
    const crossLink = user === 1 ? LINK.h12 : LINK.h21;
    const noiseAt = user === 1 ? 0 : dims;
    for (let b = 0; b < blocks; b++) {
      const xo = b * dims;
      const yo = b * outDims;
      const d = b * drawDims;
      for (let j = 0; j < n; j++) {
        const a = this.gainAt(d, ownLink, j);
        const c = this.gainAt(d, crossLink, j);
        const ar = draws[a] * HALF_SQRT;
        const ai = draws[a + 1] * HALF_SQRT;
        const cr = g * draws[c] * HALF_SQRT;
        const ci = g * draws[c + 1] * HALF_SQRT;
        const pr = own[xo + 2 * j];
        const pi = own[xo + 2 * j + 1];
        const qr = other[xo + 2 * j];
        const qi = other[xo + 2 * j + 1];
        y[yo + 2 * j] = ar * pr - ai * pi + (cr * qr - ci * qi) + sigma * draws[d + noiseAt + 2 * j];
        y[yo + 2 * j + 1] = ar * pi + ai * pr + (cr * qi + ci * qr) + sigma * draws[d + noiseAt + 2 * j + 1];
      }
      if (this.perfect) {
        // Side information: the own link's gains, then the cross link's (h, not g·h: g is a constant).
        for (let q = 0; q < gains; q++) {
          const a = this.gainAt(d, ownLink, q);
          const c = this.gainAt(d, crossLink, q);
          y[yo + dims + 2 * q] = draws[a] * HALF_SQRT;
          y[yo + dims + 2 * q + 1] = draws[a + 1] * HALF_SQRT;
          y[yo + dims + 2 * gains + 2 * q] = draws[c] * HALF_SQRT;
          y[yo + dims + 2 * gains + 2 * q + 1] = draws[c + 1] * HALF_SQRT;
        }
      }
    }
  }

  /** dx1 = conj(h11)·dy1 + g·conj(h21)·dy2, dx2 = conj(h22)·dy2 + g·conj(h12)·dy1 per complex use. */
  vjpArrays(draws: Float32Array, dy1: Float32Array, dy2: Float32Array, dx1: Float32Array, dx2: Float32Array, blocks: number): void {
    const { n, dims, outDims, drawDims, g } = this;
    for (let b = 0; b < blocks; b++) {
      const xo = b * dims;
      const yo = b * outDims;
      const d = b * drawDims;
      for (let j = 0; j < n; j++) {
        const h11 = this.gainAt(d, LINK.h11, j);
        const h12 = this.gainAt(d, LINK.h12, j);
        const h21 = this.gainAt(d, LINK.h21, j);
        const h22 = this.gainAt(d, LINK.h22, j);
        const ar = draws[h11] * HALF_SQRT,
          ai = draws[h11 + 1] * HALF_SQRT;
        const br = g * draws[h12] * HALF_SQRT,
          bi = g * draws[h12 + 1] * HALF_SQRT;
        const cr = g * draws[h21] * HALF_SQRT,
          ci = g * draws[h21 + 1] * HALF_SQRT;
        const er = draws[h22] * HALF_SQRT,
          ei = draws[h22 + 1] * HALF_SQRT;
        const ur = dy1[yo + 2 * j],
          ui = dy1[yo + 2 * j + 1];
        const vr = dy2[yo + 2 * j],
          vi = dy2[yo + 2 * j + 1];
        // conj(h)·u = (hr·ur + hi·ui, hr·ui − hi·ur)
        dx1[xo + 2 * j] = ar * ur + ai * ui + (cr * vr + ci * vi);
        dx1[xo + 2 * j + 1] = ar * ui - ai * ur + (cr * vi - ci * vr);
        dx2[xo + 2 * j] = er * vr + ei * vi + (br * ur + bi * ui);
        dx2[xo + 2 * j + 1] = er * vi - ei * vr + (br * ui - bi * ur);
      }
    }
  }

  /** x1, x2 [B, dims], draws [B, drawDims], sigma [B, 1] → [y1, y2], each [B, outDims]. */
  applyTensors(
    tf: typeof tfTypes,
    x1: tfTypes.Tensor2D,
    x2: tfTypes.Tensor2D,
    draws: tfTypes.Tensor2D,
    sigma: tfTypes.Tensor2D,
  ): [tfTypes.Tensor2D, tfTypes.Tensor2D] {
    const { n, dims, gains, g } = this;
    const B = x1.shape[0];
    return tf.tidy(() => {
      // [B, gains, 2] per link; a gain per use is broadcast over the n uses when gains = 1.
      const link = (l: number) => tf.reshape(tf.mul(tf.slice(draws, [0, 2 * dims + 2 * l * gains], [B, 2 * gains]), HALF_SQRT), [B, gains, 2]);
      const parts = (t: tfTypes.Tensor) => tf.split(t, 2, 2) as [tfTypes.Tensor, tfTypes.Tensor];
      const cmul = (h: tfTypes.Tensor, x: tfTypes.Tensor, scale: number): [tfTypes.Tensor, tfTypes.Tensor] => {
        const [hr, hi] = parts(h);
        const [xr, xi] = parts(tf.reshape(x, [B, n, 2]));
        return [tf.mul(tf.sub(tf.mul(hr, xr), tf.mul(hi, xi)), scale), tf.mul(tf.add(tf.mul(hr, xi), tf.mul(hi, xr)), scale)];
      };
      const receiver = (own: tfTypes.Tensor2D, other: tfTypes.Tensor2D, ownLink: number, crossLink: number, noiseAt: number): tfTypes.Tensor2D => {
        const hOwn = link(ownLink);
        const hCross = link(crossLink);
        const [sr, si] = cmul(hOwn, own, 1);
        const [ir, ii] = cmul(hCross, other, g);
        const [nr, ni] = parts(tf.reshape(tf.mul(tf.slice(draws, [0, noiseAt], [B, dims]), sigma), [B, n, 2]));
        const y = tf.reshape(tf.concat([tf.add(tf.add(sr, ir), nr), tf.add(tf.add(si, ii), ni)], 2), [B, dims]);
        if (!this.perfect) return y as tfTypes.Tensor2D;
        return tf.concat([y, tf.reshape(hOwn, [B, 2 * gains]), tf.reshape(hCross, [B, 2 * gains])], 1) as tfTypes.Tensor2D;
      };
      return [receiver(x1, x2, LINK.h11, LINK.h12, 0), receiver(x2, x1, LINK.h22, LINK.h21, dims)];
    });
  }
}
