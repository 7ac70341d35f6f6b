/**
 * The fast path of RandomStream.fillNormal (xor4096 + the 128-layer ziggurat of src/random.ts) as a small
 * WebAssembly module, generated here (no build step; src/wasm/builder.ts). Bit-identical to the JavaScript.
 *
 * The generator and the ziggurat are separated by a buffer of raw 32-bit draws (the ziggurat consumes the
 * generator's outputs strictly in order, whether for a fast-path value or inside the slow path, so the draws
 * can be made ahead):
 * - `gen(n)` makes the next n outputs of xor4096 into the buffer, four at a time with i32x4 SIMD where the
 *   ring allows: output j writes X[i+j] from X[i+j] and X[i+j+33] (mod 128), so four consecutive outputs
 *   read nothing the other three write; the Weyl terms are w + (j+1)·0x61c88647. Integer arithmetic: exact.
 * - `zig(pos, n, k)` turns draws into normals (eight per loop test while eight are left): a fast-path value
 *   is the double zv·WN[iz] rounded to float32 on store, exactly what the JavaScript does when it stores the
 *   double into a Float32Array. Where a draw needs the slow path (1 in 36 in a measurement) it stops; the
 *   JavaScript slow path runs (it draws with Math.exp/log) and takes its further draws first from the rest
 *   of the buffer (RandomStream's pending draws), then from the generator itself, on the state in this
 *   module's memory (g.X is swapped for a view on it).
 * A fill generates at most as many draws as normals still missing (every normal takes at least one draw), so
 * the generator never runs ahead of the stream. Tested value for value against the JavaScript
 * (test/unit/random-wasm.test.ts). AE_RANDOM_WASM=0 keeps the JavaScript.
 */
import { envVar } from '../env.ts';
import { FunctionBuilder, wasmModule } from '../builder.ts';
import { EMPTY, OP, SIMD } from '../opcodes.ts';

// Memory layout (bytes): X[128] i32 at 0, state (i, w, pos, k, hz) at 2048, the ziggurat's table at 4096, raw
// draws R at 8192, normals OUT after them.
/** Per ziggurat layer iz, a 16-byte record at TAB_AT + 16·iz: KN[iz] − 1, 2·KN[iz] − 1 (0 if KN[iz] = 0), WN[iz]. */
const TAB_AT = 4096;
const STATE_AT = 2048;
const S_I = STATE_AT,
  S_W = STATE_AT + 4,
  S_POS = STATE_AT + 8,
  S_K = STATE_AT + 12,
  S_HZ = STATE_AT + 16;
const R_AT = 8192;
/** Draws the ziggurat takes per loop test. */
const UNROLL = 8; // measured: 1 → 3.7, 4 → 3.3, 8 → 3.2, 16 → 3.2 ns per normal
/** Draws (and normals) per batch: R and OUT fill 2 × 4 × BATCH bytes. */
const BATCH = 16384;
const OUT_AT = R_AT + 4 * BATCH;
const WEYL = 0x61c88647;

/** x ^= x <<(or >>>) n on local l: `shift` the i32 or i32x4 shift, `xor` the matching xor. */
function xorShift(f: FunctionBuilder, l: number, shift: () => void, n: number, xor: () => void): void {
  f.get(l).get(l).i32(n);
  shift();
  xor();
  f.set(l);
}

/** One scalar xor4096 step on locals GI, GW (V, T scratch); leaves the output on the stack. */
function scalarStep(f: FunctionBuilder, GI: number, GW: number, V: number, T: number): void {
  f.get(GW).i32(WEYL).op(OP.i32Add).set(GW);
  f.get(GI).i32(34).op(OP.i32Add).i32(127).op(OP.i32And).i32(2).op(OP.i32Shl).mem(OP.i32Load).set(V);
  f.get(GI).i32(1).op(OP.i32Add).i32(127).op(OP.i32And).set(GI);
  f.get(GI).i32(2).op(OP.i32Shl).mem(OP.i32Load).set(T);
  const xs = (l: number, shift: number, n: number) =>
    xorShift(
      f,
      l,
      () => f.op(shift),
      n,
      () => f.op(OP.i32Xor),
    );
  xs(V, OP.i32Shl, 13);
  xs(T, OP.i32Shl, 17);
  xs(V, OP.i32ShrU, 15);
  xs(T, OP.i32ShrU, 12);
  f.get(GI).i32(2).op(OP.i32Shl).get(V).get(T).op(OP.i32Xor).tee(V).mem(OP.i32Store);
  f.get(V).get(GW).get(GW).i32(16).op(OP.i32ShrU, OP.i32Xor, OP.i32Add);
}

