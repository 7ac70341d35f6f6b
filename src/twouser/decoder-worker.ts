/**
 * The worker of DecoderThread (decoder-thread.ts): it holds user 2's JsTrainGraph, built from the same spec,
 * seed and backend as the trainer's, and runs its decoder's forward and backward pass on the rows the trainer
 * put in shared memory, with the parameters the trainer put there. Messages only say how many rows.
 */
import { parentPort } from 'node:worker_threads';
import { makeTwoUserChannel } from '../channels/registry.ts';
import { initBackend } from '../backend.ts';
import { buildAutoencoder } from '../autoencoder/build.ts';
import { messageCount } from '../autoencoder/spec.ts';
import type { JsTrainGraph } from '../autoencoder/js-train-graph.ts';
import { createUserGraph } from './js-step.ts';
import type { DecoderReply, DecoderWorkerInit } from './decoder-protocol.ts';

let graph: JsTrainGraph | undefined;
let init: DecoderWorkerInit | undefined;
let views: { theta: Float32Array; grad: Float32Array; y: Float32Array; messages: Int32Array; dy: Float32Array } | undefined;

parentPort!.on('message', async (msg: { init?: DecoderWorkerInit; rows?: number }) => {
  try {
    if (msg.init) {
      init = msg.init;
      await initBackend(init.backend);
      const spec = init.spec;
      const channel = makeTwoUserChannel(spec.channel, spec.n, init.crossGain);
      graph = createUserGraph(buildAutoencoder(spec, init.seed), channel, messageCount(spec));
      views = {
        theta: new Float32Array(init.theta),
        grad: new Float32Array(init.grad),
        y: new Float32Array(init.y),
        messages: new Int32Array(init.messages),
        dy: new Float32Array(init.dy),
      };
      parentPort!.postMessage({ ready: true });
      return;
    }
    const B = msg.rows!;
    const g = graph!;
    const v = views!;
    const width = v.y.length / v.messages.length;
    g.theta.set(v.theta);
    g.clearGradient();
    const r = g.decodeBatch(v.y.subarray(0, B * width), v.messages.subarray(0, B));
    v.grad.set(g.gradient);
    v.dy.set(r.dy.subarray(0, B * width));
    parentPort!.postMessage({ loss: r.loss, correct: r.correct } satisfies DecoderReply);
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).stack ?? String(e) });
  }
});
