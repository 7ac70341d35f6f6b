/**
 * Batch normalization (src/layers/batch-norm.ts) between a hidden layer's dense map and its activation.
 *
 * JavaScript op, training: per feature j the batch's mean μ_j = Σ_r w_r·x_rj and biased variance
 * σ²_j = Σ_r w_r·(x_rj − μ_j)², with w_r = c_r/B where the pass runs on the encoder's M one-hot rows that the
 * batch holds c_r times each (the message-count-weighted statistics of the batch), else 1/B. x̂ = (x − μ)/√(σ² + ε),
 * out = γ·x̂ + β. With G = d·γ (d already summed over a row's copies), the exact backward pass is
 *   dx_rj = (1/√(σ²_j + ε))·(G_rj − w_r·Σ_r' G_r'j − w_r·x̂_rj·Σ_r' G_r'j·x̂_r'j),  dγ = Σ d·x̂, dβ = Σ d.
 * Each training forward pass moves the running statistics (kept here, written to the layer by writeTo).
 * Inference (a frozen encoder): the running statistics, dx = d·γ/√(σ²_run + ε).
 *
 * Monte Carlo: at inference the layer is a per-feature affine map, folded into the dense map before it.
 */
import { BatchNorm, batchNormTrainingOps } from '../../layers/batch-norm.ts';
import { hiddenOptionSpec } from '../hidden-options.ts';
import { hiddenOption, type OptionLayerKind } from '../kind.ts';
import type { PassContext, Tape, TrainOp } from '../op.ts';

class BatchNormOp implements TrainOp {
  readonly kind = 'batchNorm';
  readonly macs = 0;
  readonly outDim: number;
  private readonly movingMean: Float32Array;
  private readonly movingVariance: Float32Array;
  /** The mode of the last forward pass (its backward pass follows it). */
  private training = true;
  constructor(
    private readonly layer: BatchNorm,
    readonly gamma: number,
    readonly beta: number,
    readonly inDim: number,
  ) {
    this.outDim = inDim;
    this.movingMean = new Float32Array(inDim);
    this.movingVariance = new Float32Array(inDim);
  }

  batchDependent(training: boolean): boolean {
    return training;
  }

  /** Tape a: x̂ (rows × d); b: 1/√(σ² + ε) per feature. */
  forward(c: PassContext, h: Float32Array | null, rows: number, name: string, tapes: Tape[]): Float32Array {
    const x = h!;
    const d = this.inDim;
    const out = c.buf(name, rows * d);
    const xhat = c.buf(`${name}X`, rows * d);
    const inv = c.buf(`${name}R`, d);
    const gamma = c.views[this.gamma];
    const beta = c.views[this.beta];
    const { epsilon, momentum } = this.layer;
    this.training = c.training;
    for (let j = 0; j < d; j++) {
      let mean: number;
      let variance: number;
      if (c.training) {
        mean = 0;
        for (let r = 0; r < rows; r++) mean += weight(c, r, rows) * x[r * d + j];
        variance = 0;
        for (let r = 0; r < rows; r++) variance += weight(c, r, rows) * (x[r * d + j] - mean) ** 2;
        this.movingMean[j] -= (this.movingMean[j] - mean) * (1 - momentum);
        this.movingVariance[j] -= (this.movingVariance[j] - variance) * (1 - momentum);
      } else {
        mean = this.movingMean[j];
        variance = this.movingVariance[j];
      }
      const ri = 1 / Math.sqrt(variance + epsilon);
      inv[j] = ri;
      for (let r = 0; r < rows; r++) {
        const xh = (x[r * d + j] - mean) * ri;
        xhat[r * d + j] = xh;
        out[r * d + j] = gamma[j] * xh + beta[j];
      }
    }
    tapes.push({ input: x, output: out, a: xhat, b: inv });
    return out;
  }

  backward(c: PassContext, tape: Tape, dOut: Float32Array, rows: number, name: string): Float32Array {
    const d = this.inDim;
    const xhat = tape.a!;
    const inv = tape.b!;
    const gamma = c.views[this.gamma];
    const dGamma = c.gradViews[this.gamma];
    const dBeta = c.gradViews[this.beta];
    const dIn = c.buf(`${name}dX`, rows * d);
    for (let j = 0; j < d; j++) {
      let sumG = 0;
      let sumGX = 0;
      for (let r = 0; r < rows; r++) {
        const dy = dOut[r * d + j];
        dGamma[j] += dy * xhat[r * d + j];
        dBeta[j] += dy;
        sumG += dy * gamma[j];
        sumGX += dy * gamma[j] * xhat[r * d + j];
      }
      if (!this.training) sumG = sumGX = 0;
      for (let r = 0; r < rows; r++) {
        const w = weight(c, r, rows);
        dIn[r * d + j] = inv[j] * (dOut[r * d + j] * gamma[j] - w * sumG - w * xhat[r * d + j] * sumGX);
      }
    }
    return dIn;
  }

  toPass(): boolean {
    return false;
  }

  readState(): void {
    const { mean, variance } = this.layer.statistics();
    this.movingMean.set(mean);
    this.movingVariance.set(variance);
  }

  writeState(): void {
    this.layer.setStatistics(this.movingMean, this.movingVariance);
  }
}

/** Row r's share of the batch: c_r/B on the encoder's one-hot rows, 1/rows otherwise. */
const weight = (c: PassContext, r: number, rows: number): number => (c.counts ? c.counts[r] / c.batch : 1 / rows);

export const batchNormKind: OptionLayerKind<'batchNorm'> = {
  name: 'batchNorm',
  matches: (layer) => layer.getClassName() === 'BatchNorm',
  train: (layer, ctx, inDim) => [new BatchNormOp(layer as BatchNorm, ctx.slot(layer, 0), ctx.slot(layer, 1), inDim)],
  tf(layer, ctx) {
    const bn = layer as BatchNorm;
    const gamma = ctx.slot(layer, 0);
    const beta = ctx.slot(layer, 1);
    return (h, p) => {
      const { out, mean, variance } = batchNormTrainingOps(h, p[gamma], p[beta], bn.epsilon);
      bn.updateStatistics(mean, variance);
      return out;
    };
  },
  mlp(layer, dim, layers) {
    // γ·(x − μ)/√(σ² + ε) + β after x = h·K + b: the kernel's columns and the bias scaled and shifted.
    const prev = layers[layers.length - 1];
    if (prev?.kind !== 'dense' || prev.activation !== 'linear' || prev.outDim !== dim) {
      throw new Error(`decoder layer ${layer.name} (BatchNorm): the fast path folds batch normalization into a dense map without activation right before it`);
    }
    const bn = layer as BatchNorm;
    const [g, b] = bn.getWeights().map((w) => w.dataSync() as Float32Array);
    const { mean, variance } = bn.statistics();
    const kernel = Float32Array.from(prev.kernel);
    const bias = new Float32Array(dim);
    for (let j = 0; j < dim; j++) {
      const s = g[j] / Math.sqrt(variance[j] + bn.epsilon);
      for (let i = 0; i < prev.inDim; i++) kernel[i * dim + j] *= s;
      bias[j] = (prev.bias[j] - mean[j]) * s + b[j];
    }
    layers[layers.length - 1] = { ...prev, kernel, bias };
    return dim;
  },
  option: hiddenOption({
    ...hiddenOptionSpec('batchNorm'),
    layer: () => new BatchNorm(),
  }),
};
