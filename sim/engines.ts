/**
 * The Monte Carlo engine with its worker-thread pool, loaded on demand (as src/systems/engines.ts loads the
 * trainer and the baselines). It lives here, beside the commands, because the pool is Node's (piscina):
 * the system kinds import src/systems/engines.ts and are bundled for the browser playground too.
 */
import { load, type MonteCarloApi } from '../src/systems/engines.ts';

export const loadMonteCarlo = (): Promise<MonteCarloApi> => load('the Monte Carlo engine (src/montecarlo)', () => import('../src/montecarlo/index.ts'));
