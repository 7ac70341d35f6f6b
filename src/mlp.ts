/**
 * Plain-TypeScript forward pass of a compiled decoder network (`MlpSpec`), for Monte Carlo.
 *
 * Three implementations of the same function:
 * - `mlpForwardNaive`: the obvious triple loop, one block at a time, in doubles. The reference in tests.
 * - a generic tiled pass (`compileMlp(spec, { codegen: false })`): blocks in tiles, transposed float64
 *   kernels so each output is a contiguous dot product accumulated in a register.
 * - the default fast path: a straight-line function generated for this very network (weights become
 *   numeric literals, every loop unrolled, the hidden activations live in locals, the argmax is a running
 *   comparison). V8 compiles it to register code with no bounds checks or index arithmetic. It is used
 *   when the network is small (the autoencoder decoders are: 7 → 16 → 16 is 368 multiply-adds) and the
 *   runtime allows `new Function`; otherwise the tiled pass is used.
 *
 * All arithmetic is in float64 on float32 weights (tfjs computes in float32; logits differ by rounding
 * only). `argmax` returns the first index of the largest output, and skips a trailing softmax (monotone:
 * argmax of logits = argmax of probabilities) - there is no softmax on the Monte Carlo path.
 */
import type { Activation, MlpLayer, MlpSpec } from './system.ts';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

export interface CompiledMlp {
  readonly inputDim: number;
  readonly outputDim: number;
  /** Which implementation serves `argmax`. */
  readonly impl: 'codegen' | 'tiled';
  /** outputs (blocks × outputDim, including any final activation) of input (blocks × inputDim). */
  forward(input: Float32Array, blocks: number, out: Float32Array | Float64Array): void;
  /** decided[b] = first index of the largest output of block b (a trailing softmax is skipped). */
  argmax(input: Float32Array, blocks: number, decided: Int32Array): void;
}

