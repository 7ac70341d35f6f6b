/**
 * The paper's classical scheme over multipath fading (Section III.C): Hamming (7,4) + DBPSK on 8 complex
 * channel uses, maximum-likelihood sequence estimation (MLSE) by the Viterbi algorithm over the L-tap
 * channel, then differential and syndrome decoding.
 *
 * Transmitter: the 7 coded bits c_1 … c_7 of message m (hamming.ts) are differentially encoded onto 8 BPSK
 * symbols: s_0 = +1 (the reference symbol, a known pilot), s_j = s_{j−1}·(1 − 2c_j). Every symbol has energy 1,
 * so ‖x‖² = 8 = n, the energy convention of the learned (8,4) systems; Q is zero.
 *
 * Receiver (what it knows): the block's channel taps h exactly (the channel's `csi: perfect`, which appends h
 * to y), that s_0 = +1, and that nothing was sent before the block. It does *not* use the code in the
 * trellis: the Viterbi algorithm finds the ML sequence of 7 free BPSK symbols s_1 … s_7 (2^{L−1} states,
 * metric Σ_i |y_i − Σ_l h_l s_{i−l}|², i = 0 … 7, the same cut-to-n convolution as the channel), the
 * differential decoder reads c_j = [ŝ_j ≠ ŝ_{j−1}], and the Hamming syndrome decoder corrects one bit. A
 * symbol error therefore becomes two coded-bit errors (the usual price of differential encoding), which
 * the single-error-correcting code cannot repair; that is the scheme the paper compares with.
 */
import { hammingDecodeWord, hammingEncodeBits } from './hamming.ts';

export const DBPSK_N = 8;

/** The 16 × 16 codebook (8 complex uses, I/Q interleaved): DBPSK symbols of the Hamming codewords. */
export function dbpskHammingCodebook(): Float32Array {
  const cb = new Float32Array(16 * 2 * DBPSK_N);
  for (let m = 0; m < 16; m++) {
    const c = hammingEncodeBits(m);
    let s = 1;
    cb[m * 2 * DBPSK_N] = s;
    for (let j = 1; j < DBPSK_N; j++) {
      s *= 1 - 2 * c[j - 1];
      cb[m * 2 * DBPSK_N + 2 * j] = s;
    }
  }
  return cb;
}

/** The message of a BPSK symbol sequence (±1, length 8): differential decoding, then syndrome decoding. */
export function dbpskHammingDecision(symbols: Int8Array): number {
  let word = 0;
  for (let j = 1; j < DBPSK_N; j++) word = (word << 1) | (symbols[j] !== symbols[j - 1] ? 1 : 0);
  return hammingDecodeWord(word);
}

/**
 * MLSE of a real BPSK sequence of length n with s_0 = +1 known, over y_i = Σ_l h_l s_{i−l} + noise (complex
 * y and h, I/Q interleaved; s_j = 0 for j < 0; the convolution cut to n). Writes ŝ into `out` (±1) and
 * returns the metric of the sequence found. Scratch arrays are owned by the caller (see `Viterbi`).
 */
export class Viterbi {
  private readonly states: number;
  private readonly metric: Float64Array;
  private readonly next: Float64Array;
  private readonly from: Int32Array;
  private readonly valid: Uint8Array;
  private readonly nextValid: Uint8Array;

  constructor(
    readonly n: number,
    readonly taps: number,
  ) {
    this.states = 1 << (taps - 1);
    this.metric = new Float64Array(this.states);
    this.next = new Float64Array(this.states);
    this.from = new Int32Array(n * this.states);
    this.valid = new Uint8Array(this.states);
    this.nextValid = new Uint8Array(this.states);
  }

  /** State bit t (t = 0: newest symbol) is 1 for −1. Symbol at lag t of a state, 0 before the block. */
  run(y: Float32Array, yo: number, h: Float32Array | Float64Array, ho: number, out: Int8Array): number {
    const { n, taps, states, metric, next, from, valid, nextValid } = this;
    const mask = states - 1;
    // Time 0: s_0 = +1, nothing before it: one valid state (all bits 0).
    valid.fill(0);
    metric.fill(Infinity);
    {
      const er = y[yo] - h[ho];
      const ei = y[yo + 1] - h[ho + 1];
      metric[0] = er * er + ei * ei;
      valid[0] = 1;
    }
    for (let i = 1; i < n; i++) {
      next.fill(Infinity);
      nextValid.fill(0);
      for (let p = 0; p < states; p++) {
        if (!valid[p]) continue;
        for (let bit = 0; bit < 2; bit++) {
          // Prediction Σ_l h_l s_{i−l}: s_i from `bit`, s_{i−l} (l ≥ 1) from bit l−1 of p, zero before the block.
          let pr = bit ? -h[ho] : h[ho];
          let pi = bit ? -h[ho + 1] : h[ho + 1];
          for (let l = 1; l < taps && l <= i; l++) {
            const s = (p >> (l - 1)) & 1 ? -1 : 1;
            pr += s * h[ho + 2 * l];
            pi += s * h[ho + 2 * l + 1];
          }
          const er = y[yo + 2 * i] - pr;
          const ei = y[yo + 2 * i + 1] - pi;
          const m = metric[p] + er * er + ei * ei;
          const q = ((p << 1) | bit) & mask;
          const target = taps === 1 ? 0 : q;
          // L = 1: a single state; keep both branches apart through `out` instead (no memory, decide per symbol).
          if (taps === 1) {
            if (m < next[0] || !nextValid[0]) {
              next[0] = m;
              from[i] = bit; // the decided symbol itself
              nextValid[0] = 1;
            }
          } else if (m < next[target]) {
            next[target] = m;
            from[i * states + target] = p;
            nextValid[target] = 1;
          }
        }
      }
      metric.set(next);
      valid.set(nextValid);
    }
    // Trace back from the best final state.
    out[0] = 1;
    if (taps === 1) {
      for (let i = 1; i < n; i++) out[i] = from[i] ? -1 : 1;
      return metric[0];
    }
    let best = 0;
    for (let q = 1; q < states; q++) if (metric[q] < metric[best]) best = q;
    const total = metric[best];
    let q = best;
    for (let i = n - 1; i >= 1; i--) {
      out[i] = q & 1 ? -1 : 1;
      q = from[i * states + q];
    }
    return total;
  }
}

/** The metric of a given sequence (the brute-force reference of the tests and of `Viterbi`'s contract). */
export function sequenceMetric(y: Float32Array, yo: number, h: Float32Array | Float64Array, ho: number, s: ArrayLike<number>, n: number, taps: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    let pr = 0;
    let pi = 0;
    for (let l = 0; l < taps && l <= i; l++) {
      pr += s[i - l] * h[ho + 2 * l];
      pi += s[i - l] * h[ho + 2 * l + 1];
    }
    total += (y[yo + 2 * i] - pr) ** 2 + (y[yo + 2 * i + 1] - pi) ** 2;
  }
  return total;
}
