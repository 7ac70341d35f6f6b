/**
 * The fast path of RandomStream.fillNormal (xor4096 + the 128-layer ziggurat of src/random.ts) as a small
 * WebAssembly module, generated here byte by byte (no build step). Bit-identical to the JavaScript: the
 * generator is integer arithmetic (exact), a fast-path value is the double zv·WN[iz] rounded to float32 on
 * store, exactly what the JavaScript does when it stores the double into a Float32Array. Where a draw needs
 * the ziggurat's slow path (about 1 draw in 80) the module stops and hands back the generator state and
 * that draw; the JavaScript slow path (which draws from the generator itself, with Math.exp/log) runs, and
 * the module continues with the state it leaves. Tested value for value against the JavaScript
 * (test/unit/random-wasm.test.ts). AE_RANDOM_WASM=0 keeps the JavaScript.
 */
import { uleb, sleb, str, section, vec } from './wasm-encoding.ts';

// Memory layout (bytes): X[128] i32 at 0, KN[128] i32 at 512, WN[128] f64 at 1024, state i, w, hz at 2048.
const KN_AT = 512;
const WN_AT = 1024;
const STATE_AT = 2048;
/** Where the output buffer starts. */
export const OUT_AT = 4096;

const I = {
  if: 0x04, end: 0x0b, loop: 0x03, br: 0x0c, ret: 0x0f,
  get: 0x20, set: 0x21, tee: 0x22, c: 0x41,
  load: 0x28, store: 0x36, f64load: 0x2b, f32store: 0x38,
  add: 0x6a, sub: 0x6b, and: 0x71, xor: 0x73, shl: 0x74, shrS: 0x75, shrU: 0x76, ltS: 0x48, geS: 0x4e,
  select: 0x1b, f64mul: 0xa2, f64fromI32: 0xb7, f32demote: 0xb6,
} as const;

