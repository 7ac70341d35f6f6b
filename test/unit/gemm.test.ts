/**
 * The dense layer's products (src/autoencoder/gemm.ts), plain loops and on the tfjs backend, against a
 * float64 reference written from the definitions: Z = X·W + b, dW += Xᵀ·dZ, dB += Σ_i dZ, dX = dZ·Wᵀ.
 */
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { backendGemm, type Gemm, jsGemm } from '../../src/autoencoder/gemm.ts';

const rng = seedrandom('gemm-test');
/** Values in [−1, 1); about a quarter exactly 0, as relu outputs are (the loops skip those). */
const random = (len: number): Float32Array => Float32Array.from({ length: len }, () => (rng() < 0.25 ? 0 : 2 * rng() - 1));

function reference(X: Float32Array, m: number, k: number, W: Float32Array, n: number, b: Float32Array | undefined, dZ: Float32Array) {
  const Z = new Float64Array(m * n);
  const dW = new Float64Array(k * n);
  const dB = new Float64Array(n);
  const dX = new Float64Array(m * k);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let z = b ? b[j] : 0;
      for (let p = 0; p < k; p++) z += X[i * k + p] * W[p * n + j];
      Z[i * n + j] = z;
      dB[j] += dZ[i * n + j];
      for (let p = 0; p < k; p++) {
        dW[p * n + j] += X[i * k + p] * dZ[i * n + j];
        dX[i * k + p] += dZ[i * n + j] * W[p * n + j];
      }
    }
  return { Z, dW, dB, dX };
}

/** Float32 products of k or m terms of size ≤ 1: an absolute error well below 1e-5 for these sizes. */
function close(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) < 1e-5, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

for (const [name, gemm] of [
  ['jsGemm (plain loops)', jsGemm],
  ['backendGemm (the tfjs backend)', backendGemm],
] as [string, Gemm][]) {
  describe(`dense-layer products: ${name}`, () => {
    for (const [m, k, n] of [
      [1, 1, 1],
      [5, 3, 4],
      [16, 7, 9],
    ]) {
      it(`${m}×${k} times ${k}×${n}: forward with and without bias, backward with and without dX`, () => {
        const X = random(m * k);
        const W = random(k * n);
        const b = random(n);
        const dZ = random(m * n);
        const ref = reference(X, m, k, W, n, b, dZ);
        // Outputs longer than the product (buffers are reused across batch sizes): the tail stays untouched.
        const out = new Float32Array(m * n + 3).fill(7);
        gemm.forward(X, m, k, W, n, b, out);
        close(out.subarray(0, m * n), ref.Z, 'Z');
        assert.deepEqual([...out.subarray(m * n)], [7, 7, 7]);
        const noBias = reference(X, m, k, W, n, undefined, dZ);
        gemm.forward(X, m, k, W, n, undefined, out);
        close(out.subarray(0, m * n), noBias.Z, 'Z without bias');

        // dW and dB accumulate (+=) onto what they hold; dX is overwritten.
        const dW = new Float32Array(k * n).fill(0.5);
        const dB = new Float32Array(n).fill(-0.25);
        const dX = new Float32Array(m * k).fill(99);
        gemm.backward(X, m, k, dZ, n, W, dW, dX, dB);
        close(
          dW,
          ref.dW.map((v) => v + 0.5),
          'dW',
        );
        close(
          dB,
          ref.dB.map((v) => v - 0.25),
          'dB',
        );
        close(dX, ref.dX, 'dX');
        const dW2 = new Float32Array(k * n);
        const dB2 = new Float32Array(n);
        gemm.backward(X, m, k, dZ, n, W, dW2, undefined, dB2);
        close(dW2, ref.dW, 'dW without dX');
        close(dB2, ref.dB, 'dB without dX');
      });
    }
  });
}
