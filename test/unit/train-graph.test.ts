import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { makeChannel } from '../../src/channels/index.ts';
import { ChannelLayer } from '../../src/channels/layer.ts';
import { FlatAdam } from '../../src/autoencoder/adam.ts';
import { buildAutoencoder, decoderLogits } from '../../src/autoencoder/build.ts';
import type { AutoencoderSpec } from '../../src/autoencoder/spec.ts';
import { JsTrainGraph } from '../../src/autoencoder/js-train-graph.ts';
import { TrainGraph } from '../../src/autoencoder/train-graph.ts';
import type { GradientGraph } from '../../src/autoencoder/gradient-graph-contract.ts';
import { RandomStream } from '../../src/random.ts';
import { isRadioTransformer } from '../../src/layers/radio-transformer.ts';

/** Loss and gradients the plain way: the tfjs models on one-hot input, tfjs autodiff, keyed by variable name. */
function reference(spec: AutoencoderSpec, models: ReturnType<typeof buildAutoencoder>, msgs: Int32Array, draws: Float32Array, sigma: number) {
  const M = 2 ** spec.k;
  const channel = new ChannelLayer({ channel: spec.channel, n: spec.n, signalling: spec.signalling });
  const vars = [...models.encoder.trainableWeights, ...models.decoder.trainableWeights];
  let out: { loss: number; grads: Map<string, number[]> } | undefined;
  tf.tidy(() => {
    const labels = tf.tensor1d(msgs, 'int32');
    const onehot = tf.oneHot(labels, M);
    const drawsT = tf.tensor2d(draws, [msgs.length, channel.model.drawDims]);
    const sigmaT = tf.fill([msgs.length, 1], sigma);
    const { value, grads } = tf.variableGrads(
      () => {
        const x = models.encoder.apply(onehot, { training: true }) as tf.Tensor2D;
        const y = channel.apply([x, drawsT, sigmaT]) as tf.Tensor2D;
        return tf.losses.softmaxCrossEntropy(onehot, decoderLogits(models.decoder, y, true)) as tf.Scalar;
      },
      vars.map((v) => v.read() as tf.Variable),
    );
    const byName = new Map(vars.map((v) => [(v.read() as tf.Variable).name, v.name]));
    out = { loss: value.dataSync()[0], grads: new Map(Object.entries(grads).map(([k, g]) => [byName.get(k) ?? k, Array.from(g.dataSync())])) };
  });
  return out!;
}

