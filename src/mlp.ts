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
 * All arithmetic is in float64 on float32 weights (tfjs computes in float32; logits differ by rounding
 * only). `argmax` returns the first index of the largest output, and skips a trailing softmax (monotone:
 * argmax of logits = argmax of probabilities) - there is no softmax on the Monte Carlo path.
 */
import type { Activation, MlpLayer, MlpSpec } from './system.ts';

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

/** Reference forward pass: one block at a time, naive loops, float64. Returns blocks × outputDim. */
export function mlpForwardNaive(spec: MlpSpec, input: ArrayLike<number>, blocks: number): Float64Array {
  checkSpec(spec);
  const out = new Float64Array(blocks * spec.outputDim);
  for (let b = 0; b < blocks; b++) {
    let a = new Float64Array(spec.inputDim);
    for (let i = 0; i < spec.inputDim; i++) a[i] = input[b * spec.inputDim + i];
    for (const layer of spec.layers) {
      if (layer.kind === 'dense') {
        const z = new Float64Array(layer.outDim);
        for (let o = 0; o < layer.outDim; o++) {
          let s = layer.bias[o];
          for (let i = 0; i < layer.inDim; i++) s += a[i] * layer.kernel[i * layer.outDim + o];
          z[o] = s;
        }
        applyActivation(layer.activation, z, 0, z.length);
        a = z;
      } else if (layer.kind === 'layerNorm') {
        let mean = 0;
        for (const v of a) mean += v;
        mean /= a.length;
        let vr = 0;
        for (const v of a) vr += (v - mean) * (v - mean);
        vr /= a.length;
        const inv = 1 / Math.sqrt(vr + layer.epsilon);
        for (let i = 0; i < a.length; i++) a[i] = (a[i] - mean) * inv * layer.gamma[i] + layer.beta[i];
      } else {
        applyActivation(layer.activation, a, 0, a.length);
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

function actExpr(act: Activation, v: string): string {
  switch (act) {
    case 'linear':
      return v;
    case 'relu':
      return `(${v} > 0 ? ${v} : 0)`;
    case 'elu':
      return `(${v} > 0 ? ${v} : Math.expm1(${v}))`;
    case 'selu':
      return `(${v} > 0 ? ${SELU_SCALE} * ${v} : ${SELU_SCALE * SELU_ALPHA} * Math.expm1(${v}))`;
    case 'tanh':
      return `Math.tanh(${v})`;
    case 'sigmoid':
      return `(1 / (1 + Math.exp(-${v})))`;
    default:
      throw new Error(`mlp codegen: activation ${act} is not elementwise`);
  }
}

/** Emits statements computing the network's outputs of one block into locals; returns their names. */
function emitBody(layers: MlpLayer[], inputDim: number, lines: string[]): string[] {
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
      lines.push(`const ${p}${i} = ${nm} / ${p}s;`);
      return `${p}${i}`;
    });
  };
  /** The activation of unit o of a dense layer (pre-activation `${p}z${o}`): its name after any statement. */
  const emitActivation = (activation: Activation, p: string, o: number): string => {
    if (activation === 'linear' || activation === 'softmax') return `${p}z${o}`;
    lines.push(`const ${p}${o} = ${actExpr(activation, `${p}z${o}`)};`);
    return `${p}${o}`;
  };
  for (const l of layers) {
    const p = `l${li++}_`;
    if (l.kind === 'dense') {
      const out: string[] = [];
      for (let o = 0; o < l.outDim; o++) {
        const terms = [lit(l.bias[o])];
        for (let i = 0; i < l.inDim; i++) {
          const w = l.kernel[i * l.outDim + o];
          if (w !== 0) terms.push(`${cur[i]} * ${lit(w)}`);
        }
        lines.push(`const ${p}z${o} = ${terms.join(' + ')};`);
        out.push(emitActivation(l.activation, p, o));
      }
      cur = l.activation === 'softmax' ? emitSoftmax(out, `${p}sm`) : out;
    } else if (l.kind === 'layerNorm') {
      lines.push(`const ${p}mu = (${cur.join(' + ')}) / ${cur.length};`);
      cur.forEach((nm, i) => lines.push(`const ${p}c${i} = ${nm} - ${p}mu;`));
      lines.push(`const ${p}inv = 1 / Math.sqrt((${cur.map((_, i) => `${p}c${i} * ${p}c${i}`).join(' + ')}) / ${cur.length} + ${lit(l.epsilon)});`);
      cur = cur.map((_, i) => {
        lines.push(`const ${p}${i} = ${p}c${i} * ${p}inv * ${lit(l.gamma[i])} + ${lit(l.beta[i])};`);
        return `${p}${i}`;
      });
    } else if (l.activation === 'softmax') {
      cur = emitSoftmax(cur, `${p}sm`);
    } else {
      cur = cur.map((nm, i) => {
        lines.push(`const ${p}${i} = ${actExpr(l.activation, nm)};`);
        return `${p}${i}`;
      });
    }
  }
  return cur;
}

type ArgmaxFn = (inp: Float32Array, blocks: number, decided: Int32Array) => void;

function codegenArgmax(layers: MlpLayer[], inputDim: number): ArgmaxFn {
  const lines: string[] = [];
  const outs = emitBody(layers, inputDim, lines);
  lines.push(`let best = ${outs[0]}, arg = 0;`);
  for (let o = 1; o < outs.length; o++) lines.push(`if (${outs[o]} > best) { best = ${outs[o]}; arg = ${o}; }`);
  lines.push('decided[b] = arg;');
  const src = `"use strict";\nfor (let b = 0, io = 0; b < blocks; b++, io += ${inputDim}) {\n${lines.join('\n')}\n}`;
  return new Function('inp', 'blocks', 'decided', src) as ArgmaxFn;
}

/** Sign decisions of the k outputs packed into the message index (output 0 = most significant bit). */
function codegenBits(layers: MlpLayer[], inputDim: number): ArgmaxFn {
  const lines: string[] = [];
  const outs = emitBody(layers, inputDim, lines);
  const k = outs.length;
  lines.push(`decided[b] = ${outs.map((o, j) => `(${o} > 0 ? ${2 ** (k - 1 - j)} : 0)`).join(' | ')};`);
  const src = `"use strict";\nfor (let b = 0, io = 0; b < blocks; b++, io += ${inputDim}) {\n${lines.join('\n')}\n}`;
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

/** Compiles a spec into a reusable decision function. */
export function compileMlp(spec: MlpSpec): CompiledMlp {
  checkSpec(spec);
  const { inputDim, outputDim } = spec;
  // The decision the spec is for is generated now (a bad weight fails here); the other one on first use.
  let argmax: ArgmaxFn | undefined = spec.output === 'bits' ? undefined : codegenArgmax(argmaxLayers(spec), inputDim);
  let bits: ArgmaxFn | undefined = spec.output === 'bits' ? codegenBits(bitLayers(spec), inputDim) : undefined;
  const check = (input: Float32Array, blocks: number, decided: Int32Array) => {
    if (input.length < blocks * inputDim || decided.length < blocks) throw new Error('mlp: buffers too short');
  };
  return {
    inputDim,
    outputDim,
    argmax: (input, blocks, decided) => {
      check(input, blocks, decided);
      (argmax ??= codegenArgmax(argmaxLayers(spec), inputDim))(input, blocks, decided);
    },
    bits: (input, blocks, decided) => {
      if (outputDim > 24) throw new Error(`mlp.bits: ${outputDim} outputs, at most 24 bits`);
      check(input, blocks, decided);
      (bits ??= codegenBits(bitLayers(spec), inputDim))(input, blocks, decided);
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
