/**
 * The workload a `sim` command hands to chooseBackend (src/backend.ts): the largest autoencoder of its
 * scenarios, in multiply-adds per example of one forward pass (encoder + decoder), which is what decides
 * whether the native backend's faster products outweigh its larger cost per op.
 */
import { forwardMacs } from '../autoencoder/train.ts';
import { withDefaults } from '../autoencoder/spec.ts';
import { chooseBackend, type BackendChoice } from '../backend.ts';
import { userSpec } from '../twouser/spec.ts';
import { autoencoderSpecOf, type CompiledScenario } from '../scenario/compile.ts';

export function largestNetworkMacs(scenarios: CompiledScenario[]): number | undefined {
  let largest: number | undefined;
  for (const sc of scenarios)
    for (const s of sc.systems)
      if (s.type === 'autoencoder') {
        const macs = forwardMacs(withDefaults(autoencoderSpecOf(s)));
        largest = Math.max(largest ?? 0, macs);
      } else if (s.type === 'two-user') {
        // Each user's network is a single-link one (src/twouser/train.ts userSpec).
        largest = Math.max(largest ?? 0, forwardMacs(withDefaults(userSpec(s))));
      }
  return largest;
}

/** Chooses the process's backend for these scenarios (the first call in a process decides). */
export const chooseBackendFor = (scenarios: CompiledScenario[]): Promise<BackendChoice> => chooseBackend(largestNetworkMacs(scenarios));
