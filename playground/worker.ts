/**
 * The playground's Web Worker: the simulator's own code, bundled for the browser. It compiles the scenario
 * text with the CLI's compile step, trains the autoencoder (reporting loss, accuracy and the codebook as it
 * forms), measures the BLER/BER sweep point by point against the classical baselines, and hands out the
 * model's files. Everything runs here, so the page stays responsive.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { initBackend, tf } from '../src/backend.ts';
import { trainAutoencoder, TrainingAbortedError, type TrainProgress } from '../src/autoencoder/train.ts';
import { TrainedAutoencoder, type ModelFiles } from '../src/autoencoder/trained.ts';
import { runSweep } from '../src/montecarlo/engine.ts';
import type { PointResult } from '../src/montecarlo/types.ts';
import { hamming74System, mlDecoderFor } from '../src/baselines/systems.ts';
import { hammingHardBler, uncodedBler } from '../src/baselines/analytic.ts';
import { uncodedBer } from '../src/baselines/analytic-ber.ts';
import { parseScenario } from '../src/scenario/load.ts';
import { autoencoderSpecOf, quickScenario, type CompiledAutoencoder, type CompiledScenario } from '../src/scenario/compile.ts';
import { trainingOptions } from '../src/scenario/compile-parts.ts';
import { deriveSeed } from '../src/random.ts';
import type { BlockSystem } from '../src/system.ts';
import type { FromPage, ToPage } from './protocol.ts';
import { AE_ID } from './settings.ts';

const post = (m: ToPage, transfer: Transferable[] = []): void =>
  (self as unknown as { postMessage(m: unknown, t: Transferable[]): void }).postMessage(m, transfer);

let model: TrainedAutoencoder | undefined;
let scenario: CompiledScenario | undefined;
let abort: AbortController | undefined;
/** While paused: the promise training waits on, and its resolver. */
let pause: { promise: Promise<void>; resume: () => void } | undefined;

async function backend(name: string): Promise<string> {
  // The .wasm files sit beside this script (scripts/build-playground.mjs copies them): no other origin.
  setWasmPaths(new URL('./', self.location.href).href);
  return initBackend(name);
}

function compile(yaml: string, quick: boolean): { sc: CompiledScenario; ae: CompiledAutoencoder } {
  const parsed = parseScenario(yaml, 'playground.yaml');
  const sc = quick ? quickScenario(parsed) : parsed;
  const ae = sc.systems.find((s) => s.id === AE_ID) as CompiledAutoencoder;
  return { sc, ae };
}

async function train(msg: Extract<FromPage, { type: 'train' }>): Promise<void> {
  const { sc, ae } = compile(msg.yaml, msg.quick);
  scenario = sc;
  model?.dispose();
  model = undefined;
  abort = new AbortController();
  const started = performance.now();
  const dims = ae.signalling === 'complex' ? 2 * ae.n : ae.n;
  const opts = trainingOptions(ae.train);
  post({ type: 'plan', steps: opts.steps, ebnoDb: opts.ebnoDb, dims, M: 2 ** ae.k });
  try {
    model = await trainAutoencoder(autoencoderSpecOf(ae), {
      ...opts,
      // The CLI's seed path (sim run: scenario seed, 'train', system id): the same recipe and streams.
      seed: deriveSeed(sc.seed, 'train', ae.id),
      signal: abort.signal,
      logEvery: msg.logEvery,
      onProgress: (p: TrainProgress) => post({ type: 'progress', ...p, seconds: (performance.now() - started) / 1000 }),
      onCodebook: { every: msg.snapshotEvery, callback: (codebook, step) => post({ type: 'codebook', codebook, step }, [codebook.buffer]) },
      paused: () => pause?.promise,
    });
  } catch (e) {
    if (e instanceof TrainingAbortedError) return post({ type: 'aborted' });
    throw e;
  }
  const codebook = model.codebook();
  post({ type: 'trained', codebook, seconds: (performance.now() - started) / 1000, record: model.training }, [codebook.buffer]);
}

