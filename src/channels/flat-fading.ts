/**
 * Flat fading with a line-of-sight part: h = μ + s·(z_r + j·z_i)/√2 with z_r, z_i standard normals, μ ≥ 0
 * the deterministic line-of-sight amplitude (phase 0) and s² = 1 − μ² the scattered power, so E|h|² = 1.
 * Rayleigh is μ = 0 (h ~ CN(0, 1)); Rician with K-factor K is μ² = K/(K+1). One gain per block
 * (`coherence: block`) or one per channel use (`coherence: symbol`), then AWGN with σ² per real dimension.
 *
 * - Complex signalling: y = h·x + n on each complex use (real I/Q arithmetic; wasm has no complex kernels).
 * - Real signalling: a real channel use sees the amplitude |h| only: y = |h|·x + n. |h| is Rayleigh (μ = 0)
 *   or Rician with E|h|² = 1, so uncoded BPSK over Rayleigh has the textbook BER ½(1 − √(γ/(1+γ))).
 * - `csi: perfect`: the receiver knows h and equalizes (zero forcing) before the decoder:
 *   complex y ← y·conj(h)/|h|², real y ← y/|h|. The decoder input keeps the same shape, so the same
 *   decoder architecture serves every channel. `csi: none`: the decoder sees y as it is.
 *
 * Draws per block: `dims` noise values, then 2 per gain (re, im of h, each N(0, ½) after scaling).
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { realDims, type Signalling } from '../conventions.ts';
import type { ChannelSpecBase } from './kind.ts';
import { MIN_GAIN_POWER, type ChannelModel } from './types.ts';

const HALF_SQRT = Math.SQRT1_2;

/** The fields every flat-fading kind's spec has. */
export interface FlatFadingSpec extends ChannelSpecBase {
  readonly coherence: 'block' | 'symbol';
  readonly csi: 'perfect' | 'none';
}

/**
 * Flat fading h = μ + s·(z_r + j·z_i)/√2 with E|h|² = 1 (μ² = `losPower`: 0 for Rayleigh, K/(K+1) for Rician), one
 * gain per block or per channel use (`coherence`), then AWGN with σ per real dimension. Complex signalling sees y =
 * h·x + n, real signalling y = |h|·x + n; with `csi: perfect` the receiver gets y equalized by zero forcing. Draws
 * `dims` noise values then 2 per gain. The constructor throws when `losPower` is not in [0, 1).
 */
export class FlatFadingChannel<S extends FlatFadingSpec = FlatFadingSpec> implements ChannelModel {
  readonly dims: number;
  readonly drawDims: number;
  /** The receiver gets y only. */
  readonly outDims: number;
  /** Number of independent gains per block. */
  readonly gains: number;

  /** μ, the line-of-sight amplitude. */
  private readonly los: number;
  /** s/√2, the scale of each standard normal of the scattered part. */
  private readonly scatter: number;

  /** `losPower` = μ² ∈ [0, 1): the share of the gain's power in the line of sight (Rayleigh: 0). */
  constructor(
    readonly spec: S,
    readonly n: number,
    readonly signalling: Signalling,
    losPower = 0,
  ) {
    if (!(losPower >= 0 && losPower < 1)) throw new Error(`flat fading: line-of-sight power ${losPower} must be in [0, 1)`);
    const { coherence } = spec;
    // With μ = 0 this is exactly the arithmetic of the Rayleigh model it generalizes (0 + v = v).
    this.los = Math.sqrt(losPower);
    this.scatter = losPower === 0 ? HALF_SQRT : Math.sqrt(1 - losPower) * HALF_SQRT;
    this.dims = realDims(n, signalling);
    this.outDims = this.dims;
    this.gains = coherence === 'block' ? 1 : n;
    this.drawDims = this.dims + 2 * this.gains;
  }

