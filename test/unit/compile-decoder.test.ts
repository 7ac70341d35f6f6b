/**
 * Decoders with normalizing hidden layers compiled for the Monte Carlo engine (src/autoencoder/compile.ts,
 * the layer kinds' `mlp` forms): the compiled forward pass gives tfjs's own outputs, also after a save and
 * load through tfjs's serialization, and for models saved with tfjs-layers' LayerNormalization.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { compileDecoder } from '../../src/autoencoder/compile.ts';
import { LayerNorm } from '../../src/layers/layer-norm.ts';
import { WeightNormDense } from '../../src/layers/weight-norm-dense.ts';
import { mlpForwardNaive } from '../../src/mlp/forward.ts';

const IN = 6;
const OUT = 5;
const BLOCKS = 32;

/** Every weight set to seeded values away from the initializers' (γ = 1, β = 0, g = 1, b = 0 would hide a swap). */
function randomize(model: tf.LayersModel, seed: string): void {
  const u = seedrandom(seed);
  for (const layer of model.layers)
    layer.setWeights(
      layer.getWeights().map((w) =>
        tf.tensor(
          Float32Array.from({ length: w.size }, () => 0.5 + u()),
          w.shape,
        ),
      ),
    );
}

function decoder(hidden: tf.layers.Layer[]): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 8, activation: 'relu', inputShape: [IN] }));
  for (const l of hidden) m.add(l);
  m.add(tf.layers.dense({ units: OUT, activation: 'softmax' }));
  randomize(m, 'compile-decoder');
  return m;
}

/** The compiled pass returns logits (the softmax is dropped: argmax is unchanged); tfjs returns probabilities. */
function assertSameDecisions(model: tf.LayersModel): void {
  const u = seedrandom('inputs');
  const x = Float32Array.from({ length: BLOCKS * IN }, () => 4 * u() - 2);
  const spec = compileDecoder(model);
  assert.equal(spec.inputDim, IN);
  assert.equal(spec.outputDim, OUT);
  const logits = mlpForwardNaive(spec, x, BLOCKS);
  const probs = tf.tidy(() => (model.predict(tf.tensor2d(x, [BLOCKS, IN])) as tf.Tensor).dataSync() as Float32Array);
  for (let b = 0; b < BLOCKS; b++) {
    const row = Array.from(logits.subarray(b * OUT, (b + 1) * OUT));
    const max = Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
    for (let j = 0; j < OUT; j++) {
      const p = Math.exp(row[j] - max) / sum;
      assert.ok(Math.abs(p - probs[b * OUT + j]) < 1e-4, `block ${b}, output ${j}: softmax of compiled logits ${p}, tfjs ${probs[b * OUT + j]}`);
    }
  }
}

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  assert.ok(saved);
  return tf.loadLayersModel(tf.io.fromMemory(saved));
}

describe('compiled decoders with normalizing layers (src/autoencoder/compile.ts)', () => {
  it('LayerNorm (this project’s): compiled = tfjs, and ε survives a save and load', async () => {
    const model = decoder([new LayerNorm({ epsilon: 0.05 })]);
    assertSameDecisions(model);
    const spec = compileDecoder(model);
    const ln = spec.layers.find((l) => l.kind === 'layerNorm');
    assert.ok(ln && ln.kind === 'layerNorm');
    assert.equal(ln.epsilon, 0.05);
    const loaded = await roundTrip(model);
    assert.equal((loaded.layers[1] as LayerNorm).epsilon, 0.05);
    assert.deepEqual(compileDecoder(loaded), spec);
    assertSameDecisions(loaded);
  });

  it('WeightNormDense: compiled as a plain dense layer with kernel g·v/‖v‖, = tfjs', () => {
    const model = decoder([new WeightNormDense({ units: 7, seed: 4 }), tf.layers.activation({ activation: 'tanh' })]);
    assertSameDecisions(model);
    const spec = compileDecoder(model);
    const dense = spec.layers.filter((l) => l.kind === 'dense');
    assert.deepEqual(
      dense.map((l) => (l.kind === 'dense' ? [l.inDim, l.outDim] : [])),
      [
        [IN, 8],
        [8, 7],
        [7, OUT],
      ],
    );
    // Each column of the compiled kernel has norm g_j.
    const wn = dense[1];
    assert.ok(wn.kind === 'dense');
    const g = model.layers[1].getWeights()[1].dataSync();
    for (let j = 0; j < 7; j++) {
      let s = 0;
      for (let p = 0; p < 8; p++) s += wn.kernel[p * 7 + j] ** 2;
      assert.ok(Math.abs(Math.sqrt(s) - g[j]) < 1e-5, `column ${j}`);
    }
  });

  for (const [name, args] of [
    ['with γ and β', {}],
    ['without γ (scale: false)', { scale: false }],
    ['without β (center: false)', { center: false }],
  ] as [string, { scale?: boolean; center?: boolean }][]) {
    it(`tfjs-layers' LayerNormalization (older saved models), ${name}: compiled = tfjs`, () => {
      assertSameDecisions(decoder([tf.layers.layerNormalization({ axis: -1, epsilon: 0.01, ...args })]));
    });
  }
});