/** gen(n): R[0 … n) ← the next n outputs of the generator whose state is in memory. */
function gen(): FunctionBuilder {
  const f = new FunctionBuilder('gen', ['i32']);
  const [N] = f.params;
  const [GI, GW, V, T, D] = f.locals('i32', 5);
  const [VV, VT, VW, STEPW] = f.locals('v128', 4);
  f.i32(0).mem(OP.i32Load, S_I).set(GI);
  f.i32(0).mem(OP.i32Load, S_W).set(GW);
  // STEPW = (C, 2C, 3C, 4C)
  f.v128(new Uint8Array(new Int32Array([WEYL, 2 * WEYL, 3 * WEYL, 4 * WEYL].map((v) => v | 0)).buffer)).set(STEPW);
  f.op(OP.block, EMPTY, OP.loop, EMPTY);
  f.get(D).get(N).op(OP.i32GeS, OP.brIf, 1);
  // Four at once when i' = (i + 1) & 127 is a multiple of 4 whose lag window i' + 33 … i' + 36 does not wrap
  // (i' ≠ 92), and four are still wanted.
  f.get(N).get(D).op(OP.i32Sub).i32(4).op(OP.i32GeS);
  f.get(GI).i32(1).op(OP.i32Add).i32(127).op(OP.i32And).set(T);
  f.get(T).i32(3).op(OP.i32And, OP.i32Eqz, OP.i32And);
  f.get(T).i32(92).op(OP.i32Ne, OP.i32And);
  f.op(OP.if, EMPTY);
  {
    // t = X[i' … i'+3], v = X[(i'+33) & 127 …] (four in a row: only i' = 92 would wrap)
    f.get(T).i32(2).op(OP.i32Shl).vload().set(VT);
    f.get(T).i32(33).op(OP.i32Add).i32(127).op(OP.i32And).i32(2).op(OP.i32Shl).vload(0, 0).set(VV);
    const xs = (l: number, shift: number, n: number) =>
      xorShift(
        f,
        l,
        () => f.simd(shift),
        n,
        () => f.simd(SIMD.v128Xor),
      );
    xs(VV, SIMD.i32x4Shl, 13);
    xs(VT, SIMD.i32x4Shl, 17);
    xs(VV, SIMD.i32x4ShrU, 15);
    xs(VT, SIMD.i32x4ShrU, 12);
    // X[i' … i'+3] = v ^ t
    f.get(T).i32(2).op(OP.i32Shl).get(VV).get(VT).simd(SIMD.v128Xor).tee(VV).vstore();
    // w_j = w + (j + 1)·C; R[d … d+3] = x_j + (w_j ^ (w_j >>> 16))
    f.get(GW).simd(SIMD.i32x4Splat).get(STEPW).simd(SIMD.i32x4Add).set(VW);
    f.get(D).i32(2).op(OP.i32Shl).get(VV).get(VW).get(VW).i32(16);
    f.simd(SIMD.i32x4ShrU).simd(SIMD.v128Xor).simd(SIMD.i32x4Add).vstore(R_AT);
    f.get(GW)
      .i32(4 * WEYL)
      .op(OP.i32Add)
      .set(GW);
    f.get(T).i32(3).op(OP.i32Add).set(GI);
    f.inc(D, 4);
  }
  f.op(OP.else);
  {
    f.get(D).i32(2).op(OP.i32Shl);
    scalarStep(f, GI, GW, V, T);
    f.mem(OP.i32Store, R_AT);
    f.inc(D, 1);
  }
  f.op(OP.end, OP.br, 0, OP.end, OP.end);
  f.i32(0).get(GI).mem(OP.i32Store, S_I);
  f.i32(0).get(GW).mem(OP.i32Store, S_W);
  return f;
}

/**
 * zig(pos, n, k): consumes R[pos … n) into OUT[k …); returns 1 with pos = n when the draws are used up, or 2 at
 * a draw that needs the slow path (that draw in hz, pos past it). Writes pos and k to the state.
 */
