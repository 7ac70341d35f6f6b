/**
 * The argmax decision of a small dense network as WebAssembly SIMD, generated at run time from its weights
 * (like src/mlp.ts generates JavaScript): the weights become splatted v128 constants and the four lanes of
 * every f32x4 vector are four blocks (b … b + 3).
 *
 * Bit-identical to the generated JavaScript (test/unit/mlp-wasm.test.ts, random and tie-heavy inputs), which
 * computes in float32 in the same order: every unit is ((bias + x0·w0) + x1·w1) + … in input order with
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
 *   channel does (float64, rounded to float32: channels/awgn.ts), decided, compared with the message; the
 *   indices of the blocks in error are listed at errPtr and their count returned. No copies in or out.
 *
 * Supported: dense layers with relu or linear activations, also as separate activation layers (the last may be
 * softmax, which argmax ignores);
 * anything else returns undefined and the caller keeps the JavaScript. The module is a few kB, built once
 * per decoder; no build step, so nothing generated is kept in the repository.
 */
import type { MlpLayer, MlpSpec } from './system.ts';
import { uleb, sleb, str, section, vec } from './wasm-encoding.ts';


type ArgmaxFn = (inp: Float32Array, blocks: number, decided: Int32Array) => void;

/**
 * The fused AWGN step of one decoder (runAwgn above) on its own memory: write the chunk's messages into
 * `msgs` and its normals into `z` (views on the module's memory, valid until the next `reserve`), then `run`.
 */
export interface FusedAwgn {
  /** Makes room for `blocks` blocks; returns the views to draw into. */
  reserve(blocks: number): { msgs: Int32Array; z: Float32Array };
  /** Decides the `blocks` blocks at noise std `sigma`; the number of blocks in error. */
  run(blocks: number, sigma: number): number;
  /** After `run`: block indices in error (the first `errors` entries) and the decisions (all blocks). */
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
  i32Load: 0x28, f32Load: 0x2a, i32Store: 0x36, f64Add: 0xa0, f64Mul: 0xa2, f32DemoteF64: 0xb6, f64PromoteF32: 0xbb,
} as const;
const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
const V128_CONST = 0x0c, F32X4_SPLAT = 0x13, F32X4_REPLACE = 0x20, I32X4_EXTRACT = 0x1b, F32X4_GT = 0x44, V128_BITSELECT = 0x52;
const F32X4_ADD = 0xe4, F32X4_MUL = 0xe6, F32X4_PMAX = 0xeb;
const LANES = 4;
const v128 = (fill: (view: DataView) => void): number[] => {
  const buf = new DataView(new ArrayBuffer(16));
  fill(buf);
  return simd(V128_CONST, ...new Uint8Array(buf.buffer));
};
const i32x4Const = (v: number): number[] => v128((d) => [0, 4, 8, 12].forEach((o) => d.setInt32(o, v, true)));
const f32x4Const = (v: number): number[] => v128((d) => [0, 4, 8, 12].forEach((o) => d.setFloat32(o, v, true)));

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
 * zPtr, cbPtr, decPtr, errPtr, sigma: f64; returns the error count); blocks a multiple of 4. The four lanes of
 * every vector are four blocks, so each unit's value is one vector, the weights are splatted constants, and
 * the argmax runs lane-wise with compare masks and bitselect. Returns [locals declaration, code].
 */
