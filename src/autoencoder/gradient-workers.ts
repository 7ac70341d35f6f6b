/**
 * Data-parallel gradients for large networks: each batch is cut into a fixed number of shards; the trainer's
 * own thread and worker threads compute the shards' gradients with the same gradient graph (gradient-graph.ts),
 * and the trainer combines them in shard order, Σ_s (B_s/B)·g_s, into the batch's mean gradient before its one
 * optimizer step. With `workers` threads wanted, the trainer's thread is one of them: it starts workers − 1,
 * and computes its shards while they compute theirs (on 2 cores: one worker, not two beside an idle trainer,
 * which saves a worker's message round trip and its wake-up per step).
 *
 * The shard count is fixed (not the worker count), the shards' gradients are computed by the same code on
 * the same backend, and they are summed in shard order, so the result does not depend on how many threads
 * share the shards. It differs from one full-batch gradient by float rounding (a sum of means instead of one
 * mean), which is why `TrainOptions.shards` is part of what defines a training run.
 *
 * Worth it only when the step is dominated by arithmetic rather than per-op overhead: the trainer uses it
 * from DEFAULTS.train.dataParallelMinMacs multiply-adds per example (the (8,8) network; not (7,4)).
 */
import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { usesBatchStatistics } from '../network/registry.ts';
import type { FullAutoencoderSpec } from './spec.ts';
import { kindModuleUrls } from '../kind-modules.ts';
import { workerRequest } from '../workers/request.ts';
import { requireNodeBuiltin } from '../platform.ts';
import type { GradientGraph } from './gradient-graph-contract.ts';
import { computeShards, type ShardResult, type StepRequest, type WorkerInit } from './gradient-shards.ts';

export class GradientWorkers {
  private readonly workers: Worker[] = [];
  readonly theta: Float32Array;
  readonly messages: Int32Array;
  readonly draws: Float32Array;
  private readonly grads: Float32Array;
  private readonly bounds: number[];
  /** Each shard's share of the batch, B_s/B: the weights of its loss and gradient. */
  private readonly weights: number[];
  readonly gradient: Float32Array;

  private constructor(
    private readonly local: GradientGraph,
    private readonly size: number,
    batch: number,
    drawDims: number,
    readonly shards: number,
  ) {
    this.theta = new Float32Array(new SharedArrayBuffer(size * 4));
    this.messages = new Int32Array(new SharedArrayBuffer(batch * 4));
    this.draws = new Float32Array(new SharedArrayBuffer(batch * drawDims * 4));
    this.grads = new Float32Array(new SharedArrayBuffer(size * shards * 4));
    this.gradient = new Float32Array(size);
    this.bounds = Array.from({ length: shards + 1 }, (_, s) => Math.round((s * batch) / shards));
    this.weights = this.bounds.slice(1).map((end, s) => (end - this.bounds[s]) / batch);
  }

  /**
   * Shares the shards among the trainer's thread (computing with `local`, the trainer's own graph, whose θ is
   * the parameters of each step) and workers − 1 threads, each building the models of `spec` from `seed` (the
   * trainer's initial weights). Undefined for a network with batch statistics (batch normalization): they are
   * over the whole batch, so the batch stays whole (no shards) and the trainer computes its gradient alone.
   */
  static async start(
    local: GradientGraph,
    spec: FullAutoencoderSpec,
    seed: string,
    batch: number,
    drawDims: number,
    shards: number,
    workers: number,
  ): Promise<GradientWorkers | undefined> {
    if (usesBatchStatistics([...spec.encoder, ...spec.decoder])) return undefined;
    const size = local.size;
    const gw = new GradientWorkers(local, size, batch, drawDims, shards);
    const init: WorkerInit = {
      backend: tf.getBackend(),
      spec,
      seed,
      kindModules: kindModuleUrls(),
      theta: gw.theta.buffer as SharedArrayBuffer,
      grads: gw.grads.buffer as SharedArrayBuffer,
      messages: gw.messages.buffer as SharedArrayBuffer,
      draws: gw.draws.buffer as SharedArrayBuffer,
      bounds: gw.bounds,
    };
    try {
      for (let w = 1; w < Math.min(workers, shards); w++) {
        // Worker threads are Node's (platform.ts); a browser trains on one thread (train.ts does not start these there).
        const { Worker } = requireNodeBuiltin('node:worker_threads', 'data-parallel training');
        const worker = new Worker(new URL('./train-worker-entry.mjs', import.meta.url));
        gw.workers.push(worker);
        await gw.ask(worker, { init });
      }
    } catch (e) {
      await gw.stop();
      throw e;
    }
    return gw;
  }

  /** Threads computing shards: the trainer's and the workers. */
  get threads(): number {
    return this.workers.length + 1;
  }

  private ask(worker: Worker, msg: unknown): Promise<{ results?: ShardResult[]; ready?: boolean }> {
    return workerRequest(worker, msg, 'training worker');
  }

  /**
   * The batch's mean loss, correct decisions and mean gradient (in `gradient`) for the parameters in
   * `theta` (the same as the local graph's θ) and the batch in `messages` / `draws` (filled by the caller).
   */
  async step(sigma: number, encoderFrozen = false): Promise<{ loss: number; correct: number; gradient: Float32Array }> {
    // Shard s goes to thread s mod (workers + 1), thread 0 being the trainer's.
    const threads = this.threads;
    const per: number[][] = Array.from({ length: threads }, () => []);
    for (let s = 0; s < this.shards; s++) per[s % threads].push(s);
    const pending = this.workers.map((w, i) => this.ask(w, { step: { sigma, shards: per[i + 1], encoderFrozen } satisfies StepRequest }));
    const mine = computeShards(this.local, per[0], sigma, encoderFrozen, this.bounds, this.messages, this.draws, this.grads);
    const replies = await Promise.all(pending);
    const byShard = new Map([...mine, ...replies.flatMap((r) => r.results!)].map((r) => [r.shard, r]));
    const { weights } = this;
    let loss = 0;
    let correct = 0;
    for (let s = 0; s < this.shards; s++) {
      const r = byShard.get(s)!;
      loss += weights[s] * r.loss;
      correct += r.correct;
    }
    combineShards(this.grads, this.size, weights, this.gradient);
    return { loss, correct, gradient: this.gradient };
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

/**
 * out = Σ_s weights[s]·grads[s·size … (s+1)·size), summed in shard order, rounded to float32 after each
 * shard (as a running float32 sum). A plain function over locals, the first two shards in one pass: as two
 * passes over `this` fields inside the async step it took 0.7 instead of 0.25 ms for (8,8)'s 136k
 * parameters (measured).
 */
function combineShards(grads: Float32Array, size: number, weights: number[], out: Float32Array): void {
  const w0 = weights[0];
  if (weights.length === 1) {
    for (let i = 0; i < size; i++) out[i] = w0 * grads[i];
    return;
  }
  const w1 = weights[1];
  for (let i = 0; i < size; i++) out[i] = Math.fround(w0 * grads[i]) + w1 * grads[size + i];
  for (let s = 2; s < weights.length; s++) {
    const w = weights[s];
    const off = s * size;
    for (let i = 0; i < size; i++) out[i] += w * grads[off + i];
  }
}
