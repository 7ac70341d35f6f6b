/**
 * Complex convolution with a per-block filter as one matrix product, for the tensor forms (tfjs on wasm has a
 * high cost per op; the obvious pad/slice/multiply per tap took ~40 ms per 1000-block batch, this ~1 ms).
 *
 * For complex signals stored as interleaved I/Q, z = Σ_l c_l · shift_l(u) (c_l complex, shift by l uses) is
 *   z = Σ_l Re(c_l)·(u S_l) + Im(c_l)·(u S_l J)
 * with S_l the real shift matrix and J the rotation by j ((a, b) ↦ (−b, a) per complex value). Stacking the
 * 2L constant matrices [S_0, S_0 J, S_1, S_1 J, …] side by side gives one product u·K, reshaped to
 * [B, 2L, outDims], weighted by c (I/Q interleaved, [B, 2L, 1]) and summed over the 2L terms.
 */
import type * as tfTypes from '@tensorflow/tfjs';

/** K [2·inUses, 2L·2·outUses]: output use i of term l reads input use i − l (zero outside 0 … inUses−1). */
export function shiftBasis(inUses: number, outUses: number, taps: number): Float32Array {
  const rows = 2 * inUses;
  const block = 2 * outUses;
  const cols = 2 * taps * block;
  const k = new Float32Array(rows * cols);
  for (let l = 0; l < taps; l++) {
    const re = 2 * l * block; // u S_l
    const im = (2 * l + 1) * block; // u S_l J
    for (let i = 0; i < outUses; i++) {
      const j = i - l;
      if (j < 0 || j >= inUses) continue;
      // re part: z_i += u_j
      k[2 * j * cols + re + 2 * i] = 1;
      k[(2 * j + 1) * cols + re + 2 * i + 1] = 1;
      // j·u_j = (−u_j.im, u_j.re)
      k[(2 * j + 1) * cols + im + 2 * i] = -1;
      k[2 * j * cols + im + 2 * i + 1] = 1;
    }
  }
  return k;
}

/** z [B, 2·outUses] = Σ_l c_l · shift_l(u), u [B, 2·inUses], c [B, 2L] (I/Q interleaved), basis from shiftBasis. */
export function convolveTensors(
  tf: typeof tfTypes,
  u: tfTypes.Tensor2D,
  c: tfTypes.Tensor2D,
  basis: tfTypes.Tensor2D,
  taps: number,
  outUses: number,
): tfTypes.Tensor2D {
  const B = u.shape[0];
  const terms = tf.reshape(tf.matMul(u, basis), [B, 2 * taps, 2 * outUses]);
  return tf.sum(tf.mul(terms, tf.reshape(c, [B, 2 * taps, 1])), 1) as tfTypes.Tensor2D;
}
