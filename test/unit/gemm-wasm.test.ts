import assert from 'node:assert/strict';
import { gemmUsesFma, wasmGemm } from '../../src/wasm/kernels/gemm.ts';
import { RandomStream } from '../../src/random.ts';

/**
 * The WebAssembly products against sums in doubles, within the worst-case float32 rounding bound of a
 * length-d sum (d·u·Σ|terms| with u = 2⁻²⁴, plus the rounding of each product and of the inputs' own
 * float32 values, hence (d + 2)); with separate multiply and add also bit for bit against the same sums in
 * float32, the JavaScript twin of the kernel. Shapes cover the kernel's row tail (rows not a multiple of 4), padded
 * columns (not a multiple of 8), one-element dimensions and the (8,8) and (7,4) layers.
 */
for (const fma of [false, true])
  describe(`WebAssembly SIMD matrix products (src/wasm/kernels/gemm.ts), ${fma ? 'fused multiply-add (relaxed SIMD)' : 'multiply then add'}`, () => {
    const gemm = wasmGemm(fma);
    const shapes: [number, number, number][] = [
      [1, 1, 1],
      [3, 1, 9],
      [13, 7, 5],
      [4, 8, 8],
      [7, 9, 23],
      [1000, 7, 16],
      [16, 16, 7],
      [256, 256, 8],
      [5, 33, 64],
      [6, 256, 256],
    ];
    const U = 2 ** -24;

    function check(
      name: string,
      got: Float32Array,
      rows: number,
      cols: number,
      depth: number,
      term: (r: number, c: number, q: number) => number,
      init: (r: number, c: number) => number,
    ): void {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          let exact = init(r, c);
          let abs = Math.abs(exact);
          for (let q = 0; q < depth; q++) {
            const t = term(r, c, q);
            exact += t;
            abs += Math.abs(t);
          }
          const bound = (depth + 2) * U * abs + 1e-30;
          const err = Math.abs(got[r * cols + c] - exact);
          assert.ok(err <= bound, `${name}[${r},${c}]: ${got[r * cols + c]} vs ${exact} (error ${err}, bound ${bound})`);
        }
      }
    }

    it(
      fma
        ? 'is available (relaxed SIMD: on by default from Node 22, behind a flag the module sets in Node 20)'
        : 'is available (Node ≥ 16.4 has WebAssembly SIMD)',
      () => {
        assert.ok(gemm, `wasmGemm(${fma}) returned undefined`);
        if (fma && process.env.AE_GEMM_FMA !== '0') assert.equal(gemmUsesFma(), true, 'the training products do not use the fused kernel by default');
      },
    );

    for (const [m, k, n] of shapes) {
      it(`${m}×${k}·${k}×${n}: forward X·W + b, backward dW += Xᵀ·dZ, dB += Σ dZ and dX = dZ·Wᵀ`, () => {
        const s = new RandomStream('gemm-wasm-test', m, k, n);
        const rand = (len: number) => Float32Array.from({ length: len }, () => s.uniform() * 2 - 1);
        const X = rand(m * k);
        // Some exact zeros, as relu outputs have (jsGemm skips them; the module does not need to).
        for (let i = 0; i < X.length; i += 3) X[i] = 0;
        const W = rand(k * n);
        const b = rand(n);
        const dZ = rand(m * n);
        const out = new Float32Array(m * n).fill(NaN);
        gemm!.forward(X, m, k, W, n, b, out);
        check(
          'Z',
          out,
          m,
          n,
          k,
          (r, c, q) => X[r * k + q] * W[q * n + c],
          (_r, c) => b[c],
        );

        const outNoBias = new Float32Array(m * n);
        gemm!.forward(X, m, k, W, n, undefined, outNoBias);
        check(
          'Z (no bias)',
          outNoBias,
          m,
          n,
          k,
          (r, c, q) => X[r * k + q] * W[q * n + c],
          () => 0,
        );

        const dW0 = rand(k * n);
        const dW = Float32Array.from(dW0);
        const dX = new Float32Array(m * k).fill(NaN);
        const dB0 = rand(n);
        const dB = Float32Array.from(dB0);
        gemm!.backward(X, m, k, dZ, n, W, dW, dX, dB);
        check(
          'dW',
          dW,
          k,
          n,
          m,
          (p, j, i) => X[i * k + p] * dZ[i * n + j],
          (p, j) => dW0[p * n + j],
        );
        check(
          'dX',
          dX,
          m,
          k,
          n,
          (i, p, j) => dZ[i * n + j] * W[p * n + j],
          () => 0,
        );
        check(
          'dB',
          dB,
          1,
          n,
          m,
          (_r, j, i) => dZ[i * n + j],
          (_r, j) => dB0[j],
        );

        // Multiply then add: bit for bit the float32 sums in order (q ascending from the bias or 0, every product
        // and sum rounded to float32), the accumulated gradients added once, as the JavaScript does.
        if (!fma) {
          const f = Math.fround;
          const sum = (init: number, depth: number, term: (q: number) => number) => {
            let acc = init;
            for (let q = 0; q < depth; q++) acc = f(acc + f(term(q)));
            return acc;
          };
          for (let r = 0; r < m; r++) {
            for (let c = 0; c < n; c++) {
              assert.equal(
                out[r * n + c],
                sum(b[c], k, (q) => X[r * k + q] * W[q * n + c]),
                `Z[${r},${c}] in float32`,
              );
              assert.equal(
                outNoBias[r * n + c],
                sum(0, k, (q) => X[r * k + q] * W[q * n + c]),
                `Z[${r},${c}] (no bias) in float32`,
              );
            }
            for (let p = 0; p < k; p++)
              assert.equal(
                dX[r * k + p],
                sum(0, n, (j) => dZ[r * n + j] * W[p * n + j]),
                `dX[${r},${p}] in float32`,
              );
          }
          for (let p = 0; p < k; p++) {
            for (let j = 0; j < n; j++)
              assert.equal(dW[p * n + j], f(dW0[p * n + j] + sum(0, m, (i) => X[i * k + p] * dZ[i * n + j])), `dW[${p},${j}] in float32`);
          }
          for (let j = 0; j < n; j++) assert.equal(dB[j], f(dB0[j] + sum(0, m, (i) => dZ[i * n + j])), `dB[${j}] in float32`);
        }

        // Without dX only dW and dB change.
        const dW2 = Float32Array.from(dW0);
        const dB2 = Float32Array.from(dB0);
        gemm!.backward(X, m, k, dZ, n, W, dW2, undefined, dB2);
        assert.deepEqual(dW2, dW);
        assert.deepEqual(dB2, dB);
      });
    }

    it('reads only the first rows × cols values of longer arrays, and writes only those of the outputs', () => {
      const gemmOk = gemm!;
      const X = new Float32Array(100).fill(1);
      const W = new Float32Array(100).fill(2);
      const out = new Float32Array(10).fill(-7);
      gemmOk.forward(X, 2, 3, W, 2, undefined, out);
      assert.deepEqual(Array.from(out), [6, 6, 6, 6, -7, -7, -7, -7, -7, -7]);
    });
  });
