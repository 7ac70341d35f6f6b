/**
 * `npm run bench`: prints ONE JSON object with the simulator's throughput figures.
 *
 * - mc: Monte Carlo blocks/s of the (7,4) autoencoder (decoder 7 → 16 relu → 16, the trained one) at
 *   10 dB where errors are rare - messages + noise + channel + decode + count - inline, with 1 worker
 *   and with one worker per core.
 * - tfjsPredictBlocksPerSecond: the same work with the decoder as a tf.Sequential Dense(16, relu) →
 *   Dense(16, softmax) and model.predict + argMax (noise generated the same way, in JS).
 * - gaussianSamplesPerSecond: RandomStream.fillNormal (ziggurat) into a Float32Array.
 *
 * - startup: wall time of `sim --version`, `sim validate`, `sim list`, compiled and under tsx (sim/bench-startup.ts).
 * - training: steps/s of the trainer for (7,4) and (8,8) against the JAX peer (bench/jax_autoencoder.py, same
 *   network, Adam, batch; measured in the same run when python3 can import jax), the slowdown of layer
 *   normalization, and the time to a converged model with the defaults (sim/bench-training.ts).
 *
 * Both backends, side by side: every figure above is measured once per backend that loads here (wasm, and
 * tfjs-node when installed), each in its own child process (AE_BACKEND=…, `--one`), one after the other;
 * the JAX peer once. The output says which backend the simulator would choose for (7,4) and (8,8)
 * (src/backend.ts), and measures the time to a converged model on that one — what a user gets.
 *
 * BENCH_SECONDS (default 2.5) sets the length of each Monte Carlo measurement; BENCH_CONVERGED=0 skips the
 * time-to-converged measurement.
 */
import { spawnSync } from 'node:child_process';
import { unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { decideBackend, initBackend, tensorflowLoads, tf, type BackendName } from '../src/backend.ts';
import { noiseStd } from '../src/conventions.ts';
import { decoderModule } from '../src/decoders/index.ts';
import { createPool, runSweep } from '../src/montecarlo/index.ts';
import { RandomStream } from '../src/random.ts';
import type { BlockSystem } from '../src/system.ts';
import { trainAutoencoder } from '../src/autoencoder/index.ts';
import { awgn, jaxPeer, TRAINING_SETUP, trainingBench } from './bench-training.ts';
import { forwardMacs } from '../src/autoencoder/train.ts';
import { withDefaults } from '../src/autoencoder/spec.ts';
import { startupSeconds } from './bench-startup.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2.5);
const EBNO = 10;
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

async function timeTraining(steps: number, k = 4, n = 7): Promise<{ seconds: number; system: BlockSystem }> {
  const t0 = performance.now();
  const ae = await trainAutoencoder(awgn(k, n), {
    ebnoDb: 7,
    batchSize: 1000,
    steps,
    learningRate: 0.005,
    seed: 'bench',
    maxRestarts: 0,
    validationBlocks: 0,
  });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, system: ae.toBlockSystem(`bench-ae${n}${k}`) };
}

async function mcRate(system: BlockSystem, workers: number | 0, perWorkerRate: number): Promise<number> {
  const maxBlocks = Math.max(100_000, Math.round(perWorkerRate * Math.max(workers, 1) * SECONDS));
  const pool = workers > 0 ? await createPool(workers) : undefined;
  try {
    const t0 = performance.now();
    const [r] = await runSweep(system, { ebnoDb: [EBNO], seed: 'bench', rules: { targetErrors: 2 ** 52, maxBlocks } }, pool);
    return r.blocks / ((performance.now() - t0) / 1000);
  } finally {
    await pool?.destroy();
  }
}

