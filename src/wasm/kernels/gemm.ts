/**
 * The Gemm products of src/autoencoder/gemm.ts (a dense layer's forward and backward pass) as WebAssembly
 * SIMD, generated here (no build step; src/wasm/builder.ts, as the other run-time generated modules).
 *
 * Why: the JavaScript loops of jsGemm run about 2 ns per multiply-add, and handing a mid-size product to a
 * tfjs backend costs its per-op overhead plus copies (on tfjs-node a 256×256·256×8 product, the (8,8)
 * encoder's second layer, took 0.55 ms forward and 0.5 ms backward, of which the arithmetic is a few per
 * cent). Four float32 lanes with register blocking do several multiply-adds per ns, with no per-op cost.
 *
 * One kernel computes all three products: C[r, j] = init + Σ_q A(r, q)·B[q, j] for r < rows, j < cols,
 * where A(r, q) is read as a scalar at A + r·sR + q·sQ (so A can be X or Xᵀ without a copy), B and C are
 * row-major with their columns padded to a multiple of 8 (two f32x4 vectors per column block), and `init`
 * is a bias row (forward), or zero (backward, whose dW the caller adds in). Rows come four at a time
 * (8 accumulators, within the 16 vector registers of x64), the rest one at a time.
 *   forward  Z = X·W + b:  A = X (sR = k, sQ = 1), B = W padded, init = b
 *   dW = Xᵀ·dZ:            A = X read transposed (sR = 1, sQ = k), B = dZ padded
 *   dB = 1ᵀ·dZ:            A = a row of ones, B = dZ padded
 *   dX = dZ·Wᵀ:            A = dZ padded (sR = nP, sQ = 1), B = Wᵀ padded (copied transposed)
 * Sums run in float32 in a fixed order (q ascending for every element), so a product's result does not
 * depend on how it is called; it differs from jsGemm's by float rounding only (tests: test/unit/gemm-wasm.test.ts).
 *
 * Multiply and add are one f32x4.relaxed_madd when the engine has relaxed SIMD (gemmUsesFma): on a CPU with
 * FMA it is one fused instruction, 1.3–1.8× faster products here (the (8,8) decoder's 500×256·256×256 forward
 * 2.5 → 1.9 ms, backward 6.0–6.8 → 3.4–4.8 ms, measured on the 2-core machine). Relaxed means the rounding
 * depends on the CPU (fused: one rounding per term; without FMA: two), so a model trained on a machine with
 * FMA differs by float rounding from one trained without, as between backends; on one machine it is the same
 * whatever the number of workers, shards or resumes. AE_GEMM_FMA=0 keeps the separate multiply and add. The
 * Monte Carlo decoders (mlp-argmax.ts) keep separate multiply and add: their counts must not depend on the
 * CPU.
 */
import { FunctionBuilder, wasmModule } from '../builder.ts';
import { place } from '../memory.ts';
import { EMPTY, OP as O, SIMD as S } from '../opcodes.ts';
import { envVar, nodeV8 } from '../env.ts';

/** Floats per column block: two f32x4 vectors. */
const COLS = 8;

/**
 * The kernel for `R` rows at a time: params (a, sR, sQ, b, ldb, c, ldc, rows, colBlocks, depth, bias), all
 * i32, strides and pointers in bytes; bias 0 means init 0, else the address of the padded bias row.
 */
