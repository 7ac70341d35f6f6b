/**
 * Picks the tfjs backend once per process (or worker thread).
 *
 * By workload (chooseBackend): tfjs-node (native TensorFlow, oneDNN) has a larger fixed cost per op than
 * wasm (≈21 µs against ≈12 µs here) and much faster large matrix products, so it pays only for large
 * networks. The `sim` commands call chooseBackend with the largest network of their scenarios: tfjs-node
 * from DEFAULTS.backend.tensorflowMinMacs multiply-adds per example when it loads, wasm otherwise (the
 * crossover is measured by `npm run bench`, which times both). Without a choice (library use, tests):
 * wasm, else tfjs-node, else cpu. `AE_BACKEND=tensorflow|wasm|cpu` forces one (an unavailable forced
 * backend is an error, not a silent fallback). The backend and the reason are printed and recorded in
 * results.json and reports. Worker threads started after the choice inherit it (AE_BACKEND_CHOSEN).
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULTS } from './defaults.ts';
import { installWasmMatMulFix } from './tfjs-patches/wasm-matmul-fix.ts';
import { envVar, requireNodeBuiltin } from './platform.ts';

/**
 * A tfjs backend the simulator runs on: `wasm` (the default), `tensorflow` (tfjs-node, native TensorFlow; pays for
 * large networks) or `cpu` (plain JavaScript, the last resort). Also the values `AE_BACKEND` accepts.
 */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
const ORDER: BackendName[] = ['wasm', 'tensorflow', 'cpu'];

let chosen: Promise<BackendName> | undefined;
let ready: BackendName | undefined;

/** The backend once initBackend() has finished in this thread, else undefined (tf ops are not safe yet). */
export const readyBackend = (): BackendName | undefined => ready;

async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    if (name === 'tensorflow') {
      // tfjs-node is an optionalDependency whose install often fails here; load it only on demand.
      requireTfjsNode();
    } else if (name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
    }
    const ok = await tf.setBackend(name);
    if (!ok) return false;
    await tf.ready();
    if (tf.getBackend() !== name) return false;
    if (name === 'wasm') installWasmMatMulFix();
    if (name === 'cpu') quietCpuFirstUse();
    return true;
  } catch {
    return false;
  }
}

/** Initializes and returns the backend; later calls return the same choice. */
export function initBackend(override: string | undefined = envVar('AE_BACKEND') ?? envVar('AE_BACKEND_CHOSEN')): Promise<BackendName> {
  if (!chosen) {
    chosen = (async () => {
      if (override) {
        if (!ORDER.includes(override as BackendName)) {
          throw new Error(`AE_BACKEND=${override}: expected one of ${ORDER.join(', ')}`);
        }
        if (!(await tryBackend(override as BackendName))) {
          throw new Error(`AE_BACKEND=${override}: that backend could not be loaded on this machine`);
        }
        return (ready = override as BackendName);
      }
      for (const name of ORDER) if (await tryBackend(name)) return (ready = name);
      throw new Error('no tfjs backend could be initialized');
    })();
  }
  return chosen;
}

/**
 * tfjs's cpu backend prints a note on its first tensor in Node.js ("Hi, looks like you are running
 * TensorFlow.js in Node.js … install our node backend", tfjs-backend-cpu's MathBackendCPU.write, through
 * tfjs's warn(), which is silent in PROD mode). Here cpu is a deliberate choice whose reason is recorded,
 * and the note would repeat in every worker thread: its first write is made here with PROD set, then PROD
 * is put back. (The note also shows when tfjs runs before any backend was set and falls back to cpu on its
 * own: the library's entry points that use tfjs call initBackend first, so that does not happen.)
 */
function quietCpuFirstUse(): void {
  const env = tf.env();
  const prod = env.getBool('PROD');
  env.set('PROD', true);
  try {
    tf.tensor1d([0]).dispose();
  } finally {
    env.set('PROD', prod);
  }
}

/** TensorFlow's C++ start-up notes (oneDNN, CPU features) are not for our users; a user's own setting wins. */
function quietTensorflow(): void {
  if (globalThis.process) process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
}

