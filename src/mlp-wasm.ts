/**
 * The argmax decision of a small dense network as WebAssembly SIMD, generated at run time from its weights
 * (like src/mlp.ts generates JavaScript): the weights become splatted v128 constants and the two lanes of
 * every f64x2 vector are two blocks (b, b + 1).
 *
 * Bit-identical to the generated JavaScript (test/unit/mlp-wasm.test.ts, random and tie-heavy inputs): every unit is
 * computed in float64 as ((bias + x0·w0) + x1·w1) + … in input order, as the JavaScript is (no fused
 * multiply-add: a product is rounded before it is added); ReLU is f64x2.pmax(0, v) = (0 < v ? v : 0), the
 * JavaScript's `v > 0 ? v : 0`; the argmax scans the outputs in order with `>` (first index on ties), lane
 * by lane with a compare mask and bitselect. Terms with a zero weight are left out, as in the JavaScript,
 * and a −0 bias is written as 0, as the JavaScript's literal is.
 *
 * Supported: dense layers with relu or linear activations, also as separate activation layers (the last may be
 * softmax, which argmax ignores);
 * anything else returns undefined and the caller keeps the JavaScript. The module is a few kB, built once
 * per decoder; no build step, so nothing generated is kept in the repository.
 */
import type { MlpLayer, MlpSpec } from './system.ts';
import { uleb, sleb, str, section, vec } from './wasm-encoding.ts';


type ArgmaxFn = (inp: Float32Array, blocks: number, decided: Int32Array) => void;


// Opcodes (WebAssembly core + fixed-width SIMD).
const OP = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, select: 0x1b,
  localGet: 0x20, localSet: 0x21, i32Const: 0x41, i32Add: 0x6a, i32Shl: 0x74, i32GeS: 0x4e,
  f32Load: 0x2a, i32Store: 0x36, f64Gt: 0x64, f64PromoteF32: 0xbb, i32WrapI64: 0xa7,
} as const;
const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
const V128_CONST = 0x0c, F64X2_SPLAT = 0x14, F64X2_REPLACE = 0x22, I64X2_EXTRACT = 0x1d, F64X2_GT = 0x4a, V128_BITSELECT = 0x52;
const F64X2_ADD = 0xf0, F64X2_MUL = 0xf2, F64X2_PMAX = 0xf7;
const i64x2Const = (v: number): number[] => {
  const buf = new DataView(new ArrayBuffer(16));
  buf.setBigInt64(0, BigInt(v), true);
  buf.setBigInt64(8, BigInt(v), true);
  return simd(V128_CONST, ...new Uint8Array(buf.buffer));
};
const f64x2Const = (a: number, b: number): number[] => {
  const buf = new DataView(new ArrayBuffer(16));
  buf.setFloat64(0, a, true);
  buf.setFloat64(8, b, true);
  return simd(V128_CONST, ...new Uint8Array(buf.buffer));
};

