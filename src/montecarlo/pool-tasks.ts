/**
 * What the Monte Carlo engine hands a pool or runs inline: the chunk task and its result, the pool's
 * interface, and the system as posted to workers (shared arrays, a content key). No worker threads here
 * (those are pool.ts's, Node's), so the engine runs inline wherever the core runs, a browser included.
 */
import type { SeedPart } from '../random.ts';
import { decoderModule, type Hasher } from '../decoders/index.ts';
import { sharedFloats } from '../decoders/decoder.ts';
import type { BlockSystem } from '../system.ts';
import type { IsChunkSums } from './importance.ts';

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
  /** An importance-sampling chunk (src/montecarlo/importance.ts): the proposal's settings. */
  importance?: { alpha: number; pruneBelow: number };
  /** Modules registering kinds from user code, imported by the worker before the chunk (src/kind-modules.ts). */
  kindModules?: string[];
}

export interface ChunkTaskResult {
  errors: number;
  bitErrors: number;
  bitErrorsSq: number;
  blocks: number;
  ms: number;
  /** The weighted sums of an importance-sampling chunk. */
  is?: IsChunkSums;
}

/**
 * A pool of Monte Carlo worker threads (createPool) that runSweep hands chunks to. The counts do not depend on it:
 * the same sweep gives the same counts inline or on any number of workers.
 */
export interface McPool {
  /** Number of worker threads. */
  readonly workers: number;
  /**
   * Runs one chunk on a free worker (after it has loaded the user kind modules registered with useKindModule);
   * resolves with its counts, rejects when the worker throws or exits.
   */
  runChunk(task: ChunkTask): Promise<ChunkTaskResult>;
  /** Waits for the chunks still running (speculative ones a sweep no longer needs), then stops every worker. */
  destroy(): Promise<void>;
}

/** A copy of the system whose arrays live in SharedArrayBuffers (posted to workers without copying). */
export function shareSystem(system: BlockSystem): BlockSystem {
  return {
    ...system,
    codebook: sharedFloats(system.codebook),
    decoder: decoderModule(system.decoder).share(system.decoder),
    ...(system.coUser ? { coUser: { ...system.coUser, codebook: sharedFloats(system.coUser.codebook) } } : {}),
  };
}

/**
 * id + FNV-1a hash of everything that defines the system (shape, channel, codebook, and the decoder as its
 * module describes it, weights included), so a cache never confuses two versions of an id.
 */
export function systemKey(system: BlockSystem): string {
  let h = 0x811c9dc5;
  const enc = new TextEncoder();
  const hash: Hasher = {
    bytes(bytes) {
      for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    },
    floats(a) {
      hash.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    },
    json(v) {
      hash.bytes(enc.encode(JSON.stringify(v)));
    },
  };
  const { codebook, decoder, coUser, ...rest } = system;
  hash.json(rest);
  hash.floats(codebook);
  if (coUser) {
    hash.json({ user: coUser.user, crossGain: coUser.crossGain });
    hash.floats(coUser.codebook);
  }
  decoderModule(decoder).fingerprint(decoder, hash);
  return `${system.id}#${(h >>> 0).toString(16)}`;
}
