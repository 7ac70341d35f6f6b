/**
 * The fast path of RandomStream.fillNormal (xor4096 + the 128-layer ziggurat of src/random.ts) as a small
 * WebAssembly module, generated here byte by byte (no build step). Bit-identical to the JavaScript.
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
import { uleb, sleb, str, section, vec } from './wasm-encoding.ts';

// Memory layout (bytes): X[128] i32 at 0, state (i, w, pos, k, hz) at 2048, the ziggurat's table at 4096, raw
// draws R at 8192, normals OUT after them.
/** Per ziggurat layer iz, a 16-byte record at TAB_AT + 16·iz: KN[iz] − 1, 2·KN[iz] − 1 (0 if KN[iz] = 0), WN[iz]. */
const TAB_AT = 4096;
const STATE_AT = 2048;
const S_I = STATE_AT, S_W = STATE_AT + 4, S_POS = STATE_AT + 8, S_K = STATE_AT + 12, S_HZ = STATE_AT + 16;
const R_AT = 8192;
/** Draws the ziggurat takes per loop test. */
const UNROLL = 8; // measured: 1 → 3.7, 4 → 3.3, 8 → 3.2, 16 → 3.2 ns per normal
/** Draws (and normals) per batch: R and OUT fill 2 × 4 × BATCH bytes. */
const BATCH = 16384;
const OUT_AT = R_AT + 4 * BATCH;
const WEYL = 0x61c88647;

const I = {
  if: 0x04, else: 0x05, end: 0x0b, block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, ret: 0x0f,
  get: 0x20, set: 0x21, tee: 0x22, c: 0x41,
  load: 0x28, store: 0x36, f64load: 0x2b, f32store: 0x38,
  eqz: 0x45, eq: 0x46, ne: 0x47, ltS: 0x48, ltU: 0x49, gtS: 0x4a, geS: 0x4e, and: 0x71, or: 0x72, xor: 0x73,
  add: 0x6a, sub: 0x6b, mul: 0x6c, shl: 0x74, shrS: 0x75, shrU: 0x76,
  select: 0x1b, f64mul: 0xa2, f64fromI32: 0xb7, f32demote: 0xb6,
} as const;
const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
const V_LOAD = 0x00, V_STORE = 0x0b, I32X4_SPLAT = 0x11, I32X4_SHL = 0xab, I32X4_SHR_U = 0xad, I32X4_ADD = 0xae, V_XOR = 0x51, V_AND = 0x4e;

/** A function body builder with locals addressed by number. */
function builder() {
  const c: number[] = [];
  return {
    c,
    get: (l: number) => c.push(I.get, l),
    set: (l: number) => c.push(I.set, l),
    tee: (l: number) => c.push(I.tee, l),
    k: (n: number) => c.push(I.c, ...sleb(n)),
    op: (...ops: number[]) => c.push(...ops),
    mem: (op: number, offset: number, align = 2) => c.push(op, align, ...uleb(offset)),
  };
}

/** One scalar xor4096 step on locals GI, GW (V, T scratch); leaves the output on the stack. */
function scalarStep(b: ReturnType<typeof builder>, GI: number, GW: number, V: number, T: number): void {
  const { get, set, k, op, mem } = b;
  get(GW);
  k(WEYL);
  op(I.add);
  set(GW);
  get(GI);
  k(34);
  op(I.add);
  k(127);
  op(I.and);
  k(2);
  op(I.shl);
  mem(I.load, 0);
  set(V);
  get(GI);
  k(1);
  op(I.add);
  k(127);
  op(I.and);
  set(GI);
  get(GI);
  k(2);
  op(I.shl);
  mem(I.load, 0);
  set(T);
  const xs = (l: number, o: number, n: number) => {
    get(l);
    get(l);
    k(n);
    op(o, I.xor);
    set(l);
  };
  xs(V, I.shl, 13);
  xs(T, I.shl, 17);
  xs(V, I.shrU, 15);
  xs(T, I.shrU, 12);
  get(GI);
  k(2);
  op(I.shl);
  get(V);
  get(T);
  op(I.xor, I.tee, V);
  mem(I.store, 0);
  get(V);
  get(GW);
  get(GW);
  k(16);
  op(I.shrU, I.xor, I.add);
}