/** fill(k, end) → the first index not written (end, or a draw that needs the slow path). */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const K = 0, END = 1; // params
  const GI = 2, GW = 3, V = 4, T = 5, HZ = 6, IZ = 7, ZV = 8;
  const c: number[] = [];
  const get = (l: number) => c.push(I.get, l);
  const set = (l: number) => c.push(I.set, l);
  const k = (n: number) => c.push(I.c, ...sleb(n));
  const mem = (op: number, offset: number) => c.push(op, 2, ...uleb(offset));
  const saveState = (withHz: boolean) => {
    k(0);
    get(GI);
    mem(I.store, STATE_AT);
    k(0);
    get(GW);
    mem(I.store, STATE_AT + 4);
    if (withHz) {
      k(0);
      get(HZ);
      mem(I.store, STATE_AT + 8);
    }
  };
  k(0);
  mem(I.load, STATE_AT);
  set(GI);
  k(0);
  mem(I.load, STATE_AT + 4);
  set(GW);
  c.push(I.loop, 0x40);
  // if (k >= end) { save; return k }
  get(K);
  get(END);
  c.push(I.geS, I.if, 0x40);
  saveState(false);
  get(K);
  c.push(I.ret, I.end);
  // gw = gw + 0x61c88647
  get(GW);
  k(0x61c88647);
  c.push(I.add);
  set(GW);
  // v = X[(gi + 34) & 127]
  get(GI);
  k(34);
  c.push(I.add);
  k(127);
  c.push(I.and);
  k(2);
  c.push(I.shl);
  mem(I.load, 0);
  set(V);
  // gi = (gi + 1) & 127; t = X[gi]
  get(GI);
  k(1);
  c.push(I.add);
  k(127);
  c.push(I.and);
  set(GI);
  get(GI);
  k(2);
  c.push(I.shl);
  mem(I.load, 0);
  set(T);
  // v ^= v << 13; t ^= t << 17; v ^= v >>> 15; t ^= t >>> 12
  const xs = (l: number, op: number, n: number) => {
    get(l);
    get(l);
    k(n);
    c.push(op, I.xor);
    set(l);
  };
  xs(V, I.shl, 13);
  xs(T, I.shl, 17);
  xs(V, I.shrU, 15);
  xs(T, I.shrU, 12);
  // v = X[gi] = v ^ t
  get(GI);
  k(2);
  c.push(I.shl);
  get(V);
  get(T);
  c.push(I.xor, I.tee, V);
  mem(I.store, 0);
  // hz = v + (gw ^ (gw >>> 16)); iz = hz & 127; zv = hz >> 7
  get(V);
  get(GW);
  get(GW);
  k(16);
  c.push(I.shrU, I.xor, I.add, I.tee, HZ);
  k(127);
  c.push(I.and);
  set(IZ);
  get(HZ);
  k(7);
  c.push(I.shrS);
  set(ZV);
  // if ((zv < 0 ? -zv : zv) < KN[iz]) { out[k] = f32(zv * WN[iz]); k++; continue }
  k(0);
  get(ZV);
  c.push(I.sub);
  get(ZV);
  get(ZV);
  k(0);
  c.push(I.ltS, I.select);
  get(IZ);
  k(2);
  c.push(I.shl);
  mem(I.load, KN_AT);
  c.push(I.ltS, I.if, 0x40);
  get(K);
  k(2);
  c.push(I.shl);
  get(ZV);
  c.push(I.f64fromI32);
  get(IZ);
  k(3);
  c.push(I.shl);
  mem(I.f64load, WN_AT);
  c.push(I.f64mul, I.f32demote);
  mem(I.f32store, OUT_AT);
  get(K);
  k(1);
  c.push(I.add);
  set(K);
  c.push(I.br, 1, I.end);
  // Slow path: save the state and this draw, return k.
  saveState(true);
  get(K);
  c.push(I.ret, I.end);
  get(K);
  const body = [...vec([[...uleb(7), 0x7f]]), ...c, I.end];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 2, 0x7f, 0x7f, 1, 0x7f]])),
    ...section(2, vec([[...str('m'), ...str('mem'), 0x02, 0x00, 1]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...str('fill'), 0x00, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

/** The generator state fillNormal works on (src/random.ts's Xor4096). */
export interface XorState {
  /** Swapped for a view on the module's memory while `fill` runs (the slow path then draws in place). */
  X: Int32Array;
  i: number;
  w: number;
}

export interface ZigguratWasm {
  /**
   * Fills out[offset .. offset + count) with the same normals as the JavaScript fillNormal; `slow(zv, iz)`
   * is the JavaScript slow path, called with the generator state written back into `g`.
   */
  fill(g: XorState, out: Float32Array, offset: number, count: number, slow: (zv: number, iz: number) => number): void;
}

let cached: ZigguratWasm | null | undefined;

/** The module with the ziggurat's tables, or null where WebAssembly is missing or switched off. */
export function zigguratWasm(KN: Int32Array, WN: Float64Array): ZigguratWasm | null {
  if (cached !== undefined) return cached;
  if ((typeof process !== 'undefined' && process.env.AE_RANDOM_WASM === '0') || typeof WebAssembly !== 'object') return (cached = null);
  const mem = new WebAssembly.Memory({ initial: 1 });
  const fillFn = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()), { m: { mem } }).exports.fill as (k: number, end: number) => number;
  const views = () => ({ i32: new Int32Array(mem.buffer), f32: new Float32Array(mem.buffer) });
  let v = views();
  v.i32.set(KN, KN_AT / 4);
  new Float64Array(mem.buffer, WN_AT, 128).set(WN);
  const chunk = Math.floor((65536 - OUT_AT) / 4) * 16; // floats per call, within 16 pages
  mem.grow(15);
  v = views();
  // The generator state lives in the module's memory while a fill runs; the JavaScript slow path draws from
  // that very memory (g.X is swapped for a view on it), so a slow-path draw copies nothing.
  const xView = v.i32.subarray(0, 128);
  cached = {
    fill(g, out, offset, count, slow) {
      const { i32, f32 } = v;
      const own = g.X;
      i32.set(own, 0);
      i32[STATE_AT / 4] = g.i;
      i32[STATE_AT / 4 + 1] = g.w;
      g.X = xView;
      try {
        for (let done = 0; done < count; ) {
          const n = Math.min(chunk, count - done);
          let k = 0;
          while (k < n) {
            k = fillFn(k, n);
            if (k < n) {
              g.i = i32[STATE_AT / 4];
              g.w = i32[STATE_AT / 4 + 1];
              const hz = i32[STATE_AT / 4 + 2];
              f32[OUT_AT / 4 + k] = slow(hz >> 7, hz & 127);
              i32[STATE_AT / 4] = g.i;
              i32[STATE_AT / 4 + 1] = g.w;
              k++;
            }
          }
          out.set(f32.subarray(OUT_AT / 4, OUT_AT / 4 + n), offset + done);
          done += n;
        }
      } finally {
        own.set(xView);
        g.X = own;
        g.i = i32[STATE_AT / 4];
        g.w = i32[STATE_AT / 4 + 1];
      }
    },
  };
  return cached;
}
