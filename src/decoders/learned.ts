/**
 * What the two implementations of the learned decoder (mlp-js.ts, mlp-tf.ts) share: the network as plain
 * arrays (`MlpSpec`), its checks, sharing, fingerprint and cost, and the rule that picks one of them.
 *
 * The rule depends on the network alone, so every worker and the inline engine decode a system the same way
 * and counts stay identical whatever the worker count: small decoders (the (7,4) one: 7 → 16 → 16, 368
 * multiply-adds) run as generated straight-line JavaScript, which beats tfjs's per-op overhead; from about
 * 2k multiply-adds per block (the (8,8) one: 8 → 256 → 256, 67k) the backend's matrix products are ~20×
 * faster (measured on the 2-core machine, wasm backend; docs/performance.md).
 */
import { makeChannel } from '../channels/index.ts';
import { makeTwoUserChannel } from '../channels/registry.ts';
import type { BlockLink } from '../block-link.ts';
import type { MlpLayer, MlpSpec } from '../mlp/spec.ts';
import { sharedFloats, type Hasher } from './decoder.ts';

/**
 * Multiply-adds per decoded block from which a learned decoder runs on the tfjs backend (`mlp-tf`) instead of in
 * JavaScript (`mlp-js`): below it the generated straight-line JavaScript is faster and its code stays short.
 */
export const TF_DECODER_MIN_MACS = 2048;

/** Multiply-adds of one forward pass (dense layers). */
export function mlpMacs(mlp: MlpSpec): number {
  return mlp.layers.reduce((s, l) => s + (l.kind === 'dense' ? l.inDim * l.outDim : 0), 0);
}

/** The decoder spec of a learned network: run in JavaScript or on the tfjs backend, by its size. */
export function learnedDecoderSpec(mlp: MlpSpec): { kind: 'mlp-js'; mlp: MlpSpec } | { kind: 'mlp-tf'; mlp: MlpSpec } {
  return mlpMacs(mlp) >= TF_DECODER_MIN_MACS ? { kind: 'mlp-tf', mlp } : { kind: 'mlp-js', mlp };
}

export function checkMlp(system: BlockLink, mlp: MlpSpec): void {
  // What the receiver gets per block: y, and with multipath perfect CSI the taps after it.
  // A two-user receiver (src/twouser/): its channel's outDims (y, and the link gains with perfect CSI).
  const dims = system.coUser
    ? makeTwoUserChannel(system.channel, system.n, system.coUser.crossGain).outDims
    : makeChannel(system.channel, system.n, system.signalling).outDims;
  const outputs = mlp.output === 'bits' ? system.k : 2 ** system.k;
  if (mlp.inputDim !== dims || mlp.outputDim !== outputs) {
    throw new Error(`system ${system.id}: decoder maps ${mlp.inputDim} → ${mlp.outputDim}, expected ${dims} → ${outputs}`);
  }
}

export function shareMlp(mlp: MlpSpec): MlpSpec {
  const shareLayer = (l: MlpLayer): MlpLayer =>
    l.kind === 'dense'
      ? { ...l, kernel: sharedFloats(l.kernel), bias: sharedFloats(l.bias) }
      : l.kind === 'layerNorm'
        ? { ...l, gamma: sharedFloats(l.gamma), beta: sharedFloats(l.beta) }
        : l;
  return { ...mlp, layers: mlp.layers.map(shareLayer) };
}

export function fingerprintMlp(kind: string, mlp: MlpSpec, hash: Hasher): void {
  hash.json({ kind, mlp: JSON.parse(JSON.stringify(mlp, (_k, v) => (v instanceof Float32Array ? v.length : v))) });
  for (const l of mlp.layers) {
    if (l.kind === 'dense') {
      hash.floats(l.kernel);
      hash.floats(l.bias);
    } else if (l.kind === 'layerNorm') {
      hash.floats(l.gamma);
      hash.floats(l.beta);
    }
  }
}
