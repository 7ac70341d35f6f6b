import assert from 'node:assert/strict';
import { wasmScaledSoftmax } from '../../src/wasm/kernels/softmax.ts';
import { RandomStream } from '../../src/random.ts';

/**
 * The WebAssembly softmax against Math.exp in doubles. Cephes' expf is within about 1 ulp on [−87, 0]; with
 * the float32 sum of up to 256 terms (relative error ≤ 255·2⁻²⁴) and the scaling, each output is within
 * (8 + M)·2⁻²⁴ of the exact value, relatively. Arguments below −87 (relative to the row maximum) give exactly 0.
 */
describe('WebAssembly SIMD softmax (src/wasm/kernels/softmax.ts)', () => {
  const softmax = wasmScaledSoftmax();
  it('is available (Node ≥ 16.4 has WebAssembly SIMD)', () => assert.ok(softmax));

  for (const [rows, M, spread] of [
    [1, 4, 1],
    [7, 16, 10],
    [50, 256, 30],
    [3, 8, 200],
  ] as const) {
    it(`${rows} rows × ${M} logits spread over ±${spread}: max, sum and scale·softmax`, () => {
      const s = new RandomStream('softmax-wasm-test', rows, M, spread);
      const z = Float32Array.from({ length: rows * M }, () => (s.uniform() * 2 - 1) * spread);
      const out = new Float32Array(rows * M).fill(NaN);
      const max = new Float32Array(rows);
      const sum = new Float32Array(rows);
      const scale = 1 / 3;
      softmax!(z, rows, M, scale, out, max, sum);
      const tol = (8 + M) * 2 ** -24;
      for (let r = 0; r < rows; r++) {
        const row = Array.from(z.subarray(r * M, r * M + M));
        const m = Math.max(...row);
        assert.equal(max[r], m);
        const e = row.map((v) => (v - m < -87 ? 0 : Math.exp(v - m)));
        const total = e.reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(sum[r] - total) <= tol * total, `row ${r}: sum ${sum[r]} vs ${total}`);
        e.forEach((ej, j) => {
          const want = (scale * ej) / total;
          const got = out[r * M + j];
          if (row[j] - m < -87) assert.equal(got, 0, `row ${r} [${j}] far below the maximum`);
          else assert.ok(Math.abs(got - want) <= tol * want, `row ${r} [${j}]: ${got} vs ${want}`);
        });
      }
    });
  }

  it('exp(x) for x from −87 to 0 within 2 ulp of Math.exp (one-hot rows isolate each value)', () => {
    // Row [0, x, −1000, −1000]: out[1]·sum = exp(x) exactly as the module computed it (scale 1).
    const xs = Array.from({ length: 2000 }, (_, i) => -87 + (87 * i) / 1999);
    const z = new Float32Array(xs.length * 4);
    xs.forEach((x, i) => z.set([0, x, -1000, -1000], i * 4));
    const out = new Float32Array(z.length);
    const max = new Float32Array(xs.length);
    const sum = new Float32Array(xs.length);
    softmax!(z, xs.length, 4, 1, out, max, sum);
    xs.forEach((_, i) => {
      const x = z[i * 4 + 1];
      const e = sum[i] - 1; // sum = 1 + exp(x) in float32
      if (x > -16) {
        const want = Math.fround(1 + Math.exp(x)) - 1;
        assert.ok(Math.abs(e - want) <= 2 * 2 ** -23, `exp(${x}): ${e} vs ${want}`);
      }
      assert.equal(out[i * 4 + 2], 0);
    });
  });
});
