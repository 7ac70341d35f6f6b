/**
 * Plain-TypeScript decisions of a compiled decoder network (`MlpSpec`), for Monte Carlo.
 *
 * Two implementations of the same function:
 * - `mlpForwardNaive`: the obvious triple loop, one block at a time, in doubles. The reference in tests.
 * - `compileMlp`: a straight-line function generated for this very network (weights become numeric
 *   literals, every loop unrolled, the hidden activations live in locals, the argmax is a running
 *   comparison). V8 compiles it to register code with no bounds checks or index arithmetic.
 *
 * It serves only networks below TF_DECODER_MIN_MACS multiply-adds per block (src/decoders/learned.ts):
 * larger ones decode on the tfjs backend, which is faster there, so the generated code stays short. It
 * needs `new Function` (Node allows it; a runtime that forbids it would have to use the tfjs decoder).
 *
 * `compileMlp` computes in float64 on the float32 weights, or with `{ float32: true }` in float32, bit for bit as
 * the WebAssembly SIMD decoder (src/wasm/kernels/mlp-argmax.ts, four blocks per f32x4 vector) does: a dense
 * unit is f32(…f32(f32(bias + f32(x0·w0)) + f32(x1·w1)) + …) in input order, every product and every sum rounded to
 * float32 (Math.fround; a double sum or product of two floats rounded once to float32 is the float32
 * operation's correctly rounded result, so this equals IEEE float32 arithmetic), terms with a zero weight left
 * out; ReLU is `z > 0 ? z : 0`; any other layer (elu, tanh, layerNorm, …) is computed in float64 on the float32
 * values and its outputs rounded to float32. The learned decoder (src/decoders/mlp-js.ts) uses float32 exactly
 * for the networks the WebAssembly decoder takes (so every thread decides alike with or without it), float64
 * for the others (where Math.fround would only slow the JavaScript down, about 2×).
 * `mlpForwardNaive(…, { float32: true })` is the independent reference for the float32 order. `argmax` returns
 * the first index of the largest output, and skips a trailing softmax (monotone: argmax of logits = argmax of
 * probabilities) - there is no softmax on the Monte Carlo path.
 */
import type { MlpLayer, MlpSpec } from './spec.ts';
import type { Activation } from '../vocabulary.ts';

export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

export interface CompiledMlp {
  readonly inputDim: number;
  readonly outputDim: number;
  /** decided[b] = first index of the largest output of block b (a trailing softmax is skipped). */
  argmax(input: Float32Array, blocks: number, decided: Int32Array): void;
  /** For a bit-wise decoder (spec.output 'bits'): bit j of decided[b] (most significant first) = output j > 0. */
  bits(input: Float32Array, blocks: number, decided: Int32Array): void;
}

/** v[off … off+len) ← act(v) in place (also the trainer's forward pass, js-train-graph.ts). */
export function applyActivation(act: Activation, v: Float64Array | Float32Array, off: number, len: number): void {
  switch (act) {
    case 'linear':
      return;
    case 'relu':
      for (let i = off; i < off + len; i++) if (!(v[i] > 0)) v[i] = 0;
      return;
    case 'elu':
      for (let i = off; i < off + len; i++) if (!(v[i] > 0)) v[i] = Math.expm1(v[i]);
      return;
    case 'selu':
      for (let i = off; i < off + len; i++) v[i] = SELU_SCALE * (v[i] > 0 ? v[i] : SELU_ALPHA * Math.expm1(v[i]));
      return;
    case 'tanh':
      for (let i = off; i < off + len; i++) v[i] = Math.tanh(v[i]);
      return;
    case 'sigmoid':
      for (let i = off; i < off + len; i++) v[i] = 1 / (1 + Math.exp(-v[i]));
      return;
    case 'softmax': {
      let m = -Infinity;
      for (let i = off; i < off + len; i++) if (v[i] > m) m = v[i];
      let s = 0;
      for (let i = off; i < off + len; i++) s += v[i] = Math.exp(v[i] - m);
      for (let i = off; i < off + len; i++) v[i] /= s;
      return;
    }
    default:
      throw new Error(`mlp: unknown activation ${act as string}`);
  }
}

