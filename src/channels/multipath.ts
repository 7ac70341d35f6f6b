/**
 * Multipath (frequency-selective) Rayleigh fading, the paper's equation 12, for complex signalling only:
 *
 *   y_i = Σ_{l=0}^{L−1} h_l · x_{i−l} + n_i,   i = 0 … n−1,   x_j = 0 for j < 0
 *
 * i.e. the linear convolution of the block with an L-tap channel, cut to the block's n complex uses (the
 * last L−1 samples of the full convolution are dropped, as in the paper). The taps are drawn once per block,
 * independently, h_l ~ CN(0, p_l) with the power-delay profile p (uniform by default: p_l = 1/L, so
 * h ~ CN(0, I/L) and E‖h‖² = 1); the noise is complex AWGN, σ² per real dimension (src/conventions.ts).
 *
 * What the receiver gets:
 * - `csi: none` (the paper's): y, 2n real values (I,Q interleaved), nothing else.
 * - `csi: perfect`: y followed by the block's taps as L more I,Q pairs: 2n + 2L real values
 *   [y_0 … y_{n−1}, h_0 … h_{L−1}]. There is no zero-forcing form of an ISI channel that keeps the
 *   noise white, so the channel is handed over as it is; the genie decoder (decoders/genie-ml.ts), the
 *   MLSE baseline (decoders/mlse-dbpsk.ts) and a learned decoder trained on it read it from there.
 *
 * Draws per block: 2n noise values, then 2 per tap (re, im of h_l, each N(0, p_l/2) after scaling).
 * `outDims` (the receiver's input per block) is 2n, or 2n + 2L with perfect CSI.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { realDims, type Signalling } from '../conventions.ts';
import { convolveTensors, shiftBasis } from './shift-basis.ts';
import { z } from 'zod';
import { multipathMsg as M } from '../messages.ts';
import { CSI_KINDS, MULTIPATH_PROFILES, RTN_TRANSFORMS, type CsiKind, type MultipathProfile } from '../vocabulary.ts';
import { exponentialGain } from './fading-fields.ts';
import { defineChannelKind } from './kind.ts';
import type { ChannelModel } from './types.ts';

/**
 * Multipath fading: `taps` taps, their power-delay profile (`uniform`, or one relative power per tap,
 * normalized to sum 1), and what the receiver knows of them.
 */
export interface MultipathSpec {
  type: 'multipath';
  taps: number;
  profile: 'uniform' | number[];
  csi: 'perfect' | 'none';
}

/** Tap powers of a power-delay profile, normalized to sum 1 (uniform: 1/L each). */
export function profilePowers(taps: number, profile: MultipathSpec['profile']): number[] {
  if (profile === 'uniform') return Array.from({ length: taps }, () => 1 / taps);
  if (profile.length !== taps) throw new Error(`multipath: the profile lists ${profile.length} powers for ${taps} taps`);
  const sum = profile.reduce((a, b) => a + b, 0);
  if (!(sum > 0) || profile.some((p) => !(p >= 0))) throw new Error('multipath: the profile powers must be non-negative with a positive sum');
  return profile.map((p) => p / sum);
}

/**
 * Multipath Rayleigh fading (the paper's equation 12), complex signalling only: the block's n complex uses convolved
 * with L independent taps h_l ~ CN(0, p_l) drawn once per block (uniform profile by default, E‖h‖² = 1), cut to n
 * uses, plus complex AWGN with σ per real dimension. The receiver gets 2n real values, followed by the taps as 2L
 * more with `csi: perfect`. Draws 2n noise values then 2 per tap.
 */
export class MultipathChannel implements ChannelModel {
  readonly spec: MultipathSpec;
  readonly dims: number;
  readonly outDims: number;
  readonly drawDims: number;
  readonly taps: number;
  /** Scale of each tap's standard normals: √(p_l / 2) per real dimension. */
  readonly tapScale: Float64Array;

  constructor(
    readonly n: number,
    readonly signalling: Signalling,
    spec: Omit<MultipathSpec, 'type'>,
  ) {
    if (signalling !== 'complex') throw new Error('multipath channel: needs complex signalling (I/Q pairs)');
    if (!(Number.isInteger(spec.taps) && spec.taps >= 1 && spec.taps <= n)) {
      throw new Error(`multipath channel: taps = ${spec.taps} must be an integer in [1, n = ${n}]`);
    }
    this.spec = { type: 'multipath', taps: spec.taps, profile: spec.profile, csi: spec.csi };
    this.taps = spec.taps;
    this.dims = realDims(n, signalling);
    this.outDims = this.dims + (spec.csi === 'perfect' ? 2 * spec.taps : 0);
    this.drawDims = this.dims + 2 * spec.taps;
    this.tapScale = Float64Array.from(profilePowers(spec.taps, spec.profile), (p) => Math.sqrt(p / 2));
  }