function zig(): FunctionBuilder {
  const f = new FunctionBuilder('zig', ['i32', 'i32', 'i32'], ['i32']);
  const [POS, N, K] = f.params;
  const [HZ, IZ, ZV] = f.locals('i32', 3);
  const save = (code: number) => {
    f.i32(0).get(POS).mem(OP.i32Store, S_POS);
    f.i32(0).get(K).mem(OP.i32Store, S_K);
    f.i32(code).op(OP.return);
  };
  /**
   * The draw on the stack → IZ (its table record's offset), ZV; pushes 1 when it takes the fast path:
   * |zv| < KN[iz] ⇔ (u32)(zv + KN[iz] − 1) < (u32)(2·KN[iz] − 1) (0 where KN[iz] = 0: never).
   */
  const draw = () => {
    f.tee(HZ).i32(127).op(OP.i32And).i32(4).op(OP.i32Shl).set(IZ);
    f.get(HZ).i32(7).op(OP.i32ShrS).tee(ZV);
    f.get(IZ).mem(OP.i32Load, TAB_AT).op(OP.i32Add);
    f.get(IZ)
      .mem(OP.i32Load, TAB_AT + 4)
      .op(OP.i32LtU);
  };
  /** f32(zv · WN[iz]) in float64, as the JavaScript stores it. */
  const value = () =>
    f
      .get(ZV)
      .op(OP.f64ConvertI32S)
      .get(IZ)
      .mem(OP.f64Load, TAB_AT + 8, 3)
      .op(OP.f64Mul, OP.f32DemoteF64);
  f.op(OP.loop, EMPTY);
  f.get(POS).get(N).op(OP.i32GeS, OP.if, EMPTY);
  save(1);
  f.op(OP.end);
  // UNROLL draws in a row while that many are left (one loop test for all); a draw that needs the slow path
  // leaves with pos past it and k at its slot.
  f.get(N).get(POS).op(OP.i32Sub).i32(UNROLL).op(OP.i32GeS, OP.if, EMPTY);
  for (let j = 0; j < UNROLL; j++) {
    f.get(POS)
      .i32(2)
      .op(OP.i32Shl)
      .mem(OP.i32Load, R_AT + 4 * j);
    draw();
    f.op(OP.i32Eqz, OP.if, EMPTY);
    f.get(POS)
      .i32(j + 1)
      .op(OP.i32Add)
      .set(POS);
    f.get(K).i32(j).op(OP.i32Add).set(K);
    f.i32(0).get(HZ).mem(OP.i32Store, S_HZ);
    save(2);
    f.op(OP.end);
    f.get(K).i32(2).op(OP.i32Shl);
    value();
    f.mem(OP.f32Store, OUT_AT + 4 * j);
  }
  f.inc(POS, UNROLL).inc(K, UNROLL);
  f.op(OP.br, 1, OP.end);
  f.get(POS).i32(2).op(OP.i32Shl).mem(OP.i32Load, R_AT);
  f.inc(POS, 1);
  // if (fast) { OUT[k] = f32(zv * WN[iz]); k++; continue }
  draw();
  f.op(OP.if, EMPTY);
  f.get(K).i32(2).op(OP.i32Shl);
  value();
  f.mem(OP.f32Store, OUT_AT);
  f.inc(K, 1);
  f.op(OP.br, 1, OP.end);
  f.i32(0).get(HZ).mem(OP.i32Store, S_HZ);
  save(2);
  f.op(OP.end);
  f.i32(0);
  return f;
}

/** mask(n, m): R[0 … n) &= m, four at a time (up to three past n: the buffer is a multiple of 4 long). */
function mask(): FunctionBuilder {
  const f = new FunctionBuilder('mask', ['i32', 'i32']);
  const [N, M] = f.params;
  const P = f.local('i32');
  const VM = f.local('v128');
  f.get(M).simd(SIMD.i32x4Splat).set(VM);
  f.loop(
    () => f.get(P).get(N).i32(2).op(OP.i32Shl, OP.i32GeS),
    () => {
      f.get(P).get(P).vload(R_AT).get(VM).simd(SIMD.v128And).vstore(R_AT);
      f.inc(P, 16);
    },
  );
  return f;
}

/** gen, zig and mask (above) over one memory. */
export const zigguratModule = (): Uint8Array<ArrayBuffer> => wasmModule([gen(), zig(), mask()]);

/** The generator state fillNormal works on (src/random.ts's Xor4096). */
export interface XorState {
  /** Swapped for a view on the module's memory while `fill` runs (the slow path then draws in place). */
  X: Int32Array;
  i: number;
  w: number;
  /** Draws made ahead that the next draws return first (pend … pendEnd of pendBuf). */
  pendBuf: Int32Array | null;
  pend: number;
  pendEnd: number;
}

