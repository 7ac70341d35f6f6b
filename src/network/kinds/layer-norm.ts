/** Layer normalization over each row (src/layers/LayerNorm, and tfjs-layers' LayerNormalization in older saved models). */
import * as tf from '@tensorflow/tfjs';
import type { PassLayer, PassNorm } from '../../autoencoder/backend-decoder-pass.ts';
import { wasmLayerNorm, type LayerNormKernels } from '../../wasm/kernels/layer-norm.ts';
import { LayerNorm, layerNormOps } from '../../layers/layer-norm.ts';
import { hiddenOptionSpec } from '../hidden-options.ts';
import { hiddenOption, type LayerKind, type OptionLayerKind } from '../kind.ts';
import type { PassContext, Tape, TrainOp } from '../op.ts';

class LayerNormOp implements TrainOp {
  readonly kind = 'layerNorm';
  readonly macs = 0;
  readonly outDim: number;
  private readonly wasm: LayerNormKernels | undefined;
  constructor(
    readonly gamma: number,
    readonly beta: number,
    readonly inDim: number,
    readonly epsilon: number,
  ) {
    this.outDim = inDim;
    this.wasm = wasmLayerNorm(inDim);
  }

  forward(c: PassContext, h: Float32Array | null, rows: number, name: string, tapes: Tape[]): Float32Array {
    const x = h!;
    const d = this.inDim;
    const out = c.buf(name, rows * d);
    const xhat = c.buf(`${name}X`, rows * d);
    const inv = c.buf(`${name}R`, rows);
    (this.wasm?.forward ?? layerNormForward)(x, rows, d, c.views[this.gamma], c.views[this.beta], this.epsilon, out, xhat, inv);
    tapes.push({ input: x, output: out, a: xhat, b: inv });
    return out;
  }

  backward(c: PassContext, tape: Tape, d: Float32Array, rows: number, name: string): Float32Array {
    const dIn = c.buf(`${name}dX`, rows * this.inDim);
    (this.wasm?.backward ?? layerNormBackward)(
      d,
      rows,
      this.inDim,
      tape.a!,
      tape.b!,
      c.views[this.gamma],
      c.gradViews[this.gamma],
      c.gradViews[this.beta],
      dIn,
    );
    return dIn;
  }

  toPass(layers: PassLayer[], c: PassContext): boolean {
    const last = layers[layers.length - 1];
    if (!last || last.activation !== 'linear' || last.norm) return false;
    last.norm = layerNormPass(c.views[this.gamma], c.views[this.beta], c.gradViews[this.gamma], c.gradViews[this.beta], this.epsilon);
    return true;
  }
}

/** Layer normalization as backend ops inside the decoder pass (backend-decoder-pass.ts). */
function layerNormPass(gamma: Float32Array, beta: Float32Array, dGamma: Float32Array, dBeta: Float32Array, epsilon: number): PassNorm {
  return {
    forward(z) {
      // x̂ = (z − mean)/√(var + ε) per row, then γ·x̂ + β, as LayerNorm and the JavaScript op compute it.
      const centered = tf.sub(z, tf.mean(z, 1, true));
      const inv = tf.rsqrt(tf.add(tf.mean(tf.square(centered), 1, true), epsilon)) as tf.Tensor2D;
      const xhat = tf.mul(centered, inv) as tf.Tensor2D;
      const g = tf.tensor1d(gamma);
      return { out: tf.add(tf.mul(xhat, g), tf.tensor1d(beta)) as tf.Tensor2D, saved: [xhat, inv, g] };
    },
    backward(d, [xhat, inv, g], grads, into) {
      // dγ = Σ d·x̂, dβ = Σ d; with g = d·γ: dz = (1/σ)·(g − mean(g) − x̂·mean(g·x̂)) per row.
      grads.push(tf.sum(tf.mul(d, xhat), 0), tf.sum(d, 0));
      into.push(dGamma, dBeta);
      const dg = tf.mul(d, g);
      return tf.mul(inv, tf.sub(tf.sub(dg, tf.mean(dg, 1, true)), tf.mul(xhat, tf.mean(tf.mul(dg, xhat), 1, true)))) as tf.Tensor2D;
    },
  };
}