function tfjsPredictRate(system: BlockSystem): { blocksPerSecond: number; batch: number } {
  if (system.decoder.kind !== 'mlp-js') throw new Error('bench: expected the (7,4) decoder in JavaScript (mlp-js)');
  const dense = system.decoder.mlp.layers.filter((l) => l.kind === 'dense');
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [7], units: 16, activation: 'relu' }), tf.layers.dense({ units: 16, activation: 'softmax' })],
  });
  if (dense.length === 2 && dense[0].outDim === 16) {
    model.layers[0].setWeights([tf.tensor2d(dense[0].kernel, [7, 16]), tf.tensor1d(dense[0].bias)]);
    model.layers[1].setWeights([tf.tensor2d(dense[1].kernel, [16, 16]), tf.tensor1d(dense[1].bias)]);
  }
  const M = 16;
  const dims = 7;
  const sigma = noiseStd(EBNO, 4, 7);
  // Same work as the engine: seeded messages and ziggurat noise in JS, then predict + argMax on the backend.
  const measure = (B: number, seconds: number): { rate: number; errors: number; blocks: number } => {
    const msgs = new Int32Array(B);
    const x = new Float32Array(B * dims);
    const noise = new Float32Array(B * dims);
    let blocks = 0;
    let errors = 0;
    const t0 = performance.now();
    for (let chunk = 0; performance.now() - t0 < seconds * 1000 || chunk < 2; chunk++) {
      const stream = new RandomStream('bench', 'tfjs', B, chunk);
      stream.fillInts(msgs, M);
      stream.fillNormal(noise);
      for (let b = 0; b < B; b++) for (let j = 0; j < dims; j++) x[b * dims + j] = system.codebook[msgs[b] * dims + j] + sigma * noise[b * dims + j];
      const decided = tf.tidy(() => (model.predict(tf.tensor2d(x, [B, dims])) as tf.Tensor2D).argMax(1).dataSync());
      for (let b = 0; b < B; b++) if (decided[b] !== msgs[b]) errors++;
      blocks += B;
    }
    return { rate: blocks / ((performance.now() - t0) / 1000), errors, blocks };
  };
  // The backends' throughput depends strongly on the batch size (wasm slows down a lot at 65536): use
  // the best of a few.
  let best = { batch: 0, rate: 0 };
  for (const B of [1024, 4096, 16384, 65536]) {
    const r = measure(B, 0.3);
    if (r.rate > best.rate) best = { batch: B, rate: r.rate };
  }
  const { rate, errors, blocks } = measure(best.batch, SECONDS);
  model.dispose();
  if (errors > blocks / 100) log(`tfjs path: unexpected BLER ${errors / blocks}`);
  return { blocksPerSecond: rate, batch: best.batch };
}

function gaussianRate(): number {
  const buf = new Float32Array(1 << 20);
  const s = new RandomStream('bench', 'gauss');
  s.fillNormal(buf);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    s.fillNormal(buf);
    n += buf.length;
  }
  return n / ((performance.now() - t0) / 1000);
}