function emit(chain: Chain, inputDim: number, fused: boolean): { locals: number[][]; code: number[] } {
  const I32 = 0x7f, V128 = 0x7b;
  const params = fused ? 7 : 3;
  const B = params, IO = params + 1, NERR = params + 2, D = params + 3;
  const CB = [params + 4, params + 5, params + 6, params + 7]; // fused: byte offset of each lane's codeword
  const firstV = params + 8;
  let nextV = firstV;
  const widest = Math.max(inputDim, ...chain.map((c) => c.l.outDim));
  const bankA = Array.from({ length: widest }, () => nextV++);
  const bankB = Array.from({ length: widest }, () => nextV++);
  const BEST = nextV++, ARG = nextV++, MASK = nextV++;
  const c: number[] = [];
  const get = (i: number) => c.push(OP.localGet, ...uleb(i));
  const set = (i: number) => c.push(OP.localSet, ...uleb(i));
  const i32 = (v: number) => c.push(OP.i32Const, ...sleb(v));
  c.push(OP.block, 0x40, OP.loop, 0x40);
  get(B);
  get(0);
  c.push(OP.i32GeS, OP.brIf, 1);
  if (fused) {
    // CB[lane] = cbPtr + msgs[b + lane] · dims · 4
    for (let lane = 0; lane < LANES; lane++) {
      get(1);
      get(B);
      i32(2);
      c.push(OP.i32Shl, OP.i32Add, OP.i32Load, 2, ...uleb(4 * lane));
      i32(4 * inputDim);
      c.push(OP.i32Mul);
      get(3);
      c.push(OP.i32Add);
      set(CB[lane]);
    }
  }
  // Input i of blocks b … b + 3 into the four lanes: from memory, or (fused) f32(c[msg][i] + σ·z) in float64
  // as channels/awgn.ts computes it.
  const input = (lane: number, i: number) => {
    if (!fused) {
      get(1);
      get(IO);
      c.push(OP.i32Add, OP.f32Load, 2, ...uleb(4 * (lane * inputDim + i)));
      return;
    }
    get(CB[lane]);
    c.push(OP.f32Load, 2, ...uleb(4 * i), OP.f64PromoteF32);
    get(6);
    get(2);
    get(IO);
    c.push(OP.i32Add, OP.f32Load, 2, ...uleb(4 * (lane * inputDim + i)), OP.f64PromoteF32, OP.f64Mul, OP.f64Add, OP.f32DemoteF64);
  };
  for (let i = 0; i < inputDim; i++) {
    input(0, i);
    c.push(...simd(F32X4_SPLAT));
    for (let lane = 1; lane < LANES; lane++) {
      input(lane, i);
      c.push(...simd(F32X4_REPLACE, lane));
    }
    set(bankA[i]);
  }
  let cur = bankA;
  let nxt = bankB;
  chain.forEach(({ l, relu }) => {
    for (let o = 0; o < l.outDim; o++) {
      const bias = Object.is(l.bias[o], -0) ? 0 : l.bias[o];
      c.push(...f32x4Const(bias));
      for (let i = 0; i < l.inDim; i++) {
        const w = l.kernel[i * l.outDim + o];
        if (w === 0) continue; // as the JavaScript: a zero weight's term is left out (−0 too)
        get(cur[i]);
        c.push(...f32x4Const(w), ...simd(F32X4_MUL), ...simd(F32X4_ADD));
      }
      if (relu) {
        set(nxt[o]);
        c.push(...f32x4Const(0));
        get(nxt[o]);
        c.push(...simd(F32X4_PMAX));
      }
      set(nxt[o]);
    }
    [cur, nxt] = [nxt, cur];
  });
  // Argmax lane-wise in output order with `>` (first index on ties), as the JavaScript.
  const outDim = chain[chain.length - 1].l.outDim;
  get(cur[0]);
  set(BEST);
  c.push(...i32x4Const(0));
  set(ARG);
  for (let o = 1; o < outDim; o++) {
    get(cur[o]);
    get(BEST);
    c.push(...simd(F32X4_GT));
    set(MASK);
    get(cur[o]);
    get(BEST);
    get(MASK);
    c.push(...simd(V128_BITSELECT));
    set(BEST);
    c.push(...i32x4Const(o));
    get(ARG);
    get(MASK);
    c.push(...simd(V128_BITSELECT));
    set(ARG);
  }
  // decided[b + lane] = lane's index; fused: a block whose decision is not its message is listed.
  for (let lane = 0; lane < LANES; lane++) {
    get(fused ? 4 : 2);
    get(B);
    i32(2);
    c.push(OP.i32Shl, OP.i32Add);
    get(ARG);
    c.push(...simd(I32X4_EXTRACT, lane), OP.localTee, ...uleb(D), OP.i32Store, 2, ...uleb(4 * lane));
    if (fused) {
      get(D);
      get(1);
      get(B);
      i32(2);
      c.push(OP.i32Shl, OP.i32Add, OP.i32Load, 2, ...uleb(4 * lane), OP.i32Ne, OP.if, 0x40);
      get(5);
      get(NERR);
      i32(2);
      c.push(OP.i32Shl, OP.i32Add);
      get(B);
      i32(lane);
      c.push(OP.i32Add, OP.i32Store, 2, 0);
      get(NERR);
      i32(1);
      c.push(OP.i32Add);
      set(NERR);
      c.push(OP.end);
    }
  }
  get(B);
  i32(LANES);
  c.push(OP.i32Add);
  set(B);
  get(IO);
  i32(4 * LANES * inputDim);
  c.push(OP.i32Add);
  set(IO);
  c.push(OP.br, 0, OP.end, OP.end);
  if (fused) get(NERR);
  return { locals: [[...uleb(firstV - params), I32], [...uleb(nextV - firstV), V128]], code: c };
}