function layerOutDim(layer: MlpLayer, inDim: number): number {
  if (layer.kind === 'dense') {
    if (layer.inDim !== inDim) throw new Error(`mlp: dense layer expects ${layer.inDim} inputs, got ${inDim}`);
    if (layer.kernel.length !== layer.inDim * layer.outDim || layer.bias.length !== layer.outDim) {
      throw new Error(`mlp: dense ${layer.inDim}→${layer.outDim} has kernel ${layer.kernel.length}, bias ${layer.bias.length}`);
    }
    return layer.outDim;
  }
  if (layer.kind === 'layerNorm') {
    if (layer.dim !== inDim) throw new Error(`mlp: layerNorm over ${layer.dim} applied to ${inDim} values`);
    return inDim;
  }
  return inDim;
}

function checkSpec(spec: MlpSpec): number[] {
  const dims = [spec.inputDim];
  for (const l of spec.layers) dims.push(layerOutDim(l, dims[dims.length - 1]));
  if (dims[dims.length - 1] !== spec.outputDim) {
    throw new Error(`mlp: layers end with ${dims[dims.length - 1]} outputs, spec says ${spec.outputDim}`);
  }
  return dims;
}

/** Layers for argmax: the spec without a trailing softmax (as a separate layer or a dense activation). */
export function argmaxLayers(spec: MlpSpec): MlpLayer[] {
  const layers = spec.layers.slice();
  const last = layers[layers.length - 1];
  if (!last) return layers;
  if (last.kind === 'activation' && last.activation === 'softmax') layers.pop();
  else if (last.kind === 'dense' && last.activation === 'softmax') layers[layers.length - 1] = { ...last, activation: 'linear' };
  return layers;
}

/**
 * Reference forward pass: one block at a time, naive loops, float64; with `float32`, in the float32 order of
 * `compileMlp` (each dense product and running sum rounded to float32, every layer's outputs rounded).
 * Returns blocks × outputDim.
 */
