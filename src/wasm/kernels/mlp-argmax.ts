/**
 * The argmax decision of a small dense network as WebAssembly SIMD, generated at run time from its weights
 * (like src/mlp/forward.ts generates JavaScript): the weights are splatted from a constant table in its memory and the
 * four lanes of every f32x4 vector are four blocks (b … b + 3).
 *
 * Bit-identical to the generated JavaScript in float32 (`compileMlp(spec, { float32: true })`; tested on random
 * and tie-heavy inputs, and against a naive float32 reference: test/unit/mlp-wasm.test.ts), same order: every
 * unit is ((bias + x0·w0) + x1·w1) + … in input order with f32x4.mul and f32x4.add (no fused multiply-add: a
 * product is rounded to float32 before it is added), the JavaScript's Math.fround after each product and sum; ReLU is f32x4.pmax(0, v) = (0 < v ? v : 0), the
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
 * network) is built once per decoder and thread; no build step (src/wasm/builder.ts), so nothing generated is
 * kept in the repository.
 */
import { envVar } from '../env.ts';
import { FunctionBuilder, wasmModule } from '../builder.ts';
import { growTo } from '../memory.ts';
import { EMPTY, OP, SIMD } from '../opcodes.ts';

/** A dense layer, as src/mlp/spec.ts's MlpLayer has it. */
interface DenseLayer {
  kind: 'dense';
  inDim: number;
  outDim: number;
  /** inDim × outDim, row-major ([i][o]). */
  kernel: Float32Array;
  bias: Float32Array;
  activation: string;
}
/** A decoder's layers as src/mlp/spec.ts's MlpLayer has them: dense and activation layers are read, a layer normalization declined. */
export type NetLayer = DenseLayer | { kind: 'activation'; activation: string } | { kind: 'layerNorm' };

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