/** The layers as (kernel, bias, relu?) when the network is one this generator supports. */
function denseChain(layers: MlpLayer[]): { l: Extract<MlpLayer, { kind: 'dense' }>; relu: boolean }[] | undefined {
  const out: { l: Extract<MlpLayer, { kind: 'dense' }>; relu: boolean }[] = [];
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

/**
 * The function body: params (blocks, inPtr, outPtr), blocks even. The two lanes of every vector are two
 * blocks (b, b + 1), so each unit's value is one vector, the weights are splatted constants, and the argmax
 * runs lane-wise with compare masks and bitselect. Returns [locals declaration, code].
 */
function emit(chain: { l: Extract<MlpLayer, { kind: 'dense' }>; relu: boolean }[], inputDim: number): { locals: number[][]; code: number[] } {
  const I32 = 0x7f, V128 = 0x7b;
  const B = 3, IO = 4; // i32 locals after the 3 params
  let nextV = 5;
  const widest = Math.max(inputDim, ...chain.map((c) => c.l.outDim));
  const bankA = Array.from({ length: widest }, () => nextV++);
  const bankB = Array.from({ length: widest }, () => nextV++);
  const BEST = nextV++, ARG = nextV++, MASK = nextV++;
  const c: number[] = [];
  const get = (i: number) => c.push(OP.localGet, ...uleb(i));
  const set = (i: number) => c.push(OP.localSet, ...uleb(i));
  c.push(OP.block, 0x40, OP.loop, 0x40);
  get(B);
  get(0);
  c.push(OP.i32GeS, OP.brIf, 1);
  // Inputs of blocks b and b + 1: f32 → f64, lane 0 and lane 1.
  for (let i = 0; i < inputDim; i++) {
    get(1);
    get(IO);
    c.push(OP.i32Add, OP.f32Load, 2, ...uleb(4 * i), OP.f64PromoteF32, ...simd(F64X2_SPLAT));
    get(1);
    get(IO);
    c.push(OP.i32Add, OP.f32Load, 2, ...uleb(4 * (inputDim + i)), OP.f64PromoteF32, ...simd(F64X2_REPLACE, 1));
    set(bankA[i]);
  }
  let cur = bankA;
  let nxt = bankB;
  chain.forEach(({ l, relu }) => {
    for (let o = 0; o < l.outDim; o++) {
      const bias = Object.is(l.bias[o], -0) ? 0 : l.bias[o];
      c.push(...f64x2Const(bias, bias));
      for (let i = 0; i < l.inDim; i++) {
        const w = l.kernel[i * l.outDim + o];
        if (w === 0) continue; // as the JavaScript: a zero weight's term is left out (−0 too)
        get(cur[i]);
        c.push(...f64x2Const(w, w), ...simd(F64X2_MUL), ...simd(F64X2_ADD));
      }
      if (relu) {
        set(nxt[o]);
        c.push(...f64x2Const(0, 0));
        get(nxt[o]);
        c.push(...simd(F64X2_PMAX));
      }
      set(nxt[o]);
    }
    [cur, nxt] = [nxt, cur];
  });
  // Argmax lane-wise in output order with `>` (first index on ties), as the JavaScript.
  const outDim = chain[chain.length - 1].l.outDim;
  get(cur[0]);
  set(BEST);
  c.push(...i64x2Const(0));
  set(ARG);
  for (let o = 1; o < outDim; o++) {
    get(cur[o]);
    get(BEST);
    c.push(...simd(F64X2_GT));
    set(MASK);
    get(cur[o]);
    get(BEST);
    get(MASK);
    c.push(...simd(V128_BITSELECT));
    set(BEST);
    c.push(...i64x2Const(o));
    get(ARG);
    get(MASK);
    c.push(...simd(V128_BITSELECT));
    set(ARG);
  }
  // decided[b] = lane 0, decided[b + 1] = lane 1
  for (const lane of [0, 1]) {
    get(2);
    get(B);
    c.push(OP.i32Const, 2, OP.i32Shl, OP.i32Add);
    get(ARG);
    c.push(...simd(I64X2_EXTRACT, lane), OP.i32WrapI64, OP.i32Store, 2, ...uleb(4 * lane));
  }
  get(B);
  c.push(OP.i32Const, 2, OP.i32Add);
  set(B);
  get(IO);
  c.push(OP.i32Const, ...sleb(8 * inputDim), OP.i32Add);
  set(IO);
  c.push(OP.br, 0, OP.end, OP.end);
  return { locals: [[...uleb(2), I32], [...uleb(nextV - 5), V128]], code: c };
}

/** The module's bytes (it imports its memory as m.mem and exports run(blocks, inPtr, outPtr)). */
function moduleBytes(chain: { l: Extract<MlpLayer, { kind: 'dense' }>; relu: boolean }[], inputDim: number): Uint8Array<ArrayBuffer> {
  const { locals, code } = emit(chain, inputDim);
  const body = [...vec(locals), ...code, OP.end];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 3, 0x7f, 0x7f, 0x7f, 0]])),
    ...section(2, vec([[...str('m'), ...str('mem'), 0x02, 0x00, 1]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...str('run'), 0x00, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
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

/**
 * The argmax decision of `spec` (its argmax layers, softmax dropped) as WebAssembly, or undefined when the
 * network has a layer this generator does not know or the engine lacks SIMD.
 */
export function compileMlpWasm(spec: MlpSpec, layers: MlpLayer[]): ArgmaxFn | undefined {
  if (process.env.AE_MLP_WASM === '0' || !hasSimd()) return undefined;
  const chain = denseChain(layers);
  if (!chain) return undefined;
  for (const { l } of chain) if ([...l.kernel, ...l.bias].some((v) => !Number.isFinite(v))) return undefined;
  const mem = new WebAssembly.Memory({ initial: 1 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(chain, spec.inputDim)), { m: { mem } });
  const run = instance.exports.run as (blocks: number, inPtr: number, outPtr: number) => void;
  const dims = spec.inputDim;
  return (inp, blocks, decided) => {
    // Two blocks per iteration: an odd count gets one padding block (its decision is dropped).
    const even = blocks + (blocks & 1);
    const inBytes = even * dims * 4;
    const need = inBytes + even * 4;
    if (mem.buffer.byteLength < need) mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
    const x = new Float32Array(mem.buffer, 0, even * dims);
    x.set(inp.subarray(0, blocks * dims));
    if (even > blocks) x.fill(0, blocks * dims);
    run(even, 0, inBytes);
    decided.set(new Int32Array(mem.buffer, inBytes, blocks));
  };
}