  applyArrays(x: Float32Array, draws: Float32Array, sigma: number, y: Float32Array, blocks: number): void {
    const { n, dims, drawDims, gains, los, scatter } = this;
    const perfect = this.spec.csi === 'perfect';
    const complex = this.signalling === 'complex';
    for (let b = 0; b < blocks; b++) {
      const xo = b * dims;
      const d = b * drawDims;
      for (let j = 0; j < n; j++) {
        const g = d + dims + 2 * (gains === 1 ? 0 : j);
        const hr = los + draws[g] * scatter;
        const hi = draws[g + 1] * scatter;
        if (complex) {
          const xr = x[xo + 2 * j];
          const xi = x[xo + 2 * j + 1];
          const yr = hr * xr - hi * xi + sigma * draws[d + 2 * j];
          const yi = hr * xi + hi * xr + sigma * draws[d + 2 * j + 1];
          if (perfect) {
            const p = Math.max(hr * hr + hi * hi, MIN_GAIN_POWER);
            y[xo + 2 * j] = (yr * hr + yi * hi) / p;
            y[xo + 2 * j + 1] = (yi * hr - yr * hi) / p;
          } else {
            y[xo + 2 * j] = yr;
            y[xo + 2 * j + 1] = yi;
          }
        } else {
          const a = Math.sqrt(hr * hr + hi * hi);
          const yv = a * x[xo + j] + sigma * draws[d + j];
          y[xo + j] = perfect ? yv / Math.sqrt(Math.max(a * a, MIN_GAIN_POWER)) : yv;
        }
      }
    }
  }

  vjpArrays(draws: Float32Array, dy: Float32Array, dx: Float32Array, blocks: number): void {
    const { n, dims, drawDims, gains, los, scatter } = this;
    const perfect = this.spec.csi === 'perfect';
    const complex = this.signalling === 'complex';
    for (let b = 0; b < blocks; b++) {
      const xo = b * dims;
      const d = b * drawDims;
      for (let j = 0; j < n; j++) {
        const g = d + dims + 2 * (gains === 1 ? 0 : j);
        const hr = los + draws[g] * scatter;
        const hi = draws[g + 1] * scatter;
        if (complex) {
          const gr = dy[xo + 2 * j];
          const gi = dy[xo + 2 * j + 1];
          const p = hr * hr + hi * hi;
          if (perfect) {
            // y = x·|h|²/max(|h|², floor): a real scale.
            const s = p / Math.max(p, MIN_GAIN_POWER);
            dx[xo + 2 * j] = s * gr;
            dx[xo + 2 * j + 1] = s * gi;
          } else {
            // y = h·x: the transpose is multiplication by conj(h).
            dx[xo + 2 * j] = hr * gr + hi * gi;
            dx[xo + 2 * j + 1] = hr * gi - hi * gr;
          }
        } else {
          const a = Math.sqrt(hr * hr + hi * hi);
          dx[xo + j] = (perfect ? a / Math.sqrt(Math.max(a * a, MIN_GAIN_POWER)) : a) * dy[xo + j];
        }
      }
    }
  }

  applyTensors(tf: typeof tfTypes, x: tfTypes.Tensor2D, draws: tfTypes.Tensor2D, sigma: tfTypes.Tensor2D): tfTypes.Tensor2D {
    const { n, dims, gains } = this;
    const perfect = this.spec.csi === 'perfect';
    const batch = x.shape[0];
    return tf.tidy(() => {
      const noise = tf.mul(tf.slice(draws, [0, 0], [batch, dims]), sigma);
      const h = tf.reshape(tf.mul(tf.slice(draws, [0, dims], [batch, 2 * gains]), this.scatter), [batch, gains, 2]);
      const [hrScattered, hi] = tf.split(h, 2, 2); // [B, G, 1] each
      const hr = this.los === 0 ? hrScattered : tf.add(hrScattered, this.los);
      if (this.signalling === 'complex') {
        const [xr, xi] = tf.split(tf.reshape(x, [batch, n, 2]), 2, 2);
        const [nr, ni] = tf.split(tf.reshape(noise, [batch, n, 2]), 2, 2);
        const yr = tf.add(tf.sub(tf.mul(hr, xr), tf.mul(hi, xi)), nr);
        const yi = tf.add(tf.add(tf.mul(hr, xi), tf.mul(hi, xr)), ni);
        let out: tfTypes.Tensor;
        if (perfect) {
          const p = tf.maximum(tf.add(tf.square(hr), tf.square(hi)), MIN_GAIN_POWER);
          out = tf.concat([tf.div(tf.add(tf.mul(yr, hr), tf.mul(yi, hi)), p), tf.div(tf.sub(tf.mul(yi, hr), tf.mul(yr, hi)), p)], 2);
        } else {
          out = tf.concat([yr, yi], 2);
        }
        return tf.reshape(out, [batch, dims]) as tfTypes.Tensor2D;
      }
      const a = tf.reshape(tf.sqrt(tf.add(tf.square(hr), tf.square(hi))), [batch, gains]);
      const yv = tf.add(tf.mul(a, x), noise);
      return (perfect ? tf.div(yv, tf.sqrt(tf.maximum(tf.square(a), MIN_GAIN_POWER))) : yv) as tfTypes.Tensor2D;
    });
  }
}
