/**
 * A data-parallel training worker: it builds the same models from the same spec and seed as the trainer, and
 * computes the gradient of its shards of each batch with the same gradient graph. Parameters, messages, channel
 * draws and gradients travel through SharedArrayBuffers; messages only say which shards to compute.
 */
import { parentPort } from 'node:worker_threads';
import { makeChannel } from '../channels/index.ts';
import { initBackend } from '../backend.ts';
import { loadKindModules } from '../kind-modules.ts';
import { buildAutoencoder } from './build.ts';
import { createGradientGraph } from './gradient-graph.ts';
import type { GradientGraph } from './gradient-graph-contract.ts';
import { computeShards, type WorkerInit, type StepRequest } from './gradient-shards.ts';

let graph: GradientGraph | undefined;
let init: WorkerInit | undefined;

parentPort!.on('message', async (msg: { init?: WorkerInit; step?: StepRequest }) => {
  try {
    if (msg.init) {
      init = msg.init;
      await initBackend(init.backend);
      await loadKindModules(init.kindModules);
      const spec = init.spec;
      const models = buildAutoencoder(spec, init.seed);
      graph = createGradientGraph(models, makeChannel(spec.channel, spec.n, spec.signalling), 2 ** spec.k);
      parentPort!.postMessage({ ready: true });
      return;
    }
    const { sigma, shards, encoderFrozen } = msg.step!;
    const g = graph!;
    g.theta.set(new Float32Array(init!.theta));
    const results = computeShards(
      g,
      shards,
      sigma,
      encoderFrozen,
      init!.bounds,
      new Int32Array(init!.messages),
      new Float32Array(init!.draws),
      new Float32Array(init!.grads),
    );
    parentPort!.postMessage({ results });
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).stack ?? String(e) });
  }
});
