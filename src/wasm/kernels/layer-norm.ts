/**
 * Layer normalization's forward and backward pass over rows (src/autoencoder/js-train-graph.ts) as
 * WebAssembly SIMD, four values of a row per f32x4 vector, generated here (no build step; src/wasm/builder.ts).
 *
 * Why: the JavaScript loops ran about 11 ns per value (three passes over each row with a square root and a
 * division per row), so a decoder layer norm on 1000 × 16 values cost 0.3 ms per step, 1.7× the step of
 * the same network without it (`npm run bench` holds it to 1.5×).
 *
 * Forward, per row of x (d values, d a multiple of 4): mean, var = mean((x − mean)²), inv = 1/√(var + ε),
 * x̂ = (x − mean)·inv, out = γ·x̂ + β. Backward from d = dL/dout: dγ += d·x̂, dβ += d, and with g = d·γ,
 * dx = inv·(g − mean(g) − x̂·mean(g·x̂)). All in float32 (as tfjs's LayerNorm), the row sums lane-wise and
 * then (l0 + l1) + (l2 + l3). Tested against doubles (test/unit/layer-norm-wasm.test.ts) and, inside the
 * step, against tf.grad (test/unit/train-graph.test.ts).
 */
import { envVar } from '../env.ts';
import { FunctionBuilder, wasmModule } from '../builder.ts';
import { place } from '../memory.ts';
import { OP as O, SIMD as S } from '../opcodes.ts';

function forward(): FunctionBuilder {
  const i = 'i32';
  const c = new FunctionBuilder('fwd', [i, i, i, i, i, 'f32', i, i, i]);
  const [X, ROWS, D, G, B, EPS, OUT, XH, INV] = c.params;
  const [R, J, RB] = c.locals('i32', 3);
  const [MEAN, RI] = c.locals('f32', 2);
  const [SUM, VM, VR, XV] = c.locals('v128', 4);
  const jLoop = (body: () => void) => c.for(J, 0, RB, 16, body);
  c.get(D).i32(2).op(O.i32Shl).set(RB);
  // γ and β stay; x, out and x̂ move on by a row
  c.rows(R, ROWS, RB, [X, OUT, XH], () => {
    // mean
    c.f32(0).simd(S.f32x4Splat).set(SUM);
    jLoop(() => c.get(SUM).get(X).get(J).op(O.i32Add).vload().simd(S.f32x4Add).set(SUM));
    c.lanes(SUM, O.f32Add).get(D).op(O.f32ConvertI32S).op(O.f32Div).tee(MEAN).simd(S.f32x4Splat).set(VM);
    // variance → inv
    c.f32(0).simd(S.f32x4Splat).set(SUM);
    jLoop(() => c.get(X).get(J).op(O.i32Add).vload().get(VM).simd(S.f32x4Sub).tee(XV).get(XV).simd(S.f32x4Mul).get(SUM).simd(S.f32x4Add).set(SUM));
    c.f32(1).lanes(SUM, O.f32Add).get(D).op(O.f32ConvertI32S).op(O.f32Div).get(EPS).op(O.f32Add).op(O.f32Sqrt).op(O.f32Div).set(RI);
    c.get(INV).get(R).i32(2).op(O.i32Shl).op(O.i32Add).get(RI).f32store();
    c.get(RI).simd(S.f32x4Splat).set(VR);
    // x̂ and out
    jLoop(() => {
      c.get(XH).get(J).op(O.i32Add);
      c.get(X).get(J).op(O.i32Add).vload().get(VM).simd(S.f32x4Sub).get(VR).simd(S.f32x4Mul).tee(XV);
      c.vstore();
      c.get(OUT).get(J).op(O.i32Add);
      c.get(G).get(J).op(O.i32Add).vload().get(XV).simd(S.f32x4Mul).get(B).get(J).op(O.i32Add).vload().simd(S.f32x4Add);
      c.vstore();
    });
  });
  return c;
}