/** One curve's sweep, its points posted as they end. */
async function sweep(curve: string, system: BlockSystem, sc: CompiledScenario, streamId: string): Promise<void> {
  await runSweep(system, {
    ebnoDb: sc.sweep.ebnoDb,
    rules: sc.montecarlo,
    // The CLI's streams (sim run: scenario seed, 'mc', the curve's stream id): the same counts for the same codebook.
    seed: deriveSeed(sc.seed, 'mc'),
    streamId,
    signal: abort?.signal,
    onPoint: (point: PointResult, index: number) => post({ type: 'point', curve, index, point }),
  });
}

async function runSweeps(): Promise<void> {
  if (!model || !scenario) throw new Error('train or import a model first');
  const sc = scenario;
  abort = new AbortController();
  const spec = model.spec;
  const channel = spec.channel;
  // Closed forms first (instant): uncoded BPSK of the same k bits, and hard-decision Hamming (7,4).
  const closed: { curve: string; bler: (e: number) => number | undefined; ber?: (e: number) => number | undefined }[] = [
    { curve: 'uncoded', bler: (e) => uncodedBler('bpsk', spec.k, channel, e), ber: (e) => uncodedBer('bpsk', channel, e) },
  ];
  if (spec.k === 4 && spec.n === 7 && spec.signalling === 'real') closed.push({ curve: 'hamming-hard', bler: (e) => hammingHardBler(channel, e) });
  for (const c of closed) {
    post({
      type: 'closed',
      curve: c.curve,
      ebnoDb: sc.sweep.ebnoDb,
      bler: sc.sweep.ebnoDb.map((e) => c.bler(e) ?? null),
      ber: sc.sweep.ebnoDb.map((e) => c.ber?.(e) ?? null),
    });
  }
  const system = model.toBlockSystem(AE_ID);
  await sweep(AE_ID, system, sc, AE_ID);
  // ML decoding of the learned codebook, on the same blocks (the CLI's `<id>-ml` curve).
  await sweep(`${AE_ID}-ml`, mlDecoderFor(system, `${AE_ID}-ml`), sc, AE_ID);
  if (spec.k === 4 && spec.n === 7 && spec.signalling === 'real') {
    await sweep('hamming-ml', hamming74System({ id: 'hamming-ml', decoding: 'ml', channel }), sc, 'hamming-ml');
  }
  post({ type: 'sweepDone' });
}

async function exportFiles(): Promise<void> {
  if (!model) throw new Error('train or import a model first');
  const files: ModelFiles = await model.files();
  post({ type: 'files', files });
}

async function importFiles(msg: Extract<FromPage, { type: 'import' }>): Promise<void> {
  const { sc } = compile(msg.yaml, msg.quick);
  scenario = sc;
  const loaded = await TrainedAutoencoder.fromFiles(async (name) => {
    const bytes = msg.files[name];
    if (!bytes) throw new Error(`the model has no ${name}: pick autoencoder.json, encoder.weights.bin and decoder.weights.bin together`);
    return bytes;
  });
  model?.dispose();
  model = loaded;
  const s = loaded.spec;
  const codebook = loaded.codebook();
  post({ type: 'imported', spec: { k: s.k, n: s.n, signalling: s.signalling, normalization: s.normalization, channel: s.channel }, codebook }, [
    codebook.buffer,
  ]);
}

self.onmessage = async (ev: MessageEvent<FromPage>) => {
  const msg = ev.data;
  try {
    if (msg.type === 'init') post({ type: 'ready', backend: await backend(msg.backend), tfBackend: tf.getBackend() });
    else if (msg.type === 'train') await train(msg);
    else if (msg.type === 'pause') {
      if (!pause) {
        let resume = () => {};
        const promise = new Promise<void>((r) => (resume = r));
        pause = { promise, resume };
      }
    } else if (msg.type === 'continue') {
      pause?.resume();
      pause = undefined;
    } else if (msg.type === 'abort') {
      abort?.abort();
      pause?.resume();
      pause = undefined;
    } else if (msg.type === 'sweep') await runSweeps();
    else if (msg.type === 'export') await exportFiles();
    else if (msg.type === 'import') await importFiles(msg);
  } catch (e) {
    post({ type: 'error', message: (e as Error).message });
  }
};
