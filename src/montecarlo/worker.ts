/**
 * Monte Carlo worker (piscina, loaded through worker-entry.mjs). A task is one chunk: it names the system
 * by a content key and carries the system itself (its arrays live in SharedArrayBuffers, so posting it
 * costs no copy); the worker rebuilds the system's kernel once per key and keeps a few in a small cache.
 */
import { loadKindModules } from '../kind-modules.ts';
import { RandomStream } from '../random.ts';
import type { ChunkRunner } from './chunk-runner.ts';
import { makeKernel, prepareFor } from './kernel.ts';
import { IsChunkKernel } from './importance.ts';
import type { ChunkTask, ChunkTaskResult } from './pool-tasks.ts';

const CACHE_SIZE = 4;
const cache = new Map<string, ChunkRunner>();

function kernelFor(task: ChunkTask): ChunkRunner {
  let kernel = cache.get(task.key);
  if (kernel) {
    cache.delete(task.key); // re-insert: most recently used last
  } else {
    kernel = makeKernel(task.system, task.blocks);
    if (cache.size >= CACHE_SIZE) {
      const oldest = cache.keys().next().value!;
      cache.get(oldest)!.dispose();
      cache.delete(oldest);
    }
  }
  cache.set(task.key, kernel);
  return kernel;
}

export default async function runChunkTask(task: ChunkTask): Promise<ChunkTaskResult> {
  if (task.fault === 'throw') throw new Error('injected worker fault (test)');
  if (task.fault === 'exit') process.exit(3);
  await loadKindModules(task.kindModules);
  if (task.importance) return runIsChunkTask(task, task.importance);
  if (!cache.has(task.key)) await prepareFor(task.system);
  const t0 = performance.now();
  const kernel = kernelFor(task);
  const counts = kernel.run(task.sigma, new RandomStream(...task.streamParts), task.blocks);
  return { ...counts, blocks: task.blocks, ms: performance.now() - t0 };
}

// Importance-sampling chunks: their own kernels (the proposal is rebuilt per σ, cheaply), keyed like the plain ones.
const isCache = new Map<string, IsChunkKernel>();

async function runIsChunkTask(task: ChunkTask, settings: { alpha: number; pruneBelow: number }): Promise<ChunkTaskResult> {
  const key = `${task.key}#is:${settings.alpha}:${settings.pruneBelow}`;
  let kernel = isCache.get(key);
  if (!kernel) {
    await prepareFor(task.system);
    kernel = new IsChunkKernel(task.system, settings, task.blocks);
    if (isCache.size >= CACHE_SIZE) {
      const oldest = isCache.keys().next().value!;
      isCache.get(oldest)!.dispose();
      isCache.delete(oldest);
    }
    isCache.set(key, kernel);
  }
  const t0 = performance.now();
  const is = kernel.run(task.sigma, new RandomStream(...task.streamParts), task.blocks);
  return { errors: is.hits, bitErrors: is.bitHits, bitErrorsSq: 0, blocks: task.blocks, ms: performance.now() - t0, is };
}
