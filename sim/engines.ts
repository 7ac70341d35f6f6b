/**
 * The command line's view of the trainer, the Monte Carlo engine and the baselines, loaded on demand so
 * `sim validate`, `sim list`, `sim schema` and `sim report` never load tfjs or start worker threads.
 */
import { cliMsg } from '../src/messages.ts';

export type AutoencoderApi = typeof import('../src/autoencoder/index.ts');
export type MonteCarloApi = typeof import('../src/montecarlo/index.ts');
export type BaselinesApi = typeof import('../src/baselines/index.ts');
export type McPool = import('../src/montecarlo/index.ts').McPool;
export type TrainedAutoencoder = import('../src/autoencoder/index.ts').TrainedAutoencoder;

async function load<T>(what: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (e) {
    throw new Error(`${cliMsg.missingModule(what)}: ${(e as Error).message}`, { cause: e });
  }
}

export const loadAutoencoder = (): Promise<AutoencoderApi> => load('the autoencoder trainer (src/autoencoder)', () => import('../src/autoencoder/index.ts'));
export const loadMonteCarlo = (): Promise<MonteCarloApi> => load('the Monte Carlo engine (src/montecarlo)', () => import('../src/montecarlo/index.ts'));
export const loadBaselines = (): Promise<BaselinesApi> => load('the classical baselines (src/baselines)', () => import('../src/baselines/index.ts'));
