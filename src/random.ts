/**
 * Seeded random streams. Every stream in the simulator (weight init, training batches, channel noise,
 * Monte Carlo chunks) is derived from the scenario seed plus a path of labels, so a stream depends on
 * *what* it is for, never on the order in which streams are created or on which worker draws it.
 *
 * Uniform bits come from seedrandom's xor4096 (period 2^4096 − 1, seeded from the label path).
 * Gaussians use a 128-layer ziggurat (Marsaglia & Tsang 2000) whose layer index and value come from
 * disjoint bits of one 32-bit draw (Doornik's remedy for the original's index/value correlation):
 * about 10× faster than tf.randomNormal, which matters for Monte Carlo noise.
 */
import seedrandom from 'seedrandom';
import { zigguratWasm } from './wasm/kernels/ziggurat.ts';

/**
 * One label of a random stream's path (the scenario seed, then what the stream is for): a string or a number, joined
 * as `seed/label/label/…`.
 */
export type SeedPart = string | number;

/** The canonical string key of a stream: `seed/label/label/...`. */
export function deriveSeed(...parts: SeedPart[]): string {
  return parts.map((p) => String(p)).join('/');
}

/** A 32-bit integer seed derived from a label path (for APIs that take numbers, e.g. tfjs initializers). */
export function deriveIntSeed(...parts: SeedPart[]): number {
  return seedrandom.xor4096(deriveSeed(...parts)).int32() >>> 0;
}

const LAYERS = 128;
const R = 3.442619855899;
const V = 9.91256303526217e-3;
const M1 = 16777216; // 2^24: the value uses the top 25 bits (signed), the index the low 7
const KN = new Int32Array(LAYERS);
const WN = new Float64Array(LAYERS);
const FN = new Float64Array(LAYERS);
(function buildTables() {
  let dn = R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  KN[0] = Math.floor((dn / q) * M1);
  KN[1] = 0;
  WN[0] = q / M1;
  WN[LAYERS - 1] = dn / M1;
  FN[0] = 1;
  FN[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = Math.floor((dn / tn) * M1);
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / M1;
  }
})();

/**
 * seedrandom's xor4096 (Brent's xorgen with a Weyl sequence), re-implemented on an Int32Array so the hot
 * loops can keep its state in locals. Seeding and outputs are bit-identical to `seedrandom.xor4096(key)`
 * for string keys (test/unit/random.test.ts checks this).
 */
class Xor4096 {
  /** The state; src/wasm/kernels/ziggurat.ts swaps it for a view on its memory while it fills (and back). */
  X = new Int32Array(128);
  i = 0;
  w = 0;
  /** Draws made ahead (src/wasm/kernels/ziggurat.ts, during its slow path): next() returns pendBuf[pend … pendEnd) first. */
  pendBuf: Int32Array | null = null;
  pend = 0;
  pendEnd = 0;

  constructor(key: string) {
    const X = this.X;
    const seed = key + '\0';
    let v = 0;
    let w = 0;
    let t: number;
    let i = 0;
    const limit = Math.max(128, seed.length);
    for (let j = -32; j < limit; ++j) {
      v ^= seed.charCodeAt((j + 32) % seed.length);
      if (j === 0) w = v;
      v ^= v << 10;
      v ^= v >>> 15;
      v ^= v << 4;
      v ^= v >>> 13;
      if (j >= 0) {
        w = (w + 0x61c88647) | 0;
        t = X[j & 127] ^= v + w;
        i = t === 0 ? i + 1 : 0;
      }
    }
    if (i >= 128) X[seed.length & 127] = -1;
    i = 127;
    for (let j = 4 * 128; j > 0; --j) {
      let vv = X[(i + 34) & 127];
      let tt = X[(i = (i + 1) & 127)];
      vv ^= vv << 13;
      tt ^= tt << 17;
      vv ^= vv >>> 15;
      tt ^= tt >>> 12;
      X[i] = vv ^ tt;
    }
    this.w = w;
    this.i = i;
  }

  /** Next signed 32-bit output. */
  next(): number {
    if (this.pend < this.pendEnd) return this.pendBuf![this.pend++];
    const X = this.X;
    const w = (this.w = (this.w + 0x61c88647) | 0);
    let i = this.i;
    let v = X[(i + 34) & 127];
    let t = X[(i = (i + 1) & 127)];
    v ^= v << 13;
    t ^= t << 17;
    v ^= v >>> 15;
    t ^= t >>> 12;
    v = X[i] = v ^ t;
    this.i = i;
    return (v + (w ^ (w >>> 16))) | 0;
  }

  /** seedrandom's prng.double(): 53 random bits in (0, 1). */
  double(): number {
    for (;;) {
      const top = this.next() >>> 11;
      const bot = (this.next() >>> 0) / 0x100000000;
      const result = (top + bot) / (1 << 21);
      if (result !== 0) return result;
    }
  }
}

