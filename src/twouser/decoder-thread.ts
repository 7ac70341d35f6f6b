/**
 * The two-user step on two threads, split by user: the trainer's thread runs receiver 1's decoder pass while
 * a worker thread runs receiver 2's (decoder-worker.ts); everything else of the step (both encoders, the
 * channel, its VJP, both encoders' backward passes, Adam) stays on the trainer's thread.
 *
 * Why by user and not by shards of the batch (as gradient-workers.ts does for one link): the two decoder passes
 * are independent between the channel and its VJP and are most of the step's arithmetic ((4,8): two
 * 8 → 256 → 256 decoders), and the worker's pass is the very computation the trainer's thread would run (same
 * code, backend, parameters and rows), so the result is bit for bit that of one thread: no shard count enters
 * what defines a run, and any number of threads gives the same model (test/unit/two-user-step.test.ts).
 *
 * Shared memory: θ2 (written by the trainer before each step), user 2's gradient and dL2/dy2 (written by the
 * worker), the received rows y2 and the messages m2; a message per step carries only the row count.
 */
import type { Worker } from 'node:worker_threads';
import { requireNodeBuiltin } from '../platform.ts';
import * as tf from '@tensorflow/tfjs';
import type { AutoencoderSpec } from '../autoencoder/spec.ts';
import { workerRequest } from '../workers/request.ts';
import type { DecoderReply, DecoderWorkerInit } from './decoder-protocol.ts';

export class DecoderThread {
  private readonly theta: Float32Array;
  private readonly grad: Float32Array;
  private readonly y: Float32Array;
  private readonly messages: Int32Array;
  private readonly dy: Float32Array;

  private constructor(
    private readonly worker: Worker,
    size: number,
    batch: number,
    private readonly width: number,
  ) {
    this.theta = new Float32Array(new SharedArrayBuffer(size * 4));
    this.grad = new Float32Array(new SharedArrayBuffer(size * 4));
    this.y = new Float32Array(new SharedArrayBuffer(batch * width * 4));
    this.messages = new Int32Array(new SharedArrayBuffer(batch * 4));
    this.dy = new Float32Array(new SharedArrayBuffer(batch * width * 4));
  }

  /**
   * A worker holding user 2's graph: `spec` and `seed` as the trainer built it, θ of `size` floats, batches of
   * at most `batch` rows `width` values wide (the receiver's input).
   */
  static async start(spec: AutoencoderSpec, seed: string, crossGain: number, size: number, batch: number, width: number): Promise<DecoderThread> {
    // Worker threads are Node's (platform.ts); train.ts starts this thread only where they exist.
    const { Worker } = requireNodeBuiltin('node:worker_threads', 'the second decoder thread');
    const worker = new Worker(new URL('./decoder-worker-entry.mjs', import.meta.url));
    const t = new DecoderThread(worker, size, batch, width);
    const init: DecoderWorkerInit = {
      backend: tf.getBackend(),
      spec,
      seed,
      crossGain,
      theta: t.theta.buffer as SharedArrayBuffer,
      grad: t.grad.buffer as SharedArrayBuffer,
      y: t.y.buffer as SharedArrayBuffer,
      messages: t.messages.buffer as SharedArrayBuffer,
      dy: t.dy.buffer as SharedArrayBuffer,
    };
    try {
      await t.ask({ init });
    } catch (e) {
      await t.stop();
      throw e;
    }
    return t;
  }

  private ask(msg: unknown): Promise<DecoderReply & { ready?: boolean }> {
    return workerRequest(this.worker, msg, 'two-user decoder worker');
  }

  /**
   * Starts receiver 2's decoder pass on `rows` rows of y with parameters θ; the promise gives its loss and
   * correct decisions, with `gradient` and `dy` filled.
   */
  decode(theta: Float32Array, y: Float32Array, messages: Int32Array, rows: number): Promise<DecoderReply> {
    this.theta.set(theta);
    this.y.set(y.subarray(0, rows * this.width));
    this.messages.set(messages.subarray(0, rows));
    return this.ask({ rows });
  }

  /** User 2's gradient after the last pass (decoder entries; the encoder's are 0). */
  get gradient(): Float32Array {
    return this.grad;
  }

  /** dL2/dy2 of the last pass (rows × width). */
  get dyRows(): Float32Array {
    return this.dy;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
