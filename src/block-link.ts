import type { ChannelSpec } from './channels/registry.ts';
import type { Signalling } from './vocabulary.ts';

/**
 * A block system without its decoder: what the transmitter sends for each message, the channel, and how the
 * messages are labelled. Decoders are checked against and built for this (src/decoders/decoder.ts); they never
 * read the system's own decoder spec, so they need not know the union of every decoder's spec.
 */
export interface BlockLink {
  id: string;
  k: number;
  n: number;
  signalling: Signalling;
  /** M × dims real values, row m = the block sent for message m (dims = n, or 2n interleaved I/Q). */
  codebook: Float32Array;
  channel: ChannelSpec;
  /**
   * The bit label of each message (a permutation of 0 … M−1): the k bits message m stands for, for counting
   * bit errors. Absent: natural binary, message m carries the bits of m (most significant first); uncoded
   * QAM/PSK and Hamming (7,4) are built so that this is their Gray / systematic labelling.
   */
  labels?: Int32Array;
  /**
   * Two-user interference channel (src/montecarlo/two-user-kernel.ts): this system is receiver `user` of a pair; the other
   * transmitter sends `codebook` in every block through cross gain `crossGain`. Both users' curves draw the
   * same messages and noise per chunk (user 1's messages, user 2's, then both noises), so with one stream id
   * they are measured on the same blocks. `channel`: the links' spec, AWGN or Rayleigh (src/channels/two-user.ts).
   */
  coUser?: { user: 1 | 2; codebook: Float32Array; crossGain: number };
}
