/**
 * The per-chunk hot loop, shared by the inline engine and the worker threads: draw messages, look up the
 * codewords, pass them through the channel, decode, count block errors. All buffers are preallocated (and
 * grown only when a larger chunk arrives); nothing is allocated per block.
 *
 * Stream use per chunk (this order is part of the reproducibility contract): `blocks` message draws
 * (`RandomStream.int(M)`), then the channel's `blocks × drawDims` normals (`ChannelSampler.transmit`).
 * The decoder comes from the registry (src/decoders/): the kernel does not know which one it runs; call
 * `prepareFor(system)` once per thread before constructing a kernel.
 *
 * AWGN with a decoder that offers the fused step (`DecodeFn.fusedAwgn`: the WebAssembly learned decoder)
 * runs the chunk after the draws in one WebAssembly call on the decoder's memory: the draws go straight into
 * that memory, the codeword lookup, y = c + σ·z (as src/channels/awgn.ts computes it), the decision and the
 * comparison with the message happen there, and only the blocks in error come back. Same draws, same
 * arithmetic, same counts as the general path (test/unit/mlp-wasm.test.ts); AE_MC_FUSED=0 turns it off.
 *
 * Bit errors are counted beside block errors from the same decisions (no extra random draws): the bits of
 * message m are its bit label, `system.labels[m]` (natural binary, the message index itself, when the system
 * has no labels), and block b has popcount(label(decided) ⊕ label(sent)) bit errors.
 */
import { envVar } from '../platform.ts';
import { ChannelSampler, isNoiseOnly, makeChannel } from '../channels/index.ts';
import { realDims } from '../conventions.ts';
import { decoderModule, type DecodeFn } from '../decoders/index.ts';
import type { FusedAwgn } from '../wasm/kernels/mlp-argmax.ts';
import type { RandomStream } from '../random.ts';
import type { BlockSystem } from '../system.ts';
import { bitsWrong, countErrors } from './ber.ts';
import type { ChunkCounts, ChunkRunner } from './chunk-runner.ts';
import { TwoUserChunkKernel } from './two-user-kernel.ts';

/** Blocks per slice of the fused AWGN step (a multiple of 8; its data, ~150 kB for n = 7, stays in cache). */
const FUSED_SLICE = 4096;

/** Checks the shapes of a system and that its decoder fits it; throws a readable error. */
export function validateSystem(system: BlockSystem): void {
  const { id, k, n, signalling, codebook } = system;
  if (!(Number.isInteger(k) && k >= 1 && k <= 24)) throw new Error(`system ${id}: k = ${k} must be an integer in [1, 24]`);
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`system ${id}: n = ${n} must be a positive integer`);
  const dims = realDims(n, signalling);
  if (codebook.length !== 2 ** k * dims) {
    throw new Error(`system ${id}: codebook has ${codebook.length} values, expected 2^${k} × ${dims}`);
  }
  if (system.labels) {
    const M = 2 ** k;
    const seen = new Uint8Array(M);
    const ok = system.labels.length === M && system.labels.every((l) => Number.isInteger(l) && l >= 0 && l < M && !seen[l] && (seen[l] = 1));
    if (!ok) throw new Error(`system ${id}: labels must be a permutation of 0 … ${M - 1}`);
  }
  decoderModule(system.decoder).check(system, system.decoder);
}

/** Work a thread must do once before it can build this system's kernel (e.g. start the tfjs backend). */
export async function prepareFor(system: BlockSystem): Promise<void> {
  await decoderModule(system.decoder).prepare?.();
}

/**
 * The per-chunk hot loop of plain Monte Carlo for one system, shared by the inline engine and the worker threads:
 * draws `blocks` messages then the channel's normals from the chunk's stream (in that order, part of the
 * reproducibility contract), decodes and counts block and bit errors, with no allocation per block. The constructor
 * validates the system and builds its decoder (throws when they do not fit); the decoder's one-time `prepare` (e.g.
 * starting the tfjs backend) must have run in this thread first. Call dispose() when done.
 */
