/**
 * A compiled scenario as plain data: every system with its defaults filled in (compile.ts and the system
 * kinds, src/systems/, build it), and the curves a run measures. results.json records the scenario in this shape.
 * Each system's compiled shape is its kind's (src/systems/); CompiledSystem is their union (src/systems/registry.ts).
 */
import type { ClaimName } from '../claim-catalogue.ts';
import type { ChannelSpec } from '../channels/registry.ts';
import type { StoppingRules } from '../montecarlo/types.ts';
import type { CompiledSystem } from '../systems/registry.ts';

export type { CompiledCommon, CompiledLayer, CompiledTrain, PowerMode } from './compiled-parts.ts';
export type { CompiledSystem, CurvePlan } from '../systems/registry.ts';
export type { CompiledAutoencoder, CompiledReceiver } from '../systems/autoencoder.ts';
export type { CompiledHamming74 } from '../systems/hamming74.ts';
export type { CompiledUncoded } from '../systems/uncoded.ts';
export type { CompiledHamming74Dbpsk } from '../systems/hamming74-dbpsk.ts';
export type { CompiledTwoUser } from '../systems/two-user-ids.ts';
export type { CompiledTimeSharing } from '../systems/time-sharing.ts';

/**
 * A scenario with every default filled (compileScenario): the Eb/N0 points expanded, the stopping rules complete,
 * every system compiled by its kind. results.json records it, so a report shows exactly what ran.
 */
export interface CompiledScenario {
  name: string;
  description: string;
  seed: number | string;
  channel: ChannelSpec;
  sweep: { ebnoDb: number[] };
  /**
   * The stopping rules of plain Monte Carlo, and, when the scenario measures by importance sampling
   * (`montecarlo: { method: importance }`), that method and its precision target (each system records its
   * own as `importance`; a system's own `montecarlo` may differ from the scenario's).
   */
  montecarlo: StoppingRules & { method?: 'importance'; targetRelativeHalfWidth?: number };
  compare: [string, string][];
  systems: CompiledSystem[];
  /** Claim checks to run on the results (src/claim-catalogue.ts), in the order listed; [] by default. */
  claims: ClaimName[];
}