/** Everything measured on this process's backend (the `--one` child). */
async function one(): Promise<Record<string, unknown>> {
  const backend = await initBackend();
  log(`backend ${backend}; training...`);
  const { system } = await timeTraining(250, 4, 7);
  const mlpImpl = decoderModule(system.decoder).describe(system.decoder);
  const cores = os.availableParallelism();
  log('Gaussian sampler...');
  const gaussianSamplesPerSecond = gaussianRate();
  log('Monte Carlo inline (calibration)...');
  const calib = await mcRate(system, 0, 1_000_000 / SECONDS); // ~1M blocks
  const inline = await mcRate(system, 0, calib);
  log('Monte Carlo, 1 worker...');
  const oneWorker = await mcRate(system, 1, calib);
  log(`Monte Carlo, ${cores} workers...`);
  const all = await mcRate(system, cores, calib);
  log('tfjs model.predict path...');
  const tfjsPredict = tfjsPredictRate(system);
  log('(8,8): training and Monte Carlo (its decoder runs on tfjs)...');
  const big = await timeTraining(40, 8, 8);
  const bigCalib = await mcRate(big.system, 0, 100_000 / SECONDS);
  const bigAll = await mcRate(big.system, cores, bigCalib);
  const mcPeerFile = writeMcPeerSystems([
    ['ae74', system],
    ['ae88', big.system],
  ]);
  const converge = (process.env.BENCH_CONVERGE ?? '').split(',').filter((x): x is 'ae74' | 'ae88' => x === 'ae74' || x === 'ae88');
  const training = await trainingBench({ converge });
  return {
    backend,
    mc: {
      system: '(7,4) autoencoder, trained decoder 7 → 16 relu → 16 (argmax)',
      ebnoDb: EBNO,
      mlpImpl,
      blocksPerSecondInline: Math.round(inline),
      blocksPerSecond1Worker: Math.round(oneWorker),
      workers: cores,
      blocksPerSecondAllWorkers: Math.round(all),
      scaling: Number((all / oneWorker).toFixed(2)),
    },
    ae88: {
      system: '(8,8) autoencoder: decoder 8 → 256 relu → 256 (decoded on the tfjs backend in Monte Carlo)',
      blocksPerSecondInline: Math.round(bigCalib),
      blocksPerSecondAllWorkers: Math.round(bigAll),
    },
    mcPeerFile,
    tfjsPredictBlocksPerSecond: Math.round(tfjsPredict.blocksPerSecond),
    tfjsPredictBatch: tfjsPredict.batch,
    gaussianSamplesPerSecond: Math.round(gaussianSamplesPerSecond),
    training,
  };
}

const macsOf = (k: number, n: number) => forwardMacs(withDefaults(awgn(k, n)));

/** Runs `one()` in a child process on `backend`; its JSON. */
function child(backend: BackendName, converge: string[]): Record<string, unknown> {
  log(`── ${backend} ──`);
  const r = spawnSync(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname, '--one'], {
    env: { ...process.env, AE_BACKEND: backend, BENCH_CONVERGE: converge.join(',') },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`bench on ${backend} failed (exit ${r.status})`);
  return JSON.parse(r.stdout);
}

