/**
 * The size of an autoencoder in multiply-adds, without tfjs: `sim validate` refuses what cannot run
 * (src/scenario/resource-checks.ts) and the backend choice reads it (src/run/backend-workload.ts), and neither
 * may load tfjs (test/e2e/cli-light.test.ts).
 */
import { realDims } from '../conventions.ts';
import { rtnArgs, rtnOutputDim, rtnParameterCount } from '../layers/rtn-shape.ts';
import { type FullAutoencoderSpec, messageCount } from './spec.ts';

/** Multiply-adds of one example's forward pass through the dense maps of encoder and decoder. */
export function forwardMacs(spec: FullAutoencoderSpec): number {
  const M = messageCount(spec);
  const dims = realDims(spec.n, spec.signalling);
  const chain = (input: number, hidden: { units: number }[], output: number) => {
    let macs = 0;
    let d = input;
    for (const l of hidden) {
      macs += d * l.units;
      d = l.units;
    }
    return macs + d * output;
  };
  if (!spec.receiver) return chain(M, spec.encoder, dims) + chain(dims, spec.decoder, M);
  // An RTN receiver: its estimator, its transform (≈ 4 per complex product), then the decoder on ȳ.
  const a = rtnArgs(spec, spec.receiver);
  const P = rtnParameterCount(a.transform, a.taps);
  const out = rtnOutputDim(a.transform, a.n, a.taps);
  return chain(M, spec.encoder, dims) + chain(a.received, a.estimator, P) + 2 * out * a.taps + chain(out, spec.decoder, M);
}