function applyActivation(act: Activation, v: Float64Array, off: number, len: number): void {
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
function argmaxLayers(spec: MlpSpec): MlpLayer[] {
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
// Tiled generic pass.

const TILE = 64;

interface TiledLayer {
  kind: MlpLayer['kind'];
  inDim: number;
  outDim: number;
  /** dense: outDim × inDim (transposed), float64. */
  kernelT?: Float64Array;
  bias?: Float64Array;
  gamma?: Float64Array;
  beta?: Float64Array;
  epsilon?: number;
  activation: Activation;
}

function makeTiled(layers: MlpLayer[], inputDim: number): { run: (input: Float32Array, b0: number, nb: number) => Float64Array; outDim: number } {
  let d = inputDim;
  let maxDim = inputDim;
  const tl: TiledLayer[] = layers.map((l) => {
    if (l.kind === 'dense') {
      const kt = new Float64Array(l.inDim * l.outDim);
      for (let i = 0; i < l.inDim; i++) for (let o = 0; o < l.outDim; o++) kt[o * l.inDim + i] = l.kernel[i * l.outDim + o];
      d = l.outDim;
      maxDim = Math.max(maxDim, d);
      return { kind: 'dense', inDim: l.inDim, outDim: l.outDim, kernelT: kt, bias: Float64Array.from(l.bias), activation: l.activation };
    }
    if (l.kind === 'layerNorm') {
      return { kind: 'layerNorm', inDim: d, outDim: d, gamma: Float64Array.from(l.gamma), beta: Float64Array.from(l.beta), epsilon: l.epsilon, activation: 'linear' };
    }
    return { kind: 'activation', inDim: d, outDim: d, activation: l.activation };
  });
  const bufA = new Float64Array(TILE * maxDim);
  const bufB = new Float64Array(TILE * maxDim);
  const run = (input: Float32Array, b0: number, nb: number): Float64Array => {
    let a = bufA;
    let z = bufB;
    const src = input.subarray(b0 * inputDim, (b0 + nb) * inputDim);
    for (let i = 0; i < nb * inputDim; i++) a[i] = src[i];
    for (const l of tl) {
      const inD = l.inDim;
      const outD = l.outDim;
      if (l.kind === 'dense') {
        const kt = l.kernelT!;
        const bias = l.bias!;
        for (let b = 0; b < nb; b++) {
          const ai = b * inD;
          const zo = b * outD;
          for (let o = 0; o < outD; o++) {
            const ko = o * inD;
            let s = bias[o];
            for (let i = 0; i < inD; i++) s += a[ai + i] * kt[ko + i];
            z[zo + o] = s;
          }
        }
        if (l.activation !== 'linear') {
          if (l.activation === 'softmax') for (let b = 0; b < nb; b++) applyActivation('softmax', z, b * outD, outD);
          else applyActivation(l.activation, z, 0, nb * outD);
        }
        const t = a;
        a = z;
        z = t;
      } else if (l.kind === 'layerNorm') {
        const g = l.gamma!;
        const be = l.beta!;
        for (let b = 0; b < nb; b++) {
          const o = b * inD;
          let mean = 0;
          for (let i = 0; i < inD; i++) mean += a[o + i];
          mean /= inD;
          let vr = 0;
          for (let i = 0; i < inD; i++) vr += (a[o + i] - mean) * (a[o + i] - mean);
          const inv = 1 / Math.sqrt(vr / inD + l.epsilon!);
          for (let i = 0; i < inD; i++) a[o + i] = (a[o + i] - mean) * inv * g[i] + be[i];
        }
      } else if (l.activation === 'softmax') {
        for (let b = 0; b < nb; b++) applyActivation('softmax', a, b * inD, inD);
      } else {
        applyActivation(l.activation, a, 0, nb * inD);
      }
    }
    return a;
  };
  return { run, outDim: d };
}

// ---------------------------------------------------------------------------------------------------
// Code generation: one straight-line function per network.

/** Above this many multiply-adds per block the generated code gets too long; the tiled pass is used. */
const CODEGEN_MAX_MACS = 12000;

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
function emitBody(layers: MlpLayer[], inputDim: number, lines: string[], sparseRelu: boolean): string[] {
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
  let reluPre: string[] | undefined; // pre-activations when `cur` are their relus
  for (const l of layers) {
    const p = `l${li++}_`;
    const pre = reluPre;
    reluPre = undefined;
    if (l.kind === 'dense' && pre && sparseRelu) {
      // Input is relu(pre): accumulate only the rows of active units (about half of them are zero).
      const out: string[] = [];
      for (let o = 0; o < l.outDim; o++) lines.push(`let ${p}z${o} = ${lit(l.bias[o])};`);
      for (let i = 0; i < l.inDim; i++) {
        lines.push(`if (${pre[i]} > 0) {`);
        for (let o = 0; o < l.outDim; o++) {
          const w = l.kernel[i * l.outDim + o];
          if (w !== 0) lines.push(`${p}z${o} += ${pre[i]} * ${lit(w)};`);
        }
        lines.push('}');
      }
      for (let o = 0; o < l.outDim; o++) out.push(emitActivation(l.activation, p, o));
      if (l.activation === 'relu') reluPre = out.map((_, o) => `${p}z${o}`);
      cur = l.activation === 'softmax' ? emitSoftmax(out, `${p}sm`) : out;
    } else if (l.kind === 'dense') {
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
      if (l.activation === 'relu') reluPre = out.map((_, o) => `${p}z${o}`);
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

function macs(layers: MlpLayer[]): number {
  return layers.reduce((s, l) => s + (l.kind === 'dense' ? l.inDim * l.outDim : 0), 0);
}

type ArgmaxFn = (inp: Float32Array, blocks: number, decided: Int32Array) => void;
type ForwardFn = (inp: Float32Array, blocks: number, out: Float32Array | Float64Array) => void;

function codegenArgmax(layers: MlpLayer[], inputDim: number, sparseRelu: boolean): ArgmaxFn {
  const lines: string[] = [];
  const outs = emitBody(layers, inputDim, lines, sparseRelu);
  lines.push(`let best = ${outs[0]}, arg = 0;`);
  for (let o = 1; o < outs.length; o++) lines.push(`if (${outs[o]} > best) { best = ${outs[o]}; arg = ${o}; }`);
  lines.push('decided[b] = arg;');
  const src = `"use strict";\nfor (let b = 0, io = 0; b < blocks; b++, io += ${inputDim}) {\n${lines.join('\n')}\n}`;
  return new Function('inp', 'blocks', 'decided', src) as ArgmaxFn;
}

function codegenForward(layers: MlpLayer[], inputDim: number, sparseRelu: boolean): ForwardFn {
  const lines: string[] = [];
  const outs = emitBody(layers, inputDim, lines, sparseRelu);
  outs.forEach((nm, o) => lines.push(`out[oo + ${o}] = ${nm};`));
  const src = `"use strict";\nfor (let b = 0, io = 0, oo = 0; b < blocks; b++, io += ${inputDim}, oo += ${outs.length}) {\n${lines.join('\n')}\n}`;
  return new Function('inp', 'blocks', 'out', src) as ForwardFn;
}

export interface CompileMlpOptions {
  /** Use generated straight-line code when possible (default true). */
  codegen?: boolean;
  /**
   * Generated code only: after a relu layer, accumulate the next dense layer row by row and skip inactive
   * units (a branch per unit) instead of full dot products. Default false.
   */
  sparseRelu?: boolean;
}

/** Compiles a spec into a reusable forward pass (not thread-safe: owns scratch buffers). */
export function compileMlp(spec: MlpSpec, opts: CompileMlpOptions = {}): CompiledMlp {
  checkSpec(spec);
  const { inputDim, outputDim } = spec;
  const amLayers = argmaxLayers(spec);
  let argmaxFn: ArgmaxFn | undefined;
  let forwardFn: ForwardFn | undefined;
  if (opts.codegen !== false && macs(spec.layers) <= CODEGEN_MAX_MACS) {
    try {
      argmaxFn = codegenArgmax(amLayers, inputDim, opts.sparseRelu ?? false);
      forwardFn = codegenForward(spec.layers, inputDim, opts.sparseRelu ?? false);
    } catch {
      argmaxFn = undefined; // e.g. a runtime that forbids new Function: fall back to the tiled pass
      forwardFn = undefined;
    }
  }
  const impl = argmaxFn ? 'codegen' : 'tiled';
  if (!argmaxFn || !forwardFn) {
    const full = makeTiled(spec.layers, inputDim);
    const am = makeTiled(amLayers, inputDim);
    forwardFn = (inp, blocks, out) => {
      for (let b0 = 0; b0 < blocks; b0 += TILE) {
        const nb = Math.min(TILE, blocks - b0);
        const a = full.run(inp, b0, nb);
        for (let i = 0; i < nb * outputDim; i++) out[b0 * outputDim + i] = a[i];
      }
    };
    argmaxFn = (inp, blocks, decided) => {
      for (let b0 = 0; b0 < blocks; b0 += TILE) {
        const nb = Math.min(TILE, blocks - b0);
        const a = am.run(inp, b0, nb);
        for (let b = 0; b < nb; b++) {
          const o = b * outputDim;
          let best = a[o];
          let arg = 0;
          for (let j = 1; j < outputDim; j++) {
            if (a[o + j] > best) {
              best = a[o + j];
              arg = j;
            }
          }
          decided[b0 + b] = arg;
        }
      }
    };
  }
  const fwd = forwardFn;
  const amx = argmaxFn;
  return {
    inputDim,
    outputDim,
    impl,
    forward: (input, blocks, out) => {
      if (input.length < blocks * inputDim || out.length < blocks * outputDim) throw new Error('mlp.forward: buffers too short');
      fwd(input, blocks, out);
    },
    argmax: (input, blocks, decided) => {
      if (input.length < blocks * inputDim || decided.length < blocks) throw new Error('mlp.argmax: buffers too short');
      amx(input, blocks, decided);
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