export function mlpForwardNaive(spec: MlpSpec, input: ArrayLike<number>, blocks: number, opts: { float32?: boolean } = {}): Float64Array {
  checkSpec(spec);
  const r = opts.float32 ? Math.fround : (v: number) => v;
  const out = new Float64Array(blocks * spec.outputDim);
  for (let b = 0; b < blocks; b++) {
    let a = new Float64Array(spec.inputDim);
    for (let i = 0; i < spec.inputDim; i++) a[i] = r(input[b * spec.inputDim + i]);
    for (const layer of spec.layers) {
      if (layer.kind === 'dense') {
        const z = new Float64Array(layer.outDim);
        for (let o = 0; o < layer.outDim; o++) {
          let s = layer.bias[o];
          for (let i = 0; i < layer.inDim; i++) {
            const w = layer.kernel[i * layer.outDim + o];
            if (w !== 0 || !opts.float32) s = r(s + r(a[i] * w));
          }
          z[o] = s;
        }
        applyActivation(layer.activation, z, 0, z.length);
        for (let o = 0; o < z.length; o++) z[o] = r(z[o]);
        a = z;
      } else if (layer.kind === 'layerNorm') {
        let mean = 0;
        for (const v of a) mean += v;
        mean /= a.length;
        let vr = 0;
        for (const v of a) vr += (v - mean) * (v - mean);
        vr /= a.length;
        const inv = 1 / Math.sqrt(vr + layer.epsilon);
        for (let i = 0; i < a.length; i++) a[i] = r((a[i] - mean) * inv * layer.gamma[i] + layer.beta[i]);
      } else {
        applyActivation(layer.activation, a, 0, a.length);
        for (let i = 0; i < a.length; i++) a[i] = r(a[i]);
      }
    }
    out.set(a, b * spec.outputDim);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Code generation: one straight-line function per network.

function lit(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`mlp: non-finite weight ${v}`);
  return Object.is(v, -0) ? '0' : String(v);
}

function actExpr(act: Activation, v: string, F: Round): string {
  switch (act) {
    case 'linear':
      return v;
    case 'relu':
      return `(${v} > 0 ? ${v} : 0)`;
    case 'elu':
      return F(`${v} > 0 ? ${v} : Math.expm1(${v})`);
    case 'selu':
      return F(`${v} > 0 ? ${SELU_SCALE} * ${v} : ${SELU_SCALE * SELU_ALPHA} * Math.expm1(${v})`);
    case 'tanh':
      return F(`Math.tanh(${v})`);
    case 'sigmoid':
      return F(`1 / (1 + Math.exp(-${v}))`);
    default:
      throw new Error(`mlp codegen: activation ${act} is not elementwise`);
  }
}

/** Emits statements computing the network's outputs of one block into locals; returns their names. */
function emitBody(layers: MlpLayer[], inputDim: number, lines: string[], F: Round): string[] {
  let cur: string[] = [];
  for (let i = 0; i < inputDim; i++) {
    lines.push(`const x${i} = inp[io + ${i}];`);
    cur.push(`x${i}`);
  }
  let li = 0;
  const emitSoftmax = (names: string[], p: string): string[] => {
    lines.push(`let ${p}m = ${names[0]};`);
    for (let i = 1; i < names.length; i++) lines.push(`if (${names[i]} > ${p}m) ${p}m = ${names[i]};`);
    const e = names.map((nm, i) => `${p}e${i}`);
    names.forEach((nm, i) => lines.push(`const ${e[i]} = Math.exp(${nm} - ${p}m);`));
    lines.push(`const ${p}s = ${e.join(' + ')};`);
    return e.map((nm, i) => {
      lines.push(`const ${p}${i} = ${F(`${nm} / ${p}s`)};`);
      return `${p}${i}`;
    });
  };
  /** The activation of unit o of a dense layer (pre-activation `${p}z${o}`): its name after any statement. */
  const emitActivation = (activation: Activation, p: string, o: number): string => {
    if (activation === 'linear' || activation === 'softmax') return `${p}z${o}`;
    lines.push(`const ${p}${o} = ${actExpr(activation, `${p}z${o}`, F)};`);
    return `${p}${o}`;
  };
  for (const l of layers) {
    const p = `l${li++}_`;
    if (l.kind === 'dense') {
      const out: string[] = [];
      for (let o = 0; o < l.outDim; o++) {
        // bias + x0 * w0 + x1 * w1 … in input order; in float32: F(F(F(bias) + F(x0 * w0)) + F(x1 * w1)) …
        let sum = F(lit(l.bias[o]));
        for (let i = 0; i < l.inDim; i++) {
          const w = l.kernel[i * l.outDim + o];
          if (w !== 0) sum = F(`${sum} + ${F(`${cur[i]} * ${lit(w)}`)}`);
        }
        lines.push(`const ${p}z${o} = ${sum};`);
        out.push(emitActivation(l.activation, p, o));
      }
      cur = l.activation === 'softmax' ? emitSoftmax(out, `${p}sm`) : out;
    } else if (l.kind === 'layerNorm') {
      lines.push(`const ${p}mu = (${cur.join(' + ')}) / ${cur.length};`);
      cur.forEach((nm, i) => lines.push(`const ${p}c${i} = ${nm} - ${p}mu;`));
      lines.push(`const ${p}inv = 1 / Math.sqrt((${cur.map((_, i) => `${p}c${i} * ${p}c${i}`).join(' + ')}) / ${cur.length} + ${lit(l.epsilon)});`);
      cur = cur.map((_, i) => {
        lines.push(`const ${p}${i} = ${F(`${p}c${i} * ${p}inv * ${lit(l.gamma[i])} + ${lit(l.beta[i])}`)};`);
        return `${p}${i}`;
      });
    } else if (l.activation === 'softmax') {
      cur = emitSoftmax(cur, `${p}sm`);
    } else {
      cur = cur.map((nm, i) => {
        lines.push(`const ${p}${i} = ${actExpr(l.activation, nm, F)};`);
        return `${p}${i}`;
      });
    }
  }
  return cur;
}

type ArgmaxFn = (inp: Float32Array, blocks: number, decided: Int32Array) => void;

/** Wraps an expression in the rounding of the arithmetic the code is generated for (identity in float64). */
type Round = (expr: string) => string;
const rounding = (float32: boolean): Round => (float32 ? (e) => `F(${e})` : (e) => e);

function codegenArgmax(layers: MlpLayer[], inputDim: number, float32: boolean): ArgmaxFn {
  const lines: string[] = [];
  const outs = emitBody(layers, inputDim, lines, rounding(float32));
  lines.push(`let best = ${outs[0]}, arg = 0;`);
  for (let o = 1; o < outs.length; o++) lines.push(`if (${outs[o]} > best) { best = ${outs[o]}; arg = ${o}; }`);
  lines.push('decided[b] = arg;');
  const src = `"use strict";\n${float32 ? 'const F = Math.fround;\n' : ''}for (let b = 0, io = 0; b < blocks; b++, io += ${inputDim}) {\n${lines.join('\n')}\n}`;
  return new Function('inp', 'blocks', 'decided', src) as ArgmaxFn;
}

/** Sign decisions of the k outputs packed into the message index (output 0 = most significant bit). */
function codegenBits(layers: MlpLayer[], inputDim: number, float32: boolean): ArgmaxFn {
  const lines: string[] = [];
  const outs = emitBody(layers, inputDim, lines, rounding(float32));
  const k = outs.length;
  lines.push(`decided[b] = ${outs.map((o, j) => `(${o} > 0 ? ${2 ** (k - 1 - j)} : 0)`).join(' | ')};`);
  const src = `"use strict";\n${float32 ? 'const F = Math.fround;\n' : ''}for (let b = 0, io = 0; b < blocks; b++, io += ${inputDim}) {\n${lines.join('\n')}\n}`;
  return new Function('inp', 'blocks', 'decided', src) as ArgmaxFn;
}

/** Layers for sign decisions: the spec without a trailing sigmoid (sigmoid(z) > ½ ⇔ z > 0). */
function bitLayers(spec: MlpSpec): MlpLayer[] {
  const layers = spec.layers.slice();
  const last = layers[layers.length - 1];
  if (last?.kind === 'activation' && last.activation === 'sigmoid') layers.pop();
  else if (last?.kind === 'dense' && last.activation === 'sigmoid') layers[layers.length - 1] = { ...last, activation: 'linear' };
  return layers;
}

/**
 * Compiles a spec into a reusable decision function, in float64 (default) or, with `float32`, in the float32
 * order described at the top.
 */
export function compileMlp(spec: MlpSpec, opts: { float32?: boolean } = {}): CompiledMlp {
  checkSpec(spec);
  const { inputDim, outputDim } = spec;
  const f32 = opts.float32 === true;
  // The decision the spec is for is generated now (a bad weight fails here); the other one on first use.
  let argmax: ArgmaxFn | undefined = spec.output === 'bits' ? undefined : codegenArgmax(argmaxLayers(spec), inputDim, f32);
  let bits: ArgmaxFn | undefined = spec.output === 'bits' ? codegenBits(bitLayers(spec), inputDim, f32) : undefined;
  const check = (input: Float32Array, blocks: number, decided: Int32Array) => {
    if (input.length < blocks * inputDim || decided.length < blocks) throw new Error('mlp: buffers too short');
  };
  return {
    inputDim,
    outputDim,
    argmax: (input, blocks, decided) => {
      check(input, blocks, decided);
      (argmax ??= codegenArgmax(argmaxLayers(spec), inputDim, f32))(input, blocks, decided);
    },
    bits: (input, blocks, decided) => {
      if (outputDim > 24) throw new Error(`mlp.bits: ${outputDim} outputs, at most 24 bits`);
      check(input, blocks, decided);
      (bits ??= codegenBits(bitLayers(spec), inputDim, f32))(input, blocks, decided);
    },
  };
}

/** A dense MLP spec with seeded uniform (Glorot-like) random weights; for benchmarks and tests. */
export function randomMlpSpec(dims: number[], hidden: Activation, uniform: () => number, last: Activation = 'linear'): MlpSpec {
  const layers: MlpLayer[] = [];
  for (let l = 0; l + 1 < dims.length; l++) {
    const inDim = dims[l];
    const outDim = dims[l + 1];
    const lim = Math.sqrt(6 / (inDim + outDim));
    const kernel = new Float32Array(inDim * outDim).map(() => (2 * uniform() - 1) * lim);
    const bias = new Float32Array(outDim).map(() => 0.1 * (2 * uniform() - 1));
    layers.push({ kind: 'dense', inDim, outDim, kernel, bias, activation: l + 2 === dims.length ? last : hidden });
  }
  return { inputDim: dims[0], outputDim: dims[dims.length - 1], layers };
}
