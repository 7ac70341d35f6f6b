/**
 * One request to a worker thread and its one reply: the training workers (gradient-workers.ts,
 * twouser/decoder-thread.ts) answer every message with one message, `{ error }` when it failed.
 */
import type { Worker } from 'node:worker_threads';

export function workerRequest<R>(worker: Worker, msg: unknown, what: string): Promise<R> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: R & { error?: string }) => {
      worker.off('error', onError);
      if (m.error) reject(new Error(`${what} failed: ${m.error}`));
      else resolve(m);
    };
    const onError = (e: Error) => {
      worker.off('message', onMessage);
      reject(e);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    worker.postMessage(msg);
  });
}
