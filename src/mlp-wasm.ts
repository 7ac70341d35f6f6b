/**
 * The argmax decision of a small dense network as WebAssembly SIMD, generated at run time from its weights
 * (like src/mlp.ts generates JavaScript): the weights are splatted from a constant table in its memory and the
 * four lanes of every f32x4 vector are four blocks (b … b + 3).
 *
 * Bit-identical to the generated JavaScript in float32 (`compileMlp(spec, { float32: true })`; tested on random
 * and tie-heavy inputs, and against a naive float32 reference: test/unit/mlp-wasm.test.ts), same order: every unit is ((bias + x0·w0) + x1·w1) + … in input order with
 * f32x4.mul and f32x4.add (no fused multiply-add: a product is rounded to float32 before it is added), the
 * JavaScript's Math.fround after each product and sum; ReLU is f32x4.pmax(0, v) = (0 < v ? v : 0), the
 * JavaScript's `v > 0 ? v : 0`; the argmax scans the outputs in order with `>` (first index on ties), lane
 * by lane with a compare mask and bitselect. Terms with a zero weight are left out, as in the JavaScript,
 * and a −0 bias is written as 0, as the JavaScript's literal is.
 *
 * Two entry points share the network code:
 * - `run(blocks, inPtr, outPtr)`: decisions of received vectors already in memory (any channel);
 * - `runAwgn(blocks, msgPtr, zPtr, cbPtr, decPtr, errPtr, sigma)`: the whole AWGN Monte Carlo step after the
 *   draws (the fused kernel of src/montecarlo/kernel.ts): y = c[msg] + σ·z computed as the JavaScript AWGN
 *   channel does (float64, rounded to float32: src/channels/awgn.ts) in place of z, decided, compared with the
 *   message; the indices of the blocks in error are listed at errPtr and their count returned. No copies in
 *   or out.
 *
 * Supported: dense layers with relu or linear activations, also as separate activation layers (the last may be
 * softmax, which argmax ignores);
 * anything else returns undefined and the caller keeps the JavaScript. The module (tens of kB for a 7 → 16 → 16
 * network) is built once per decoder and thread; no build step, so nothing generated is kept in the repository.
 */
import type { MlpLayer, MlpSpec } from './mlp-spec.ts';
import { growTo, uleb, sleb, str, section, vec } from './wasm-encoding.ts';


type ArgmaxFn = (inp: Float32Array, blocks: number, decided: Int32Array) => void;

/**
 * The fused AWGN step of one decoder (runAwgn above) on its own memory. A chunk's messages are drawn into
 * `msgs` at once; its normals come in slices of at most `slice` blocks (a slice's data stays in the CPU's
 * caches): draw a slice's normals into `z`, then `run` it. Views on the module's memory, valid until the next
 * `reserve`.
 */
export interface FusedAwgn {
  /** Makes room for a chunk of `blocks` blocks in slices of at most `slice` blocks; the views to draw into. */
  reserve(blocks: number, slice: number): { msgs: Int32Array; z: Float32Array };
  /**
   * Decides blocks from … from + count − 1 of the chunk (their normals in z[0 … count·dims)) at noise std
   * `sigma`; returns how many are in error, listed in `errorBlocks` (indices within the slice), and the
   * decisions in `decided` (index within the slice).
   */
  run(from: number, count: number, sigma: number): number;
  readonly errorBlocks: Int32Array;
  readonly decided: Int32Array;
}

/** The WebAssembly decoder: the plain decision function, and the fused AWGN step for a codebook. */
export interface MlpWasm {
  decide: ArgmaxFn;
  fusedAwgn(codebook: Float32Array, dims: number): FusedAwgn;
}

