/**
 * Closed forms over AWGN of the modulations that have them, at Es/N0 = esno (linear) per symbol:
 * - BPSK (1 bit per real use): p = Q(√(2·Es/N0)).
 * - Square Gray M-QAM (QPSK = 4-QAM), q = log2 M even: per axis P_L = 2(1 − 1/L)·Q(√(3·Es/N0/(M−1))),
 *   SER = 1 − (1 − P_L)² (exact); BER by the Gray L-PAM of each axis (every sent level, every decision interval,
 *   weighted by the label distance).
 */
import { popcount } from '../math/bits.ts';
import { qfunc } from '../math/special.ts';
import { grayEncode } from './gray.ts';

/** Symbol error of Gray square M-QAM (bitsPerSymbol even) or BPSK (1) over AWGN at Es/N0 = esno (linear). */
export function serAwgn(bitsPerSymbol: number, esno: number): number {
  if (bitsPerSymbol === 1) return qfunc(Math.sqrt(2 * esno));
  const M = 2 ** bitsPerSymbol;
  const L = Math.sqrt(M);
  const pl = 2 * (1 - 1 / L) * qfunc(Math.sqrt((3 * esno) / (M - 1)));
  return pl * (2 - pl); // 1 − (1 − pl)²
}

/** Gaussian mass of [lo·a, hi·a] (lo < hi, ±Infinity allowed), without cancellation on either side of 0. */
function mass(lo: number, hi: number, a: number): number {
  const A = lo * a;
  const B = hi * a;
  if (A >= 0) return qfunc(A) - qfunc(B);
  if (B <= 0) return qfunc(-B) - qfunc(-A);
  return 1 - qfunc(-A) - qfunc(B);
}

/**
 * Bit error rate of Gray L-PAM with levels (2i − (L−1))·d, noise σ, a = d/σ: every sent level, every
 * decision interval [(2j − L)d, (2j − L + 2)d] (the outer ones open), weighted by the Gray label distance.
 */
export function grayPamBer(L: number, a: number): number {
  const bits = Math.log2(L);
  let sum = 0;
  for (let i = 0; i < L; i++)
    for (let j = 0; j < L; j++) {
      if (j === i) continue;
      // Noise interval (in units of d) that moves level i into the decision interval of level j.
      const lo = j === 0 ? -Infinity : 2 * (j - i) - 1;
      const hi = j === L - 1 ? Infinity : 2 * (j - i) + 1;
      sum += mass(lo, hi, a) * popcount(grayEncode(i) ^ grayEncode(j));
    }
  return sum / (L * bits);
}

/** BER of BPSK (1 bit per symbol) or Gray square M-QAM (bitsPerSymbol even) over AWGN at Es/N0 = esno (linear). */
export function berAwgn(bitsPerSymbol: number, esno: number): number {
  if (bitsPerSymbol === 1) return qfunc(Math.sqrt(2 * esno));
  const M = 2 ** bitsPerSymbol;
  return grayPamBer(Math.sqrt(M), Math.sqrt((3 * esno) / (M - 1)));
}
