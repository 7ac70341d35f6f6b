/**
 * The workload a `sim` command hands to chooseBackend (src/backend.ts): the largest network its scenarios
 * train (each system's kind says which, src/systems/), in multiply-adds per example of one forward pass
 * (encoder + decoder), which is what decides whether the native backend's faster products outweigh its
 * larger cost per op.
 */
import { forwardMacs } from '../autoencoder/macs.ts';
import { withDefaults } from '../autoencoder/spec.ts';
import { chooseBackend, type BackendChoice } from '../backend.ts';
import type { CompiledScenario } from '../scenario/compile.ts';
import { kindOf } from '../systems/registry.ts';

export function largestNetworkMacs(scenarios: CompiledScenario[]): number | undefined {
  let largest: number | undefined;
  for (const sc of scenarios)
    for (const s of sc.systems) {
      const network = kindOf(s).network?.(s);
      if (network) largest = Math.max(largest ?? 0, forwardMacs(withDefaults(network)));
    }
  return largest;
}

/** Chooses the process's backend for these scenarios (the first call in a process decides). */
export const chooseBackendFor = (scenarios: CompiledScenario[]): Promise<BackendChoice> => chooseBackend(largestNetworkMacs(scenarios));