// Opcodes (WebAssembly core + fixed-width SIMD).
const OP = {
  block: 0x02, loop: 0x03, if: 0x04, br: 0x0c, brIf: 0x0d, end: 0x0b,
  localGet: 0x20, localSet: 0x21, localTee: 0x22, i32Const: 0x41, i32Ne: 0x47, i32Add: 0x6a, i32Mul: 0x6c, i32Shl: 0x74, i32GeS: 0x4e,
  i32Load: 0x28, f32Load: 0x2a, i32Store: 0x36, f32Store: 0x38, f64Add: 0xa0, f64Mul: 0xa2, f32DemoteF64: 0xb6, f64PromoteF32: 0xbb,
} as const;
const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
const F32X4_SPLAT = 0x13, F32X4_REPLACE = 0x20, I32X4_EXTRACT = 0x1b, F32X4_GT = 0x44, V128_BITSELECT = 0x52;
const F32X4_ADD = 0xe4, F32X4_MUL = 0xe6, F32X4_PMAX = 0xeb;
const LANES = 4;
/** Vectors of four blocks that go through the network side by side in one iteration. */
const GROUPS = 2;
const V128_LOAD32_SPLAT = 0x09, V128_LOAD = 0x00, V128_STORE = 0x0b, V128_LOAD64_ZERO = 0x5d, V128_STORE64_LANE = 0x5b;
const F64X2_SPLAT = 0x14, F64X2_PROMOTE_LOW = 0x5f, F32X4_DEMOTE_ZERO = 0x5e, F64X2_MUL = 0xf2, F64X2_ADD = 0xf0;
const I32X4_NE = 0x38, V128_ANY_TRUE = 0x53;
/**
 * Code shape, measured on the 7 → 16 relu → 16 decoder (ns per block, one thread, TurboFan, 2-core AMD EPYC,
 * Node 20): units' values kept in 16-byte scratch slots of memory instead of locals, stores of the running
 * sums every FENCE inputs (see emit), GROUPS = 2 vectors and OB = 2 units side by side: ≈ 28 ns (one unit at
 * a time: 33 ns; OB = 3, 4: 34, 36; fences every 1 or 3 inputs: 33, 34; GROUPS = 3: 50), against 74 ns with
 * locals and v128.const weights (TurboFan hoisted every load and constant of a unit to its start and spilled
 * them; Liftoff, which keeps the order, ran that code in 45 ns) and 116 ns for the former float64 f64x2 code.
 */
const MEM = true;
const FENCE = 2;
/** Units of a layer computed side by side (see emit). */
const OB = 2;
/** A constant of the network: a float32 or an int32, splatted into four lanes where it is used. */
type Splat = { f32: number } | { i32: number };

/** The layers as (kernel, bias, relu?) when the network is one this generator supports. */
function denseChain(layers: MlpLayer[]): Chain | undefined {
  const out: Chain = [];
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    const last = i === layers.length - 1;
    if (l.kind === 'activation' && last && l.activation === 'softmax') continue;
    if (l.kind === 'activation' && l.activation === 'linear') continue;
    // A separate ReLU layer after a dense one (how trained decoders are compiled): ReLU of that layer's sums,
    // exactly as the JavaScript's `(z > 0 ? z : 0)` on them (ReLU twice is ReLU).
    if (l.kind === 'activation' && l.activation === 'relu' && out.length) {
      out[out.length - 1].relu = true;
      continue;
    }
    if (l.kind !== 'dense') return undefined;
    if (l.activation === 'relu') out.push({ l, relu: true });
    else if (l.activation === 'linear' || (last && l.activation === 'softmax')) out.push({ l, relu: false });
    else return undefined;
  }
  return out.length ? out : undefined;
}

type Chain = { l: Extract<MlpLayer, { kind: 'dense' }>; relu: boolean }[];

/**
 * A function body: `run` (params blocks, inPtr, outPtr) or, with `fused`, `runAwgn` (params blocks, msgPtr,
 * zPtr, cbPtr, decPtr, errPtr, sigma: f64; returns the error count); blocks a multiple of 4·GROUPS. The four
 * lanes of every vector are four blocks, and GROUPS such vectors go through the network side by side (each
 * weight is splatted once for all of them), so each unit's value is GROUPS vectors; a layer's units are
 * computed OB at a time (each input loaded once for them), and the argmax runs lane-wise with compare masks
 * and bitselect, unit by unit in order as the last layer produces them. Returns [locals declaration, code].
 */
