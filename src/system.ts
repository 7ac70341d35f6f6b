/**
 * What the Monte Carlo engine measures: a block system = a codebook (what the transmitter sends for each
 * of the M = 2^k messages), a channel, and a decoder. Everything here is plain data (typed arrays and
 * strings) so a system can be posted to worker threads and rebuilt there.
 */
import type { ChannelSpec } from './channels/registry.ts';
import type { DecoderSpec } from './decoders/registry.ts';
import type { Activation, Signalling } from './vocabulary.ts';

export type { Activation } from './vocabulary.ts';

/** A trained decoder network compiled to plain arrays (see src/autoencoder/compile.ts). */
export type MlpLayer =
  | {
      kind: 'dense';
      inDim: number;
      outDim: number;
      /** inDim × outDim, row-major ([i][o]), as a tfjs Dense kernel; weight normalization already folded in. */
      kernel: Float32Array;
      bias: Float32Array;
      activation: Activation;
    }
  | { kind: 'layerNorm'; dim: number; gamma: Float32Array; beta: Float32Array; epsilon: number }
  | { kind: 'activation'; activation: Activation };

export interface MlpSpec {
  inputDim: number;
  outputDim: number;
  layers: MlpLayer[];
  /**
   * `bits`: the outputs are k bit logits (a bit-wise decoder, trailing sigmoid dropped), decided by their signs
   * and read as the message index, most significant first. Absent: M message scores, decided by argmax.
   */
  output?: 'bits';
}

/** How the system decides: a spec of one of the registered decoders (src/decoders/registry.ts). */
export type { DecoderSpec } from './decoders/registry.ts';

export interface BlockSystem {
  id: string;
  k: number;
  n: number;
  signalling: Signalling;
  /** M × dims real values, row m = the block sent for message m (dims = n, or 2n interleaved I/Q). */
  codebook: Float32Array;
  decoder: DecoderSpec;
  channel: ChannelSpec;
  /**
   * The bit label of each message (a permutation of 0 … M−1): the k bits message m stands for, for counting
   * bit errors. Absent: natural binary, message m carries the bits of m (most significant first); uncoded
   * QAM/PSK and Hamming (7,4) are built so that this is their Gray / systematic labelling.
   */
  labels?: Int32Array;
  /**
   * Two-user interference channel (src/twouser/kernel.ts): this system is receiver `user` of a pair; the other
   * transmitter sends `codebook` in every block through cross gain `crossGain`. Both users' curves draw the
   * same messages and noise per chunk (user 1's messages, user 2's, then both noises), so with one stream id
   * they are measured on the same blocks. `channel`: the links' spec, AWGN or Rayleigh (src/channels/two-user.ts).
   */
  coUser?: { user: 1 | 2; codebook: Float32Array; crossGain: number };
}