/**
 * Loads tfjs-node. It requires the CommonJS build of @tensorflow/tfjs, a second copy beside the ES module
 * one this project imports; both register into tfjs's global kernel registry and engine (so they work as
 * one), and the second copy's registrations print ~340 "already registered" warnings per thread. Those are
 * silenced for the duration of the require only.
 */
function requireTfjsNode(): void {
  quietTensorflow();
  const warn = console.warn;
  console.warn = () => {};
  try {
    // tfjs-node is Node's alone (platform.ts): elsewhere this throws and the backend is not available.
    requireNodeBuiltin('node:module', 'tfjs-node').createRequire(import.meta.url)('@tensorflow/tfjs-node');
  } finally {
    console.warn = warn;
  }
}

/** Whether tfjs-node can be loaded here (without making it the backend). */
export function tensorflowLoads(): boolean {
  try {
    requireTfjsNode();
    return true;
  } catch {
    return false;
  }
}

/**
 * The backend chooseBackend settled on for this process, and why in words; both are printed and recorded in
 * results.json and reports.
 */
export interface BackendChoice {
  backend: BackendName;
  /** Why, in words (printed and recorded). */
  reason: string;
}

let choice: BackendChoice | undefined;

/**
 * Chooses and initializes the backend for a workload whose largest network has `macs` multiply-adds per
 * example (undefined: no network). The first call decides for the process; later calls return it.
 */
export async function chooseBackend(macs: number | undefined): Promise<BackendChoice> {
  if (choice) return choice;
  const forced = process.env.AE_BACKEND;
  // Loading tfjs-node to learn whether it is there takes seconds: ask only when the rule would pick it.
  const small = macs === undefined || macs < DEFAULTS.backend.tensorflowMinMacs;
  const decided = decideBackend(macs, forced, forced ? false : small || tensorflowLoads());
  const backend = await initBackend(forced ?? decided.backend);
  const reason = backend === decided.backend ? decided.reason : `${decided.reason} (${decided.backend} failed to start; using ${backend})`;
  // Worker threads started from now on take the same backend.
  process.env.AE_BACKEND_CHOSEN = backend;
  choice = { backend, reason };
  return choice;
}

/**
 * Before training one network. Without any backend initialized yet (library use), the default one
 * (initBackend). Inside a command that chose tfjs-node for its largest network: a network
 * below the crossover trains on wasm, which is faster for it (a mixed scenario like the paper's trains its
 * (7,4) and (2,2) networks on wasm and its (8,8) on tfjs-node). Without a choice, or with AE_BACKEND, or
 * when the choice is already wasm, nothing changes. Monte Carlo worker threads keep the command's choice.
 * Returns the backend the network trains on.
 */
export async function backendForTraining(macs: number): Promise<BackendName | undefined> {
  // Library use: nothing chose a backend yet, so take the default one before tfjs falls back to cpu.
  if (!ready) await initBackend();
  if (!choice || envVar('AE_BACKEND') || choice.backend !== 'tensorflow') return ready;
  const want = decideBackend(macs, undefined, true).backend;
  if (tf.getBackend() !== want && (await tryBackend(want))) ready = want;
  return ready;
}

/** The rule alone: which backend for a network of `macs` multiply-adds per example, and why. */
export function decideBackend(macs: number | undefined, forced: string | undefined, tensorflowAvailable: boolean): BackendChoice {
  const threshold = DEFAULTS.backend.tensorflowMinMacs;
  if (forced) return { backend: forced as BackendName, reason: `forced by AE_BACKEND=${forced}` };
  if (!tensorflowAvailable) return { backend: 'wasm', reason: 'tfjs-node is not installed' };
  if (macs === undefined) return { backend: 'wasm', reason: 'no network to train or decode: wasm starts faster' };
  if (macs >= threshold) {
    return {
      backend: 'tensorflow',
      reason: `the largest network has ${macs} multiply-adds per example, at least ${threshold}: tfjs-node trains and decodes it faster`,
    };
  }
  return { backend: 'wasm', reason: `the largest network has ${macs} multiply-adds per example, below ${threshold}: wasm is faster for it` };
}

export { tf };
