/**
 * Limits of what a run can hold in memory, checked on the compiled scenario (every default filled in) so that
 * `sim validate` refuses what `sim run` could not do: a network whose weights do not fit. The default layers
 * grow with M = 2^k (one Dense(M) in the encoder and one in the decoder, M² weights each), so k = 16 asks for
 * 2³³ weights: 32 GiB of float32 per copy, and training holds several copies (the weights, the gradients of
 * every data-parallel shard, Adam's two moments). Kept separate from load.ts's checks on the raw data: the
 * weight count needs the compiled layers.
 */
import { forwardMacs } from '../autoencoder/macs.ts';
import { withDefaults } from '../autoencoder/spec.ts';
import { LIMITS } from '../defaults.ts';
import { scenarioMsg as M } from '../messages.ts';
import { kindOf } from '../systems/registry.ts';
import type { CompiledScenario } from './compiled.ts';

export interface ResourceProblem {
  path: (string | number)[];
  expected: string;
  found: string;
}

/** One problem per system whose network is too large to train (the path points at its k, which sets M). */
export function resourceChecks(sc: CompiledScenario): ResourceProblem[] {
  const out: ResourceProblem[] = [];
  sc.systems.forEach((s, i) => {
    const network = kindOf(s).network?.(s);
    if (!network) return;
    // Dense maps hold one weight per multiply-add of a forward pass (biases are a rounding error beside them).
    const weights = forwardMacs(withDefaults(network));
    if (weights > LIMITS.maxNetworkWeights)
      out.push({ path: ['systems', i, 'k'], expected: M.networkTooLarge(LIMITS.maxNetworkWeights), found: M.networkWeights(network.k, weights) });
  });
  return out;
}
