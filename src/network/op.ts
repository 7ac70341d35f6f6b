/**
 * The pieces every layer kind (src/network/kinds/) plugs into: the JavaScript training op (forward on
 * Float32Arrays with its tape, backward), the context a pass gives it, and the generic forward and backward
 * loops over a list of ops (JsTrainGraph's encoder and decoder, an RTN's estimator).
 */
import type { Gemm } from '../autoencoder/gemm.ts';
import type { PassLayer } from '../autoencoder/backend-decoder-pass.ts';

/** What a forward pass keeps for the backward pass of one op. */
export interface Tape {
  /** The op's input (null: the identity, i.e. the encoder's one-hot rows). */
  input: Float32Array | null;
  output: Float32Array;
  /** Per-kind arrays (e.g. layer norm: x̂ and 1/σ per row; weight norm: the kernel and its column norms). */
  a?: Float32Array;
  b?: Float32Array;
  /** Ops inside this one (an RTN's estimator). */
  sub?: Tape[];
}

/** What one pass (the encoder's or the decoder's) gives its ops. */
export interface PassContext {
  /** θ's slots and their gradients (views into the flat arrays). */
  readonly views: Float32Array[];
  readonly gradViews: Float32Array[];
  /** A scratch array of `size` floats per name, reused across steps. */
  buf(name: string, size: number): Float32Array;
  /** The product implementation for a product of this many multiply-adds. */
  gemm(macs: number): Gemm;
  /**
   * How many times each row stands in the batch: the encoder runs once on the M one-hot rows and the batch
   * gathers them, so a statistic over the batch is the message-count-weighted one over the rows. null: each
   * row once (the decoder).
   */
  readonly counts: Float64Array | null;
  /** Examples in the batch. */
  readonly batch: number;
  /** Training mode: batch statistics (and their running averages updated); false: inference (a frozen encoder). */
  readonly training: boolean;
}

/** One step of a network's JavaScript training pass. */
export interface TrainOp {
  /** The layer kind's name (src/network/registry.ts). */
  readonly kind: string;
  readonly inDim: number;
  readonly outDim: number;
  /** Multiply-adds per row in products (for the decoder-pass rule). */
  readonly macs: number;
  /** Whether the op takes the identity as input (null): the encoder's first op acts on the one-hot rows. */
  readonly acceptsIdentity?: boolean;
  /** Whether the output depends on the batch's composition (message counts), not just each row. */
  batchDependent?(training: boolean): boolean;
  /** Runs the op on `rows` rows (h null: the identity), pushing its tape; returns the output (rows × outDim). */
  forward(c: PassContext, h: Float32Array | null, rows: number, name: string, tapes: Tape[]): Float32Array;
  /**
   * Back through the op from d (rows × outDim), adding parameter gradients; returns the input's gradient
   * (undefined when the input was the identity). May overwrite d.
   */
  backward(c: PassContext, tape: Tape, d: Float32Array, rows: number, name: string): Float32Array | undefined;
  /** Adds the op to a backend decoder pass (backend-decoder-pass.ts); false: the pass cannot run it. */
  toPass?(layers: PassLayer[], c: PassContext): boolean;
  /** State outside θ (running statistics): ← the layer's variables, and → them. */
  readState?(): void;
  /** Writes the op's copy of that state back into the layer's variables, whenever the trainer writes θ back to the model. */
  writeState?(): void;
}

/** Runs `ops` on `rows` rows (input null: the identity), recording tapes; returns the output. */
export function forwardOps(c: PassContext, ops: TrainOp[], input: Float32Array | null, rows: number, tapes: Tape[], tag: string): Float32Array {
  let h = input;
  for (let k = 0; k < ops.length; k++) h = ops[k].forward(c, h, rows, `${tag}${k}`, tapes);
  return h!;
}

/** Back through `ops` from dOut; returns the input's gradient (undefined when the input is the identity). */
export function backwardOps(c: PassContext, ops: TrainOp[], tapes: Tape[], dOut: Float32Array, rows: number, tag: string): Float32Array | undefined {
  let d: Float32Array | undefined = dOut;
  for (let k = ops.length - 1; k >= 0; k--) {
    d = ops[k].backward(c, tapes[k], d, rows, `${tag}${k}`);
    if (!d) return undefined;
  }
  return d;
}

/** out[r,j] = A[r,j] + b[j]. */
export function addRowVector(A: Float32Array, rows: number, cols: number, b: Float32Array, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) out[o + j] = A[o + j] + b[j];
  }
}

/** acc[i] += d[i] for i < len. */
export function addInto(acc: Float32Array, d: Float32Array, len: number): void {
  for (let i = 0; i < len; i++) acc[i] += d[i];
}

/** acc[j] += Σ_r d[r,j]. */
export function addColumnSums(d: Float32Array, rows: number, cols: number, acc: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) acc[j] += d[o + j];
  }
}