function backward(): FunctionBuilder {
  const c = new FunctionBuilder('bwd', new Array<'i32'>(9).fill('i32'));
  const [DD, ROWS, D, XH, INV, G, DG, DB, DIN] = c.params;
  const [R, J, RB] = c.locals('i32', 3);
  const [SG, SGX, DY, XV, GV, VMG, VMGX, VR] = c.locals('v128', 8);
  const at = (p: number) => c.get(p).get(J).op(O.i32Add);
  const jLoop = (body: () => void) => c.for(J, 0, RB, 16, body);
  c.get(D).i32(2).op(O.i32Shl).set(RB);
  c.rows(R, ROWS, RB, [DD, XH, DIN], () => {
    c.f32(0).simd(S.f32x4Splat).tee(SG).set(SGX);
    jLoop(() => {
      at(DD).vload().set(DY);
      at(XH).vload().set(XV);
      // dγ += d·x̂, dβ += d
      at(DG);
      at(DG).vload().get(DY).get(XV).simd(S.f32x4Mul).simd(S.f32x4Add).vstore();
      at(DB);
      at(DB).vload().get(DY).simd(S.f32x4Add).vstore();
      // g = d·γ; Σg, Σg·x̂
      c.get(DY);
      at(G).vload().simd(S.f32x4Mul).tee(GV).get(SG).simd(S.f32x4Add).set(SG);
      c.get(GV).get(XV).simd(S.f32x4Mul).get(SGX).simd(S.f32x4Add).set(SGX);
    });
    c.lanes(SG, O.f32Add).get(D).op(O.f32ConvertI32S).op(O.f32Div).simd(S.f32x4Splat).set(VMG);
    c.lanes(SGX, O.f32Add).get(D).op(O.f32ConvertI32S).op(O.f32Div).simd(S.f32x4Splat).set(VMGX);
    c.get(INV).get(R).i32(2).op(O.i32Shl).op(O.i32Add).f32load().simd(S.f32x4Splat).set(VR);
    // dx = inv·(d·γ − mean(g) − x̂·mean(g·x̂))
    jLoop(() => {
      at(DIN);
      at(DD).vload();
      at(G).vload().simd(S.f32x4Mul).get(VMG).simd(S.f32x4Sub);
      at(XH).vload().get(VMGX).simd(S.f32x4Mul).simd(S.f32x4Sub);
      c.get(VR).simd(S.f32x4Mul).vstore();
    });
  });
  return c;
}

/** fwd(x, rows, d, γ, β, ε, out, x̂, inv) and bwd(dd, rows, d, x̂, inv, γ, dγ, dβ, dx): pointers in bytes. */
export const layerNormModule = (): Uint8Array<ArrayBuffer> => wasmModule([forward(), backward()]);

type Fwd = (x: number, rows: number, d: number, g: number, b: number, eps: number, out: number, xhat: number, inv: number) => void;
type Bwd = (dd: number, rows: number, d: number, xhat: number, inv: number, g: number, dg: number, db: number, dIn: number) => void;

let instance: { mem: WebAssembly.Memory; fwd: Fwd; bwd: Bwd } | undefined | null;

function instantiate(): typeof instance {
  if (envVar('AE_LAYERNORM_WASM') === '0') return null;
  try {
    const mem = new WebAssembly.Memory({ initial: 1 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(layerNormModule()), { m: { mem } });
    return { mem, fwd: inst.exports.fwd as Fwd, bwd: inst.exports.bwd as Bwd };
  } catch {
    return null;
  }
}

export interface LayerNormKernels {
  forward(
    x: Float32Array,
    rows: number,
    d: number,
    gamma: Float32Array,
    beta: Float32Array,
    epsilon: number,
    out: Float32Array,
    xhat: Float32Array,
    inv: Float32Array,
  ): void;
  backward(
    d: Float32Array,
    rows: number,
    dim: number,
    xhat: Float32Array,
    inv: Float32Array,
    gamma: Float32Array,
    dGamma: Float32Array,
    dBeta: Float32Array,
    dIn: Float32Array,
  ): void;
}

/** The kernels for rows of `d` values, or undefined when d is not a multiple of 4 or the engine lacks SIMD. */
export function wasmLayerNorm(d: number): LayerNormKernels | undefined {
  if (d % 4 !== 0) return undefined;
  if (instance === undefined) instance = instantiate();
  const inst = instance;
  if (!inst) return undefined;
  const f32 = (at: number, n: number) => new Float32Array(inst.mem.buffer, at, n);
  return {
    forward(x, rows, dim, gamma, beta, epsilon, out, xhat, inv) {
      const n = rows * dim;
      const [xa, ga, ba, oa, ha, ia] = place(inst.mem, [n, dim, dim, n, n, rows]);
      f32(xa, n).set(x.subarray(0, n));
      f32(ga, dim).set(gamma);
      f32(ba, dim).set(beta);
      inst.fwd(xa, rows, dim, ga, ba, epsilon, oa, ha, ia);
      out.set(f32(oa, n));
      xhat.set(f32(ha, n));
      inv.set(f32(ia, rows));
    },
    backward(dd, rows, dim, xhat, inv, gamma, dGamma, dBeta, dIn) {
      const n = rows * dim;
      const [da, ha, ia, ga, dga, dba, xa] = place(inst.mem, [n, n, rows, dim, dim, dim, n]);
      f32(da, n).set(dd.subarray(0, n));
      f32(ha, n).set(xhat.subarray(0, n));
      f32(ia, rows).set(inv.subarray(0, rows));
      f32(ga, dim).set(gamma);
      f32(dga, dim).set(dGamma);
      f32(dba, dim).set(dBeta);
      inst.bwd(da, rows, dim, ha, ia, ga, dga, dba, xa);
      dGamma.set(f32(dga, dim));
      dBeta.set(f32(dba, dim));
      dIn.set(f32(xa, n));
    },
  };
}
