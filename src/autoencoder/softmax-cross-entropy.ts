/** The decoder's softmax and mean cross-entropy in one pass, with dL/dz, for the JavaScript training step (js-train-graph.ts). */
import { wasmScaledSoftmax, type ScaledSoftmax } from '../wasm/kernels/softmax.ts';

/**
 * Mean cross-entropy of softmax(z) against the labels, correct argmax decisions, and dL/dz = (softmax(z) −
 * onehot)/B into dz. With WebAssembly SIMD (softmax-wasm.ts) and M a multiple of 4 the exponentials are the
 * module's float32 ones; else one row at a time in doubles. Either way the row maximum is subtracted first.
 */
export function softmaxCrossEntropy(
  z: Float32Array,
  labels: Int32Array,
  B: number,
  M: number,
  dz: Float32Array,
  rowStats?: RowStats,
): { loss: number; correct: number } {
  const invB = 1 / B;
  if (rowStats && M % 4 === 0) {
    const { softmax, max, sum } = rowStats.ensure(B);
    softmax(z, B, M, invB, dz, max, sum);
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < B; i++) {
      const o = i * M;
      const label = labels[i];
      const m = max[i];
      loss += Math.log(sum[i]) + m - z[o + label];
      dz[o + label] -= invB;
      // argmax (the first index of the maximum) is the label when z[label] is the maximum and no earlier one is.
      if (z[o + label] === m) {
        let first = true;
        for (let j = 0; j < label; j++) if (z[o + j] === m) first = false;
        if (first) correct++;
      }
    }
    return { loss: loss * invB, correct };
  }
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < B; i++) {
    const o = i * M;
    let max = z[o];
    let arg = 0;
    for (let j = 1; j < M; j++) {
      const v = z[o + j];
      if (v > max) {
        max = v;
        arg = j;
      }
    }
    const label = labels[i];
    if (arg === label) correct++;
    let sum = 0;
    for (let j = 0; j < M; j++) {
      const e = Math.exp(z[o + j] - max);
      dz[o + j] = e;
      sum += e;
    }
    loss += Math.log(sum) + max - z[o + label];
    const scale = invB / sum;
    for (let j = 0; j < M; j++) dz[o + j] *= scale;
    dz[o + label] -= invB;
  }
  return { loss: loss * invB, correct };
}

/** The WebAssembly softmax and its per-row maximum and sum buffers (grown with the batch). */
export class RowStats {
  private max = new Float32Array(0);
  private sum = new Float32Array(0);
  constructor(private readonly softmax: ScaledSoftmax) {}
  static create(): RowStats | undefined {
    const f = wasmScaledSoftmax();
    return f ? new RowStats(f) : undefined;
  }
  ensure(rows: number): { softmax: ScaledSoftmax; max: Float32Array; sum: Float32Array } {
    if (this.max.length < rows) {
      this.max = new Float32Array(rows);
      this.sum = new Float32Array(rows);
    }
    return { softmax: this.softmax, max: this.max, sum: this.sum };
  }
}
