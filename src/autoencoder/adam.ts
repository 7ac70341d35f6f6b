import { WasmAdamState } from '../wasm/kernels/adam.ts';

/**
 * Adam on one flat Float32Array of parameters. The same update as tfjs's AdamOptimizer (β1 0.9, β2 0.999,
 * ε 1e-7, bias correction through the running products β^t), as WebAssembly SIMD in float32 like tfjs
 * (src/wasm/kernels/adam.ts), or without WebAssembly SIMD as a JavaScript loop in doubles.
 *
 * Why not tf.train.adam: it spends about a dozen backend ops per variable and step (≈100 for the (7,4)
 * autoencoder's 8 weight tensors), each costing 10–20 µs of per-op overhead on the wasm backend, which
 * was more than the forward and backward pass of that network. Here the update is one loop over the
 * parameters (791 for (7,4), 136k for (8,8): well under a millisecond).
 */
export class FlatAdam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  /** The moments in WebAssembly memory (then m and v above stay empty). */
  private readonly wasm: WasmAdamState | undefined;
  private accBeta1 = 1;
  private accBeta2 = 1;

  constructor(
    size: number,
    private learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7,
    /** false: the JavaScript loop even where WebAssembly SIMD runs (tests compare the two). */
    useWasm = true,
  ) {
    this.wasm = useWasm ? WasmAdamState.create(size) : undefined;
    this.m = new Float32Array(this.wasm ? 0 : size);
    this.v = new Float32Array(this.wasm ? 0 : size);
  }

  /** Changes the learning rate, keeping the moments (reduce-on-plateau). */
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }

  /** A fresh optimizer state (moments and bias correction) at a new learning rate. */
  reset(learningRate: number): void {
    this.learningRate = learningRate;
    this.m.fill(0);
    this.v.fill(0);
    this.wasm?.reset();
    this.accBeta1 = this.accBeta2 = 1;
  }

  /** θ ← θ − lr · m̂ / (√v̂ + ε) for gradient g (θ and g of the optimizer's size). */
  step(theta: Float32Array, g: Float32Array): void {
    const { m, v, beta1: b1, beta2: b2, epsilon } = this;
    this.accBeta1 *= b1;
    this.accBeta2 *= b2;
    const c1 = 1 / (1 - this.accBeta1);
    const c2 = 1 / (1 - this.accBeta2);
    const lr = this.learningRate;
    if (this.wasm) {
      this.wasm.step(theta, g, lr * c1, c2, b1, b2, epsilon);
      return;
    }
    for (let i = 0; i < theta.length; i++) {
      const gi = g[i];
      const mi = b1 * m[i] + (1 - b1) * gi;
      const vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      theta[i] -= (lr * mi * c1) / (Math.sqrt(vi * c2) + epsilon);
    }
  }
}
