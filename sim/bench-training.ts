/**
 * The training half of `npm run bench`: steps/s of the simulator's trainer against a JAX peer measured in
 * the same run (bench/jax_autoencoder.py, when python3 can import jax), the cost of layer normalization, and
 * the wall-clock time to a converged model with the scenario defaults.
 */
import { spawnSync } from 'node:child_process';
import { trainingOptions } from '../src/scenario/compile-parts.ts';
import { trainAutoencoder } from '../src/autoencoder/index.ts';
import type { AutoencoderSpec, HiddenLayerSpec } from '../src/autoencoder/spec.ts';
import { compileScenario, type CompiledAutoencoder } from '../src/scenario/compile.ts';

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

/** The benchmarked networks: the paper's layout (or the given hidden layers), energy constraint, AWGN. */
export const awgn = (k: number, n: number, hidden?: HiddenLayerSpec[]): AutoencoderSpec => ({
  k,
  n,
  signalling: 'real',
  normalization: 'energy',
  channel: { type: 'awgn' },
  ...(hidden ? { encoder: hidden, decoder: hidden } : {}),
});

/** Seconds for `steps` fixed steps (the JAX peer's setting: 7 dB, Adam 0.001, batch 1000). */
async function timeSteps(spec: AutoencoderSpec, steps: number): Promise<number> {
  const t0 = performance.now();
  const ae = await trainAutoencoder(spec, { ebnoDb: 7, batchSize: 1000, steps, learningRate: 0.001, seed: 'bench', maxRestarts: 0, validationBlocks: 0 });
  ae.dispose();
  return (performance.now() - t0) / 1000;
}

/**
 * Steps/s from the difference of a short and a longer run (start-up cost cancels), the better of two such
 * pairs: the first pair of a process also pays one-time warm-up that does not cancel (tfjs-node's kernels on
 * first use, the WebAssembly modules' tier-up in fresh worker threads; its (8,8) figure came out 10–30% low
 * here), as the JAX peer excludes its compilation and warm-up steps.
 */
async function stepsPerSecond(spec: AutoencoderSpec, short: number, long: number): Promise<number> {
  let best = 0;
  for (let pair = 0; pair < 2; pair++) {
    const a = await timeSteps(spec, short);
    const b = await timeSteps(spec, long);
    best = Math.max(best, (long - short) / Math.max(b - a, 1e-9));
  }
  return best;
}

/** The JAX peer's steps/s, or why it was not measured. */
export function jaxPeer(seconds: number): { ae74StepsPerSecond: number; ae88StepsPerSecond: number; jax: string } | { skipped: string } {
  const script = new URL('../bench/jax_autoencoder.py', import.meta.url).pathname;
  const r = spawnSync('python3', [script, String(seconds)], { encoding: 'utf8', timeout: 300_000 });
  if (r.error) return { skipped: `python3 not runnable: ${r.error.message}` };
  if (r.status !== 0)
    return {
      skipped: /No module named 'jax'/.test(r.stderr) ? 'jax is not installed (pip install jax)' : `jax script failed: ${r.stderr.trim().split('\n').pop()}`,
    };
  return JSON.parse(r.stdout);
}

/** Wall-clock seconds to a model trained with the scenario defaults (stop on convergence). */
async function timeToConverged(k: number, n: number): Promise<{ seconds: number; steps: number; stopReason: string }> {
  const sc = compileScenario({ name: 'bench', sweep: { ebnoDb: [0] }, systems: [{ id: 'ae', type: 'autoencoder', k, n }] });
  const t = (sc.systems[0] as CompiledAutoencoder).train;
  const t0 = performance.now();
  const ae = await trainAutoencoder(awgn(k, n), {
    ...trainingOptions(t),
    seed: 'bench',
  });
  const seconds = (performance.now() - t0) / 1000;
  const out = { seconds: Number(seconds.toFixed(1)), steps: ae.training.totalSteps, stopReason: ae.training.stopReason ?? '' };
  ae.dispose();
  return out;
}

/**
 * Steps/s of (7,4) and (8,8), the layer-normalization slowdown on this process's backend, and the time to a
 * converged model for the networks in `converge` (those the simulator would train on this backend).
 */
export async function trainingBench(opts: { converge: ('ae74' | 'ae88')[] }): Promise<Record<string, unknown>> {
  log('training steps/s: (7,4) and (8,8)...');
  const ae74 = await stepsPerSecond(awgn(4, 7), 300, 2300);
  const ae88 = await stepsPerSecond(awgn(8, 8), 20, 160);
  log('layer normalization: (7,4) with one hidden layer of 16 units each side, with and without it...');
  const plain = await stepsPerSecond(awgn(4, 7, [{ units: 16 }]), 200, 1500);
  const layerNorm = await stepsPerSecond(awgn(4, 7, [{ units: 16, layerNorm: true }]), 200, 1500);
  const out: Record<string, unknown> = {
    ae74StepsPerSecond: Number(ae74.toFixed(1)),
    ae88StepsPerSecond: Number(ae88.toFixed(1)),
    layerNorm: {
      setup: '(7,4), hidden 16 units in encoder and decoder',
      stepsPerSecondWithout: Number(plain.toFixed(1)),
      stepsPerSecondWith: Number(layerNorm.toFixed(1)),
      slowdown: Number((plain / layerNorm).toFixed(2)),
    },
  };
  if (opts.converge.length) {
    log(`time to a converged model with the defaults: ${opts.converge.join(', ')}...`);
    const t: Record<string, unknown> = {};
    if (opts.converge.includes('ae74')) t.ae74 = await timeToConverged(4, 7);
    if (opts.converge.includes('ae88')) t.ae88 = await timeToConverged(8, 8);
    out.timeToConverged = t;
  }
  return out;
}

export const TRAINING_SETUP =
  'batch 1000, Adam lr 0.001, AWGN at 7 dB, energy constraint, the paper network (one-hot M → Dense(M, relu) → Dense(n) → normalization; Dense(M, relu) → Dense(M))';
