/**
 * FlatAdam's WebAssembly update (src/wasm/kernels/adam.ts) against its JavaScript twins: bit for bit against
 * the same float32 operations in the same order (the module computes in float32, as tfjs's AdamOptimizer),
 * and close to FlatAdam's JavaScript loop in doubles (the path without WebAssembly SIMD).
 */
import assert from 'node:assert/strict';
import { FlatAdam } from '../../src/autoencoder/adam.ts';
import { RandomStream } from '../../src/random.ts';
import { WasmAdamState } from '../../src/wasm/kernels/adam.ts';

const f = Math.fround;

/** The module's update in float32: m, v, θ per parameter, every operation rounded as f32x4 rounds it. */
class Float32Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private acc1 = 1;
  private acc2 = 1;
  constructor(
    size: number,
    private readonly lr: number,
    private readonly b1 = 0.9,
    private readonly b2 = 0.999,
    private readonly eps = 1e-7,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }
  step(theta: Float32Array, g: Float32Array): void {
    this.acc1 *= this.b1;
    this.acc2 *= this.b2;
    // The module's float32 parameters: a = lr/(1 − β1^t) and c2 = 1/(1 − β2^t) from doubles, β1, β2, ε.
    const a = f(this.lr * (1 / (1 - this.acc1)));
    const c2 = f(1 / (1 - this.acc2));
    const [b1, b2, eps] = [f(this.b1), f(this.b2), f(this.eps)];
    const [ob1, ob2] = [f(1 - b1), f(1 - b2)];
    for (let i = 0; i < theta.length; i++) {
      const gi = g[i];
      const m = (this.m[i] = f(f(b1 * this.m[i]) + f(ob1 * gi)));
      const v = (this.v[i] = f(f(b2 * this.v[i]) + f(ob2 * f(gi * gi))));
      theta[i] = f(theta[i] - f(f(a * m) / f(f(Math.sqrt(f(c2 * v))) + eps)));
    }
  }
}

describe('WebAssembly SIMD Adam (src/wasm/kernels/adam.ts)', () => {
  it('is available (Node ≥ 16.4 has WebAssembly SIMD)', () => assert.ok(WasmAdamState.create(8)));

  for (const size of [1, 7, 791, 4099]) {
    it(`${size} parameters, 40 steps with a reset at a new learning rate: as the float32 twin bit for bit, and near the doubles`, () => {
      const s = new RandomStream('adam-wasm-test', size);
      const theta0 = Float32Array.from({ length: size }, () => s.uniform() * 2 - 1);
      const [wasm, twin, doubles] = [Float32Array.from(theta0), Float32Array.from(theta0), Float32Array.from(theta0)];
      const opt = new FlatAdam(size, 0.01);
      const ref = new Float32Adam(size, 0.01);
      const js = new FlatAdam(size, 0.01, 0.9, 0.999, 1e-7, false);
      let ref2 = ref;
      for (let t = 0; t < 40; t++) {
        // some exact zeros and large and small gradients
        const g = Float32Array.from({ length: size }, (_, i) => (i % 5 === t % 5 ? 0 : (s.uniform() * 2 - 1) * 10 ** ((i % 7) - 4)));
        if (t === 20) {
          opt.reset(0.003);
          js.reset(0.003);
          ref2 = new Float32Adam(size, 0.003);
        }
        opt.step(wasm, g);
        (t < 20 ? ref : ref2).step(twin, g);
        js.step(doubles, g);
        for (let i = 0; i < size; i++) assert.equal(wasm[i], twin[i], `step ${t}: θ[${i}] ${wasm[i]} vs ${twin[i]}`);
      }
      for (let i = 0; i < size; i++) assert.ok(Math.abs(wasm[i] - doubles[i]) <= 1e-4, `θ[${i}]: ${wasm[i]} vs ${doubles[i]} in doubles`);
    });
  }
});
