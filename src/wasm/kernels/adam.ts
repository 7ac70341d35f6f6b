/**
 * FlatAdam's update (src/autoencoder/adam.ts) as WebAssembly SIMD, four parameters per f32x4 vector,
 * generated here (no build step; src/wasm/builder.ts). Why: the JavaScript loop took 0.9 ms per step for the (8,8) autoencoder's
 * 136k parameters (a square root and a division per parameter, in doubles), on the trainer's thread while
 * the data-parallel workers wait; here it is a small fraction of that, copies included.
 *
 * The update is tfjs's AdamOptimizer's, in float32 as tfjs computes it:
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²,  θ ← θ − a·m / (√(c2·v) + ε)
 * with a = lr/(1 − β1^t) and c2 = 1/(1 − β2^t) computed by the caller in doubles.
 * The moments live in the module's memory for the optimizer's life; θ and g are copied in, θ back out.
 */
import { envVar } from '../env.ts';
import { FunctionBuilder, wasmModule } from '../builder.ts';
import { OP as O, SIMD as S } from '../opcodes.ts';

/** update(theta, g, m, v, count4, a, c2, b1, b2, eps): pointers in bytes, count4 vectors of four floats. */
export function adamModule(): Uint8Array<ArrayBuffer> {
  const [i, f] = ['i32', 'f32'] as const;
  const c = new FunctionBuilder('update', [i, i, i, i, i, f, f, f, f, f]);
  const [TH, G, M, V, N, A, C2, B1, B2, EPS] = c.params;
  const I = c.local('i32'); // the byte offset of the current vector
  const [vA, vC2, vB1, vB2, vEps, v1B1, v1B2, vg, vm, vv] = c.locals('v128', 10);
  const at = (p: number) => c.get(p).get(I).op(O.i32Add);
  for (const [from, to] of [
    [A, vA],
    [C2, vC2],
    [B1, vB1],
    [B2, vB2],
    [EPS, vEps],
  ])
    c.get(from).simd(S.f32x4Splat).set(to);
  // 1 − β1 and 1 − β2 in float32
  c.f32(1).get(B1).op(O.f32Sub).simd(S.f32x4Splat).set(v1B1);
  c.f32(1).get(B2).op(O.f32Sub).simd(S.f32x4Splat).set(v1B2);
  // N becomes the end offset in bytes
  c.get(N).i32(4).op(O.i32Shl).set(N);
  c.i32(0).set(I);
  c.loop(
    () => c.get(I).get(N).op(O.i32GeS),
    () => {
      at(G).vload().set(vg);
      // m = β1·m + (1 − β1)·g
      at(M);
      c.get(vB1);
      at(M).vload().simd(S.f32x4Mul).get(v1B1).get(vg).simd(S.f32x4Mul).simd(S.f32x4Add).tee(vm).vstore();
      // v = β2·v + (1 − β2)·g²
      at(V);
      c.get(vB2);
      at(V).vload().simd(S.f32x4Mul).get(v1B2).get(vg).get(vg).simd(S.f32x4Mul).simd(S.f32x4Mul).simd(S.f32x4Add).tee(vv).vstore();
      // θ = θ − a·m / (√(c2·v) + ε)
      at(TH);
      at(TH).vload();
      c.get(vA).get(vm).simd(S.f32x4Mul);
      c.get(vC2).get(vv).simd(S.f32x4Mul).simd(S.f32x4Sqrt).get(vEps).simd(S.f32x4Add);
      c.simd(S.f32x4Div).simd(S.f32x4Sub).vstore();
      c.inc(I, 16);
    },
  );
  return wasmModule([c]);
}

type Update = (theta: number, g: number, m: number, v: number, count4: number, a: number, c2: number, b1: number, b2: number, eps: number) => void;

let compiled: WebAssembly.Module | undefined | null;

/** The optimizer state of `size` parameters in its own memory, or undefined without WebAssembly SIMD (or AE_ADAM_WASM=0). */
export class WasmAdamState {
  private readonly update: Update;
  private readonly mem: WebAssembly.Memory;
  private readonly padded: number;

  private constructor(module: WebAssembly.Module, size: number) {
    this.padded = Math.ceil(size / 4) * 4;
    const bytes = 4 * this.padded * 4; // θ, g, m, v
    this.mem = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    this.update = new WebAssembly.Instance(module, { m: { mem: this.mem } }).exports.update as Update;
  }

  static create(size: number): WasmAdamState | undefined {
    if (compiled === undefined) {
      try {
        compiled = envVar('AE_ADAM_WASM') === '0' ? null : new WebAssembly.Module(adamModule());
      } catch {
        compiled = null;
      }
    }
    return compiled ? new WasmAdamState(compiled, size) : undefined;
  }

  private view(slot: number): Float32Array {
    return new Float32Array(this.mem.buffer, slot * this.padded * 4, this.padded);
  }

  /** Zeroes the moments. */
  reset(): void {
    new Float32Array(this.mem.buffer).fill(0);
  }

  /** One update of theta (in place) with gradient g. */
  step(theta: Float32Array, g: Float32Array, a: number, c2: number, b1: number, b2: number, eps: number): void {
    const n = theta.length;
    this.view(0).set(theta);
    this.view(1).set(g.subarray(0, n));
    const P = this.padded * 4;
    this.update(0, P, 2 * P, 3 * P, this.padded / 4, a, c2, b1, b2, eps);
    theta.set(this.view(0).subarray(0, n));
  }
}