  /** h of one block (re, im interleaved) from its draws at offset d. */
  private tapsAt(draws: Float32Array, d: number, h: Float64Array): void {
    for (let l = 0; l < this.taps; l++) {
      h[2 * l] = draws[d + this.dims + 2 * l] * this.tapScale[l];
      h[2 * l + 1] = draws[d + this.dims + 2 * l + 1] * this.tapScale[l];
    }
  }

  applyArrays(x: Float32Array, draws: Float32Array, sigma: number, y: Float32Array, blocks: number): void {
    const { n, dims, outDims, drawDims, taps } = this;
    const perfect = outDims !== dims;
    const h = new Float64Array(2 * taps);
    for (let b = 0; b < blocks; b++) {
      const xo = b * dims;
      const yo = b * outDims;
      const d = b * drawDims;
      this.tapsAt(draws, d, h);
      for (let i = 0; i < n; i++) {
        let re = sigma * draws[d + 2 * i];
        let im = sigma * draws[d + 2 * i + 1];
        for (let l = 0; l < taps && l <= i; l++) {
          const xr = x[xo + 2 * (i - l)];
          const xi = x[xo + 2 * (i - l) + 1];
          re += h[2 * l] * xr - h[2 * l + 1] * xi;
          im += h[2 * l] * xi + h[2 * l + 1] * xr;
        }
        y[yo + 2 * i] = re;
        y[yo + 2 * i + 1] = im;
      }
      if (perfect) for (let j = 0; j < 2 * taps; j++) y[yo + dims + j] = h[j];
    }
  }

  /** y = H·x (H lower-triangular Toeplitz in h): dx_j = Σ_l conj(h_l)·dy_{j+l}, j + l < n. */
  vjpArrays(draws: Float32Array, dy: Float32Array, dx: Float32Array, blocks: number): void {
    const { n, dims, outDims, drawDims, taps } = this;
    const h = new Float64Array(2 * taps);
    for (let b = 0; b < blocks; b++) {
      const xo = b * dims;
      const yo = b * outDims;
      this.tapsAt(draws, b * drawDims, h);
      for (let j = 0; j < n; j++) {
        let re = 0;
        let im = 0;
        for (let l = 0; l < taps && j + l < n; l++) {
          const gr = dy[yo + 2 * (j + l)];
          const gi = dy[yo + 2 * (j + l) + 1];
          re += h[2 * l] * gr + h[2 * l + 1] * gi;
          im += h[2 * l] * gi - h[2 * l + 1] * gr;
        }
        dx[xo + 2 * j] = re;
        dx[xo + 2 * j + 1] = im;
      }
    }
  }

  applyTensors(tf: typeof tfTypes, x: tfTypes.Tensor2D, draws: tfTypes.Tensor2D, sigma: tfTypes.Tensor2D): tfTypes.Tensor2D {
    const { n, dims, taps, outDims } = this;
    const batch = x.shape[0];
    return tf.tidy(() => {
      const noise = tf.mul(tf.slice(draws, [0, 0], [batch, dims]), sigma);
      const scale = tf.tensor2d(Array.from(this.tapScale, (s) => [s, s]).flat(), [1, 2 * taps]);
      const h = tf.mul(tf.slice(draws, [0, dims], [batch, 2 * taps]), scale) as tfTypes.Tensor2D; // [B, 2L]
      // Σ_l h_l · x delayed by l uses, cut to n: one product with the constant shift basis (shift-basis.ts).
      const y = tf.add(convolveTensors(tf, x, h, tf.tensor2d(this.basis(), [dims, 2 * taps * dims]), taps, n), noise);
      return (outDims === dims ? y : tf.concat([y, h], 1)) as tfTypes.Tensor2D;
    });
  }

  private cachedBasis?: Float32Array;
  private basis(): Float32Array {
    return (this.cachedBasis ??= shiftBasis(this.n, this.n, this.taps));
  }
}

