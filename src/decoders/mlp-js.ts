/** The learned decoder as generated straight-line JavaScript (src/mlp/forward.ts), for small networks. */
import { argmaxLayers, compileMlp } from '../mlp/forward.ts';
import { compileMlpWasm, wasmTakes } from '../wasm/kernels/mlp-argmax.ts';
import type { MlpSpec } from '../mlp/spec.ts';
import type { DecoderModule } from './decoder.ts';
import { checkMlp, fingerprintMlp, mlpMacs, shareMlp } from './learned.ts';

export interface MlpJsSpec {
  kind: 'mlp-js';
  mlp: MlpSpec;
}

export const mlpJsDecoder: DecoderModule<MlpJsSpec> = {
  kind: 'mlp-js',
  describe: (spec) =>
    `learned ${spec.mlp.output === 'bits' ? 'bit-wise ' : ''}decoder (${mlpMacs(spec.mlp)} multiply-adds per block, JavaScript / WebAssembly SIMD)`,
  check: (system, spec) => checkMlp(system, spec.mlp),
  costPerBlock: (_system, spec) => mlpMacs(spec.mlp),
  share: (spec) => ({ ...spec, mlp: shareMlp(spec.mlp) }),
  fingerprint: (spec, hash) => fingerprintMlp(spec.kind, spec.mlp, hash),
  build(_system, spec) {
    // The argmax decision runs as generated WebAssembly SIMD (float32, four blocks per vector) where the
    // network allows (bit-identical decisions, several times faster: src/wasm/kernels/mlp-argmax.ts), else
    // as generated JavaScript; for AWGN the kernel runs the whole chunk in the WebAssembly (fusedAwgn).
    // A network the WebAssembly takes is decided in float32 whether or not it runs (AE_MLP_WASM=0, no SIMD),
    // so every thread decides alike; the others in float64, as before.
    const float32 = spec.mlp.output !== 'bits' && wasmTakes(argmaxLayers(spec.mlp));
    const wasm = float32 ? compileMlpWasm(spec.mlp, argmaxLayers(spec.mlp)) : undefined;
    if (wasm) return Object.assign((y: Float32Array, blocks: number, decided: Int32Array) => wasm.decide(y, blocks, decided), { fusedAwgn: wasm.fusedAwgn });
    const net = compileMlp(spec.mlp, { float32 });
    return spec.mlp.output === 'bits' ? (y, blocks, decided) => net.bits(y, blocks, decided) : (y, blocks, decided) => net.argmax(y, blocks, decided);
  },
};