async function main(): Promise<void> {
  if (process.argv.includes('--one')) {
    process.stdout.write(JSON.stringify(await one()) + '\n');
    return;
  }
  log('start-up of the sim command...');
  const startup = startupSeconds();
  const backends: BackendName[] = tensorflowLoads() ? ['wasm', 'tensorflow'] : ['wasm'];
  const available = backends.includes('tensorflow');
  const choice = {
    ae74: decideBackend(macsOf(4, 7), undefined, available),
    ae88: decideBackend(macsOf(8, 8), undefined, available),
  };
  const converged = process.env.BENCH_CONVERGED !== '0';
  const perBackend: Record<string, Record<string, unknown>> = {};
  for (const b of backends) {
    const converge = converged ? (['ae74', 'ae88'] as const).filter((net) => choice[net].backend === b) : [];
    perBackend[b] = child(b, [...converge]);
  }
  const mcPeers = mcPeerRatios(perBackend);
  log('JAX peer...');
  const jax = jaxPeer(3);
  const ratio = (ours: unknown, peer: number) => Number((Number(ours) / peer).toFixed(2));
  const ratios: Record<string, unknown> = {};
  if (!('skipped' in jax)) {
    for (const b of backends) {
      const t = perBackend[b].training as Record<string, unknown>;
      ratios[b] = { ae74: ratio(t.ae74StepsPerSecond, jax.ae74StepsPerSecond), ae88: ratio(t.ae88StepsPerSecond, jax.ae88StepsPerSecond) };
    }
  }
  const chosenTraining = (net: 'ae74' | 'ae88') => perBackend[choice[net].backend].training as Record<string, unknown>;
  const out = {
    node: process.version,
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadAverage1m: Number(os.loadavg()[0].toFixed(2)),
    startup,
    trainingSetup: TRAINING_SETUP,
    simulatorChooses: choice,
    jaxPeer: jax,
    ratioVsJax: ratios,
    ...(Object.keys(ratios).length
      ? {
          ratioVsJaxOnChosenBackend: {
            ae74: ratio(chosenTraining('ae74').ae74StepsPerSecond, (jax as { ae74StepsPerSecond: number }).ae74StepsPerSecond),
            ae88: ratio(chosenTraining('ae88').ae88StepsPerSecond, (jax as { ae88StepsPerSecond: number }).ae88StepsPerSecond),
          },
        }
      : {}),
    ...(converged
      ? {
          timeToConvergedOnChosenBackend: {
            ae74: (chosenTraining('ae74').timeToConverged as Record<string, unknown>)?.ae74,
            ae88: (chosenTraining('ae88').timeToConverged as Record<string, unknown>)?.ae88,
          },
        }
      : {}),
    mcPeers,
    backends: perBackend,
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

/**
 * The Monte Carlo peers (bench/mc_peer.py): the same trained (7,4) and (8,8) decoders, same weights, in
 * numpy and JAX, measured right after the simulator's children; ratios = our all-workers blocks/s ÷ theirs.
 * The targets (docs/performance.md): (7,4) ≥ 3× numpy and ≥ 1.5× JAX, (8,8) ≥ 1× JAX.
 */
function mcPeerRatios(perBackend: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const first = Object.values(perBackend)[0];
  const file = first?.mcPeerFile as string | undefined;
  if (!file) return { skipped: 'no systems file' };
  const script = new URL('../bench/mc_peer.py', import.meta.url).pathname;
  const out: Record<string, unknown> = { loadAverage1mBefore: Number(os.loadavg()[0].toFixed(2)) };
  for (const which of ['numpy', 'jax'] as const) {
    log(`Monte Carlo peer: ${which}...`);
    const r = spawnSync('python3', [script, file, which, String(SECONDS)], { encoding: 'utf8', timeout: 300_000 });
    if (r.error || r.status !== 0) {
      out[which] = { skipped: r.error ? `python3 not runnable: ${r.error.message}` : `${which} peer failed: ${r.stderr.trim().split('\n').pop()}` };
      continue;
    }
    const peer = JSON.parse(r.stdout) as Record<string, { blocksPerSecond: number }>;
    out[which] = peer;
    const ratios: Record<string, Record<string, number>> = {};
    for (const [b, res] of Object.entries(perBackend)) {
      const mc = res.mc as { blocksPerSecondAllWorkers: number };
      const ae88 = res.ae88 as { blocksPerSecondAllWorkers: number };
      ratios[b] = {
        ae74: Number((mc.blocksPerSecondAllWorkers / peer.ae74.blocksPerSecond).toFixed(2)),
        ae88: Number((ae88.blocksPerSecondAllWorkers / peer.ae88.blocksPerSecond).toFixed(2)),
      };
    }
    out[`ratioVs${which === 'numpy' ? 'Numpy' : 'Jax'}`] = ratios;
  }
  out.loadAverage1mAfter = Number(os.loadavg()[0].toFixed(2));
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
  return out;
}

/** The decoders as plain JSON for bench/mc_peer.py (dense and activation layers: the default networks). */
function writeMcPeerSystems(systems: [string, BlockSystem][]): string {
  const spec = systems.map(([name, s]) => {
    if (s.decoder.kind !== 'mlp-js' && s.decoder.kind !== 'mlp-tf') throw new Error('bench: a learned decoder expected');
    const layers = s.decoder.mlp.layers.map((l) => {
      if (l.kind === 'activation') return { activation: l.activation };
      if (l.kind !== 'dense') throw new Error('bench: the Monte Carlo peer takes dense and activation layers only');
      return { inDim: l.inDim, outDim: l.outDim, kernel: Array.from(l.kernel), bias: Array.from(l.bias), activation: l.activation };
    });
    return { name, k: s.k, n: s.n, dims: s.codebook.length / 2 ** s.k, ebnoDb: EBNO, codebook: Array.from(s.codebook), layers };
  });
  const file = join(os.tmpdir(), `bench-mc-peer-${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ systems: spec }));
  return file;
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