/** gen(n): R[0 … n) ← the next n outputs of the generator whose state is in memory. */
function genBody(): number[] {
  const N = 0; // param
  const GI = 1, GW = 2, V = 3, T = 4, D = 5; // i32 locals
  const VV = 6, VT = 7, VW = 8, STEPW = 9; // v128 locals
  const b = builder();
  const { get, set, k, op, mem } = b;
  k(0);
  mem(I.load, S_I);
  set(GI);
  k(0);
  mem(I.load, S_W);
  set(GW);
  // STEPW = (C, 2C, 3C, 4C)
  b.c.push(...simd(0x0c, ...new Uint8Array(new Int32Array([WEYL, 2 * WEYL, 3 * WEYL, 4 * WEYL].map((v) => v | 0)).buffer)));
  set(STEPW);
  op(I.block, 0x40, I.loop, 0x40);
  get(D);
  get(N);
  op(I.geS, I.brIf, 1);
  // Four at once when i' = (i + 1) & 127 is a multiple of 4 whose lag window i' + 33 … i' + 36 does not wrap
  // (i' ≠ 92), and four are still wanted.
  get(N);
  get(D);
  op(I.sub);
  k(4);
  op(I.geS);
  get(GI);
  k(1);
  op(I.add);
  k(127);
  op(I.and);
  set(T);
  get(T);
  k(3);
  op(I.and, I.eqz, I.and);
  get(T);
  k(92);
  op(I.ne, I.and);
  op(I.if, 0x40);
  {
    // t = X[i' … i'+3], v = X[(i'+33) & 127 …] (four in a row: only i' = 92 would wrap)
    get(T);
    k(2);
    op(I.shl);
    b.c.push(...simd(V_LOAD, 2, 0));
    set(VT);
    get(T);
    k(33);
    op(I.add);
    k(127);
    op(I.and);
    k(2);
    op(I.shl);
    b.c.push(...simd(V_LOAD, 0, 0));
    set(VV);
    const xs = (l: number, o: number, n: number) => {
      get(l);
      get(l);
      k(n);
      b.c.push(...simd(o), ...simd(V_XOR));
      set(l);
    };
    xs(VV, I32X4_SHL, 13);
    xs(VT, I32X4_SHL, 17);
    xs(VV, I32X4_SHR_U, 15);
    xs(VT, I32X4_SHR_U, 12);
    // X[i' … i'+3] = v ^ t
    get(T);
    k(2);
    op(I.shl);
    get(VV);
    get(VT);
    b.c.push(...simd(V_XOR));
    op(I.tee, VV);
    b.c.push(...simd(V_STORE, 2, 0));
    // w_j = w + (j + 1)·C; R[d … d+3] = x_j + (w_j ^ (w_j >>> 16))
    get(GW);
    b.c.push(...simd(I32X4_SPLAT));
    get(STEPW);
    b.c.push(...simd(I32X4_ADD));
    set(VW);
    get(D);
    k(2);
    op(I.shl);
    get(VV);
    get(VW);
    get(VW);
    k(16);
    b.c.push(...simd(I32X4_SHR_U), ...simd(V_XOR), ...simd(I32X4_ADD), ...simd(V_STORE, 2, ...uleb(R_AT)));
    get(GW);
    k(4 * WEYL);
    op(I.add);
    set(GW);
    get(T);
    k(3);
    op(I.add);
    set(GI);
    get(D);
    k(4);
    op(I.add);
    set(D);
  }
  op(I.else);
  {
    get(D);
    k(2);
    op(I.shl);
    scalarStep(b, GI, GW, V, T);
    mem(I.store, R_AT);
    get(D);
    k(1);
    op(I.add);
    set(D);
  }
  op(I.end, I.br, 0, I.end, I.end);
  k(0);
  get(GI);
  mem(I.store, S_I);
  k(0);
  get(GW);
  mem(I.store, S_W);
  return [...vec([[...uleb(5), 0x7f], [...uleb(4), 0x7b]]), ...b.c, I.end];
}

/**
 * zig(pos, n, k): consumes R[pos … n) into OUT[k …); returns 1 with pos = n when the draws are used up, or 2 at
 * a draw that needs the slow path (that draw in hz, pos past it). Writes pos and k to the state.
 */