function emit(chain: Chain, inputDim: number, fused: boolean): { locals: number[][]; code: number[]; table: Splat[]; tableAt: number } {
  const I32 = 0x7f, V128 = 0x7b;
  const G = GROUPS, PER = LANES * G; // blocks per iteration
  const params = fused ? 7 : 3;
  let nextI = params;
  const B = nextI++, IO = nextI++, NERR = nextI++, D = nextI++, A = nextI++;
  let nextV = nextI;
  const widest = Math.max(inputDim, ...chain.map((c) => c.l.outDim));
  // Units' values: locals, or (MEM) 16-byte slots of a scratch area at address 0 that every unit is stored to
  // and loaded from where it is used (TurboFan then keeps the code in order instead of hoisting constants and
  // spilling).
  let slot = 0;
  const bank = () => Array.from({ length: G }, () => Array.from({ length: widest }, () => (MEM ? slot++ : nextV++)));
  const bankA = bank();
  const bankB = bank();
  const FENCE_AT = slot;
  slot += OB * G;
  const tableAt = 16 * slot;
  const ACC = Array.from({ length: OB }, () => Array.from({ length: G }, () => nextV++));
  const XIN = Array.from({ length: G }, () => nextV++);
  const BEST = Array.from({ length: G }, () => nextV++);
  const ARG = Array.from({ length: G }, () => nextV++);
  const W = nextV++, MASK = nextV++, IDX = nextV++, TMP = nextV++, SIG = nextV++;
  const c: number[] = [];
  const get = (i: number) => c.push(OP.localGet, ...uleb(i));
  const set = (i: number) => c.push(OP.localSet, ...uleb(i));
  const i32 = (v: number) => c.push(OP.i32Const, ...sleb(v));
  const getV = (v: number) => {
    if (!MEM) return get(v);
    i32(0);
    c.push(...simd(V128_LOAD, 4, ...uleb(16 * v)));
  };
  const setV = (v: number) => {
    if (!MEM) return set(v);
    set(TMP);
    i32(0);
    get(TMP);
    c.push(...simd(V128_STORE, 4, ...uleb(16 * v)));
  };
  // Constants are splatted from a table of float32 / int32 values at address 0: one v128.load32_splat
  // (vbroadcastss) each, where V8 builds a v128.const from immediates in three instructions.
  const table: Splat[] = [];
  const splat = (s: Splat): number[] => {
    table.push(s);
    return [OP.i32Const, 0, ...simd(V128_LOAD32_SPLAT, 2, ...uleb(tableAt + 4 * (table.length - 1)))];
  };
  const f32x4Const = (v: number) => splat({ f32: v });
  const i32x4Const = (v: number) => splat({ i32: v });
  const IN = fused ? 2 : 1; // where the received vectors are (fused: computed in place of z)
  if (fused) {
    // First pass, block by block: z[b] ← f32(c[msg[b]] + σ·z[b]) in float64, as src/channels/awgn.ts computes y,
    // two values per f64x2 (exact: promotion, then one rounding per operation as in the JavaScript).
    get(6);
    c.push(...simd(F64X2_SPLAT));
    set(SIG);
    c.push(OP.block, 0x40, OP.loop, 0x40);
    get(B);
    get(0);
    c.push(OP.i32GeS, OP.brIf, 1);
    get(1);
    get(B);
    i32(2);
    c.push(OP.i32Shl, OP.i32Add, OP.i32Load, 2, 0);
    i32(4 * inputDim);
    c.push(OP.i32Mul);
    get(3);
    c.push(OP.i32Add);
    set(D); // the codeword's address
    get(2);
    get(IO);
    c.push(OP.i32Add);
    set(A); // the block's z
    let i = 0;
    for (; i + 1 < inputDim; i += 2) {
      get(A);
      get(D);
      c.push(...simd(V128_LOAD64_ZERO, 2, ...uleb(4 * i)), ...simd(F64X2_PROMOTE_LOW));
      get(SIG);
      get(A);
      c.push(...simd(V128_LOAD64_ZERO, 2, ...uleb(4 * i)), ...simd(F64X2_PROMOTE_LOW), ...simd(F64X2_MUL), ...simd(F64X2_ADD));
      c.push(...simd(F32X4_DEMOTE_ZERO), ...simd(V128_STORE64_LANE, 2, ...uleb(4 * i), 0));
    }
    if (i < inputDim) {
      get(A);
      get(D);
      c.push(OP.f32Load, 2, ...uleb(4 * i), OP.f64PromoteF32);
      get(6);
      get(A);
      c.push(OP.f32Load, 2, ...uleb(4 * i), OP.f64PromoteF32, OP.f64Mul, OP.f64Add, OP.f32DemoteF64, OP.f32Store, 2, ...uleb(4 * i));
    }
    get(B);
    i32(1);
    c.push(OP.i32Add);
    set(B);
    get(IO);
    i32(4 * inputDim);
    c.push(OP.i32Add);
    set(IO);
    c.push(OP.br, 0, OP.end, OP.end);
    i32(0);
    set(B);
    i32(0);
    set(IO);
  }
  c.push(OP.block, 0x40, OP.loop, 0x40);
  get(B);
  get(0);
  c.push(OP.i32GeS, OP.brIf, 1);
  // Input i of block b + j.
  const input = (j: number, i: number) => {
    get(IN);
    get(IO);
    c.push(OP.i32Add, OP.f32Load, 2, ...uleb(4 * (j * inputDim + i)));
  };
  for (let g = 0; g < G; g++) {
    for (let i = 0; i < inputDim; i++) {
      input(LANES * g, i);
      c.push(...simd(F32X4_SPLAT));
      for (let lane = 1; lane < LANES; lane++) {
        input(LANES * g + lane, i);
        c.push(...simd(F32X4_REPLACE, lane));
      }
      setV(bankA[g][i]);
    }
  }
  let cur = bankA;
  let nxt = bankB;
  chain.forEach(({ l, relu }, li) => {
    const last = li === chain.length - 1;
    // OB units at a time: their running sums stay in registers while each input is loaded once for all of
    // them; every unit still sums bias, then its terms in input order.
    for (let o0 = 0; o0 < l.outDim; o0 += OB) {
      const units = Array.from({ length: Math.min(OB, l.outDim - o0) }, (_, j) => o0 + j);
      for (const o of units) {
        const bias = Object.is(l.bias[o], -0) ? 0 : l.bias[o];
        c.push(...f32x4Const(bias));
        for (let g = 0; g < G; g++) {
          if (g + 1 < G) c.push(OP.localTee, ...uleb(W));
          set(ACC[o - o0][g]);
          if (g + 1 < G) get(W);
        }
      }
      let steps = 0;
      for (let i = 0; i < l.inDim; i++) {
        const live = units.filter((o) => l.kernel[i * l.outDim + o] !== 0); // as the JavaScript: a zero weight's term is left out (−0 too)
        if (!live.length) continue;
        if (FENCE && steps > 0 && steps % FENCE === 0) {
          // Stores of the running sums: TurboFan keeps loads in order with stores, so the next inputs' loads
          // are not all hoisted to the start (where they would be spilled).
          for (const o of units) {
            for (let g = 0; g < G; g++) {
              i32(0);
              get(ACC[o - o0][g]);
              c.push(...simd(V128_STORE, 4, ...uleb(16 * (FENCE_AT + (o - o0) * G + g))));
            }
          }
        }
        steps++;
        for (let g = 0; g < G; g++) {
          getV(cur[g][i]);
          set(XIN[g]);
        }
        for (const o of live) {
          c.push(...f32x4Const(l.kernel[i * l.outDim + o]));
          set(W);
          for (let g = 0; g < G; g++) {
            get(ACC[o - o0][g]);
            get(XIN[g]);
            get(W);
            c.push(...simd(F32X4_MUL), ...simd(F32X4_ADD));
            set(ACC[o - o0][g]);
          }
        }
      }
      for (const o of units) {
        for (let g = 0; g < G; g++) {
          const A = ACC[o - o0][g];
          if (relu) {
            c.push(...f32x4Const(0));
            get(A);
            c.push(...simd(F32X4_PMAX));
            set(A);
          }
          if (!last) {
            get(A);
            setV(nxt[g][o]);
            continue;
          }
          // Argmax lane-wise in output order with `>` (first index on ties), as the JavaScript.
          if (o === 0) {
            get(A);
            set(BEST[g]);
            c.push(...i32x4Const(0));
            set(ARG[g]);
            continue;
          }
          get(A);
          get(BEST[g]);
          c.push(...simd(F32X4_GT));
          set(MASK);
          get(A);
          get(BEST[g]);
          get(MASK);
          c.push(...simd(V128_BITSELECT));
          set(BEST[g]);
          if (g === 0) {
            c.push(...i32x4Const(o));
            if (G > 1) c.push(OP.localTee, ...uleb(IDX));
          } else get(IDX);
          get(ARG[g]);
          get(MASK);
          c.push(...simd(V128_BITSELECT));
          set(ARG[g]);
        }
      }
    }
    [cur, nxt] = [nxt, cur];
  });
  // decided[b … b + 3] = a vector's indices; fused: when any differs from its message, the blocks that do
  // are listed.
  for (let g = 0; g < G; g++) {
    get(fused ? 4 : 2);
    get(B);
    i32(2);
    c.push(OP.i32Shl, OP.i32Add);
    get(ARG[g]);
    c.push(...simd(V128_STORE, 2, ...uleb(16 * g)));
    if (!fused) continue;
    get(ARG[g]);
    get(1);
    get(B);
    i32(2);
    c.push(OP.i32Shl, OP.i32Add, ...simd(V128_LOAD, 2, ...uleb(16 * g)), ...simd(I32X4_NE), ...simd(V128_ANY_TRUE), OP.if, 0x40);
    for (let lane = 0; lane < LANES; lane++) {
      const j = LANES * g + lane;
      get(ARG[g]);
      c.push(...simd(I32X4_EXTRACT, lane));
      get(1);
      get(B);
      i32(2);
      c.push(OP.i32Shl, OP.i32Add, OP.i32Load, 2, ...uleb(4 * j), OP.i32Ne, OP.if, 0x40);
      get(5);
      get(NERR);
      i32(2);
      c.push(OP.i32Shl, OP.i32Add);
      get(B);
      i32(j);
      c.push(OP.i32Add, OP.i32Store, 2, 0);
      get(NERR);
      i32(1);
      c.push(OP.i32Add);
      set(NERR);
      c.push(OP.end);
    }
    c.push(OP.end);
  }
  get(B);
  i32(PER);
  c.push(OP.i32Add);
  set(B);
  get(IO);
  i32(4 * PER * inputDim);
  c.push(OP.i32Add);
  set(IO);
  c.push(OP.br, 0, OP.end, OP.end);
  if (fused) get(NERR);
  return { locals: [[...uleb(nextI - params), I32], [...uleb(nextV - nextI), V128]], code: c, table, tableAt };
}

