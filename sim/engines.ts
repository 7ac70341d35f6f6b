/**
 * The command line's view of the trainer, the Monte Carlo engine and the baselines, loaded on demand:
 * `sim validate`, `sim list`, `sim schema` and `sim report` never load tfjs or start workers, and a module that
 * is still missing in a checkout fails with a clear message instead of breaking every command.
 */
import type { ChannelSpec } from '../channels/types.ts';
import type { McPool as EnginePool } from '../src/montecarlo/pool.ts';
import type { PointResult, StoppingRules, SweepOptions } from '../src/montecarlo/types.ts';
import { cliMsg } from '../src/messages.ts';
import type { BlockSystem } from '../src/system.ts';
import type * as AutoencoderModule from '../src/autoencoder/index.ts';

export type McPool = EnginePool;
export type TrainedAutoencoder = AutoencoderModule.TrainedAutoencoder;

export interface MonteCarloApi {
  runSweep(system: BlockSystem, opts: SweepOptions, pool?: McPool): Promise<PointResult[]>;
  createPool(workers?: number): Promise<McPool>;
  mergeShards?(parts: PointResult[][], rules: StoppingRules): PointResult[];
}

export interface BaselinesApi {
  uncodedSystem(o: { id: string; modulation: 'bpsk' | 'qpsk' | 'qam16' | 'qam64'; k: number; channel: ChannelSpec }): BlockSystem;
  hamming74System(o: { id: string; decoding: 'hard' | 'ml'; channel: ChannelSpec }): BlockSystem;
  mlDecoderFor(system: BlockSystem): BlockSystem;
  analyticCurve?(desc: unknown, ebnoDb: number[]): number[] | undefined;
}

async function load<T>(spec: string, what: string): Promise<T> {
  try {
    return (await import(spec)) as T;
  } catch (e) {
    const err = new Error(`${cliMsg.missingModule(what)}: ${(e as Error).message}`);
    (err as Error & { cause?: unknown }).cause = e;
    throw err;
  }
}

// Paths in variables: these modules are written concurrently by other engineers; until they land, a static
// import would break type-checking of the whole project.
const MONTECARLO = '../src/montecarlo/index.ts';
const BASELINES = '../src/baselines/index.ts';

export const loadAutoencoder = (): Promise<typeof AutoencoderModule> =>
  load<typeof AutoencoderModule>('../src/autoencoder/index.ts', 'the autoencoder trainer (src/autoencoder)');
export const loadMonteCarlo = (): Promise<MonteCarloApi> => load<MonteCarloApi>(MONTECARLO, 'the Monte Carlo engine (src/montecarlo)');
export const loadBaselines = (): Promise<BaselinesApi> => load<BaselinesApi>(BASELINES, 'the classical baselines (src/baselines)');

/**
 * Merges shard results of one curve: the engine's mergeShards when it exists, else the point that some
 * shard finished (shards simulate disjoint point sets).
 */
export function mergeCurveShards(mc: MonteCarloApi | undefined, parts: PointResult[][], rules: StoppingRules): PointResult[] {
  if (mc?.mergeShards) return mc.mergeShards(parts, rules);
  const n = Math.max(...parts.map((p) => p.length));
  return Array.from({ length: n }, (_, i) => {
    const candidates = parts.map((p) => p[i]).filter(Boolean);
    return (
      candidates.find((p) => p.status === 'target-errors' || p.status === 'max-blocks') ??
      candidates.find((p) => p.status === 'interrupted') ??
      candidates[0]
    );
  });
}
