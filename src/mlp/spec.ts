/**
 * A trained decoder network compiled to plain arrays (src/autoencoder/compile.ts), as the JavaScript and
 * WebAssembly forward passes (src/mlp/forward.ts, src/mlp-wasm.ts) and the learned decoders (src/decoders/) take it.
 */
import type { Activation } from '../vocabulary.ts';

/** One layer of a compiled network. */
export type MlpLayer =
  | {
      kind: 'dense';
      inDim: number;
      outDim: number;
      /** inDim × outDim, row-major ([i][o]), as a tfjs Dense kernel; weight normalization already folded in. */
      kernel: Float32Array;
      bias: Float32Array;
      activation: Activation;
    }
  | { kind: 'layerNorm'; dim: number; gamma: Float32Array; beta: Float32Array; epsilon: number }
  | { kind: 'activation'; activation: Activation };

export interface MlpSpec {
  inputDim: number;
  outputDim: number;
  layers: MlpLayer[];
  /**
   * `bits`: the outputs are k bit logits (a bit-wise decoder, trailing sigmoid dropped), decided by their signs
   * and read as the message index, most significant first. Absent: M message scores, decided by argmax.
   */
  output?: 'bits';
}
