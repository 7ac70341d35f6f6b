/**
 * The messages between DecoderThread (decoder-thread.ts) and its worker (decoder-worker.ts): what the worker
 * is started with and what it answers for each batch of rows.
 */
import type { AutoencoderSpec } from '../autoencoder/spec.ts';

export interface DecoderWorkerInit {
  /** The trainer's backend (the worker's pass must run the same arithmetic as the trainer's thread would). */
  backend: string;
  spec: AutoencoderSpec;
  seed: string;
  crossGain: number;
  /** θ of the user (written by the trainer before each request). */
  theta: SharedArrayBuffer;
  /** The user's gradient after its decoder's pass (decoder entries; encoder entries 0). */
  grad: SharedArrayBuffer;
  /** The received rows y (B × outDims) and the user's messages. */
  y: SharedArrayBuffer;
  messages: SharedArrayBuffer;
  /** dL_u/dy (B × outDims). */
  dy: SharedArrayBuffer;
}

export interface DecoderReply {
  loss: number;
  correct: number;
}