/**
 * A seeded random stream (xor4096 uniform bits, ziggurat Gaussians) keyed by a label path such as (seed, 'mc',
 * system, point, chunk): the same path gives the same draws in any thread and in any order of creation. Not
 * thread-safe; give every consumer its own path.
 */
export class RandomStream {
  private readonly prng: Xor4096;

  constructor(...parts: SeedPart[]) {
    this.prng = new Xor4096(deriveSeed(...parts));
  }

  /** Uniform 32-bit signed integer. */
  int32(): number {
    return this.prng.next();
  }

  /** Uniform double in [0, 1). */
  uniform(): number {
    return this.prng.double();
  }

  /** Uniform integer in [0, m) for 1 ≤ m ≤ 2^32 (unbiased by rejection). */
  int(m: number): number {
    if ((m & (m - 1)) === 0 && m <= 0x40000000) return (this.prng.next() >>> 0) % m; // power of two: exact
    const limit = Math.floor(4294967296 / m) * m;
    for (;;) {
      const u = this.prng.next() >>> 0;
      if (u < limit) return u % m;
    }
  }

  /** Fills `out` with uniform integers in [0, m). */
  fillInts(out: Int32Array, m: number, count = out.length): Int32Array {
    if ((m & (m - 1)) === 0 && m >= 1 && m <= 0x40000000) {
      const prng = this.prng;
      const mask = m - 1;
      // Long fills: the draws come from the WebAssembly generator (src/wasm/kernels/ziggurat.ts), the same ones.
      const wasm = count >= 256 ? zigguratWasm(KN, WN) : null;
      if (wasm) {
        wasm.ints(prng, out, count, mask);
        return out;
      }
      for (let i = 0; i < count; i++) out[i] = prng.next() & mask; // = (u >>> 0) % m for a power of two
      return out;
    }
    for (let i = 0; i < count; i++) out[i] = this.int(m);
    return out;
  }

  /** One standard normal variate. */
  normal(): number {
    const hz = this.prng.next();
    const iz = hz & 127;
    const v = hz >> 7;
    if ((v < 0 ? -v : v) < KN[iz]) return v * WN[iz];
    return this.normalSlow(v, iz);
  }

  /** Fills out[offset .. offset+count) with standard normals. */
  fillNormal(out: Float32Array | Float64Array, offset = 0, count = out.length - offset): void {
    // Float32 noise (the Monte Carlo channels') comes from the same generator compiled to WebAssembly,
    // bit-identical (src/wasm/kernels/ziggurat.ts); short fills stay in JavaScript.
    if (out instanceof Float32Array && count >= 64) {
      const wasm = zigguratWasm(KN, WN);
      if (wasm) {
        wasm.fill(this.prng, out, offset, count, (v, iz) => this.normalSlow(v, iz));
        return;
      }
    }
    // The generator is inlined with its state in locals (same outputs as prng.next()); the state is
    // written back around the rare slow path, which draws from the generator itself.
    const g = this.prng;
    const X = g.X;
    let gi = g.i;
    let gw = g.w;
    const end = offset + count;
    for (let k = offset; k < end; k++) {
      gw = (gw + 0x61c88647) | 0;
      let v = X[(gi + 34) & 127];
      gi = (gi + 1) & 127;
      let t = X[gi];
      v ^= v << 13;
      t ^= t << 17;
      v ^= v >>> 15;
      t ^= t >>> 12;
      v = X[gi] = v ^ t;
      const hz = (v + (gw ^ (gw >>> 16))) | 0;
      const iz = hz & 127;
      const zv = hz >> 7;
      if ((zv < 0 ? -zv : zv) < KN[iz]) {
        out[k] = zv * WN[iz];
      } else {
        g.i = gi;
        g.w = gw;
        out[k] = this.normalSlow(zv, iz);
        gi = g.i;
        gw = g.w;
      }
    }
    g.i = gi;
    g.w = gw;
  }

  private normalSlow(v: number, iz: number): number {
    const prng = this.prng;
    for (;;) {
      const x = v * WN[iz];
      if (iz === 0) {
        // Tail beyond R: Marsaglia's exponential rejection.
        let tx: number;
        let ty: number;
        do {
          tx = -Math.log(1 - prng.double()) / R;
          ty = -Math.log(1 - prng.double());
        } while (ty + ty < tx * tx);
        return v > 0 ? R + tx : -R - tx;
      }
      if (FN[iz] + prng.double() * (FN[iz - 1] - FN[iz]) < Math.exp(-0.5 * x * x)) return x;
      const hz = prng.next();
      iz = hz & 127;
      v = hz >> 7;
      if ((v < 0 ? -v : v) < KN[iz]) return v * WN[iz];
    }
  }
}
