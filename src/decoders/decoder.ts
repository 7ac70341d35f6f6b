/**
 * The contract between the Monte Carlo engine and a decoder. The engine, its kernel and its worker pool
 * know decoders only through this interface and the registry (registry.ts); they never switch on a kind.
 *
 * A decoder is described by a plain, structured-clonable spec `{ kind, ... }` that travels inside a
 * `BlockSystem` to worker threads. Its module says how to check the spec against the system, what it costs,
 * how to share its arrays with workers without copying, what defines it (for caches, shards and resume), and
 * how to build the decision function in whichever thread runs the chunk.
 *
 * Adding a decoder: one new file here exporting a `DecoderModule`, plus one line in registry.ts.
 */
import type { FusedAwgn } from '../wasm/kernels/mlp-argmax.ts';
import type { BlockLink } from '../block-link.ts';

/**
 * decided[b] = the message decided for block b of y (blocks × dims real values). `dispose` frees what the
 * decoder holds outside the JavaScript heap (e.g. weights kept on the tfjs backend).
 */
export type DecodeFn = ((y: Float32Array, blocks: number, decided: Int32Array) => void) & {
  /**
   * Frees what the decoder holds outside the JavaScript heap (e.g. weights on the tfjs backend); called when the
   * Monte Carlo kernel that built it is disposed.
   */
  dispose?: () => void;
  /**
   * Optional: the whole AWGN chunk after the draws in one call (codeword lookup, y = c + σ·z as src/channels/awgn.ts
   * computes it, decision, error list), deciding exactly as the function itself; the Monte Carlo kernel uses it
   * for AWGN channels (src/montecarlo/kernel.ts).
   */
  fusedAwgn?: (codebook: Float32Array, dims: number) => FusedAwgn;
};

/** Feeds bytes into a running hash (see `systemFingerprint`). */
export interface Hasher {
  /** Adds raw bytes. */
  bytes(b: Uint8Array): void;
  /** Adds the bytes of the array's float32 values (bit patterns, so −0 and 0 differ). */
  floats(a: Float32Array): void;
  /** Adds `JSON.stringify(v)` as UTF-8: give plain data with a fixed key order. */
  json(v: unknown): void;
}

/**
 * A decoder kind: one module that checks a spec `S` against the system, estimates its cost, shares its arrays with
 * worker threads, fingerprints it for caches, shards and resume, and builds the decision function in the thread that
 * runs the chunks. The Monte Carlo engine knows decoders only through this interface; add one with a module and one
 * line in src/decoders/registry.ts, or from user code with registerDecoder.
 */
export interface DecoderModule<S extends { kind: string }> {
  readonly kind: S['kind'];
  /** What the decoder is, in a few words, for logs and reports. */
  describe(spec: S): string;
  /** Throws a readable error when the spec does not fit the system (dimensions, code, modulation). */
  check(system: BlockLink, spec: S): void;
  /** Approximate arithmetic per decoded block (multiply-adds): for choosing implementations and balancing work. */
  costPerBlock(system: BlockLink, spec: S): number;
  /** The spec with its typed arrays in SharedArrayBuffers, so posting it to a worker copies nothing. */
  share(spec: S): S;
  /** Feeds everything that defines the decoder (weights included) into `hash`. */
  fingerprint(spec: S, hash: Hasher): void;
  /** Work to do once per thread before `build` (e.g. start the tfjs backend). */
  prepare?(): Promise<void>;
  /**
   * Optional, for importance sampling (src/montecarlo/importance.ts): the dominating points of the decoder's
   * error region around message m, i.e. the noise vectors (dims values each) at which decoding c_m + z just
   * turns wrong and near which its errors concentrate. Absent: the pairwise ML boundaries (c_k − c_m)/2,
   * right for ML decoding and close for decoders that approximate it (the learned ones).
   */
  dominatingPoints?(system: BlockLink, spec: S, m: number): number[][];
  /** The decision function, built in the thread that runs the chunks (not thread-safe: owns scratch memory). */
  build(system: BlockLink, spec: S): DecodeFn;
}

/** A Float32Array backed by a SharedArrayBuffer (the same array if it already is). */
export function sharedFloats(a: Float32Array): Float32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const s = new Float32Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}
