import assert from 'node:assert/strict';
import { wasmLayerNorm } from '../../src/wasm/kernels/layer-norm.ts';
import { RandomStream } from '../../src/random.ts';

/**
 * The WebAssembly layer normalization against the formulas in doubles. Everything is float32 with row sums
 * of d terms, so each value is within a few·d·2⁻²⁴ of the exact one relative to the magnitudes involved;
 * the bound used is 8·(d + 4)·2⁻²⁴ on the scale of each quantity (|x̂| ≤ √d; the gradients' row terms).
 */
describe('WebAssembly SIMD layer normalization (src/wasm/kernels/layer-norm.ts)', () => {
  it('only for rows of a multiple of 4 values', () => {
    assert.ok(wasmLayerNorm(16));
    assert.equal(wasmLayerNorm(6), undefined);
  });

  for (const [rows, d] of [
    [1, 4],
    [37, 16],
    [5, 256],
  ] as const) {
    it(`${rows} rows × ${d}: forward x̂, out, 1/σ; backward dγ, dβ (accumulated), dx`, () => {
      const ln = wasmLayerNorm(d)!;
      const s = new RandomStream('ln-wasm-test', rows, d);
      const rand = (n: number, scale = 1, shift = 0) => Float32Array.from({ length: n }, () => (s.uniform() * 2 - 1) * scale + shift);
      const x = rand(rows * d, 3, 0.7);
      const gamma = rand(d, 1, 1);
      const beta = rand(d);
      const eps = 1e-3;
      const out = new Float32Array(rows * d);
      const xhat = new Float32Array(rows * d);
      const inv = new Float32Array(rows);
      ln.forward(x, rows, d, gamma, beta, eps, out, xhat, inv);
      const dd = rand(rows * d);
      const dGamma0 = rand(d);
      const dBeta0 = rand(d);
      const dGamma = Float32Array.from(dGamma0);
      const dBeta = Float32Array.from(dBeta0);
      const dx = new Float32Array(rows * d);
      ln.backward(dd, rows, d, xhat, inv, gamma, dGamma, dBeta, dx);

      const tol = 8 * (d + 4) * 2 ** -24;
      const close = (got: number, want: number, scale: number, what: string) => assert.ok(Math.abs(got - want) <= tol * scale, `${what}: ${got} vs ${want}`);
      const wantDGamma = Float64Array.from(dGamma0);
      const wantDBeta = Float64Array.from(dBeta0);
      for (let r = 0; r < rows; r++) {
        const row = Array.from(x.subarray(r * d, r * d + d));
        const mean = row.reduce((a, b) => a + b, 0) / d;
        const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / d;
        const ri = 1 / Math.sqrt(variance + eps);
        close(inv[r], ri, ri, `1/σ row ${r}`);
        const xh = row.map((v) => (v - mean) * ri);
        let meanG = 0;
        let meanGX = 0;
        for (let j = 0; j < d; j++) {
          close(xhat[r * d + j], xh[j], Math.sqrt(d), `x̂[${r},${j}]`);
          close(out[r * d + j], gamma[j] * xh[j] + beta[j], Math.abs(gamma[j]) * Math.sqrt(d) + Math.abs(beta[j]), `out[${r},${j}]`);
          const g = dd[r * d + j] * gamma[j];
          meanG += g / d;
          meanGX += (g * xh[j]) / d;
          wantDGamma[j] += dd[r * d + j] * xh[j];
          wantDBeta[j] += dd[r * d + j];
        }
        const gScale = Math.max(...Array.from({ length: d }, (_, j) => Math.abs(dd[r * d + j] * gamma[j]))) * (2 + Math.sqrt(d));
        for (let j = 0; j < d; j++) {
          const want = ri * (dd[r * d + j] * gamma[j] - meanG - xh[j] * meanGX);
          close(dx[r * d + j], want, ri * gScale, `dx[${r},${j}]`);
        }
      }
      for (let j = 0; j < d; j++) {
        close(dGamma[j], wantDGamma[j], (rows + 1) * Math.sqrt(d) * 2, `dγ[${j}]`);
        close(dBeta[j], wantDBeta[j], rows + 1, `dβ[${j}]`);
      }
    });
  }
});
