import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { RandomStream } from '../../src/random.ts';

/** Naive product of row-major matrices, with the transposes applied by index. */
function naive(a: Float32Array, ar: number, ac: number, b: Float32Array, br: number, bc: number, ta: boolean, tb: boolean): number[] {
  const rows = ta ? ac : ar;
  const inner = ta ? ar : ac;
  const cols = tb ? br : bc;
  const out: number[] = [];
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let k = 0; k < inner; k++) s += (ta ? a[k * ac + i] : a[i * ac + k]) * (tb ? b[j * bc + k] : b[k * bc + j]);
      out.push(s);
    }
  return out;
}

describe('matrix products with transpose flags (wasm kernels wrapped in src/tfjs-patches/wasm-matmul-fix.ts)', () => {
  const s = new RandomStream('mm');
  const data = (n: number) => {
    const x = new Float32Array(n);
    s.fillNormal(x);
    return x;
  };

  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matMul transposeA=${ta} transposeB=${tb}, plain and fused with bias + relu, equals the naive product`, () => {
      const [p, q, r] = [5, 7, 3];
      const a = data(p * q);
      const b = data(q * r);
      const A = ta ? tf.tensor2d(a, [q, p]) : tf.tensor2d(a, [p, q]);
      const B = tb ? tf.tensor2d(b, [r, q]) : tf.tensor2d(b, [q, r]);
      const expect = naive(a, ta ? q : p, ta ? p : q, b, tb ? r : q, tb ? q : r, ta, tb);
      const got = tf.matMul(A, B, ta, tb).dataSync();
      expect.forEach((v, i) => assert.ok(Math.abs(v - got[i]) < 1e-4, `${i}: ${got[i]} vs ${v}`));
      const bias = tf.tensor1d([0.5, -1, 0.25]);
      const fused = tf.fused.matMul({ a: A, b: B, transposeA: ta, transposeB: tb, bias, activation: 'relu' }).dataSync();
      expect.forEach((v, i) => assert.ok(Math.abs(Math.max(0, v + [0.5, -1, 0.25][i % 3]) - fused[i]) < 1e-4));
    });
  }

  it('dense-layer gradients match the closed forms dA = dY·Bᵀ, dB = Aᵀ·dY', () => {
    const a = data(4 * 6);
    const b = data(6 * 2);
    const A = tf.tensor2d(a, [4, 6]);
    const B = tf.tensor2d(b, [6, 2]);
    const W = tf.tensor2d(data(4 * 2), [4, 2]); // dY
    const [dA, dB] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D), W)))([A, B]);
    const w = W.dataSync() as Float32Array;
    const expectA = naive(w, 4, 2, b, 6, 2, false, true);
    const expectB = naive(a, 4, 6, w, 4, 2, true, false);
    expectA.forEach((v, i) => assert.ok(Math.abs(v - dA.dataSync()[i]) < 1e-4));
    expectB.forEach((v, i) => assert.ok(Math.abs(v - dB.dataSync()[i]) < 1e-4));
  });
});