/** The module's bytes (it imports its memory as m.mem and exports run and runAwgn). */
function moduleBytes(chain: Chain, inputDim: number): { bytes: Uint8Array<ArrayBuffer>; table: Splat[]; tableAt: number } {
  let table: Splat[] = [];
  let tableAt = 0;
  const body = (fused: boolean) => {
    const e = emit(chain, inputDim, fused);
    const { locals, code } = e;
    ({ table, tableAt } = e); // the same scratch and constants in the same order in both functions
    const b = [...vec(locals), ...code, OP.end];
    return [...uleb(b.length), ...b];
  };
  const I32 = 0x7f, F64 = 0x7c;
  const code = section(10, vec([body(false), body(true)]));
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 3, I32, I32, I32, 0], [0x60, 7, I32, I32, I32, I32, I32, I32, F64, 1, I32]])),
    ...section(2, vec([[...str('m'), ...str('mem'), 0x02, 0x00, 1]])),
    ...section(3, vec([[0], [1]])),
    ...section(7, vec([[...str('run'), 0x00, 0], [...str('runAwgn'), 0x00, 1]])),
    ...code,
  ]);
  return { bytes, table, tableAt };
}

/** Writes the constant table (4 bytes per entry) at `at`. */
function writeTable(mem: WebAssembly.Memory, table: Splat[], at: number): void {
  const view = new DataView(mem.buffer);
  table.forEach((s, i) => ('f32' in s ? view.setFloat32(at + 4 * i, s.f32, true) : view.setInt32(at + 4 * i, s.i32, true)));
}

