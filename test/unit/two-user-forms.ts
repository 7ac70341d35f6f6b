/**
 * Test helper: a two-user channel's forms on the same random inputs — applyArrays (both receivers),
 * applyArraysFor (one receiver at a time, bit for bit the same) and applyTensors (within 1e-5 relative) —
 * for the AWGN and the Rayleigh two-user channel tests. Returns the inputs and outputs for further checks.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { TwoUserChannelModel } from '../../src/channels/two-user-model.ts';
import { RandomStream } from '../../src/random.ts';

export function checkTwoUserForms(ch: TwoUserChannelModel, B: number, sigma: number, ...seed: (string | number)[]) {
  const s = new RandomStream('two-user-forms', ...seed);
  const x1 = new Float32Array(B * ch.dims);
  const x2 = new Float32Array(B * ch.dims);
  const draws = new Float32Array(B * ch.drawDims);
  s.fillNormal(x1);
  s.fillNormal(x2);
  s.fillNormal(draws);
  const y1 = new Float32Array(B * ch.outDims);
  const y2 = new Float32Array(B * ch.outDims);
  ch.applyArrays(x1, x2, draws, sigma, y1, y2, B);
  const f1 = new Float32Array(y1.length);
  const f2 = new Float32Array(y1.length);
  ch.applyArraysFor(1, x1, x2, draws, sigma, f1, B);
  ch.applyArraysFor(2, x2, x1, draws, sigma, f2, B);
  assert.deepEqual(f1, y1);
  assert.deepEqual(f2, y2);
  const [t1, t2] = tf.tidy(() =>
    ch
      .applyTensors(
        tf,
        tf.tensor2d(x1, [B, ch.dims]),
        tf.tensor2d(x2, [B, ch.dims]),
        tf.tensor2d(draws, [B, ch.drawDims]),
        tf.fill([B, 1], sigma) as tf.Tensor2D,
      )
      .map((t) => t.dataSync() as Float32Array),
  );
  for (let i = 0; i < y1.length; i++) {
    assert.ok(Math.abs(t1[i] - y1[i]) < 1e-5 * Math.max(1, Math.abs(y1[i])), `y1[${i}] ${t1[i]} vs ${y1[i]}`);
    assert.ok(Math.abs(t2[i] - y2[i]) < 1e-5 * Math.max(1, Math.abs(y2[i])), `y2[${i}] ${t2[i]} vs ${y2[i]}`);
  }
  return { x1, x2, draws, y1, y2 };
}

/** B blocks of the same row, one after another (the statistics tests' fixed codewords). */
export function repeatedRows(row: number[], B: number): Float32Array {
  const out = new Float32Array(B * row.length);
  for (let b = 0; b < B; b++) out.set(row, b * row.length);
  return out;
}
