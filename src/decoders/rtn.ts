/**
 * A radio transformer network receiver (src/layers/radio-transformer.ts) on the Monte Carlo fast path, in
 * plain TypeScript: the estimator's dense layers in float64 on float32 weights, the transform (inverse
 * filtering or phase rotation), then the decoder network after it, run by the learned-decoder module its
 * size picks (mlp-js or mlp-tf, learned.ts). Tested value for value against the tfjs layer.
 */
import { initBackend } from '../backend.ts';
import { applyActivation } from '../mlp/forward.ts';
import type { MlpSpec } from '../mlp/spec.ts';
import type { RtnTransform } from '../vocabulary.ts';
import { makeChannel } from '../channels/index.ts';
import type { DecodeFn, DecoderModule } from './decoder.ts';
import { fingerprintMlp, learnedDecoderSpec, mlpMacs, shareMlp } from './learned.ts';
import { mlpJsDecoder } from './mlp-js.ts';
import { mlpTfDecoder } from './mlp-tf.ts';

export interface RtnFrontEnd {
  /** Complex uses per block, filter length, reals the receiver gets per block. */
  n: number;
  taps: number;
  received: number;
  transform: RtnTransform;
  /** The estimator, dense layers only, the last one linear with the transform's parameter count as outputs. */
  estimator: MlpSpec;
}

export interface RtnSpec {
  kind: 'rtn';
  rtn: RtnFrontEnd;
  /** The decoder network after the transform (its input: the canonical signal). */
  mlp: MlpSpec;
}

export const rtnCanonicalDim = (r: RtnFrontEnd): number => (r.transform === 'filter' ? 2 * (r.n + r.taps - 1) : 2 * r.n);

/**
 * ω and ȳ of `blocks` received blocks (stride r.received) into `omega` (stride P) and `out` (stride
 * rtnCanonicalDim): the Float32Array form of rtnApply.
 */
export function rtnFrontEnd(r: RtnFrontEnd, input: Float32Array, blocks: number, omega: Float64Array, out: Float32Array): void {
  const { n, taps, received, estimator } = r;
  const width = Math.max(received, ...estimator.layers.map((l) => (l.kind === 'dense' ? l.outDim : 0)));
  let a = new Float64Array(width);
  let z = new Float64Array(width);
  const P = estimator.outputDim;
  const outDim = rtnCanonicalDim(r);
  for (let b = 0; b < blocks; b++) {
    const ro = b * received;
    for (let i = 0; i < received; i++) a[i] = input[ro + i];
    for (const layer of estimator.layers) {
      if (layer.kind !== 'dense') throw new Error('rtn: the estimator has dense layers only');
      const { inDim, outDim: od, kernel, bias } = layer;
      for (let o = 0; o < od; o++) z[o] = bias[o];
      for (let i = 0; i < inDim; i++) {
        const v = a[i];
        const row = i * od;
        for (let o = 0; o < od; o++) z[o] += v * kernel[row + o];
      }
      applyActivation(layer.activation, z, 0, od);
      [a, z] = [z, a];
    }
    const wo = b * P;
    for (let p = 0; p < P; p++) omega[wo + p] = a[p];
    const oo = b * outDim;
    if (r.transform === 'phase') {
      const c = Math.cos(a[0]);
      const s = Math.sin(a[0]);
      for (let i = 0; i < n; i++) {
        const yr = input[ro + 2 * i];
        const yi = input[ro + 2 * i + 1];
        out[oo + 2 * i] = yr * c + yi * s;
        out[oo + 2 * i + 1] = yi * c - yr * s;
      }
    } else {
      for (let k = 0; k < n + taps - 1; k++) {
        let re = 0;
        let im = 0;
        for (let l = 0; l < taps; l++) {
          const j = k - l;
          if (j < 0 || j >= n) continue;
          const yr = input[ro + 2 * j];
          const yi = input[ro + 2 * j + 1];
          re += a[2 * l] * yr - a[2 * l + 1] * yi;
          im += a[2 * l] * yi + a[2 * l + 1] * yr;
        }
        out[oo + 2 * k] = re;
        out[oo + 2 * k + 1] = im;
      }
    }
  }
}

function inner(spec: RtnSpec) {
  const s = learnedDecoderSpec(spec.mlp);
  return s.kind === 'mlp-tf' ? { module: mlpTfDecoder, spec: s } : { module: mlpJsDecoder, spec: s };
}

export const rtnDecoder: DecoderModule<RtnSpec> = {
  kind: 'rtn',
  describe: (spec) =>
    `radio transformer network (${spec.rtn.transform === 'filter' ? `${spec.rtn.taps}-tap inverse filter` : 'phase rotation'}, estimator ${mlpMacs(spec.rtn.estimator)} multiply-adds) + learned decoder (${mlpMacs(spec.mlp)} multiply-adds)`,
  check(system, spec) {
    const received = makeChannel(system.channel, system.n, system.signalling).outDims;
    const { rtn, mlp } = spec;
    if (system.signalling !== 'complex' || rtn.n !== system.n || rtn.received !== received || rtn.estimator.inputDim !== received) {
      throw new Error(`system ${system.id}: the RTN expects ${rtn.received} reals per block (n = ${rtn.n} complex), the channel gives ${received}`);
    }
    const P = rtn.transform === 'filter' ? 2 * rtn.taps : 1;
    if (rtn.estimator.outputDim !== P)
      throw new Error(`system ${system.id}: the RTN estimator gives ${rtn.estimator.outputDim} parameters, the ${rtn.transform} transform takes ${P}`);
    const outputs = mlp.output === 'bits' ? system.k : 2 ** system.k;
    if (mlp.inputDim !== rtnCanonicalDim(rtn) || mlp.outputDim !== outputs) {
      throw new Error(`system ${system.id}: the decoder after the RTN maps ${mlp.inputDim} → ${mlp.outputDim}, expected ${rtnCanonicalDim(rtn)} → ${outputs}`);
    }
  },
  costPerBlock: (_system, spec) => mlpMacs(spec.rtn.estimator) + 4 * rtnCanonicalDim(spec.rtn) * spec.rtn.taps + mlpMacs(spec.mlp),
  share: (spec) => ({ ...spec, rtn: { ...spec.rtn, estimator: shareMlp(spec.rtn.estimator) }, mlp: shareMlp(spec.mlp) }),
  fingerprint(spec, hash) {
    hash.json({ kind: spec.kind, n: spec.rtn.n, taps: spec.rtn.taps, received: spec.rtn.received, transform: spec.rtn.transform });
    fingerprintMlp('rtn-estimator', spec.rtn.estimator, hash);
    fingerprintMlp('rtn-decoder', spec.mlp, hash);
  },
  prepare: async () => {
    // The decoder after the transform may run on the tfjs backend (large networks); starting it is cheap.
    await initBackend();
  },
  build(system, spec) {
    const { module, spec: innerSpec } = inner(spec);
    const decode = (module as DecoderModule<typeof innerSpec>).build(system, innerSpec);
    const P = spec.rtn.estimator.outputDim;
    const dim = rtnCanonicalDim(spec.rtn);
    let omega = new Float64Array(0);
    let canonical = new Float32Array(0);
    const fn: DecodeFn = (y, blocks, decided) => {
      if (canonical.length < blocks * dim) {
        canonical = new Float32Array(blocks * dim);
        omega = new Float64Array(blocks * P);
      }
      rtnFrontEnd(spec.rtn, y, blocks, omega, canonical);
      decode(canonical, blocks, decided);
    };
    fn.dispose = () => decode.dispose?.();
    return fn;
  },
};