export interface ZigguratWasm {
  /** out[0 … count) = the next count draws & mask, as RandomStream.fillInts for a power-of-two range. */
  ints(g: XorState, out: Int32Array, count: number, mask: number): void;
  /**
   * Fills out[offset .. offset + count) with the same normals as the JavaScript fillNormal; `slow(zv, iz)`
   * is the JavaScript slow path, called with the generator state written back into `g`.
   */
  fill(g: XorState, out: Float32Array, offset: number, count: number, slow: (zv: number, iz: number) => number): void;
}

let cached: ZigguratWasm | null | undefined;

/** The module with the ziggurat's tables, or null where WebAssembly (SIMD) is missing or switched off. */
export function zigguratWasm(KN: Int32Array, WN: Float64Array): ZigguratWasm | null {
  if (cached !== undefined) return cached;
  if (envVar('AE_RANDOM_WASM') === '0' || typeof WebAssembly !== 'object') return (cached = null);
  const bytes = zigguratModule();
  if (!WebAssembly.validate(bytes)) return (cached = null); // no SIMD
  const mem = new WebAssembly.Memory({ initial: Math.ceil((OUT_AT + 4 * BATCH) / 65536) });
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { mem } }).exports;
  const gen = exports.gen as (n: number) => void;
  const zig = exports.zig as (pos: number, n: number, k: number) => number;
  const maskFn = exports.mask as (n: number, m: number) => void;
  const i32 = new Int32Array(mem.buffer);
  const f32 = new Float32Array(mem.buffer);
  const tab = new DataView(mem.buffer, TAB_AT, 16 * 128);
  for (let iz = 0; iz < 128; iz++) {
    tab.setInt32(16 * iz, KN[iz] - 1, true);
    tab.setInt32(16 * iz + 4, KN[iz] > 0 ? 2 * KN[iz] - 1 : 0, true);
    tab.setFloat64(16 * iz + 8, WN[iz], true);
  }
  // The generator state lives in the module's memory while a fill runs; the JavaScript slow path draws from
  // that very memory (g.X is swapped for a view on it) after the buffered draws (g.pendBuf is the buffer).
  const xView = i32.subarray(0, 128);
  const rView = i32.subarray(R_AT / 4, R_AT / 4 + BATCH);
  cached = {
    ints(g, out, count, mask) {
      const own = g.X;
      i32.set(own, 0);
      i32[S_I / 4] = g.i;
      i32[S_W / 4] = g.w;
      for (let done = 0; done < count; ) {
        const n = Math.min(BATCH, count - done);
        gen(n);
        maskFn(n, mask);
        out.set(rView.subarray(0, n), done);
        done += n;
      }
      own.set(xView);
      g.i = i32[S_I / 4];
      g.w = i32[S_W / 4];
    },
    fill(g, out, offset, count, slow) {
      const own = g.X;
      i32.set(own, 0);
      i32[S_I / 4] = g.i;
      i32[S_W / 4] = g.w;
      g.X = xView;
      try {
        for (let done = 0; done < count; ) {
          const n = Math.min(BATCH, count - done);
          gen(n);
          let pos = 0;
          let k = 0;
          while (zig(pos, n, k) === 2) {
            // The slow path, on the generator state in memory, its draws first from R[pos … n).
            pos = i32[S_POS / 4];
            k = i32[S_K / 4];
            const hz = i32[S_HZ / 4];
            g.i = i32[S_I / 4];
            g.w = i32[S_W / 4];
            g.pendBuf = rView;
            g.pend = pos;
            g.pendEnd = n;
            f32[OUT_AT / 4 + k] = slow(hz >> 7, hz & 127);
            pos = g.pend;
            g.pendBuf = null;
            g.pend = g.pendEnd = 0;
            i32[S_I / 4] = g.i;
            i32[S_W / 4] = g.w;
            k++;
          }
          k = i32[S_K / 4];
          out.set(f32.subarray(OUT_AT / 4, OUT_AT / 4 + k), offset + done);
          done += k;
        }
      } finally {
        g.pendBuf = null;
        g.pend = g.pendEnd = 0;
        own.set(xView);
        g.X = own;
        g.i = i32[S_I / 4];
        g.w = i32[S_W / 4];
      }
    },
  };
  return cached;
}
