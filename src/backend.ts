/**
 * Picks the tfjs backend once per process (or worker thread).
 *
 * Order: tfjs-node (native TensorFlow) if it loads, else wasm, else cpu. `AE_BACKEND=tensorflow|wasm|cpu`
 * forces one (an unavailable forced backend is an error, not a silent fallback). The chosen backend name is
 * what results.json and reports record.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { installWasmMatMulFix } from './wasm-matmul-fix.ts';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

let chosen: Promise<BackendName> | undefined;
let ready: BackendName | undefined;

/** The backend once initBackend() has finished in this thread, else undefined (tf ops are not safe yet). */
export const readyBackend = (): BackendName | undefined => ready;

async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    if (name === 'tensorflow') {
      // tfjs-node is an optionalDependency whose install often fails here; load it only on demand.
      const require = createRequire(import.meta.url);
      require('@tensorflow/tfjs-node');
    } else if (name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
    }
    const ok = await tf.setBackend(name);
    if (!ok) return false;
    await tf.ready();
    if (tf.getBackend() !== name) return false;
    if (name === 'wasm') installWasmMatMulFix();
    return true;
  } catch {
    return false;
  }
}

/** Initializes and returns the backend; later calls return the same choice. */
export function initBackend(override: string | undefined = process.env.AE_BACKEND): Promise<BackendName> {
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

export { tf };