const LANES = 4;
/** Vectors of four blocks that go through the network side by side in one iteration. */
const GROUPS = 2;
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
function denseChain(layers: readonly NetLayer[]): Chain | undefined {
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

type Chain = { l: DenseLayer; relu: boolean }[];

/**
 * A function: `run` (params blocks, inPtr, outPtr) or, with `fused`, `runAwgn` (params blocks, msgPtr, zPtr,
 * cbPtr, decPtr, errPtr, sigma: f64; returns the error count); blocks a multiple of 4·GROUPS. The four lanes
 * of every vector are four blocks, and GROUPS such vectors go through the network side by side (each weight
 * is splatted once for all of them), so each unit's value is GROUPS vectors; a layer's units are computed OB
 * at a time (each input loaded once for them), and the argmax runs lane-wise with compare masks and
 * bitselect, unit by unit in order as the last layer produces them. Also returns its constant table and
 * where it goes.
 */
function emit(chain: Chain, inputDim: number, fused: boolean): { f: FunctionBuilder; table: Splat[]; tableAt: number } {
  const G = GROUPS,
    PER = LANES * G; // blocks per iteration
  const i = 'i32';
  const c = fused ? new FunctionBuilder('runAwgn', [i, i, i, i, i, i, 'f64'], [i]) : new FunctionBuilder('run', [i, i, i]);
  // run: (BLOCKS, inPtr = P1, outPtr = P2); runAwgn: (BLOCKS, msgPtr = P1, zPtr = P2, CB, DEC, ERR, SIGMA)
  const [BLOCKS, P1, P2, CB, DEC, ERR, SIGMA] = c.params;
  const [B, IO, NERR, D, A] = c.locals('i32', 5);
  const widest = Math.max(inputDim, ...chain.map((u) => u.l.outDim));
  // Units' values: locals, or (MEM) 16-byte slots of a scratch area at address 0 that every unit is stored to
  // and loaded from where it is used (TurboFan then keeps the code in order instead of hoisting constants and
  // spilling).
  let slot = 0;
  const bank = () => Array.from({ length: G }, () => Array.from({ length: widest }, () => (MEM ? slot++ : c.local('v128'))));
  const bankA = bank();
  const bankB = bank();
  const FENCE_AT = slot;
  slot += OB * G;
  const tableAt = 16 * slot;
  const ACC = Array.from({ length: OB }, () => c.locals('v128', G));
  const XIN = c.locals('v128', G);
  const BEST = c.locals('v128', G);
  const ARG = c.locals('v128', G);
  const [W, MASK, IDX, TMP, SIG] = c.locals('v128', 5);
  const getV = (v: number) => (MEM ? c.i32(0).vload(16 * v, 4) : c.get(v));
  const setV = (v: number) =>
    MEM
      ? c
          .set(TMP)
          .i32(0)
          .get(TMP)
          .vstore(16 * v, 4)
      : c.set(v);
  // Constants are splatted from a table of float32 / int32 values at address 0: one v128.load32_splat
  // (vbroadcastss) each, where V8 builds a v128.const from immediates in three instructions.
  const table: Splat[] = [];
  const splat = (s: Splat) => {
    table.push(s);
    return c.i32(0).vmem(SIMD.v128Load32Splat, tableAt + 4 * (table.length - 1));
  };
  const f32x4Const = (v: number) => splat({ f32: v });
  const i32x4Const = (v: number) => splat({ i32: v });
  const IN = fused ? P2 : P1; // where the received vectors are (fused: computed in place of z)
  const MSG = P1;
  if (fused) {
    // First pass, block by block: z[b] ← f32(c[msg[b]] + σ·z[b]) in float64, as src/channels/awgn.ts computes y,
    // two values per f64x2 (exact: promotion, then one rounding per operation as in the JavaScript).
    c.get(SIGMA).simd(SIMD.f64x2Splat).set(SIG);
    c.loop(
      () => c.get(B).get(BLOCKS).op(OP.i32GeS),
      () => {
        c.get(MSG).get(B).i32(2).op(OP.i32Shl, OP.i32Add).mem(OP.i32Load);
        c.i32(4 * inputDim)
          .op(OP.i32Mul)
          .get(CB)
          .op(OP.i32Add)
          .set(D); // the codeword's address
        c.get(P2).get(IO).op(OP.i32Add).set(A); // the block's z
        let k = 0;
        for (; k + 1 < inputDim; k += 2) {
          c.get(A)
            .get(D)
            .vmem(SIMD.v128Load64Zero, 4 * k)
            .simd(SIMD.f64x2PromoteLowF32x4);
          c.get(SIG)
            .get(A)
            .vmem(SIMD.v128Load64Zero, 4 * k)
            .simd(SIMD.f64x2PromoteLowF32x4)
            .simd(SIMD.f64x2Mul)
            .simd(SIMD.f64x2Add);
          c.simd(SIMD.f32x4DemoteF64x2Zero).vmem(SIMD.v128Store64Lane, 4 * k, 2, 0);
        }
        if (k < inputDim) {
          c.get(A)
            .get(D)
            .mem(OP.f32Load, 4 * k)
            .op(OP.f64PromoteF32);
          c.get(SIGMA)
            .get(A)
            .mem(OP.f32Load, 4 * k)
            .op(OP.f64PromoteF32, OP.f64Mul, OP.f64Add, OP.f32DemoteF64)
            .mem(OP.f32Store, 4 * k);
        }
        c.inc(B, 1).inc(IO, 4 * inputDim);
      },
    );
    c.i32(0).set(B).i32(0).set(IO);
  }
  c.op(OP.block, EMPTY, OP.loop, EMPTY);
  c.get(B).get(BLOCKS).op(OP.i32GeS, OP.brIf, 1);
  // Input k of block b + j.
  const input = (j: number, k: number) =>
    c
      .get(IN)
      .get(IO)
      .op(OP.i32Add)
      .mem(OP.f32Load, 4 * (j * inputDim + k));
  for (let g = 0; g < G; g++) {
    for (let k = 0; k < inputDim; k++) {
      input(LANES * g, k).simd(SIMD.f32x4Splat);
      for (let lane = 1; lane < LANES; lane++) input(LANES * g + lane, k).simd(SIMD.f32x4ReplaceLane, lane);
      setV(bankA[g][k]);
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
        f32x4Const(bias);
        for (let g = 0; g < G; g++) {
          if (g + 1 < G) c.tee(W);
          c.set(ACC[o - o0][g]);
          if (g + 1 < G) c.get(W);
        }
      }
      let steps = 0;
      for (let k = 0; k < l.inDim; k++) {
        const live = units.filter((o) => l.kernel[k * l.outDim + o] !== 0); // as the JavaScript: a zero weight's term is left out (−0 too)
        if (!live.length) continue;
        if (FENCE && steps > 0 && steps % FENCE === 0) {
          // Stores of the running sums: TurboFan keeps loads in order with stores, so the next inputs' loads
          // are not all hoisted to the start (where they would be spilled).
          for (const o of units)
            for (let g = 0; g < G; g++)
              c.i32(0)
                .get(ACC[o - o0][g])
                .vstore(16 * (FENCE_AT + (o - o0) * G + g), 4);
        }
        steps++;
        for (let g = 0; g < G; g++) {
          getV(cur[g][k]);
          c.set(XIN[g]);
        }
        for (const o of live) {
          f32x4Const(l.kernel[k * l.outDim + o]).set(W);
          for (let g = 0; g < G; g++)
            c.get(ACC[o - o0][g])
              .get(XIN[g])
              .get(W)
              .simd(SIMD.f32x4Mul)
              .simd(SIMD.f32x4Add)
              .set(ACC[o - o0][g]);
        }
      }
      for (const o of units) {
        for (let g = 0; g < G; g++) {
          const acc = ACC[o - o0][g];
          if (relu) f32x4Const(0).get(acc).simd(SIMD.f32x4Pmax).set(acc);
          if (!last) {
            c.get(acc);
            setV(nxt[g][o]);
            continue;
          }
          // Argmax lane-wise in output order with `>` (first index on ties), as the JavaScript.
          if (o === 0) {
            c.get(acc).set(BEST[g]);
            i32x4Const(0).set(ARG[g]);
            continue;
          }
          c.get(acc).get(BEST[g]).simd(SIMD.f32x4Gt).set(MASK);
          c.get(acc).get(BEST[g]).get(MASK).simd(SIMD.v128Bitselect).set(BEST[g]);
          if (g === 0) {
            i32x4Const(o);
            if (G > 1) c.tee(IDX);
          } else c.get(IDX);
          c.get(ARG[g]).get(MASK).simd(SIMD.v128Bitselect).set(ARG[g]);
        }
      }
    }
    [cur, nxt] = [nxt, cur];
  });
  // decided[b … b + 3] = a vector's indices; fused: when any differs from its message, the blocks that do
  // are listed.
  const rowOf = (p: number) => c.get(p).get(B).i32(2).op(OP.i32Shl, OP.i32Add);
  for (let g = 0; g < G; g++) {
    rowOf(fused ? DEC : P2)
      .get(ARG[g])
      .vstore(16 * g);
    if (!fused) continue;
    c.get(ARG[g]);
    rowOf(MSG)
      .vload(16 * g)
      .simd(SIMD.i32x4Ne)
      .simd(SIMD.v128AnyTrue)
      .op(OP.if, EMPTY);
    for (let lane = 0; lane < LANES; lane++) {
      const j = LANES * g + lane;
      c.get(ARG[g]).simd(SIMD.i32x4ExtractLane, lane);
      rowOf(MSG)
        .mem(OP.i32Load, 4 * j)
        .op(OP.i32Ne, OP.if, EMPTY);
      c.get(ERR).get(NERR).i32(2).op(OP.i32Shl, OP.i32Add);
      c.get(B).i32(j).op(OP.i32Add).mem(OP.i32Store);
      c.inc(NERR, 1);
      c.op(OP.end);
    }
    c.op(OP.end);
  }
  c.inc(B, PER).inc(IO, 4 * PER * inputDim);
  c.op(OP.br, 0, OP.end, OP.end);
  if (fused) c.get(NERR);
  return { f: c, table, tableAt };
}