function kernel(R: number, fma: boolean): FunctionBuilder {
  const c = new FunctionBuilder(`k${R}`, new Array<'i32'>(11).fill('i32'));
  const [A, SR, SQ, B, LDB, C, LDC, ROWS, CB, DEPTH, BIAS] = c.params;
  const [I, JB, Q, AQ, BQ, CP, AROW, SR2, SR3] = c.locals('i32', 9);
  const ACC = c.locals('v128', 2 * R); // two per row: the row's column block
  const [W0, W1, X] = c.locals('v128', 3);
  const blockOffset = (base: number) => c.get(base).get(JB).i32(5).op(O.i32Shl).op(O.i32Add); // base + 32·jb
  c.get(SR).i32(1).op(O.i32Shl).set(SR2);
  c.get(SR2).get(SR).op(O.i32Add).set(SR3);
  c.i32(0).set(I).get(A).set(AROW);
  // for (i = 0; i < rows; i += R)   (the caller passes rows as a multiple of R)
  c.loop(
    () => c.get(I).get(ROWS).op(O.i32GeS),
    () => {
      // for (jb = 0; jb < colBlocks; jb++)
      c.i32(0).set(JB);
      c.loop(
        () => c.get(JB).get(CB).op(O.i32GeS),
        () => {
          // cp = c + i·ldc + 32·jb
          c.get(I).get(LDC).op(O.i32Mul).get(C).op(O.i32Add).get(JB).i32(5).op(O.i32Shl).op(O.i32Add).set(CP);
          // accumulators: the bias block, or zero
          c.get(BIAS).op(O.i32Eqz).op(O.if, EMPTY);
          c.f32(0).simd(S.f32x4Splat).tee(W0).set(W1);
          c.op(O.else);
          blockOffset(BIAS).tee(BQ).vload().set(W0);
          c.get(BQ).vload(16).set(W1);
          c.op(O.end);
          for (let r = 0; r < R; r++)
            c.get(W0)
              .set(ACC[2 * r])
              .get(W1)
              .set(ACC[2 * r + 1]);
          // for (q = 0; q < depth; q++): acc[r] += A(i + r, q) · B[q, jb]
          c.i32(0).set(Q).get(AROW).set(AQ);
          blockOffset(B).set(BQ);
          c.loop(
            () => c.get(Q).get(DEPTH).op(O.i32GeS),
            () => {
              c.get(BQ).vload().set(W0).get(BQ).vload(16).set(W1);
              for (let r = 0; r < R; r++) {
                c.get(AQ);
                if (r > 0) c.get([0, SR, SR2, SR3][r]).op(O.i32Add);
                c.vmem(S.v128Load32Splat).set(X);
                for (let v = 0; v < 2; v++) {
                  if (fma)
                    c.get(X)
                      .get(v === 0 ? W0 : W1)
                      .get(ACC[2 * r + v])
                      .simd(S.f32x4RelaxedMadd)
                      .set(ACC[2 * r + v]);
                  else
                    c.get(ACC[2 * r + v])
                      .get(X)
                      .get(v === 0 ? W0 : W1)
                      .simd(S.f32x4Mul)
                      .simd(S.f32x4Add)
                      .set(ACC[2 * r + v]);
                }
              }
              c.inc(Q, 1);
              c.get(AQ).get(SQ).op(O.i32Add).set(AQ);
              c.get(BQ).get(LDB).op(O.i32Add).set(BQ);
            },
          );
          // store the block
          for (let r = 0; r < R; r++) {
            for (let v = 0; v < 2; v++)
              c.get(CP)
                .get(ACC[2 * r + v])
                .vstore(16 * v);
            c.get(CP).get(LDC).op(O.i32Add).set(CP);
          }
          c.inc(JB, 1);
        },
      );
      // next R rows
      c.inc(I, R);
      for (let r = 0; r < R; r++) c.get(AROW).get(SR).op(O.i32Add).set(AROW);
    },
  );
  return c;
}

/** k4 and k1 (the kernel for four rows at a time and for one), with relaxed_madd or separate multiply and add. */
export const gemmModule = (fma: boolean): Uint8Array<ArrayBuffer> => wasmModule([kernel(4, fma), kernel(1, fma)]);

/**
 * Whether this engine runs relaxed SIMD, enabling it if needed: it is part of WebAssembly since 2024 and on by
 * default in Node 22, behind a V8 flag in Node 20 (set here before any module is compiled; the flag is
 * process-wide, so worker threads see it too).
 */
let relaxed: boolean | undefined;
function relaxedSimd(): boolean {
  return (relaxed ??= enableRelaxedSimd());
}
function enableRelaxedSimd(): boolean {
  const probe = gemmModule(true);
  if (WebAssembly.validate(probe)) return true;
  // Only Node has the flag (platform.ts); a browser without relaxed SIMD takes the separate multiply and add.
  const v8 = nodeV8();
  if (!v8) return false;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return WebAssembly.validate(probe);
}

type Kernel = (
  a: number,
  sR: number,
  sQ: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  rows: number,
  colBlocks: number,
  depth: number,
  bias: number,
) => void;

/** The module of this thread (one memory per thread; workers build their own). */
interface Instance {
  mem: WebAssembly.Memory;
  k4: Kernel;
  k1: Kernel;
}

/** This thread's instances: with relaxed_madd (true) and with separate multiply and add (false). */
const instances = new Map<boolean, Instance | null>();

