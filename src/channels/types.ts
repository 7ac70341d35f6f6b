/**
 * The contract every channel model keeps. A block is one codeword: `dims` real values (n real uses, or
 * n complex uses stored as interleaved I,Q pairs). A channel consumes `drawDims` standard normal draws per
 * block (noise first, then any fading coefficients) and maps (x, draws, σ) → y. The same definition is
 * written twice: on Float32Arrays (Monte Carlo) and in tfjs ops (training, differentiable in x); tests
 * check the two agree value for value on the same draws.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Signalling } from '../conventions.ts';

/** A compiled channel spec: its type and its kind's parameters (plain JSON; src/channels/kind.ts). */
export interface ChannelSpecBase {
  readonly type: string;
}

/**
 * A channel for blocks of n channel uses: `dims` real values in (n real uses, or n complex uses as interleaved I, Q),
 * `outDims` out, `drawDims` standard normals consumed per block (noise first, then fading). The map (x, draws, σ) → y
 * is written three times: on Float32Arrays for Monte Carlo, its vector–Jacobian product for the JavaScript trainer,
 * and in tfjs ops for training; tests check that they agree on the same draws. σ is the noise std per real dimension.
 */
export interface ChannelModel {
  /** The compiled spec of its kind (src/channels/kind.ts). */
  readonly spec: ChannelSpecBase;
  readonly n: number;
  readonly signalling: Signalling;
  /** Real values per block (what the transmitter sends). */
  readonly dims: number;
  /**
   * Real values per block the receiver gets: `dims`, or more where the channel hands side information to
   * the receiver (multipath with perfect CSI appends its taps). applyArrays writes blocks × outDims values;
   * applyTensors returns [B, outDims]; vjpArrays reads dy as blocks × outDims.
   */
  readonly outDims: number;
  /** Standard normal draws consumed per block. */
  readonly drawDims: number;
  /**
   * y[b] = channel(x[b]) for b < blocks; x: blocks × dims, y: blocks × outDims; draws: blocks × drawDims standard normals;
   * sigma: noise std per real dimension.
   */
  applyArrays(x: Float32Array, draws: Float32Array, sigma: number, y: Float32Array, blocks: number): void;
  /**
   * The vector–Jacobian product of applyArrays in x, for the same draws: dx = (∂y/∂x)ᵀ·dy. Every channel
   * here is linear in x for fixed draws, so this is the third form of the same definition (the trainer's
   * JavaScript backward pass uses it; tests check it against tf.grad of applyTensors).
   */
  vjpArrays(draws: Float32Array, dy: Float32Array, dx: Float32Array, blocks: number): void;
  /** The same map in tf ops: x [B, dims], draws [B, drawDims], sigma [B, 1] → y [B, dims]. */
  applyTensors(tf: typeof tfTypes, x: tfTypes.Tensor2D, draws: tfTypes.Tensor2D, sigma: tfTypes.Tensor2D): tfTypes.Tensor2D;
}

/** Fading power is floored here before zero-forcing so a (measure-zero) h = 0 cannot divide by zero. */
export const MIN_GAIN_POWER = 1e-12;
