/**
 * What an RTN receiver's estimator learned (the report's "h next to h ∗ ω"): for fresh blocks through the
 * system's own multipath channel, the block's taps h, the filter ω the estimator returns for the received
 * y, and the overall response h ∗ ω (2L − 1 taps). Inverse filtering works where h ∗ ω is close to a
 * (possibly delayed) impulse; `peakShare` measures that over many blocks as the mean share of the response's
 * energy in its largest tap (1 for a perfect impulse), beside the same share for h alone (no equalization).
 *
 * Streams: messages and channel draws from (seed, 'rtn-examples'), so the record is reproducible.
 */
import * as tf from '@tensorflow/tfjs';
import { hasIntersymbolInterference, makeChannel, MultipathChannel } from '../channels/index.ts';
import { noiseStd } from '../conventions.ts';
import { isRadioTransformer } from '../layers/radio-transformer.ts';
import { RandomStream, type SeedPart } from '../random.ts';
import type { TrainedAutoencoder } from './trained.ts';

export interface RtnExamples {
  /** Eb/N0 (dB) of the blocks. */
  ebnoDb: number;
  /** A few blocks: h (L taps), ω (L taps), h ∗ ω (2L − 1 taps), complex values as [re, im] pairs, rounded to 1e-4. */
  blocks: { h: number[][]; omega: number[][]; response: number[][] }[];
  /** Mean share of energy in the largest tap, over `peakShare.blocks` blocks: of h, and of h ∗ ω. */
  peakShare: { blocks: number; channel: number; equalized: number };
}

const round = (v: number): number => Math.round(v * 1e4) / 1e4;

/** Full linear convolution of two complex sequences given as interleaved I/Q. */
export function complexConvolve(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const la = a.length / 2;
  const lb = b.length / 2;
  const out = new Float64Array(2 * (la + lb - 1));
  for (let i = 0; i < la; i++)
    for (let j = 0; j < lb; j++) {
      out[2 * (i + j)] += a[2 * i] * b[2 * j] - a[2 * i + 1] * b[2 * j + 1];
      out[2 * (i + j) + 1] += a[2 * i] * b[2 * j + 1] + a[2 * i + 1] * b[2 * j];
    }
  return out;
}

function peak(c: ArrayLike<number>): number {
  let total = 0;
  let best = 0;
  for (let i = 0; i < c.length; i += 2) {
    const e = c[i] ** 2 + c[i + 1] ** 2;
    total += e;
    best = Math.max(best, e);
  }
  return total > 0 ? best / total : 0;
}

/** Undefined when the autoencoder has no RTN with a filter transform over multipath. */
export function rtnExamples(trained: TrainedAutoencoder, seed: SeedPart, ebnoDb: number, show = 4, blocks = 2000): RtnExamples | undefined {
  const { spec } = trained;
  const rtn = trained.decoder.layers[0];
  if (!isRadioTransformer(rtn) || rtn.transform !== 'filter' || !hasIntersymbolInterference(spec.channel)) return undefined;
  const channel = makeChannel(spec.channel, spec.n, spec.signalling);
  // The examples show the taps as this model draws them (its tap scales); another model's taps are not read here.
  if (!(channel instanceof MultipathChannel)) return undefined;
  const M = 2 ** spec.k;
  const dims = channel.dims;
  const stream = new RandomStream(seed, 'rtn-examples');
  const msgs = new Int32Array(blocks);
  stream.fillInts(msgs, M);
  const draws = new Float32Array(blocks * channel.drawDims);
  stream.fillNormal(draws);
  const codebook = trained.codebook();
  const x = new Float32Array(blocks * dims);
  for (let b = 0; b < blocks; b++) x.set(codebook.subarray(msgs[b] * dims, (msgs[b] + 1) * dims), b * dims);
  const y = new Float32Array(blocks * channel.outDims);
  channel.applyArrays(x, draws, noiseStd(ebnoDb, spec.k, spec.n), y, blocks);
  const omega = tf.tidy(() => rtn.estimate(tf.tensor2d(y, [blocks, channel.outDims])).dataSync() as Float32Array);
  const L = rtn.taps;
  const scale = channel.tapScale;
  const out: RtnExamples = { ebnoDb, blocks: [], peakShare: { blocks, channel: 0, equalized: 0 } };
  const pairs = (v: ArrayLike<number>): number[][] => Array.from({ length: v.length / 2 }, (_, i) => [round(v[2 * i]), round(v[2 * i + 1])]);
  for (let b = 0; b < blocks; b++) {
    const h = new Float64Array(2 * L);
    for (let l = 0; l < L; l++) {
      h[2 * l] = draws[b * channel.drawDims + dims + 2 * l] * scale[l];
      h[2 * l + 1] = draws[b * channel.drawDims + dims + 2 * l + 1] * scale[l];
    }
    const w = omega.subarray(b * 2 * L, (b + 1) * 2 * L);
    const response = complexConvolve(h, w);
    out.peakShare.channel += peak(h) / blocks;
    out.peakShare.equalized += peak(response) / blocks;
    if (b < show) out.blocks.push({ h: pairs(h), omega: pairs(w), response: pairs(response) });
  }
  out.peakShare.channel = round(out.peakShare.channel);
  out.peakShare.equalized = round(out.peakShare.equalized);
  return out;
}