/** The paper's L = 3 taps, uniform power-delay profile, no CSI at the receiver (Section III.C). */
export const multipathDefaults = { taps: 3, profile: 'uniform' as MultipathProfile, csi: 'none' as CsiKind };
const defaults = multipathDefaults;

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** The multipath channel kind: `channel: { type: multipath, taps, profile, csi }`. */
export const multipath = defineChannelKind<MultipathSpec>({
  type: 'multipath',
  example: { type: 'multipath', taps: 3, profile: 'uniform', csi: 'none' },
  defaults,
  schema: z
    .strictObject({
      type: z.literal('multipath'),
      taps: z
        .number()
        .int()
        .min(1)
        .max(64)
        .optional()
        .meta({ description: `L, the number of taps (at most n). Default ${defaults.taps}.` }),
      profile: z
        .union([z.enum(MULTIPATH_PROFILES), z.array(z.number().min(0)).min(1).max(64)])
        .optional()
        .meta({
          description: `Power-delay profile: uniform (each tap CN(0, 1/L)), or one relative power per tap (normalized to sum 1). Default ${defaults.profile}.`,
        }),
      csi: z
        .enum(CSI_KINDS)
        .optional()
        .meta({ description: `none: the receiver sees y only; perfect: it also gets the block's taps h (appended to its input). Default ${defaults.csi}.` }),
    })
    .meta({
      description:
        'Multipath Rayleigh fading (complex signalling): y_i = Σ_l h_l x_{i−l} + n_i, linear convolution cut to n, taps drawn once per block, then AWGN.',
    }),
  compile: (c) => ({
    type: 'multipath',
    taps: (c.taps as number | undefined) ?? defaults.taps,
    profile: (c.profile as MultipathSpec['profile'] | undefined) ?? defaults.profile,
    csi: (c.csi as CsiKind | undefined) ?? defaults.csi,
  }),
  // Complex signalling only, taps that fit the block, a profile with one power per tap, and only the systems
  // that have a receiver for intersymbol interference (their kinds say which, src/systems/).
  check: (channel, { system: sys, index: i, signalling, at, isiReceiver }, p) => {
    const taps = channel.taps ?? defaults.taps;
    if (isiReceiver?.kind === 'learned') {
      if (signalling !== 'complex')
        p(['systems', i, 'signalling'], M.complexOnly, signalling, `signalling: ${String(signalling)} (the default is ${isiReceiver.defaultSignalling})`);
      else if (isPosInt(taps) && isPosInt(sys.n) && taps > sys.n)
        p([...at, 'taps'], M.tapsFit(sys.n), taps, `taps: ${taps} for systems[${i}] with n = ${sys.n}`);
    } else if (isiReceiver?.kind === 'fixed') {
      if (isPosInt(taps) && taps > isiReceiver.n)
        p([...at, 'taps'], M.tapsFit(isiReceiver.n), taps, `taps: ${taps} for systems[${i}] (${String(sys.type)}, n = ${isiReceiver.n})`);
    } else if (typeof sys.type === 'string') {
      p(['systems', i, 'type'], M.systemType(sys.type), sys.type, `${sys.type} over a multipath channel`);
    }
    const profile = channel.profile;
    if (Array.isArray(profile) && isPosInt(taps)) {
      if (profile.length !== taps) p([...at, 'profile'], M.profileLength(taps), profile);
      else if (profile.every((v) => typeof v === 'number') && !((profile as number[]).reduce((a, b) => a + b, 0) > 0))
        p([...at, 'profile'], M.profilePositive, profile);
    }
  },
  label: (s) => {
    const profile = s.profile === 'uniform' ? 'uniform profile' : `profile ${s.profile.join(':')}`;
    return `multipath Rayleigh (${s.taps} taps, ${profile}, CSI ${s.csi})`;
  },
  make: (s, n, signalling) => new MultipathChannel(n, signalling, s),
  // The `-ml` reference over multipath is the genie (src/decoders/genie-ml.ts): ML with the block's taps known.
  nearestCodewordIsMl: () => true,
  referenceDecoding: () => 'ML decoding, channel known (genie)',
  // No closed forms over intersymbol interference; the training recipe takes the reference as over block
  // fading (one Exp(1) gain per block; the taps' diversity is the learned system's to exploit), which puts
  // the auto training Eb/N0 on the safe, high side.
  gainLaw: (s) => exponentialGain('block', s.csi, false),
  noiseOnly: false,
  intersymbol: true,
  taps: (s) => s.taps,
  // The L taps are drawn once per block.
  fading: (s) => ({ gains: s.taps, coherence: 'block', csi: s.csi }),
  // csi: perfect appends the taps to what the receiver gets; the draws stay the same.
  withKnownGains: (s) => ({ ...s, csi: 'perfect' }),
  // filter: an L-tap inverse filter; phase: one rotation.
  rtnTransforms: RTN_TRANSFORMS,
  // No two-user links (the two-user systems have no receiver for intersymbol interference; `check` says so).
});