/**
 * The module of a network of `inputDim` inputs (it imports its memory as m.mem and exports run and runAwgn),
 * its constant table and where that goes; undefined when wasmTakes declines the layers.
 */
export function argmaxModule(inputDim: number, layers: readonly NetLayer[]): { bytes: Uint8Array<ArrayBuffer>; table: Splat[]; tableAt: number } | undefined {
  const chain = denseChain(layers);
  if (!chain || !wasmTakes(layers)) return undefined;
  const run = emit(chain, inputDim, false);
  const runAwgn = emit(chain, inputDim, true); // the same scratch and constants in the same order as run
  return { bytes: wasmModule([run.f, runAwgn.f]), table: runAwgn.table, tableAt: runAwgn.tableAt };
}

/** Writes the constant table (4 bytes per entry) at `at`. */
function writeTable(mem: WebAssembly.Memory, table: Splat[], at: number): void {
  const view = new DataView(mem.buffer);
  table.forEach((s, i) => ('f32' in s ? view.setFloat32(at + 4 * i, s.f32, true) : view.setInt32(at + 4 * i, s.i32, true)));
}

const up16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** Whether this generator takes the network (its argmax layers): the learned decoder then computes in float32. */
export function wasmTakes(layers: readonly NetLayer[]): boolean {
  const chain = denseChain(layers);
  return chain !== undefined && chain.every(({ l }) => [...l.kernel, ...l.bias].every((v) => Number.isFinite(v)));
}

/**
 * The argmax decision of `spec` (its argmax layers, softmax dropped) as WebAssembly, or undefined when the
 * network has a layer this generator does not know or the engine lacks SIMD.
 */
export function compileMlpWasm(spec: { inputDim: number }, layers: readonly NetLayer[]): MlpWasm | undefined {
  if (envVar('AE_MLP_WASM') === '0' || typeof WebAssembly !== 'object') return undefined;
  const built = argmaxModule(spec.inputDim, layers);
  if (!built) return undefined;
  const { bytes, table, tableAt } = built;
  if (!WebAssembly.validate(bytes)) return undefined; // no SIMD (Node ≥ 16.4 has it)
  const base = up16(tableAt + table.length * 4); // scratch, the constant table, then the buffers
  const mem = new WebAssembly.Memory({ initial: Math.ceil((base + 1) / 65536) });
  writeTable(mem, table, tableAt);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { mem } });
  const run = instance.exports.run as (blocks: number, inPtr: number, outPtr: number) => void;
  const runAwgn = instance.exports.runAwgn as (
    blocks: number,
    msgPtr: number,
    zPtr: number,
    cbPtr: number,
    decPtr: number,
    errPtr: number,
    sigma: number,
  ) => number;
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
    if (cbDims !== dims) throw new Error(`mlp-argmax: codebook of ${cbDims} values per block for a decoder of ${dims} inputs`);
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
        if (from + even > chunkCap || even > sliceCap) throw new Error('mlp-argmax: reserve(blocks, slice) before run');
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
