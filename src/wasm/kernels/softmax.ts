/**
 * The softmax half of the training step's softmax cross-entropy (src/autoencoder/js-train-graph.ts) as
 * WebAssembly SIMD, generated here (no build step; src/wasm/builder.ts). Why: Math.exp costs about 15 ns,
 * and the (8,8) decoder's 500×256 logits per data-parallel shard took 2.5 ms of a 12 ms step; here four
 * lanes run a polynomial exp.
 *
 * For each row of z (rows × M, M a multiple of 4): max = maxⱼ z[j], e[j] = exp(z[j] − max), sum = Σ e[j]
 * (float32, lanes summed pairwise at the end); writes e·scale/sum into out and max, sum per row.
 * exp is Cephes' expf: 2ⁿ·p(r) with n = nearest(x·log₂e), r = x − n·ln 2 (ln 2 split in two constants) and
 * p a degree-7 polynomial, relative error about 1 ulp on [−87, 0]; arguments below −87 give 0 (their share
 * of a row whose maximum gives 1 is under 2⁻¹²⁵). Tested against Math.exp (test/unit/softmax-wasm.test.ts).
 */
import { envVar } from '../env.ts';
import { FunctionBuilder, wasmModule } from '../builder.ts';
import { place } from '../memory.ts';
import { OP, SIMD } from '../opcodes.ts';

/** rows(z, out, rowsCount, M, stats, scale): z, out, stats byte addresses; stats gets (max, sum) per row. */
export function softmaxModule(): Uint8Array<ArrayBuffer> {
  const c = new FunctionBuilder('rows', ['i32', 'i32', 'i32', 'i32', 'i32', 'f32']);
  const [Z, OUT, ROWS, M, STATS, SCALE] = c.params;
  const [R, J, RB] = c.locals('i32', 3); // row, byte offset in the row, row bytes
  const [MAXS, SUMS] = c.locals('f32', 2);
  const [VM, VX, VN, VR, VP, VS] = c.locals('v128', 6);
  const splat = (v: number) => c.f32(v).simd(SIMD.f32x4Splat);
  const at = (p: number) => c.get(p).get(J).op(OP.i32Add);
  const jLoop = (from: number, body: () => void) => c.for(J, from, RB, 16, body);
  c.get(M).i32(2).op(OP.i32Shl).set(RB);
  c.rows(R, ROWS, RB, [Z, OUT], () => {
    // max over the row
    c.get(Z).vload().set(VM);
    jLoop(16, () => {
      c.get(VM);
      at(Z).vload().simd(SIMD.f32x4Max).set(VM);
    });
    c.lanes(VM, OP.f32Max).tee(MAXS).simd(SIMD.f32x4Splat).set(VM);
    // e = exp(z − max) into out, and their sum
    splat(0).set(VS);
    jLoop(0, () => {
      at(Z).vload().get(VM).simd(SIMD.f32x4Sub).set(VX);
      // n = nearest(max(x, −87)·log₂e); r = x − n·C1 − n·C2 (C1 + C2 = ln 2)
      c.get(VX);
      splat(-87).simd(SIMD.f32x4Max).tee(VR);
      splat(Math.LOG2E).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Nearest).set(VN);
      c.get(VR).get(VN);
      splat(0.693359375).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Sub).get(VN);
      splat(-2.1219444e-4).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Sub).set(VR);
      // p = ((((((c6·r + c5)·r + c4)·r + c3)·r + c2)·r + c1)·r² + r + 1
      splat(1.98756915e-4).get(VR).simd(SIMD.f32x4Mul);
      splat(1.3981999507e-3).simd(SIMD.f32x4Add);
      for (const k of [8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]) {
        c.get(VR).simd(SIMD.f32x4Mul);
        splat(k).simd(SIMD.f32x4Add);
      }
      c.get(VR).get(VR).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Mul).get(VR).simd(SIMD.f32x4Add);
      splat(1).simd(SIMD.f32x4Add);
      // ·2ⁿ: the float with exponent bits n + 127
      c.get(VN).simd(SIMD.i32x4TruncSatF32x4S).i32(127).simd(SIMD.i32x4Splat).simd(SIMD.i32x4Add).i32(23).simd(SIMD.i32x4Shl);
      c.simd(SIMD.f32x4Mul).set(VP);
      // 0 where x < −87
      splat(0).get(VP).get(VX);
      splat(-87).simd(SIMD.f32x4Lt).simd(SIMD.v128Bitselect).set(VP);
      at(OUT).get(VP).vstore();
      c.get(VS).get(VP).simd(SIMD.f32x4Add).set(VS);
    });
    c.lanes(VS, OP.f32Add).set(SUMS);
    // out ·= scale / sum
    c.get(SCALE).get(SUMS).op(OP.f32Div).simd(SIMD.f32x4Splat).set(VP);
    jLoop(0, () => {
      at(OUT);
      at(OUT).vload().get(VP).simd(SIMD.f32x4Mul).vstore();
    });
    // stats[r] = (max, sum)
    c.get(STATS).get(R).i32(3).op(OP.i32Shl).op(OP.i32Add).tee(J).get(MAXS).f32store();
    c.get(J).get(SUMS).f32store(4);
  });
  return wasmModule([c]);
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
      if (envVar('AE_SOFTMAX_WASM') === '0') instance = null;
      else {
        const mem = new WebAssembly.Memory({ initial: 1 });
        const inst = new WebAssembly.Instance(new WebAssembly.Module(softmaxModule()), { m: { mem } });
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
    const [za, oa, sa] = place(inst.mem, [n, n, 2 * rows]);
    new Float32Array(inst.mem.buffer, za, n).set(z.subarray(0, n));
    inst.rows(za, oa, rows, M, sa, scale);
    out.set(new Float32Array(inst.mem.buffer, oa, n));
    const stats = new Float32Array(inst.mem.buffer, sa, 2 * rows);
    for (let i = 0; i < rows; i++) {
      max[i] = stats[2 * i];
      sum[i] = stats[2 * i + 1];
    }
  };
}
