/**
 * Test helper: a channel's forms on the same seeded inputs, for the tests that hold them to each other
 * (channels.test.ts, multipath.test.ts). Each test keeps its own tolerance.
 */
import * as tf from '@tensorflow/tfjs';
import { makeChannel, type ChannelSpec } from '../../src/channels/index.ts';
import { ChannelLayer } from '../../src/channels/layer.ts';
import type { RandomStream } from '../../src/random.ts';
import type { Signalling } from '../../src/vocabulary.ts';

/** applyArrays (y) and the tfjs layer (yT) on the same x and draws (x, then draws, from `s`). */
export function arraysAndLayer(
  spec: ChannelSpec,
  n: number,
  signalling: Signalling,
  B: number,
  sigma: number,
  s: RandomStream,
): { y: Float32Array; yT: Float32Array } {
  const model = makeChannel(spec, n, signalling);
  const x = new Float32Array(B * model.dims);
  const draws = new Float32Array(B * model.drawDims);
  s.fillNormal(x);
  s.fillNormal(draws);
  const y = new Float32Array(B * model.outDims);
  model.applyArrays(x, draws, sigma, y, B);
  const layer = new ChannelLayer({ channel: spec, n, signalling });
  const yT = (
    layer.apply([tf.tensor2d(x, [B, model.dims]), tf.tensor2d(draws, [B, model.drawDims]), tf.fill([B, 1], sigma)]) as tf.Tensor
  ).dataSync() as Float32Array;
  return { y, yT };
}

/** vjpArrays (dx) and tf.grad of applyTensors (want) for the same x, draws and dy (drawn in that order from `s`). */
export function vjpAndGrad(
  spec: ChannelSpec,
  n: number,
  signalling: Signalling,
  B: number,
  sigma: number,
  s: RandomStream,
): { dx: Float32Array; want: Float32Array } {
  const model = makeChannel(spec, n, signalling);
  const x = new Float32Array(B * model.dims);
  const draws = new Float32Array(B * model.drawDims);
  const dy = new Float32Array(B * model.outDims);
  s.fillNormal(x);
  s.fillNormal(draws);
  s.fillNormal(dy);
  const dx = new Float32Array(B * model.dims);
  model.vjpArrays(draws, dy, dx, B);
  const drawsT = tf.tensor2d(draws, [B, model.drawDims]);
  const want = tf
    .grad((t: tf.Tensor) =>
      tf.sum(tf.mul(model.applyTensors(tf, t as tf.Tensor2D, drawsT, tf.fill([B, 1], sigma) as tf.Tensor2D), tf.tensor2d(dy, [B, model.outDims]))),
    )(tf.tensor2d(x, [B, model.dims]))
    .dataSync() as Float32Array;
  return { dx, want };
}