function instantiate(fma: boolean): Instance | null {
  if (envVar('AE_GEMM_WASM') === '0') return null;
  try {
    const mem = new WebAssembly.Memory({ initial: 16 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(gemmModule(fma)), { m: { mem } });
    return { mem, k4: inst.exports.k4 as Kernel, k1: inst.exports.k1 as Kernel };
  } catch {
    return null; // no WebAssembly SIMD in this engine: jsGemm stays
  }
}

const padTo = (n: number) => Math.ceil(n / COLS) * COLS;

/** Copies a rows×cols row-major matrix into `dst` with row stride `ld` (the padding is zeroed). */
function putPadded(dst: Float32Array, src: Float32Array, rows: number, cols: number, ld: number): void {
  if (ld === cols) {
    dst.set(src.subarray(0, rows * cols));
    return;
  }
  for (let r = 0; r < rows; r++) {
    dst.set(src.subarray(r * cols, r * cols + cols), r * ld);
    dst.fill(0, r * ld + cols, r * ld + ld);
  }
}

/** The kernel over `rows` rows: four at a time, then one at a time. */
function runRows(
  inst: Instance,
  a: number,
  sR: number,
  sQ: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  rows: number,
  cb: number,
  depth: number,
  bias: number,
): void {
  const four = rows & ~3;
  if (four) inst.k4(a, sR, sQ, b, ldb, c, ldc, four, cb, depth, bias);
  if (rows > four) inst.k1(a + four * sR, sR, sQ, b, ldb, c + four * ldc, ldc, rows - four, cb, depth, bias);
}

/** Whether wasmGemm() multiplies and adds fused by default: relaxed SIMD is there and AE_GEMM_FMA is not 0. */
export function gemmUsesFma(): boolean {
  return envVar('AE_GEMM_FMA') !== '0' && relaxedSimd();
}

/**
 * The WebAssembly products (the forward and backward of src/autoencoder/gemm.ts's Gemm, documented there),
 * or undefined when this engine has no WebAssembly SIMD (or AE_GEMM_WASM=0).
 * `fma`: with relaxed_madd (default: when the engine has relaxed SIMD, see gemmUsesFma), or without.
 */
export function wasmGemm(fma = gemmUsesFma()) {
  if (fma && !relaxedSimd()) return undefined;
  if (!instances.has(fma)) instances.set(fma, instantiate(fma));
  const inst = instances.get(fma);
  if (!inst) return undefined;
  const f32 = (at: number, floats: number) => new Float32Array(inst.mem.buffer, at, floats);
  return {
    forward(X: Float32Array, m: number, k: number, W: Float32Array, n: number, b: Float32Array | undefined, out: Float32Array): void {
      const nP = padTo(n);
      const [xa, wa, ba, ca] = place(inst.mem, [m * k, k * nP, nP, m * nP]);
      f32(xa, m * k).set(X.subarray(0, m * k));
      putPadded(f32(wa, k * nP), W, k, n, nP);
      const bias = f32(ba, nP);
      bias.fill(0);
      if (b) bias.set(b.subarray(0, n));
      runRows(inst, xa, 4 * k, 4, wa, 4 * nP, ca, 4 * nP, m, nP / COLS, k, ba);
      const C = f32(ca, m * nP);
      if (nP === n) out.set(C);
      else for (let r = 0; r < m; r++) out.set(C.subarray(r * nP, r * nP + n), r * n);
    },
    backward(
      X: Float32Array,
      m: number,
      k: number,
      dZ: Float32Array,
      n: number,
      W: Float32Array,
      dW: Float32Array,
      dX: Float32Array | undefined,
      dB: Float32Array,
    ): void {
      const nP = padTo(n);
      const kP = padTo(k);
      const [xa, za, gwa, onesAt, wta, dxa] = place(inst.mem, [m * k, m * nP, (k + 1) * nP, m, dX ? n * kP : 0, dX ? m * kP : 0]);
      f32(xa, m * k).set(X.subarray(0, m * k));
      putPadded(f32(za, m * nP), dZ, m, n, nP);
      f32(onesAt, m).fill(1);
      // dW += Xᵀ·dZ: A(p, i) = X[i, p]; then row k: the column sums of dZ (A = a row of ones).
      runRows(inst, xa, 4, 4 * k, za, 4 * nP, gwa, 4 * nP, k, nP / COLS, m, 0);
      inst.k1(onesAt, 0, 4, za, 4 * nP, gwa + 4 * k * nP, 4 * nP, 1, nP / COLS, m, 0);
      const G = f32(gwa, (k + 1) * nP);
      for (let p = 0; p < k; p++) {
        const o = p * n;
        const g = p * nP;
        for (let j = 0; j < n; j++) dW[o + j] += G[g + j];
      }
      for (let j = 0; j < n; j++) dB[j] += G[k * nP + j];
      if (!dX) return;
      // dX = dZ·Wᵀ: B[j, p] = W[p, j], columns padded to kP.
      const WT = f32(wta, n * kP);
      WT.fill(0);
      for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) WT[j * kP + p] = W[p * n + j];
      runRows(inst, za, 4 * nP, 4, wta, 4 * kP, dxa, 4 * kP, m, kP / COLS, n, 0);
      const D = f32(dxa, m * kP);
      if (kP === k) dX.set(D);
      else for (let r = 0; r < m; r++) dX.set(D.subarray(r * kP, r * kP + k), r * k);
    },
  };
}
