/**
 * The softmax half of the training step's softmax cross-entropy (js-train-graph.ts) as WebAssembly SIMD,
 * generated here byte by byte (no build step, as gemm-wasm.ts). Why: Math.exp costs about 15 ns, and the
 * (8,8) decoder's 500×256 logits per data-parallel shard took 2.5 ms of a 12 ms step; here four lanes run a
 * polynomial exp.
 *
 * For each row of z (rows × M, M a multiple of 4): max = maxⱼ z[j], e[j] = exp(z[j] − max), sum = Σ e[j]
 * (float32, lanes summed pairwise at the end); writes e·scale/sum into out and max, sum per row.
 * exp is Cephes' expf: 2ⁿ·p(r) with n = nearest(x·log₂e), r = x − n·ln 2 (ln 2 split in two constants) and
 * p a degree-7 polynomial, relative error about 1 ulp on [−87, 0]; arguments below −87 give 0 (their share
 * of a row whose maximum gives 1 is under 2⁻¹²⁵). Tested against Math.exp (test/unit/softmax-wasm.test.ts).
 */
import { uleb, sleb, str, section, vec } from '../wasm-encoding.ts';

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

const f32Bytes = (v: number): number[] => Array.from(new Uint8Array(new Float32Array([v]).buffer));

/** rows(z, out, rowsCount, M, stats, scale): z, out, stats byte addresses; stats gets (max, sum) per row. */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const [Z, OUT, ROWS, M, STATS, SCALE] = [0, 1, 2, 3, 4, 5];
  const [R, J, ZP, OP_, END] = [6, 7, 8, 9, 10]; // i32 locals
  const [MAXS, SUMS] = [11, 12]; // f32 locals
  const [VM, VX, VN, VR, VP, VS, VZERO] = [13, 14, 15, 16, 17, 18, 19]; // v128 locals
  const c: number[] = [];
  const get = (l: number) => c.push(0x20, ...uleb(l));
  const set = (l: number) => c.push(0x21, ...uleb(l));
  const tee = (l: number) => c.push(0x22, ...uleb(l));
  const i32c = (v: number) => c.push(0x41, ...sleb(v));
  const simd = (op: number, ...imm: number[]) => c.push(0xfd, ...uleb(op), ...imm);
  const f32c = (v: number) => c.push(0x43, ...f32Bytes(v));
  const splatC = (v: number) => {
    f32c(v);
    simd(0x13);
  };
  const S = {
    load: 0x00, store: 0x0b, extract: 0x1f, lt: 0x43, bitselect: 0x52, nearest: 0x6a, shl: 0xab, iadd: 0xae,
    add: 0xe4, sub: 0xe5, mul: 0xe6, max: 0xe9, truncSat: 0xf8,
  };
  const addI = (l: number, v: number) => {
    get(l);
    i32c(v);
    c.push(0x6a);
    set(l);
  };
  const loopWhile = (cond: () => void, body: () => void) => {
    c.push(0x02, 0x40, 0x03, 0x40);
    cond();
    c.push(0x0d, 1); // br_if 1 when the exit condition holds
    body();
    c.push(0x0c, 0, 0x0b, 0x0b);
  };
  const hsum = (v: number, op: number) => {
    // lanes 0..3 combined: (l0 op l1) op (l2 op l3)
    get(v);
    simd(S.extract, 0);
    get(v);
    simd(S.extract, 1);
    c.push(op);
    get(v);
    simd(S.extract, 2);
    get(v);
    simd(S.extract, 3);
    c.push(op);
    c.push(op);
  };

  simd(0x0c, ...new Array(16).fill(0));
  set(VZERO);
  i32c(0);
  set(R);
  get(Z);
  set(ZP);
  get(OUT);
  set(OP_);
  loopWhile(
    () => {
      get(R);
      get(ROWS);
      c.push(0x4e); // i32.ge_s
    },
    () => {
      // END = zp + 4M
      get(ZP);
      get(M);
      i32c(2);
      c.push(0x74, 0x6a);
      set(END);
      // max over the row
      get(ZP);
      simd(S.load, 2, 0);
      set(VM);
      get(ZP);
      i32c(16);
      c.push(0x6a);
      set(J);
      loopWhile(
        () => {
          get(J);
          get(END);
          c.push(0x4e);
        },
        () => {
          get(VM);
          get(J);
          simd(S.load, 2, 0);
          simd(S.max);
          set(VM);
          addI(J, 16);
        },
      );
      hsum(VM, 0x97); // f32.max
      tee(MAXS);
      simd(0x13);
      set(VM);
      // e = exp(z − max), sum
      get(VZERO);
      set(VS);
      get(ZP);
      set(J);
      get(OP_);
      set(END); // END reused as the output pointer
      c.push(0x02, 0x40, 0x03, 0x40);
      get(J);
      get(ZP);
      get(M);
      i32c(2);
      c.push(0x74, 0x6a, 0x4e, 0x0d, 1);
      // x = z − max
      get(J);
      simd(S.load, 2, 0);
      get(VM);
      simd(S.sub);
      set(VX);
      // n = nearest(max(x, −87)·log₂e)
      get(VX);
      splatC(-87);
      simd(S.max);
      tee(VR);
      splatC(Math.LOG2E);
      simd(S.mul);
      simd(S.nearest);
      set(VN);
      // r = x − n·C1 − n·C2
      get(VR);
      get(VN);
      splatC(0.693359375);
      simd(S.mul);
      simd(S.sub);
      get(VN);
      splatC(-2.12194440e-4);
      simd(S.mul);
      simd(S.sub);
      set(VR);
      // p = ((((((c6 r + c5) r + c4) r + c3) r + c2) r + c1) r² + r + 1
      splatC(1.9875691500e-4);
      get(VR);
      simd(S.mul);
      splatC(1.3981999507e-3);
      simd(S.add);
      for (const k of [8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]) {
        get(VR);
        simd(S.mul);
        splatC(k);
        simd(S.add);
      }
      get(VR);
      get(VR);
      simd(S.mul);
      simd(S.mul);
      get(VR);
      simd(S.add);
      splatC(1);
      simd(S.add);
      // ·2ⁿ: the float with exponent bits n + 127
      get(VN);
      simd(S.truncSat);
      i32c(127);
      simd(0x11); // i32x4.splat
      simd(S.iadd);
      i32c(23);
      simd(S.shl);
      simd(S.mul);
      set(VP);
      // 0 where x < −87
      get(VZERO);
      get(VP);
      get(VX);
      splatC(-87);
      simd(S.lt);
      simd(S.bitselect);
      set(VP);
      get(END);
      get(VP);
      simd(S.store, 2, 0);
      get(VS);
      get(VP);
      simd(S.add);
      set(VS);
      addI(J, 16);
      addI(END, 16);
      c.push(0x0c, 0, 0x0b, 0x0b);
      hsum(VS, 0x92); // f32.add
      set(SUMS);
      // out ·= scale / sum
      get(SCALE);
      get(SUMS);
      c.push(0x95); // f32.div
      simd(0x13);
      set(VP);
      get(OP_);
      set(J);
      get(OP_);
      get(M);
      i32c(2);
      c.push(0x74, 0x6a);
      set(END);
      loopWhile(
        () => {
          get(J);
          get(END);
          c.push(0x4e);
        },
        () => {
          get(J);
          get(J);
          simd(S.load, 2, 0);
          get(VP);
          simd(S.mul);
          simd(S.store, 2, 0);
          addI(J, 16);
        },
      );
      // stats[r] = (max, sum)
      get(STATS);
      get(R);
      i32c(3);
      c.push(0x74, 0x6a);
      tee(J);
      get(MAXS);
      c.push(0x38, 2, 0); // f32.store
      get(J);
      get(SUMS);
      c.push(0x38, 2, 4);
      // next row
      addI(R, 1);
      get(ZP);
      get(M);
      i32c(2);
      c.push(0x74, 0x6a);
      set(ZP);
      get(OP_);
      get(M);
      i32c(2);
      c.push(0x74, 0x6a);
      set(OP_);
    },
  );
  const body = [...vec([[...uleb(5), I32], [...uleb(2), F32], [...uleb(7), V128]]), ...c, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 6, I32, I32, I32, I32, I32, F32, 0]])),
    ...section(2, vec([[...str('m'), ...str('mem'), 0x02, 0x00, 1]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...str('rows'), 0x00, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

type Rows = (z: number, out: number, rows: number, M: number, stats: number, scale: number) => void;

let instance: { mem: WebAssembly.Memory; rows: Rows } | undefined | null;

/**
 * out[i, j] = scale·exp(z[i, j] − maxᵢ)/sumᵢ for rows × M logits (M a multiple of 4), and maxᵢ, sumᵢ into
 * `max` and `sum`; or undefined when this engine has no WebAssembly SIMD (or AE_SOFTMAX_WASM=0).
 */
export type ScaledSoftmax = (z: Float32Array, rows: number, M: number, scale: number, out: Float32Array, max: Float32Array, sum: Float32Array) => void;

export function wasmScaledSoftmax(): ScaledSoftmax | undefined {
  if (instance === undefined) {
    try {
      if (process.env.AE_SOFTMAX_WASM === '0') instance = null;
      else {
        const mem = new WebAssembly.Memory({ initial: 1 });
        const inst = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()), { m: { mem } });
        instance = { mem, rows: inst.exports.rows as Rows };
      }
    } catch {
      instance = null;
    }
  }
  const inst = instance;
  if (!inst) return undefined;
  return (z, rows, M, scale, out, max, sum) => {
    const n = rows * M;
    const need = 2 * n * 4 + rows * 8;
    if (inst.mem.buffer.byteLength < need) inst.mem.grow(Math.ceil((need - inst.mem.buffer.byteLength) / 65536));
    new Float32Array(inst.mem.buffer, 0, n).set(z.subarray(0, n));
    inst.rows(0, n * 4, rows, M, 2 * n * 4, scale);
    out.set(new Float32Array(inst.mem.buffer, n * 4, n));
    const stats = new Float32Array(inst.mem.buffer, 2 * n * 4, 2 * rows);
    for (let i = 0; i < rows; i++) {
      max[i] = stats[2 * i];
      sum[i] = stats[2 * i + 1];
    }
  };
}
