/**
 * FlatAdam's update as WebAssembly SIMD, four parameters per f32x4 vector, generated here byte by byte (no
 * build step, as gemm-wasm.ts). Why: the JavaScript loop took 0.9 ms per step for the (8,8) autoencoder's
 * 136k parameters (a square root and a division per parameter, in doubles), on the trainer's thread while
 * the data-parallel workers wait; here it is a small fraction of that, copies included.
 *
 * The update is tfjs's AdamOptimizer's, in float32 as tfjs computes it:
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²,  θ ← θ − a·m / (√(c2·v) + ε)
 * with a = lr/(1 − β1^t) and c2 = 1/(1 − β2^t) computed by the caller in doubles.
 * The moments live in the module's memory for the optimizer's life; θ and g are copied in, θ back out.
 */
import { uleb, str, section, vec } from '../wasm-encoding.ts';

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

/** update(theta, g, m, v, count4, a, c2, b1, b2, eps): pointers in bytes, count4 vectors of four floats. */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const [TH, G, M, V, N, A, C2, B1, B2, EPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [Ii] = [10]; // i32 local: the vector index
  const [vA, vC2, vB1, vB2, vEps, v1B1, v1B2, vg, vm, vv] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  const c: number[] = [];
  const get = (l: number) => c.push(0x20, ...uleb(l));
  const set = (l: number) => c.push(0x21, ...uleb(l));
  const simd = (op: number, ...imm: number[]) => c.push(0xfd, ...uleb(op), ...imm);
  const F32X4 = { splat: 0x13, sqrt: 0xe3, add: 0xe4, sub: 0xe5, mul: 0xe6, div: 0xe7 };
  const load = () => simd(0x00, 2, 0);
  const store = () => simd(0x0b, 2, 0);
  const splat = (from: number, to: number) => {
    get(from);
    simd(F32X4.splat);
    set(to);
  };
  // The loop's pointer for array P at vector i: P + 16·i.
  const at = (p: number) => {
    get(p);
    get(Ii);
    c.push(0x41, 4, 0x74, 0x6a); // i32.const 4, shl, add
  };
  splat(A, vA);
  splat(C2, vC2);
  splat(B1, vB1);
  splat(B2, vB2);
  splat(EPS, vEps);
  // 1 − β1 and 1 − β2, in float32 (f32.const 1, sub)
  c.push(0x43, 0x00, 0x00, 0x80, 0x3f);
  get(B1);
  c.push(0x93);
  simd(F32X4.splat);
  set(v1B1);
  c.push(0x43, 0x00, 0x00, 0x80, 0x3f);
  get(B2);
  c.push(0x93);
  simd(F32X4.splat);
  set(v1B2);
  c.push(0x41, 0);
  set(Ii);
  c.push(0x02, 0x40, 0x03, 0x40); // block, loop
  get(Ii);
  get(N);
  c.push(0x4e, 0x0d, 1); // i32.ge_s, br_if 1
  at(G);
  load();
  set(vg);
  // m = β1·m + (1 − β1)·g
  at(M);
  get(vB1);
  at(M);
  load();
  simd(F32X4.mul);
  get(v1B1);
  get(vg);
  simd(F32X4.mul);
  simd(F32X4.add);
  c.push(0x22, ...uleb(vm)); // local.tee
  store();
  // v = β2·v + (1 − β2)·g²
  at(V);
  get(vB2);
  at(V);
  load();
  simd(F32X4.mul);
  get(v1B2);
  get(vg);
  get(vg);
  simd(F32X4.mul);
  simd(F32X4.mul);
  simd(F32X4.add);
  c.push(0x22, ...uleb(vv));
  store();
  // θ = θ − a·m / (√(c2·v) + ε)
  at(TH);
  at(TH);
  load();
  get(vA);
  get(vm);
  simd(F32X4.mul);
  get(vC2);
  get(vv);
  simd(F32X4.mul);
  simd(F32X4.sqrt);
  get(vEps);
  simd(F32X4.add);
  simd(F32X4.div);
  simd(F32X4.sub);
  store();
  get(Ii);
  c.push(0x41, 1, 0x6a);
  set(Ii);
  c.push(0x0c, 0, 0x0b, 0x0b); // br 0, end, end
  const body = [...vec([[...uleb(1), I32], [...uleb(10), V128]]), ...c, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 10, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, 0]])),
    ...section(2, vec([[...str('m'), ...str('mem'), 0x02, 0x00, 1]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...str('update'), 0x00, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
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
        compiled = process.env.AE_ADAM_WASM === '0' ? null : new WebAssembly.Module(moduleBytes());
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
