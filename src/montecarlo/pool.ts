/**
 * A pool of Monte Carlo worker threads (piscina). One task = one chunk; the engine keeps a few chunks in
 * flight per worker and accepts their results in chunk order, so counts do not depend on the number of
 * workers or on scheduling.
 */
import os from 'node:os';
import { Piscina } from 'piscina';
import type { SeedPart } from '../random.ts';
import type { BlockSystem, MlpLayer } from '../system.ts';

export interface ChunkTask {
  /** Content key of the system (id + fingerprint): the worker's cache key. */
  key: string;
  system: BlockSystem;
  sigma: number;
  /** The chunk's stream: new RandomStream(...streamParts). */
  streamParts: SeedPart[];
  blocks: number;
  /** Fault injection for tests: make the worker throw or exit during this chunk. */
  fault?: 'throw' | 'exit';
}

export interface ChunkTaskResult {
  errors: number;
  blocks: number;
  ms: number;
}

export interface McPool {
  /** Number of worker threads. */
  readonly workers: number;
  runChunk(task: ChunkTask): Promise<ChunkTaskResult>;
  destroy(): Promise<void>;
}

/** Starts `workers` threads (default: one per core) and waits until each has loaded the worker module. */
export async function createPool(workers: number = os.availableParallelism()): Promise<McPool> {
  if (!(Number.isInteger(workers) && workers >= 1)) throw new Error(`createPool: workers must be a positive integer, got ${workers}`);
  const piscina = new Piscina<ChunkTask, ChunkTaskResult>({
    filename: new URL('./worker-entry.mjs', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 2 ** 31 - 1,
    // One task at a time per thread; the engine itself keeps the queue short.
    concurrentTasksPerWorker: 1,
  });
  // Wait until every thread is up (tsx registration + module load take a while) so the first sweep's
  // timing is not polluted, and so a broken worker fails here with a clear error.
  const probe: BlockSystem = {
    id: '__warmup__',
    k: 1,
    n: 1,
    signalling: 'real',
    codebook: new Float32Array([1, -1]),
    decoder: { kind: 'ml' },
    channel: { type: 'awgn' },
  };
  try {
    await Promise.all(
      Array.from({ length: workers * 2 }, () => piscina.run({ key: '__warmup__', system: probe, sigma: 1, streamParts: ['warmup'], blocks: 1 })),
    );
  } catch (err) {
    await piscina.destroy();
    throw new Error(`createPool: Monte Carlo worker failed to start: ${(err as Error).message}`, { cause: err });
  }
  return {
    workers,
    runChunk: (task) => piscina.run(task),
    destroy: () => piscina.destroy(),
  };
}

function toShared(a: Float32Array): Float32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const s = new Float32Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

/** A copy of the system whose arrays live in SharedArrayBuffers (posted to workers without copying). */
export function shareSystem(system: BlockSystem): BlockSystem {
  const decoder = system.decoder;
  const shareLayer = (l: MlpLayer): MlpLayer =>
    l.kind === 'dense'
      ? { ...l, kernel: toShared(l.kernel), bias: toShared(l.bias) }
      : l.kind === 'layerNorm'
        ? { ...l, gamma: toShared(l.gamma), beta: toShared(l.beta) }
        : l;
  return {
    ...system,
    codebook: toShared(system.codebook),
    decoder: decoder.kind === 'mlp' ? { kind: 'mlp', mlp: { ...decoder.mlp, layers: decoder.mlp.layers.map(shareLayer) } } : decoder,
  };
}

/** id + FNV-1a hash of everything that defines the system, so a cache never confuses two versions of an id. */
export function systemKey(system: BlockSystem): string {
  let h = 0x811c9dc5;
  const mixBytes = (bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  };
  const mixArr = (a: Float32Array) => mixBytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  const enc = new TextEncoder();
  const { codebook, decoder, ...rest } = system;
  mixBytes(enc.encode(JSON.stringify(rest)));
  mixArr(codebook);
  if (decoder.kind === 'mlp') {
    mixBytes(enc.encode(JSON.stringify(decoder.mlp, (_k, v) => (v instanceof Float32Array ? v.length : v))));
    for (const l of decoder.mlp.layers) {
      if (l.kind === 'dense') {
        mixArr(l.kernel);
        mixArr(l.bias);
      } else if (l.kind === 'layerNorm') {
        mixArr(l.gamma);
        mixArr(l.beta);
      }
    }
  } else {
    mixBytes(enc.encode(JSON.stringify(decoder)));
  }
  return `${system.id}#${(h >>> 0).toString(16)}`;
}
