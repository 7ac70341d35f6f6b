/**
 * The trainer, the Monte Carlo engine and the baselines, loaded on demand so `sim validate`, `sim list`,
 * `sim schema` and `sim report` (and everything that reads the system kinds) never load tfjs or start
 * worker threads (test/e2e/cli-light.test.ts checks it). The Monte Carlo engine with its worker pool (piscina,
 * Node's) is loaded by the command line (sim/engines.ts): the system kinds stay bundleable for a browser.
 */
import { cliMsg } from '../messages.ts';

export type AutoencoderApi = typeof import('../autoencoder/index.ts');
export type MonteCarloApi = typeof import('../montecarlo/index.ts');
export type BaselinesApi = typeof import('../baselines/index.ts');
export type McPool = import('../montecarlo/index.ts').McPool;
export type TrainedAutoencoder = import('../autoencoder/index.ts').TrainedAutoencoder;

export async function load<T>(what: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (e) {
    throw new Error(`${cliMsg.missingModule(what)}: ${(e as Error).message}`, { cause: e });
  }
}

export const loadAutoencoder = (): Promise<AutoencoderApi> => load('the autoencoder trainer (src/autoencoder)', () => import('../autoencoder/index.ts'));
export const loadBaselines = (): Promise<BaselinesApi> => load('the classical baselines (src/baselines)', () => import('../baselines/index.ts'));
