/**
 * The per-chunk hot loop, shared by the inline engine and the worker threads: draw messages, look up the
 * codewords, pass them through the channel, decode, count block errors. All buffers are preallocated (and
 * grown only when a larger chunk arrives); nothing is allocated per block.
 *
 * Stream use per chunk (this order is part of the reproducibility contract): `blocks` message draws
 * (`RandomStream.int(M)`), then the channel's `blocks × drawDims` normals (`ChannelSampler.transmit`).
 */
import { ChannelSampler, makeChannel } from '../../channels/index.ts';
import { realDims } from '../conventions.ts';
import { compileMlp } from '../mlp.ts';
import type { RandomStream } from '../random.ts';
import type { BlockSystem } from '../system.ts';
import { hammingCodebook, hammingHardTable } from '../baselines/hamming.ts';
import { makeSymbolwiseDemapper } from '../baselines/modulation.ts';

import { decodesOnTf, makeTfArgmax, type DecodeFn } from './tf-decoder.ts';

/** Checks the shapes of a system; throws a readable error. */
export function validateSystem(system: BlockSystem): void {
  const { id, k, n, signalling, codebook } = system;
  if (!(Number.isInteger(k) && k >= 1 && k <= 24)) throw new Error(`system ${id}: k = ${k} must be an integer in [1, 24]`);
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`system ${id}: n = ${n} must be a positive integer`);
  const dims = realDims(n, signalling);
  if (codebook.length !== 2 ** k * dims) {
    throw new Error(`system ${id}: codebook has ${codebook.length} values, expected 2^${k} × ${dims}`);
  }
  if (system.decoder.kind === 'mlp') {
    const { mlp } = system.decoder;
    if (mlp.inputDim !== dims || mlp.outputDim !== 2 ** k) {
      throw new Error(`system ${id}: decoder maps ${mlp.inputDim} → ${mlp.outputDim}, expected ${dims} → ${2 ** k}`);
    }
  }
}

function makeDecoder(system: BlockSystem): DecodeFn {
  const { k, n, signalling, codebook, decoder } = system;
  const dims = realDims(n, signalling);
  const M = 2 ** k;
  switch (decoder.kind) {
    case 'mlp': {
      if (decodesOnTf(system)) return makeTfArgmax(decoder.mlp);
      const net = compileMlp(decoder.mlp);
      return (y, blocks, decided) => net.argmax(y, blocks, decided);
    }
    case 'ml': {
      // argmin ‖y − c_m‖² = argmax (⟨y, c_m⟩ − ‖c_m‖²/2); first index on ties.
      const cb = Float64Array.from(codebook);
      const half = new Float64Array(M);
      for (let m = 0; m < M; m++) {
        let e = 0;
        for (let j = 0; j < dims; j++) e += cb[m * dims + j] * cb[m * dims + j];
        half[m] = 0.5 * e;
      }
      return (y, blocks, decided) => {
        for (let b = 0; b < blocks; b++) {
          const yo = b * dims;
          let best = -Infinity;
          let arg = 0;
          for (let m = 0, co = 0; m < M; m++, co += dims) {
            let s = -half[m];
            for (let j = 0; j < dims; j++) s += y[yo + j] * cb[co + j];
            if (s > best) {
              best = s;
              arg = m;
            }
          }
          decided[b] = arg;
        }
      };
    }
    case 'hamming74-hard': {
      const ref = hammingCodebook();
      if (k !== 4 || n !== 7 || signalling !== 'real' || codebook.length !== ref.length || codebook.some((v, i) => Math.sign(v) !== ref[i])) {
        throw new Error(`system ${system.id}: decoder hamming74-hard needs the BPSK Hamming (7,4) codebook of src/baselines/hamming.ts`);
      }
      const table = hammingHardTable();
      return (y, blocks, decided) => {
        for (let b = 0; b < blocks; b++) {
          const o = b * 7;
          let w = 0;
          for (let j = 0; j < 7; j++) w = (w << 1) | (y[o + j] < 0 ? 1 : 0);
          decided[b] = table[w];
        }
      };
    }
    case 'symbolwise-hard': {
      const q = decoder.bitsPerSymbol;
      if (signalling === 'real' ? q !== 1 : !(q >= 2 && q % 2 === 0)) {
        throw new Error(`system ${system.id}: symbolwise-hard with ${q} bits per symbol needs ${q === 1 ? 'real' : 'complex'} signalling`);
      }
      if (k !== n * q) throw new Error(`system ${system.id}: symbolwise-hard needs k = n × bitsPerSymbol (k=${k}, n=${n}, q=${q})`);
      const demap = makeSymbolwiseDemapper(k, q);
      return (y, blocks, decided) => {
        for (let b = 0; b < blocks; b++) decided[b] = demap(y, b * dims);
      };
    }
    default:
      throw new Error(`system ${system.id}: unknown decoder ${(decoder as { kind: string }).kind}`);
  }
}

export class ChunkKernel {
  readonly M: number;
  readonly dims: number;
  private readonly codebook: Float32Array;
  private readonly sampler: ChannelSampler;
  private readonly decode: DecodeFn;
  private msgs = new Int32Array(0);
  private decided = new Int32Array(0);
  private x = new Float32Array(0);
  private y = new Float32Array(0);

  constructor(readonly system: BlockSystem, capacity = 0) {
    validateSystem(system);
    this.M = 2 ** system.k;
    this.dims = realDims(system.n, system.signalling);
    this.codebook = system.codebook;
    this.sampler = new ChannelSampler(makeChannel(system.channel, system.n, system.signalling));
    this.decode = makeDecoder(system);
    this.ensure(capacity);
  }

  private ensure(blocks: number): void {
    if (this.msgs.length >= blocks) return;
    this.msgs = new Int32Array(blocks);
    this.decided = new Int32Array(blocks);
    this.x = new Float32Array(blocks * this.dims);
    this.y = new Float32Array(blocks * this.dims);
  }

  /** Simulates `blocks` blocks at noise std `sigma` from `stream`; returns the number of block errors. */
  run(sigma: number, stream: RandomStream, blocks: number): number {
    this.ensure(blocks);
    const { msgs, x, y, decided, codebook, dims } = this;
    stream.fillInts(msgs, this.M, blocks);
    for (let b = 0, xo = 0; b < blocks; b++) {
      const co = msgs[b] * dims;
      for (let j = 0; j < dims; j++) x[xo++] = codebook[co + j];
    }
    this.sampler.transmit(x, y, blocks, sigma, stream);
    this.decode(y, blocks, decided);
    let errors = 0;
    for (let b = 0; b < blocks; b++) if (decided[b] !== msgs[b]) errors++;
    return errors;
  }
}