/** Whether this JavaScript engine runs WebAssembly SIMD (Node ≥ 16.4 does). */
let simdOk: boolean | undefined;
function hasSimd(): boolean {
  if (simdOk === undefined) {
    // (func (result v128) v128.const 0)
    const probe = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0, 10, 22, 1, 20, 0, 0xfd, 0x0c, ...new Array(16).fill(0), 0x0b]);
    simdOk = typeof WebAssembly === 'object' && WebAssembly.validate(probe);
  }
  return simdOk;
}

const up16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** Whether this generator takes the network (its argmax layers): the learned decoder then computes in float32. */
export function wasmTakes(layers: MlpLayer[]): boolean {
  const chain = denseChain(layers);
  return chain !== undefined && chain.every(({ l }) => [...l.kernel, ...l.bias].every((v) => Number.isFinite(v)));
}

/**
 * The argmax decision of `spec` (its argmax layers, softmax dropped) as WebAssembly, or undefined when the
 * network has a layer this generator does not know or the engine lacks SIMD.
 */
export function compileMlpWasm(spec: MlpSpec, layers: MlpLayer[]): MlpWasm | undefined {
  if (process.env.AE_MLP_WASM === '0' || !hasSimd()) return undefined;
  const chain = denseChain(layers);
  if (!chain || !wasmTakes(layers)) return undefined;
  const { bytes, table, tableAt } = moduleBytes(chain, spec.inputDim);
  const base = up16(tableAt + table.length * 4); // scratch, the constant table, then the buffers
  const mem = new WebAssembly.Memory({ initial: Math.ceil((base + 1) / 65536) });
  writeTable(mem, table, tableAt);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { mem } });
  const run = instance.exports.run as (blocks: number, inPtr: number, outPtr: number) => void;
  const runAwgn = instance.exports.runAwgn as (blocks: number, msgPtr: number, zPtr: number, cbPtr: number, decPtr: number, errPtr: number, sigma: number) => number;
  const dims = spec.inputDim;
  // Four blocks per iteration: a count that is not a multiple of 4 gets padding blocks (their decisions are dropped).
  const padded = (blocks: number) => Math.ceil(blocks / (LANES * GROUPS)) * LANES * GROUPS;
  const decide: ArgmaxFn = (inp, blocks, decided) => {
    const even = padded(blocks);
    const inBytes = even * dims * 4;
    growTo(mem, base + inBytes + even * 4);
    const x = new Float32Array(mem.buffer, base, even * dims);
    x.set(inp.subarray(0, blocks * dims));
    if (even > blocks) x.fill(0, blocks * dims);
    run(even, base, base + inBytes);
    decided.set(new Int32Array(mem.buffer, base + inBytes, blocks));
  };
  const fusedAwgn = (codebook: Float32Array, cbDims: number): FusedAwgn => {
    if (cbDims !== dims) throw new Error(`mlp-wasm: codebook of ${cbDims} values per block for a decoder of ${dims} inputs`);
    // Layout (bytes): scratch and constants | codebook | msgs (chunk) | z, decided, error list (slice); the
    // codebook is written on every reserve, since `decide` shares the memory and writes after the constants.
    const cbBytes = up16(codebook.length * 4);
    let chunkCap = -1;
    let sliceCap = -1;
    let at = { msgs: 0, z: 0, dec: 0, err: 0 };
    const fused = {
      errorBlocks: new Int32Array(0),
      decided: new Int32Array(0),
      msgs: new Int32Array(0),
      z: new Float32Array(0),
      reserve(blocks: number, slice: number) {
        const chunk = padded(blocks);
        const sl = padded(Math.min(slice, blocks));
        if (chunk > chunkCap || sl > sliceCap || fused.msgs.buffer !== mem.buffer) {
          chunkCap = Math.max(chunk, chunkCap);
          sliceCap = Math.max(sl, sliceCap);
          at = { msgs: base + cbBytes, z: base + cbBytes + up16(chunkCap * 4), dec: 0, err: 0 };
          at.dec = at.z + up16(sliceCap * dims * 4);
          at.err = at.dec + up16(sliceCap * 4);
          growTo(mem, at.err + sliceCap * 4);
          fused.msgs = new Int32Array(mem.buffer, at.msgs, chunkCap);
          fused.z = new Float32Array(mem.buffer, at.z, sliceCap * dims);
          fused.decided = new Int32Array(mem.buffer, at.dec, sliceCap);
          fused.errorBlocks = new Int32Array(mem.buffer, at.err, sliceCap);
        }
        new Float32Array(mem.buffer, base, codebook.length).set(codebook);
        // Messages past the chunk (read by the padding lanes of its last slice) must index the codebook.
        fused.msgs.fill(0, blocks, chunk);
        return { msgs: fused.msgs, z: fused.z };
      },
      run(from: number, count: number, sigma: number): number {
        const even = padded(count);
        if (from + even > chunkCap || even > sliceCap) throw new Error('mlp-wasm: reserve(blocks, slice) before run');
        fused.z.fill(0, count * dims, even * dims); // padding blocks: no noise; never listed (index ≥ count)
        let errors = runAwgn(even, at.msgs + 4 * from, at.z, base, at.dec, at.err, sigma);
        while (errors > 0 && fused.errorBlocks[errors - 1] >= count) errors--;
        return errors;
      },
    };
    return fused;
  };
  return { decide, fusedAwgn };
}