describe('The training step on flat parameters (TrainGraph: tfjs autodiff; JsTrainGraph: backward pass by hand)', () => {
  const cases: [string, AutoencoderSpec][] = [
    ['(7,4) paper network, energy, AWGN (first layer as a row lookup)', { k: 4, n: 7, signalling: 'real', normalization: 'energy', channel: { type: 'awgn' } }],
    [
      'complex average-power, Rayleigh symbol fading, weight norm first, layer norm, tanh',
      {
        k: 3,
        n: 2,
        signalling: 'complex',
        normalization: 'average-power',
        channel: { type: 'rayleigh', coherence: 'symbol', csi: 'perfect' },
        encoder: [
          { units: 8, weightNorm: true },
          { units: 6, activation: 'tanh', layerNorm: true },
        ],
        decoder: [{ units: 12, activation: 'elu', layerNorm: true }],
      },
    ],
    [
      'real energy-max, Rayleigh block fading without CSI, selu and sigmoid, two hidden layers',
      {
        k: 3,
        n: 4,
        signalling: 'real',
        normalization: 'energy-max',
        channel: { type: 'rayleigh', coherence: 'block', csi: 'none' },
        encoder: [
          { units: 8, activation: 'selu' },
          { units: 8, activation: 'sigmoid' },
        ],
        decoder: [
          { units: 10, activation: 'relu' },
          { units: 9, activation: 'linear' },
        ],
      },
    ],
    [
      'complex energy, Rayleigh block fading without CSI, weight norm in the decoder',
      {
        k: 4,
        n: 2,
        signalling: 'complex',
        normalization: 'energy',
        channel: { type: 'rayleigh', coherence: 'block', csi: 'none' },
        decoder: [{ units: 16, weightNorm: true, activation: 'relu' }],
      },
    ],
    [
      'real average-power, Rayleigh symbol fading with CSI, layer norm, no encoder hidden layer',
      {
        k: 2,
        n: 3,
        signalling: 'real',
        normalization: 'average-power',
        channel: { type: 'rayleigh', coherence: 'symbol', csi: 'perfect' },
        encoder: [],
        decoder: [{ units: 6, layerNorm: true, activation: 'tanh' }],
      },
    ],
    [
      'real energy, AWGN, decoder of selu, tanh, elu and sigmoid dense layers',
      {
        k: 3,
        n: 3,
        signalling: 'real',
        normalization: 'energy',
        channel: { type: 'awgn' },
        decoder: [
          { units: 7, activation: 'selu' },
          { units: 6, activation: 'tanh' },
          { units: 5, activation: 'elu' },
          { units: 9, activation: 'sigmoid' },
        ],
      },
    ],
    [
      'RTN receiver (filter) over 3-tap multipath fading without CSI, complex energy',
      {
        k: 3,
        n: 4,
        signalling: 'complex',
        normalization: 'energy',
        channel: { type: 'multipath', taps: 3, profile: 'uniform', csi: 'none' },
        receiver: {
          rtn: {
            estimator: [
              { units: 8, activation: 'tanh' },
              { units: 6, activation: 'tanh' },
            ],
            transform: 'filter',
          },
        },
        decoder: [{ units: 10 }],
      },
    ],
    [
      'RTN receiver (phase) over Rayleigh block fading without CSI, complex average-power',
      {
        k: 2,
        n: 3,
        signalling: 'complex',
        normalization: 'average-power',
        channel: { type: 'rayleigh', coherence: 'block', csi: 'none' },
        receiver: { rtn: { estimator: [{ units: 5, activation: 'relu' }], transform: 'phase' } },
        decoder: [{ units: 7 }],
      },
    ],
    [
      'real average-power, Rayleigh symbol fading with CSI, batch norm in encoder and decoder (message-count-weighted statistics in the encoder)',
      {
        k: 3,
        n: 4,
        signalling: 'real',
        normalization: 'average-power',
        channel: { type: 'rayleigh', coherence: 'symbol', csi: 'perfect' },
        encoder: [{ units: 8, batchNorm: true, activation: 'tanh' }],
        decoder: [{ units: 10, batchNorm: true, activation: 'elu' }],
      },
    ],
  ];
  const implementations: [string, (m: ReturnType<typeof buildAutoencoder>, c: ReturnType<typeof makeChannel>, M: number) => GradientGraph][] = [
    ['TrainGraph', (m, c, M) => new TrainGraph(m, c, M)],
    ['JsTrainGraph, JavaScript products', (m, c, M) => new JsTrainGraph(m, c, M, Infinity)],
    ['JsTrainGraph, backend products', (m, c, M) => new JsTrainGraph(m, c, M, 0)],
    ['JsTrainGraph, decoder pass on the backend', (m, c, M) => new JsTrainGraph(m, c, M, 0, 0)],
  ];
  /** The cases whose decoder is dense layers, layer norms and activations: the backend decoder pass must run for them. */
  const passCases = new Set([cases[0][0], cases[1][0], cases[2][0], cases[4][0], cases[5][0]]);
  for (const [name, spec] of cases)
    for (const [impl, make] of implementations) {
      it(`${impl} — ${name}: loss and gradient equal tfjs autodiff of the layer models`, () => {
        const models = buildAutoencoder(spec, 'graph-test');
        // An RTN's output layer starts at zero weights (ω = δ whatever r), where the estimator's own gradient
        // is zero: give it random weights so every part of the RTN's gradient is checked.
        for (const layer of models.decoder.layers) {
          if (!isRadioTransformer(layer)) continue;
          const rs = new RandomStream('graph-test-rtn', name);
          const weights = layer.getWeights();
          const last = weights.length - 2;
          weights[last] = tf.tensor(
            Float32Array.from({ length: weights[last].size }, () => 0.3 * (rs.uniform() * 2 - 1)),
            weights[last].shape,
          );
          layer.setWeights(weights);
        }
        const channel = makeChannel(spec.channel, spec.n, spec.signalling);
        const graph = make(models, channel, 2 ** spec.k);
        if (impl.includes('decoder pass'))
          assert.equal((graph as JsTrainGraph).decoderOnBackend(300), passCases.has(name), 'decoder pass used where it applies');
        const rs = new RandomStream('graph-test', name);
        const msgs = new Int32Array(300);
        rs.fillInts(msgs, 2 ** spec.k);
        const draws = new Float32Array(300 * channel.drawDims);
        rs.fillNormal(draws);
        const ours = graph.step(msgs, draws, 0.6);
        const ref = reference(spec, models, msgs, draws, 0.6);
        let correct = 0;
        tf.tidy(() => {
          const x = models.encoder.apply(tf.oneHot(tf.tensor1d(msgs, 'int32'), 2 ** spec.k), { training: true }) as tf.Tensor2D;
          const yArr = new Float32Array(300 * channel.dims);
          channel.applyArrays(x.dataSync() as Float32Array, draws, 0.6, yArr, 300);
          const decided = tf.argMax(decoderLogits(models.decoder, tf.tensor2d(yArr, [300, channel.dims]), true), 1).dataSync();
          decided.forEach((d, i) => (correct += d === msgs[i] ? 1 : 0));
        });
        assert.ok(Math.abs(ours.correct - correct) <= 1, `correct decisions ${ours.correct} vs ${correct}`);
        assert.ok(Math.abs(ours.loss - ref.loss) < 1e-5 * Math.max(1, ref.loss), `loss ${ours.loss} vs ${ref.loss}`);
        const layout = graph.layout();
        assert.equal(layout.length, ref.grads.size);
        for (const { name: v, offset, size } of layout) {
          const want = ref.grads.get(v)!;
          assert.ok(want, `no reference gradient for ${v}`);
          // At least 1e-3: a dense bias right before batch norm has a zero gradient (rounding noise on both sides).
          const scale = Math.max(...want.map(Math.abs), 1e-3);
          for (let i = 0; i < size; i++)
            assert.ok(Math.abs(ours.gradient[offset + i] - want[i]) <= 1e-4 * scale, `${v}[${i}]: ${ours.gradient[offset + i]} vs ${want[i]}`);
        }
        models.encoder.dispose();
        models.decoder.dispose();
      });
    }

  it('a frozen encoder (decoder refinement): the same loss and decoder gradient, zeros for the encoder, step after step', () => {
    for (const normalization of ['energy', 'average-power'] as const) {
      const spec: AutoencoderSpec = { k: 3, n: 4, signalling: 'real', normalization, channel: { type: 'awgn' } };
      const models = buildAutoencoder(spec, 'freeze-test');
      const channel = makeChannel(spec.channel, spec.n, spec.signalling);
      const free = new JsTrainGraph(models, channel, 8, Infinity);
      const frozen = new JsTrainGraph(models, channel, 8, Infinity);
      frozen.freezeEncoder(true);
      const encoder = new Set(models.encoder.trainableWeights.map((w) => w.name));
      const rs = new RandomStream('freeze-test', normalization);
      for (let round = 0; round < 2; round++) {
        const msgs = new Int32Array(200);
        rs.fillInts(msgs, 8);
        const draws = new Float32Array(200 * channel.drawDims);
        rs.fillNormal(draws);
        const a = free.step(msgs, draws, 0.7);
        const b = frozen.step(msgs, draws, 0.7);
        assert.equal(b.loss, a.loss, `${normalization}: loss`);
        for (const l of free.layout())
          for (let i = l.offset; i < l.offset + l.size; i++)
            assert.equal(b.gradient[i], encoder.has(l.name) ? 0 : a.gradient[i], `${normalization}: ${l.name}`);
      }
      models.encoder.dispose();
      models.decoder.dispose();
    }
  });

  it('writeTo puts θ into the layer variables, and FlatAdam matches tf.train.adam step for step', () => {
    const spec: AutoencoderSpec = { k: 2, n: 2, signalling: 'real', normalization: 'energy', channel: { type: 'awgn' } };
    const models = buildAutoencoder(spec, 'adam-test');
    const graph = new TrainGraph(models, makeChannel(spec.channel, 2, 'real'), 4);
    const theta0 = Float32Array.from(graph.theta);
    const g = Float32Array.from(theta0, (_, i) => Math.sin(i + 1));
    const ours = new FlatAdam(theta0.length, 0.01);
    const theta = Float32Array.from(theta0);
    const v = tf.variable(tf.tensor1d(theta0));
    const adam = tf.train.adam(0.01);
    for (let s = 0; s < 3; s++) {
      ours.step(theta, g);
      adam.applyGradients([{ name: v.name, tensor: tf.tensor1d(g) }]);
    }
    const want = v.dataSync();
    theta.forEach((x, i) => assert.ok(Math.abs(x - want[i]) < 1e-6, `θ[${i}] ${x} vs ${want[i]}`));
    v.dispose();
    graph.theta.set(theta);
    graph.writeTo();
    const back = [...models.encoder.trainableWeights, ...models.decoder.trainableWeights].flatMap((w) => Array.from(w.read().dataSync()));
    assert.deepEqual(Float32Array.from(back), theta);
  });

  it('FlatAdam, WebAssembly and JavaScript, match tf.train.adam over steps with changing gradients, a learning-rate change and a reset', () => {
    // 1003 parameters: not a multiple of the four SIMD lanes.
    const size = 1003;
    const theta0 = Float32Array.from({ length: size }, (_, i) => Math.cos(i));
    for (const useWasm of [false, true]) {
      const ours = new FlatAdam(size, 0.01, 0.9, 0.999, 1e-7, useWasm);
      const theta = Float32Array.from(theta0);
      const v = tf.variable(tf.tensor1d(theta0));
      let adam = tf.train.adam(0.01);
      for (let s = 0; s < 12; s++) {
        const g = Float32Array.from({ length: size }, (_, i) => Math.sin(i * (s + 1)) * 10 ** ((i % 5) - 3));
        if (s === 5) {
          ours.setLearningRate(0.003);
          (adam as unknown as { learningRate: number }).learningRate = 0.003; // tfjs reads it at every step
        }
        if (s === 8) {
          ours.reset(0.02);
          adam.dispose();
          adam = tf.train.adam(0.02);
        }
        ours.step(theta, g);
        adam.applyGradients([{ name: v.name, tensor: tf.tensor1d(g) }]);
      }
      const want = v.dataSync();
      // Per step each side rounds θ (|θ| < 2: ≤ 2⁻²³ each) and its update differs by rounding: ours in float32
      // ops (relative ≤ 10·2⁻²⁴) or doubles; tfjs's 1 − β2^t in float32 (relative 1.3e-5 in v̂, 6.5e-6 in the
      // update). Updates are at most lr·(1 − β1)/√(1 − β2) ≈ 3.2·lr.
      const tol = 12 * (2 * 2 ** -23 + 0.02 * 3.2 * (10 * 2 ** -24 + 6.5e-6));
      theta.forEach((x, i) => assert.ok(Math.abs(x - want[i]) < tol, `${useWasm ? 'wasm' : 'js'} θ[${i}] ${x} vs ${want[i]}`));
      v.dispose();
      adam.dispose();
    }
  });
});
