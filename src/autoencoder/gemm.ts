/**
 * The three matrix products of a dense layer's forward and backward pass, on row-major Float32Arrays:
 *
 *   forward   Z  = X·W + b      X [m×k], W [k×n]
 *   backward  dW += Xᵀ·dZ  and  dX = dZ·Wᵀ
 *
 * Three implementations of the same two functions. `jsGemm` is plain loops (V8 compiles them to scalar
 * code, about 2 ns per multiply-add measured here), kept for engines without WebAssembly SIMD;
 * src/wasm/kernels/gemm.ts is the same products as WebAssembly SIMD (about 15 multiply-adds per ns on one core), the default.
 * `backendGemm` hands a product to the tfjs backend, which pays its per-op cost and copies; on tfjs-node
 * it wins only for very large products (its oneDNN uses both cores). JsTrainGraph picks one per product by
 * its size (DEFAULTS.train.backendGemmMinMacs).
 */
import * as tf from '@tensorflow/tfjs';

export interface Gemm {
  /** out[i,j] = b[j] + Σ_p X[i,p]·W[p,j]. */
  forward(X: Float32Array, m: number, k: number, W: Float32Array, n: number, b: Float32Array | undefined, out: Float32Array): void;
  /**
   * dW[p,j] += Σ_i X[i,p]·dZ[i,j], dB[j] += Σ_i dZ[i,j] and, when dX is given, dX[i,p] = Σ_j dZ[i,j]·W[p,j]:
   * one dense layer's backward pass.
   */
  backward(
    X: Float32Array,
    m: number,
    k: number,
    dZ: Float32Array,
    n: number,
    W: Float32Array,
    dW: Float32Array,
    dX: Float32Array | undefined,
    dB: Float32Array,
  ): void;
}

export const jsGemm: Gemm = {
  forward(X, m, k, W, n, b, out) {
    for (let i = 0; i < m; i++) {
      const o = i * n;
      if (b) for (let j = 0; j < n; j++) out[o + j] = b[j];
      else out.fill(0, o, o + n);
      for (let p = 0; p < k; p++) {
        const x = X[i * k + p];
        if (x === 0) continue; // relu outputs and one-hot rows are often exactly 0
        const w = p * n;
        for (let j = 0; j < n; j++) out[o + j] += x * W[w + j];
      }
    }
  },
  backward(X, m, k, dZ, n, W, dW, dX, dB) {
    for (let i = 0; i < m; i++) {
      const d = i * n;
      for (let j = 0; j < n; j++) dB[j] += dZ[d + j];
      for (let p = 0; p < k; p++) {
        const x = X[i * k + p];
        if (x === 0) continue;
        const o = p * n;
        for (let j = 0; j < n; j++) dW[o + j] += x * dZ[d + j];
      }
    }
    if (!dX) return;
    for (let i = 0; i < m; i++) {
      const d = i * n;
      for (let p = 0; p < k; p++) {
        const w = p * n;
        let s = 0;
        for (let j = 0; j < n; j++) s += dZ[d + j] * W[w + j];
        dX[i * k + p] = s;
      }
    }
  },
};

/** The same products on the current tfjs backend (tensors made from the arrays, results copied back). */
export const backendGemm: Gemm = {
  forward(X, m, k, W, n, b, out) {
    const r = tf.tidy(() => {
      const x = tf.tensor2d(X.subarray(0, m * k), [m, k]);
      const w = tf.tensor2d(W.subarray(0, k * n), [k, n]);
      return b ? tf.fused.matMul({ a: x, b: w, bias: tf.tensor1d(b.subarray(0, n)) }) : tf.matMul(x, w);
    });
    out.set(r.dataSync() as Float32Array);
    r.dispose();
  },
  // One upload of dZ for both products.
  backward(X, m, k, dZ, n, W, dW, dX, dB) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) dB[j] += dZ[i * n + j];
    const [gw, gx] = tf.tidy(() => {
      const d = tf.tensor2d(dZ.subarray(0, m * n), [m, n]);
      const w = tf.matMul(tf.tensor2d(X.subarray(0, m * k), [m, k]), d, true, false);
      return [w, dX ? tf.matMul(d, tf.tensor2d(W.subarray(0, k * n), [k, n]), false, true) : undefined];
    });
    const v = gw.dataSync() as Float32Array;
    for (let i = 0; i < k * n; i++) dW[i] += v[i];
    gw.dispose();
    if (gx && dX) {
      dX.set(gx.dataSync() as Float32Array);
      gx.dispose();
    }
  },
};