/** The module's bytes (it imports its memory as m.mem and exports run and runAwgn). */
function moduleBytes(chain: Chain, inputDim: number): Uint8Array<ArrayBuffer> {
  const body = (fused: boolean) => {
    const { locals, code } = emit(chain, inputDim, fused);
    const b = [...vec(locals), ...code, OP.end];
    return [...uleb(b.length), ...b];
  };
  const I32 = 0x7f, F64 = 0x7c;
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 3, I32, I32, I32, 0], [0x60, 7, I32, I32, I32, I32, I32, I32, F64, 1, I32]])),
    ...section(2, vec([[...str('m'), ...str('mem'), 0x02, 0x00, 1]])),
    ...section(3, vec([[0], [1]])),
    ...section(7, vec([[...str('run'), 0x00, 0], [...str('runAwgn'), 0x00, 1]])),
    ...section(10, vec([body(false), body(true)])),
  ]);
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

/**
 * The argmax decision of `spec` (its argmax layers, softmax dropped) as WebAssembly, or undefined when the
 * network has a layer this generator does not know or the engine lacks SIMD.
 */
export function compileMlpWasm(spec: MlpSpec, layers: MlpLayer[]): MlpWasm | undefined {
  if (process.env.AE_MLP_WASM === '0' || !hasSimd()) return undefined;
  const chain = denseChain(layers);
  if (!chain) return undefined;
  for (const { l } of chain) if ([...l.kernel, ...l.bias].some((v) => !Number.isFinite(v))) return undefined;
  const mem = new WebAssembly.Memory({ initial: 1 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(chain, spec.inputDim)), { m: { mem } });
  const run = instance.exports.run as (blocks: number, inPtr: number, outPtr: number) => void;
  const runAwgn = instance.exports.runAwgn as (blocks: number, msgPtr: number, zPtr: number, cbPtr: number, decPtr: number, errPtr: number, sigma: number) => number;
  const dims = spec.inputDim;
  const grow = (bytes: number) => {
    if (mem.buffer.byteLength < bytes) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
  };
  // Four blocks per iteration: a count that is not a multiple of 4 gets padding blocks (their decisions are dropped).
  const padded = (blocks: number) => Math.ceil(blocks / LANES) * LANES;
  const decide: ArgmaxFn = (inp, blocks, decided) => {
    const even = padded(blocks);
    const inBytes = even * dims * 4;
    grow(inBytes + even * 4);
    const x = new Float32Array(mem.buffer, 0, even * dims);
    x.set(inp.subarray(0, blocks * dims));
    if (even > blocks) x.fill(0, blocks * dims);
    run(even, 0, inBytes);
    decided.set(new Int32Array(mem.buffer, inBytes, blocks));
  };
  const fusedAwgn = (codebook: Float32Array, cbDims: number): FusedAwgn => {
    if (cbDims !== dims) throw new Error(`mlp-wasm: codebook of ${cbDims} values per block for a decoder of ${dims} inputs`);
    // Layout (bytes): codebook | msgs | z | decided | error list; the codebook is written on every reserve
    // that grows the memory, since `decide` shares the memory and writes from 0.
    const cbBytes = up16(codebook.length * 4);
    let capacity = -1;
    const fused = {
      errorBlocks: new Int32Array(0),
      decided: new Int32Array(0),
      msgs: new Int32Array(0),
      z: new Float32Array(0),
      at: { msgs: 0, z: 0, dec: 0, err: 0 },
      reserve(blocks: number) {
        const even = padded(blocks);
        if (even > capacity || fused.msgs.buffer !== mem.buffer) {
          capacity = Math.max(even, capacity);
          const at = { msgs: cbBytes, z: cbBytes + up16(capacity * 4), dec: 0, err: 0 };
          at.dec = at.z + up16(capacity * dims * 4);
          at.err = at.dec + up16(capacity * 4);
          grow(at.err + capacity * 4);
          fused.at = at;
          fused.msgs = new Int32Array(mem.buffer, at.msgs, capacity);
          fused.z = new Float32Array(mem.buffer, at.z, capacity * dims);
          fused.decided = new Int32Array(mem.buffer, at.dec, capacity);
          fused.errorBlocks = new Int32Array(mem.buffer, at.err, capacity);
        }
        new Float32Array(mem.buffer, 0, codebook.length).set(codebook);
        return { msgs: fused.msgs, z: fused.z };
      },
      run(blocks: number, sigma: number): number {
        const even = padded(blocks);
        if (even > capacity) throw new Error('mlp-wasm: reserve(blocks) before run');
        // Padding blocks: message 0, no noise; never listed (their index is ≥ blocks).
        fused.msgs.fill(0, blocks, even);
        fused.z.fill(0, blocks * dims, even * dims);
        const { at } = fused;
        let errors = runAwgn(even, at.msgs, at.z, 0, at.dec, at.err, sigma);
        while (errors > 0 && fused.errorBlocks[errors - 1] >= blocks) errors--;
        return errors;
      },
    };
    return fused;
  };
  return { decide, fusedAwgn };
}
