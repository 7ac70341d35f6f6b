/**
 * The shard protocol between the trainer's thread (gradient-workers.ts) and its training workers
 * (train-worker.ts): what a worker is started with, what a step asks of it, what it answers, and the one shard
 * loop both sides run.
 */
import type { FullAutoencoderSpec } from './spec.ts';
import type { GradientGraph } from './gradient-graph-contract.ts';

export interface WorkerInit {
  /**
   * The trainer's backend (tf.getBackend()): not the command's choice the worker would inherit, since the
   * trainer may train a small network on wasm inside a command that chose tfjs-node (backendForTraining), and
   * every shard must run the same arithmetic.
   */
  backend: string;
  spec: FullAutoencoderSpec;
  seed: string;
  /** Modules registering kinds from user code (src/kind-modules.ts), imported before the graph is built. */
  kindModules: string[];
  theta: SharedArrayBuffer;
  grads: SharedArrayBuffer;
  messages: SharedArrayBuffer;
  draws: SharedArrayBuffer;
  /** Blocks per shard (the last shard may be shorter: `bounds`). */
  bounds: number[];
}

export interface StepRequest {
  sigma: number;
  shards: number[];
  /** The encoder is frozen (decoder refinement): its gradient is not needed. */
  encoderFrozen: boolean;
}

export interface ShardResult {
  shard: number;
  loss: number;
  correct: number;
}

/**
 * Loss, correct decisions and gradient (into grads at shard·size) of each shard in `shards`, computed with
 * `graph` (whose θ the caller has set): the one shard loop of the trainer's thread and of the workers.
 */
export function computeShards(
  graph: GradientGraph,
  shards: number[],
  sigma: number,
  encoderFrozen: boolean,
  bounds: number[],
  messages: Int32Array,
  draws: Float32Array,
  grads: Float32Array,
): ShardResult[] {
  graph.freezeEncoder?.(encoderFrozen);
  const drawDims = draws.length / messages.length;
  return shards.map((s) => {
    const r = graph.step(messages.subarray(bounds[s], bounds[s + 1]), draws.subarray(bounds[s] * drawDims, bounds[s + 1] * drawDims), sigma);
    grads.set(r.gradient, s * graph.size);
    return { shard: s, loss: r.loss, correct: r.correct };
  });
}
