/**
 * Signal-to-noise conventions, in one place.
 *
 * - n counts channel uses: real uses for `signalling: real`, complex uses (I/Q pairs, 2n real values)
 *   for `signalling: complex`.
 * - The transmitter spends energy 1 per channel use on average: ‖x‖² = n (energy mode) or E‖x‖² = n.
 * - Rate R = k/n bits per channel use; energy per bit Eb = n/k.
 * - Noise is white Gaussian with variance σ² per real dimension, so N0 = 2σ² (a complex use carries
 *   CN(0, N0) noise, σ² on I and σ² on Q).
 * Hence Eb/N0 = (n/k)/(2σ²), i.e. σ² = 1 / (2·R·Eb/N0), the same formula for real and complex signalling
 * once n is counted in the system's own channel uses. Es/N0 (per channel use) = R·Eb/N0.
 */
import type { Signalling } from './vocabulary.ts';

export type { Signalling } from './vocabulary.ts';

export const dbToLinear = (db: number): number => Math.pow(10, db / 10);
export const linearToDb = (x: number): number => 10 * Math.log10(x);

/** Real values per block: n for real signalling, 2n (I,Q interleaved) for complex. */
export const realDims = (n: number, signalling: Signalling): number => (signalling === 'complex' ? 2 * n : n);

/** Bits per channel use. */
export const codeRate = (k: number, n: number): number => k / n;

/** σ² per real dimension for a given Eb/N0 in dB: 1 / (2·R·Eb/N0). */
export function noiseVariance(ebnoDb: number, k: number, n: number): number {
  if (!(k > 0 && n > 0)) throw new Error(`noiseVariance: k and n must be positive, got k=${k}, n=${n}`);
  return 1 / (2 * codeRate(k, n) * dbToLinear(ebnoDb));
}

/** σ per real dimension. */
export const noiseStd = (ebnoDb: number, k: number, n: number): number => Math.sqrt(noiseVariance(ebnoDb, k, n));

/** Es/N0 in dB per channel use (real or complex, as n counts them). */
export const esnoDb = (ebnoDb: number, k: number, n: number): number => ebnoDb + linearToDb(codeRate(k, n));
