/**
 * What a chunk kernel counts and offers (kernel.ts: a single link; two-user-kernel.ts: one receiver of a
 * two-user system), for the engine, its workers and the chunk bookkeeping.
 */
import type { RandomStream } from '../random.ts';
import type { BitCounts } from './ber.ts';

/** What one chunk counted. */
export interface ChunkCounts extends BitCounts {
  errors: number;
}

/** What the engine and the workers run chunks with: a single link, or one receiver of a two-user system. */
export interface ChunkRunner {
  run(sigma: number, stream: RandomStream, blocks: number): ChunkCounts;
  dispose(): void;
}
