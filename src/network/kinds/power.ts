/** Power normalization, the encoder's last layer (src/layers/power-normalization.ts): energy, energy-max or average power. */
import type * as tf from '@tensorflow/tfjs';
import type { PowerNormalization, PowerMode } from '../../layers/power-normalization.ts';
import type { LayerKind } from '../kind.ts';
import type { PassContext, Tape, TrainOp } from '../op.ts';

/** Added under the square roots, as the layer does. */
const POWER_EPS = 1e-12;

export class PowerOp implements TrainOp {
  readonly kind = 'power';
  readonly macs = 0;
  readonly outDim: number;
  constructor(
    readonly mode: PowerMode,
    readonly n: number,
    readonly inDim: number,
  ) {
    this.outDim = inDim;
  }

  batchDependent(): boolean {
    return this.mode === 'average-power';
  }

  /** Tape a: the per-row scale; b: per-row ‖e‖² + ε (or the batch mean's). */
  forward(c: PassContext, h: Float32Array | null, rows: number, name: string, tapes: Tape[]): Float32Array {
    const e = h!;
    const d = this.inDim;
    const out = c.buf(name, rows * d);
    const scale = c.buf(`${name}S`, rows);
    const energyEps = c.buf(`${name}E`, rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += e[r * d + j] ** 2;
      energyEps[r] = s + POWER_EPS;
    }
    if (this.mode === 'average-power') {
      // The batch mean of ‖x‖² when the batch holds counts[m] copies of row m.
      let mean = 0;
      for (let r = 0; r < rows; r++) mean += (c.counts ? c.counts[r] : 1) * (energyEps[r] - POWER_EPS);
      const pe = mean / c.batch + POWER_EPS;
      const s = Math.sqrt(this.n / pe);
      scale.fill(s);
      energyEps.fill(pe);
    } else {
      for (let r = 0; r < rows; r++) {
        const s = Math.sqrt(this.n / energyEps[r]);
        scale[r] = this.mode === 'energy-max' ? Math.min(1, s) : s;
      }
    }
    for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) out[r * d + j] = e[r * d + j] * scale[r];
    tapes.push({ input: e, output: out, a: scale, b: energyEps });
    return out;
  }

  backward(c: PassContext, tape: Tape, d: Float32Array, rows: number, name: string): Float32Array {
    const dim = this.inDim;
    const e = tape.input!;
    const scale = tape.a!;
    const energyEps = tape.b!;
    const dIn = c.buf(`${name}dX`, rows * dim);
    if (this.mode === 'average-power') {
      // x_m = s·e_m, s = √(n/P), P = Σ_m c_m‖e_m‖²/B (+ε): de_m = s·g_m − (s/P)(c_m/B)·e_m·Σ_m'⟨g_m', e_m'⟩.
      const s = scale[0];
      const pe = energyEps[0];
      let dot = 0;
      for (let i = 0; i < rows * dim; i++) dot += d[i] * e[i];
      for (let r = 0; r < rows; r++) {
        const cr = (s / pe) * ((c.counts ? c.counts[r] : 1) / c.batch) * dot;
        for (let j = 0; j < dim; j++) dIn[r * dim + j] = s * d[r * dim + j] - cr * e[r * dim + j];
      }
    } else {
      // x = s·e with s = √(n/(‖e‖²+ε)) (capped at 1 for energy-max): de = s·g − (s/(‖e‖²+ε))·e·⟨g, e⟩.
      for (let r = 0; r < rows; r++) {
        const o = r * dim;
        const s = scale[r];
        if (this.mode === 'energy-max' && Math.sqrt(this.n / energyEps[r]) >= 1) {
          for (let j = 0; j < dim; j++) dIn[o + j] = d[o + j];
          continue;
        }
        let dot = 0;
        for (let j = 0; j < dim; j++) dot += d[o + j] * e[o + j];
        const cr = (s / energyEps[r]) * dot;
        for (let j = 0; j < dim; j++) dIn[o + j] = s * d[o + j] - cr * e[o + j];
      }
    }
    return dIn;
  }
}

export const powerKind: LayerKind = {
  name: 'power',
  matches: (layer) => layer.getClassName() === 'PowerNormalization',
  train(layer, _ctx, inDim) {
    const p = layer as PowerNormalization;
    return [new PowerOp(p.mode, p.n, inDim)];
  },
  tf: (layer: tf.layers.Layer) => (h) => layer.apply(h, { training: true }) as tf.Tensor,
};