export class ChunkKernel {
  readonly M: number;
  readonly dims: number;
  /** Real values per block the receiver gets (the channel's outDims: dims, or more with side information). */
  readonly outDims: number;
  private readonly codebook: Float32Array;
  private readonly sampler: ChannelSampler;
  private readonly decode: DecodeFn;
  private readonly labels: Int32Array | undefined;
  /** The fused AWGN step, when the channel is AWGN and the decoder has one. */
  private readonly fused: FusedAwgn | undefined;
  private msgs = new Int32Array(0);
  private decided = new Int32Array(0);
  private x = new Float32Array(0);
  private y = new Float32Array(0);

  constructor(
    readonly system: BlockSystem,
    capacity = 0,
  ) {
    validateSystem(system);
    this.M = 2 ** system.k;
    this.dims = realDims(system.n, system.signalling);
    this.codebook = system.codebook;
    const channel = makeChannel(system.channel, system.n, system.signalling);
    this.outDims = channel.outDims;
    this.sampler = new ChannelSampler(channel);
    this.decode = decoderModule(system.decoder).build(system, system.decoder);
    this.labels = system.labels;
    const fusedOk = isNoiseOnly(system.channel) && this.outDims === this.dims && envVar('AE_MC_FUSED') !== '0';
    this.fused = fusedOk ? this.decode.fusedAwgn?.(this.codebook, this.dims) : undefined;
    if (this.fused) this.fused.reserve(capacity, FUSED_SLICE);
    else this.ensure(capacity);
  }

  private ensure(blocks: number): void {
    if (this.msgs.length >= blocks) return;
    this.msgs = new Int32Array(blocks);
    this.decided = new Int32Array(blocks);
    this.x = new Float32Array(blocks * this.dims);
    this.y = new Float32Array(blocks * this.outDims);
  }

  /** Frees what the decoder holds outside the JavaScript heap (tfjs weights). */
  dispose(): void {
    this.decode.dispose?.();
  }

  /** Simulates `blocks` blocks at noise std `sigma` from `stream`; returns the block and bit errors. */
  run(sigma: number, stream: RandomStream, blocks: number): ChunkCounts {
    if (this.fused) return this.runFused(sigma, stream, blocks);
    this.ensure(blocks);
    const { msgs, x, y, decided, codebook, dims } = this;
    stream.fillInts(msgs, this.M, blocks);
    for (let b = 0, xo = 0; b < blocks; b++) {
      const co = msgs[b] * dims;
      for (let j = 0; j < dims; j++) x[xo++] = codebook[co + j];
    }
    this.sampler.transmit(x, y, blocks, sigma, stream);
    this.decode(y, blocks, decided);
    return countErrors(decided, msgs, blocks, this.labels);
  }

  /**
   * `run` through the decoder's fused AWGN step: the same draws in the same order (all messages, then all
   * normals: drawing them slice by slice continues the same sequence), the same counts.
   */
  private runFused(sigma: number, stream: RandomStream, blocks: number): ChunkCounts {
    const fused = this.fused!;
    const dims = this.dims;
    const { msgs, z } = fused.reserve(blocks, FUSED_SLICE);
    stream.fillInts(msgs, this.M, blocks);
    const labels = this.labels;
    let errors = 0;
    let bitErrors = 0;
    let bitErrorsSq = 0;
    for (let from = 0; from < blocks; from += FUSED_SLICE) {
      const count = Math.min(FUSED_SLICE, blocks - from);
      stream.fillNormal(z, 0, count * dims);
      const n = fused.run(from, count, sigma);
      const { errorBlocks, decided } = fused;
      for (let i = 0; i < n; i++) {
        const b = errorBlocks[i];
        const sent = msgs[from + b];
        const e = bitsWrong(decided[b], sent, labels);
        bitErrors += e;
        bitErrorsSq += e * e;
      }
      errors += n;
    }
    return { errors, bitErrors, bitErrorsSq };
  }
}

/** The kernel of a system: ChunkKernel, or TwoUserChunkKernel for a receiver of a two-user system (`coUser`). */
export function makeKernel(system: BlockSystem, capacity = 0): ChunkRunner {
  if (system.coUser) {
    validateSystem(system);
    return new TwoUserChunkKernel(system, capacity);
  }
  return new ChunkKernel(system, capacity);
}
