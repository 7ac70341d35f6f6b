/**
 * The learned decoder's forward pass on the tfjs backend, for networks too large for generated JavaScript
 * (see learned.ts for the rule). Weights stay on the backend; blocks go through in sub-batches.
 */
import * as tf from '@tensorflow/tfjs';
import { layerNormOps } from '../layers/layer-norm.ts';
import { tfActivation } from '../layers/tf-activation.ts';
import { initBackend, readyBackend } from '../backend.ts';
import type { MlpSpec } from '../mlp/spec.ts';
import type { DecodeFn, DecoderModule } from './decoder.ts';
import { checkMlp, fingerprintMlp, mlpMacs, shareMlp } from './learned.ts';

export interface MlpTfSpec {
  kind: 'mlp-tf';
  mlp: MlpSpec;
}

const SUB_BATCH = 8192;

export const mlpTfDecoder: DecoderModule<MlpTfSpec> = {
  kind: 'mlp-tf',
  describe: (spec) => `learned ${spec.mlp.output === 'bits' ? 'bit-wise ' : ''}decoder (${mlpMacs(spec.mlp)} multiply-adds per block, tfjs backend)`,
  check: (system, spec) => checkMlp(system, spec.mlp),
  costPerBlock: (_system, spec) => mlpMacs(spec.mlp),
  share: (spec) => ({ ...spec, mlp: shareMlp(spec.mlp) }),
  fingerprint: (spec, hash) => fingerprintMlp(spec.kind, spec.mlp, hash),
  prepare: async () => {
    await initBackend();
  },
  build(_system, spec) {
    if (!readyBackend()) throw new Error('mlp-tf decoder built before its prepare() (initBackend) finished');
    const layers = spec.mlp.layers.map((l) => {
      if (l.kind === 'dense') return { ...l, k: tf.keep(tf.tensor2d(l.kernel, [l.inDim, l.outDim])), b: tf.keep(tf.tensor1d(l.bias)) };
      if (l.kind === 'layerNorm') return { ...l, g: tf.keep(tf.tensor1d(l.gamma)), be: tf.keep(tf.tensor1d(l.beta)) };
      return l;
    });
    const { inputDim, outputDim } = spec.mlp;
    // A bit-wise decoder: bit j (most significant first) is 1 where its logit is > 0.
    const bitWeights =
      spec.mlp.output === 'bits'
        ? tf.keep(
            tf.tensor1d(
              Array.from({ length: outputDim }, (_, j) => 2 ** (outputDim - 1 - j)),
              'int32',
            ),
          )
        : undefined;
    const decide: DecodeFn = (y, blocks, decided) => {
      for (let b0 = 0; b0 < blocks; b0 += SUB_BATCH) {
        const nb = Math.min(SUB_BATCH, blocks - b0);
        // The decisions leave tf.tidy by assignment: a returned typed array would be walked element by element.
        tf.tidy(() => {
          let h: tf.Tensor = tf.tensor2d(y.subarray(b0 * inputDim, (b0 + nb) * inputDim), [nb, inputDim]);
          for (const l of layers) {
            if (l.kind === 'dense') h = tfActivation(tf.add(tf.matMul(h as tf.Tensor2D, l.k), l.b), l.activation);
            else if (l.kind === 'layerNorm') h = layerNormOps(h, l.g, l.be, l.epsilon);
            else h = tfActivation(h, l.activation);
          }
          const d = bitWeights ? tf.sum(tf.mul(tf.cast(tf.greater(h, 0), 'int32'), bitWeights), 1) : tf.argMax(h, 1);
          decided.set(d.dataSync() as Int32Array, b0);
        });
      }
    };
    decide.dispose = () => {
      if (bitWeights) bitWeights.dispose();
      for (const l of layers) {
        if (l.kind === 'dense') tf.dispose([l.k, l.b]);
        else if (l.kind === 'layerNorm') tf.dispose([l.g, l.be]);
      }
    };
    return decide;
  },
};
