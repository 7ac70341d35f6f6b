/**
 * A pool of Monte Carlo worker threads (piscina). One task = one chunk; the engine keeps a few chunks in
 * flight per worker and accepts their results in chunk order, so counts do not depend on the number of
 * workers or on scheduling.
 */
import os from 'node:os';
import { Piscina } from 'piscina';
import type { BlockSystem } from '../system.ts';
import { kindModuleUrls } from '../kind-modules.ts';
import type { ChunkTask, ChunkTaskResult, McPool } from './pool-tasks.ts';

export { shareSystem, systemKey, type ChunkTask, type ChunkTaskResult, type McPool } from './pool-tasks.ts';

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
    decoder: { kind: 'nearest-codeword' },
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
  // A sweep may end with speculative chunks still running (their counts are not needed); destroying the pool
  // under them makes piscina throw "Unexpected message from Worker" when they answer. destroy() lets them end.
  const running = new Set<Promise<unknown>>();
  return {
    workers,
    runChunk: (task) => {
      const kindModules = kindModuleUrls();
      const p = piscina.run(kindModules.length ? { ...task, kindModules } : task);
      const settled: Promise<unknown> = p.then(
        () => running.delete(settled),
        () => running.delete(settled),
      );
      running.add(settled);
      return p;
    },
    destroy: async () => {
      await Promise.all(running);
      await piscina.destroy();
    },
  };
}