export const layerNormKind: OptionLayerKind<'layerNorm'> = {
  name: 'layerNorm',
  matches: (layer) => layer.getClassName() === 'LayerNorm',
  train: (layer, ctx, inDim) => [new LayerNormOp(ctx.slot(layer, 0), ctx.slot(layer, 1), inDim, (layer as LayerNorm).epsilon)],
  tf(layer, ctx) {
    const gamma = ctx.slot(layer, 0);
    const beta = ctx.slot(layer, 1);
    const { epsilon } = layer as LayerNorm;
    return (h, p) => layerNormOps(h, p[gamma], p[beta], epsilon);
  },
  mlp(layer, dim, layers) {
    layers.push({ kind: 'layerNorm', dim, ...(layer as LayerNorm).parameters(), epsilon: (layer as LayerNorm).epsilon });
    return dim;
  },
  option: hiddenOption({
    ...hiddenOptionSpec('layerNorm'),
    layer: () => new LayerNorm(),
  }),
};

/** tfjs-layers' own layer normalization (models saved before LayerNorm replaced it): Monte Carlo only. */
export const tfLayerNormalizationKind: LayerKind = {
  name: 'tfLayerNormalization',
  matches: (layer) => layer.getClassName() === 'LayerNormalization',
  mlp(layer, dim, layers) {
    const cfg = layer.getConfig() as { epsilon?: number; center?: boolean; scale?: boolean };
    const weights = layer.getWeights();
    let wi = 0;
    const gamma = cfg.scale === false ? new Float32Array(dim).fill(1) : Float32Array.from(weights[wi++].dataSync() as Float32Array);
    const beta = cfg.center === false ? new Float32Array(dim) : Float32Array.from(weights[wi++].dataSync() as Float32Array);
    layers.push({ kind: 'layerNorm', dim, gamma, beta, epsilon: cfg.epsilon ?? 1e-3 });
    return dim;
  },
};

/**
 * Layer normalization of each row of x (rows × d): x̂ = (x − mean)/√(var + ε), out = γ·x̂ + β; keeps x̂ and
 * 1/√(var + ε) for the backward pass. In doubles; used where layer-norm-wasm.ts does not apply (d not a
 * multiple of 4, no WebAssembly SIMD).
 */
function layerNormForward(
  x: Float32Array,
  rows: number,
  d: number,
  gamma: Float32Array,
  beta: Float32Array,
  epsilon: number,
  out: Float32Array,
  xhat: Float32Array,
  inv: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let mean = 0;
    for (let j = 0; j < d; j++) mean += x[o + j];
    mean /= d;
    let variance = 0;
    for (let j = 0; j < d; j++) {
      const c = x[o + j] - mean;
      variance += c * c;
    }
    variance /= d;
    const ri = 1 / Math.sqrt(variance + epsilon);
    inv[r] = ri;
    for (let j = 0; j < d; j++) {
      const xh = (x[o + j] - mean) * ri;
      xhat[o + j] = xh;
      out[o + j] = gamma[j] * xh + beta[j];
    }
  }
}

/** Back through layerNormForward: dγ += Σ d·x̂, dβ += Σ d; with g = d·γ, dx = (1/σ)·(g − mean(g) − x̂·mean(g·x̂)) per row. */
function layerNormBackward(
  d: Float32Array,
  rows: number,
  dim: number,
  xhat: Float32Array,
  inv: Float32Array,
  gamma: Float32Array,
  dGamma: Float32Array,
  dBeta: Float32Array,
  dIn: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let meanG = 0;
    let meanGX = 0;
    for (let j = 0; j < dim; j++) {
      const dy = d[o + j];
      dGamma[j] += dy * xhat[o + j];
      dBeta[j] += dy;
      const g = dy * gamma[j];
      meanG += g;
      meanGX += g * xhat[o + j];
    }
    meanG /= dim;
    meanGX /= dim;
    for (let j = 0; j < dim; j++) dIn[o + j] = inv[r] * (d[o + j] * gamma[j] - meanG - xhat[o + j] * meanGX);
  }
}
