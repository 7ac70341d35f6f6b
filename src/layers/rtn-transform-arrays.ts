/**
 * The RTN's parametric transform (radio-transformer.ts, rtnTransform) on Float32Arrays, with its
 * vector–Jacobian product: the form the JavaScript training step (js-train-graph.ts) runs. Real I/Q
 * arithmetic, rows of a batch one after another:
 *   filter: ȳ_k = Σ_l ω_l·y_{k−l}, k = 0 … n + L − 2 (full linear convolution; y_j = 0 outside 0 … n − 1)
 *   phase:  ȳ_i = y_i·e^{−jφ}, i = 0 … n − 1
 * Tested against tf.grad of the tensor form (test/unit/train-graph.test.ts, the RTN cases).
 */
import type { RtnTransform } from '../vocabulary.ts';

export interface RtnShape {
  transform: RtnTransform;
  /** Complex uses per block, filter length. */
  n: number;
  taps: number;
  /** Reals per row of the input r (y is its first 2n). */
  received: number;
  /** Reals of ω per row: 2L (filter) or 1 (phase). */
  params: number;
  /** Reals of ȳ per row: 2(n + L − 1) (filter) or 2n (phase). */
  outDim: number;
}

/** ȳ (rows × outDim) of y = the first 2n reals of each row of r and ω (rows × params). */
export function rtnTransformArrays(s: RtnShape, r: Float32Array, omega: Float32Array, rows: number, out: Float32Array): void {
  const { n, taps, received, params, outDim } = s;
  for (let b = 0; b < rows; b++) {
    const ro = b * received;
    const wo = b * params;
    const oo = b * outDim;
    if (s.transform === 'phase') {
      const c = Math.cos(omega[wo]);
      const sn = Math.sin(omega[wo]);
      for (let i = 0; i < n; i++) {
        const yr = r[ro + 2 * i];
        const yi = r[ro + 2 * i + 1];
        out[oo + 2 * i] = yr * c + yi * sn;
        out[oo + 2 * i + 1] = yi * c - yr * sn;
      }
      continue;
    }
    for (let k = 0; k < n + taps - 1; k++) {
      let re = 0;
      let im = 0;
      for (let l = Math.max(0, k - n + 1); l <= Math.min(k, taps - 1); l++) {
        const yr = r[ro + 2 * (k - l)];
        const yi = r[ro + 2 * (k - l) + 1];
        const wr = omega[wo + 2 * l];
        const wi = omega[wo + 2 * l + 1];
        re += wr * yr - wi * yi;
        im += wr * yi + wi * yr;
      }
      out[oo + 2 * k] = re;
      out[oo + 2 * k + 1] = im;
    }
  }
}

/**
 * The transform's vector–Jacobian product: for g = dL/dȳ (rows × outDim), dL/dω into dOmega (rows × params)
 * and dL/dy added into the first 2n reals of each row of dR (stride `received`; the rest of dR is not touched).
 *   filter: dω_l = Σ_k g_k·conj(y_{k−l}),  dy_j = Σ_l g_{j+l}·conj(ω_l)   (as real pairs)
 *   phase:  dφ = Σ_i (g_i^re·ȳ_i^im − g_i^im·ȳ_i^re),  dy_i = g_i·e^{+jφ}
 */
export function rtnTransformVjp(
  s: RtnShape,
  r: Float32Array,
  omega: Float32Array,
  g: Float32Array,
  rows: number,
  dOmega: Float32Array,
  dR: Float32Array,
): void {
  const { n, taps, received, params, outDim } = s;
  for (let b = 0; b < rows; b++) {
    const ro = b * received;
    const wo = b * params;
    const go = b * outDim;
    if (s.transform === 'phase') {
      const c = Math.cos(omega[wo]);
      const sn = Math.sin(omega[wo]);
      let dphi = 0;
      for (let i = 0; i < n; i++) {
        const yr = r[ro + 2 * i];
        const yi = r[ro + 2 * i + 1];
        const gr = g[go + 2 * i];
        const gi = g[go + 2 * i + 1];
        dphi += gr * (yi * c - yr * sn) - gi * (yr * c + yi * sn);
        dR[ro + 2 * i] += gr * c - gi * sn;
        dR[ro + 2 * i + 1] += gr * sn + gi * c;
      }
      dOmega[wo] = dphi;
      continue;
    }
    for (let l = 0; l < taps; l++) {
      let dr = 0;
      let di = 0;
      for (let j = 0; j < n; j++) {
        const gr = g[go + 2 * (j + l)];
        const gi = g[go + 2 * (j + l) + 1];
        const yr = r[ro + 2 * j];
        const yi = r[ro + 2 * j + 1];
        dr += gr * yr + gi * yi;
        di += gi * yr - gr * yi;
      }
      dOmega[wo + 2 * l] = dr;
      dOmega[wo + 2 * l + 1] = di;
    }
    for (let j = 0; j < n; j++) {
      let dr = 0;
      let di = 0;
      for (let l = 0; l < taps; l++) {
        const gr = g[go + 2 * (j + l)];
        const gi = g[go + 2 * (j + l) + 1];
        const wr = omega[wo + 2 * l];
        const wi = omega[wo + 2 * l + 1];
        dr += gr * wr + gi * wi;
        di += gi * wr - gr * wi;
      }
      dR[ro + 2 * j] += dr;
      dR[ro + 2 * j + 1] += di;
    }
  }
}