function zigBody(): number[] {
  const POS = 0, N = 1, K = 2; // params
  const HZ = 3, IZ = 4, ZV = 5;
  const b = builder();
  const { get, set, k, op, mem } = b;
  const save = (code: number) => {
    k(0);
    get(POS);
    mem(I.store, S_POS);
    k(0);
    get(K);
    mem(I.store, S_K);
    k(code);
    op(I.ret);
  };
  /**
   * The draw on the stack → IZ (its table record's offset), ZV; pushes 1 when it takes the fast path:
   * |zv| < KN[iz] ⇔ (u32)(zv + KN[iz] − 1) < (u32)(2·KN[iz] − 1) (0 where KN[iz] = 0: never).
   */
  const draw = () => {
    op(I.tee, HZ);
    k(127);
    op(I.and);
    k(4);
    op(I.shl);
    set(IZ);
    get(HZ);
    k(7);
    op(I.shrS);
    op(I.tee, ZV);
    get(IZ);
    mem(I.load, TAB_AT);
    op(I.add);
    get(IZ);
    mem(I.load, TAB_AT + 4);
    op(I.ltU);
  };
  /** f32(zv · WN[iz]) in float64, as the JavaScript stores it. */
  const value = () => {
    get(ZV);
    op(I.f64fromI32);
    get(IZ);
    mem(I.f64load, TAB_AT + 8, 3);
    op(I.f64mul, I.f32demote);
  };
  op(I.loop, 0x40);
  get(POS);
  get(N);
  op(I.geS, I.if, 0x40);
  save(1);
  op(I.end);
  // UNROLL draws in a row while that many are left (one loop test for all); a draw that needs the slow path
  // leaves with pos past it and k at its slot.
  get(N);
  get(POS);
  op(I.sub);
  k(UNROLL);
  op(I.geS, I.if, 0x40);
  for (let j = 0; j < UNROLL; j++) {
    get(POS);
    k(2);
    op(I.shl);
    mem(I.load, R_AT + 4 * j);
    draw();
    op(I.eqz, I.if, 0x40);
    get(POS);
    k(j + 1);
    op(I.add);
    set(POS);
    get(K);
    k(j);
    op(I.add);
    set(K);
    k(0);
    get(HZ);
    mem(I.store, S_HZ);
    save(2);
    op(I.end);
    get(K);
    k(2);
    op(I.shl);
    value();
    mem(I.f32store, OUT_AT + 4 * j);
  }
  get(POS);
  k(UNROLL);
  op(I.add);
  set(POS);
  get(K);
  k(UNROLL);
  op(I.add);
  set(K);
  op(I.br, 1, I.end);
  get(POS);
  k(2);
  op(I.shl);
  mem(I.load, R_AT);
  get(POS);
  k(1);
  op(I.add);
  set(POS);
  // if (fast) { OUT[k] = f32(zv * WN[iz]); k++; continue }
  draw();
  op(I.if, 0x40);
  get(K);
  k(2);
  op(I.shl);
  value();
  mem(I.f32store, OUT_AT);
  get(K);
  k(1);
  op(I.add);
  set(K);
  op(I.br, 1, I.end);
  k(0);
  get(HZ);
  mem(I.store, S_HZ);
  save(2);
  op(I.end);
  k(0);
  return [...vec([[...uleb(3), 0x7f]]), ...b.c, I.end];
}

/** mask(n, m): R[0 … n) &= m, four at a time (up to three past n: the buffer is a multiple of 4 long). */
function maskBody(): number[] {
  const N = 0, M = 1, P = 2, VM = 3;
  const b = builder();
  const { get, set, k, op } = b;
  get(M);
  b.c.push(...simd(I32X4_SPLAT));
  set(VM);
  op(I.block, 0x40, I.loop, 0x40);
  get(P);
  get(N);
  k(2);
  op(I.shl, I.geS, I.brIf, 1);
  get(P);
  get(P);
  b.c.push(...simd(V_LOAD, 2, ...uleb(R_AT)));
  get(VM);
  b.c.push(...simd(V_AND), ...simd(V_STORE, 2, ...uleb(R_AT)));
  get(P);
  k(16);
  op(I.add);
  set(P);
  op(I.br, 0, I.end, I.end);
  return [...vec([[1, 0x7f], [1, 0x7b]]), ...b.c, I.end];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const fns = [genBody(), zigBody(), maskBody()];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 1, 0x7f, 0], [0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7f], [0x60, 2, 0x7f, 0x7f, 0]])),
    ...section(2, vec([[...str('m'), ...str('mem'), 0x02, 0x00, 1]])),
    ...section(3, vec([[0], [1], [2]])),
    ...section(7, vec([[...str('gen'), 0x00, 0], [...str('zig'), 0x00, 1], [...str('mask'), 0x00, 2]])),
    ...section(10, vec(fns.map((f) => [...uleb(f.length), ...f]))),
  ]);
}

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
  if ((typeof process !== 'undefined' && process.env.AE_RANDOM_WASM === '0') || typeof WebAssembly !== 'object') return (cached = null);
  const bytes = moduleBytes();
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
