import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { makeChannel, type ChannelSpec } from '../../src/channels/index.ts';
import { buildAutoencoder } from '../../src/autoencoder/build.ts';
import { createGradientGraph } from '../../src/autoencoder/gradient-graph.ts';
import { complexConvolve, rtnExamples } from '../../src/autoencoder/rtn-examples.ts';
import { TrainGraph } from '../../src/autoencoder/train-graph.ts';
import { JsTrainGraph } from '../../src/autoencoder/js-train-graph.ts';
import { TrainedAutoencoder } from '../../src/autoencoder/trained.ts';
import type { AutoencoderSpec } from '../../src/autoencoder/spec.ts';
import { decoderModule } from '../../src/decoders/registry.ts';
import { rtnFrontEnd, type RtnSpec } from '../../src/decoders/rtn.ts';
import { type RadioTransformer, rtnTransform } from '../../src/layers/radio-transformer.ts';
import { RandomStream } from '../../src/random.ts';
import { initBackend } from '../../src/backend.ts';

const CHANNEL: ChannelSpec = { type: 'multipath', taps: 3, profile: 'uniform', csi: 'none' };

const spec = (transform: 'filter' | 'phase', channel: ChannelSpec = CHANNEL): AutoencoderSpec => ({
  k: 4,
  n: 8,
  signalling: 'complex',
  normalization: 'energy',
  channel,
  receiver: {
    rtn: {
      estimator: [
        { units: 12, activation: 'tanh' },
        { units: 10, activation: 'tanh' },
      ],
      transform,
    },
  },
});

/** Received blocks through the channel (random codewords; what matters is that they are realistic inputs). */
function received(channel: ChannelSpec, blocks: number, label: string): Float32Array {
  const model = makeChannel(channel, 8, 'complex');
  const s = new RandomStream('rtn-test', label);
  const x = new Float32Array(blocks * model.dims);
  const draws = new Float32Array(blocks * model.drawDims);
  s.fillNormal(x);
  s.fillNormal(draws);
  const y = new Float32Array(blocks * model.outDims);
  model.applyArrays(x, draws, 0.3, y, blocks);
  return y;
}

/** Random (non-identity) weights, so a test cannot pass on the initial ω = δ alone. */
function scramble(layer: tf.layers.Layer, label: string): void {
  const s = new RandomStream('rtn-weights', label);
  layer.setWeights(
    layer.getWeights().map((w) => {
      const v = new Float32Array(w.size);
      s.fillNormal(v);
      return tf.mul(tf.tensor(v, w.shape), 0.4);
    }),
  );
}

describe('RTN receiver (radio transformer network)', () => {
  before(async () => {
    await initBackend();
  });

  it('the filter transform is the full complex convolution y ∗ ω (n + L − 1 outputs)', () => {
    const s = new RandomStream('conv');
    const y = new Float32Array(2 * 8);
    const w = new Float32Array(2 * 3);
    s.fillNormal(y);
    s.fillNormal(w);
    const out = rtnTransform(tf.tensor2d(y, [1, 16]), tf.tensor2d(w, [1, 6]), 'filter', 8, 3).dataSync();
    const ref = complexConvolve(y, w);
    assert.equal(out.length, 20);
    for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(out[i] - ref[i]) < 1e-5, `${i}: ${out[i]} vs ${ref[i]}`);
  });

  it('starts as the identity: an untrained filter RTN passes y through (ω = δ, zero padding after)', () => {
    const models = buildAutoencoder(spec('filter'), 'identity');
    const rtn = models.decoder.layers[0] as RadioTransformer;
    const y = received(CHANNEL, 4, 'identity');
    const out = (rtn.apply(tf.tensor2d(y, [4, 16])) as tf.Tensor).dataSync();
    for (let b = 0; b < 4; b++) for (let j = 0; j < 20; j++) assert.ok(Math.abs(out[b * 20 + j] - (j < 16 ? y[b * 16 + j] : 0)) < 1e-6);
  });

  for (const [transform, channel] of [
    ['filter', CHANNEL],
    ['phase', CHANNEL],
    ['filter', { ...CHANNEL, csi: 'perfect' }],
  ] as const) {
    it(`${transform}, csi ${channel.csi}: the Monte Carlo decoder (plain TypeScript) decides as the tfjs model, and ω agrees value for value`, () => {
      const models = buildAutoencoder(spec(transform, channel), `mc-${transform}`);
      models.decoder.layers.forEach((l, i) => scramble(l, `${transform}-${i}`));
      const trained = new TrainedAutoencoder(spec(transform, channel), models.encoder, models.decoder, {} as never, false);
      const system = trained.toBlockSystem('rtn');
      assert.equal(system.decoder.kind, 'rtn');
      const dspec = system.decoder as RtnSpec;
      const B = 300;
      const y = received(channel, B, `mc-${transform}`);
      const outDims = makeChannel(channel, 8, 'complex').outDims;
      const decided = new Int32Array(B);
      decoderModule(system.decoder).check(system, system.decoder);
      decoderModule(system.decoder).build(system, system.decoder)(y, B, decided);
      const ref = tf.tidy(() => tf.argMax(models.decoder.predict(tf.tensor2d(y, [B, outDims])) as tf.Tensor, 1).dataSync() as Int32Array);
      let same = 0;
      for (let b = 0; b < B; b++) if (decided[b] === ref[b]) same++;
      // float64 vs float32 arithmetic: a near-tie may flip; nothing else may.
      assert.ok(same >= B - 2, `${same} of ${B} decisions agree`);
      const P = dspec.rtn.estimator.outputDim;
      const omega = new Float64Array(B * P);
      const canonical = new Float32Array(B * (transform === 'filter' ? 20 : 16));
      rtnFrontEnd(dspec.rtn, y, B, omega, canonical);
      const omegaT = tf.tidy(() => (models.decoder.layers[0] as RadioTransformer).estimate(tf.tensor2d(y, [B, outDims])).dataSync());
      for (let i = 0; i < omega.length; i++)
        assert.ok(Math.abs(omega[i] - omegaT[i]) < 1e-4 * Math.max(1, Math.abs(omega[i])), `ω[${i}] ${omega[i]} vs ${omegaT[i]}`);
    });
  }

  it('saved and loaded, the autoencoder gives identical outputs (RadioTransformer is registered for serialization)', async () => {
    const models = buildAutoencoder(spec('filter'), 'save');
    models.decoder.layers.forEach((l, i) => scramble(l, `save-${i}`));
    const trained = new TrainedAutoencoder(spec('filter'), models.encoder, models.decoder, { steps: [], loss: [], accuracy: [] } as never, false);
    const dir = await mkdtemp(join(tmpdir(), 'rtn-save-'));
    try {
      await trained.save(dir);
      const loaded = await TrainedAutoencoder.load(dir);
      const y = tf.tensor2d(received(CHANNEL, 50, 'save'), [50, 16]);
      const a = (trained.decoder.predict(y) as tf.Tensor).dataSync();
      const b = (loaded.decoder.predict(y) as tf.Tensor).dataSync();
      assert.deepEqual(Array.from(b), Array.from(a));
      assert.deepEqual(Array.from(loaded.codebook()), Array.from(trained.codebook()));
      const first = loaded.decoder.layers[0] as RadioTransformer;
      assert.equal(first.getClassName(), 'RadioTransformer');
      assert.equal(first.transform, 'filter');
      assert.equal(first.taps, 3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('trains end to end on the JavaScript training step, and its gradient reaches the estimator', () => {
    const models = buildAutoencoder(spec('filter'), 'grad');
    scramble(models.decoder.layers[0], 'grad'); // off the identity start, whose zero output kernel blocks the hidden layers' first gradient
    const channel = makeChannel(CHANNEL, 8, 'complex');
    const graph = createGradientGraph(models, channel, 16);
    assert.ok(graph instanceof JsTrainGraph, 'the JavaScript step is used (train-graph.test.ts holds it to tf.grad)');
    const B = 64;
    const msgs = new Int32Array(B);
    const draws = new Float32Array(B * channel.drawDims);
    const s = new RandomStream('grad');
    s.fillInts(msgs, 16);
    s.fillNormal(draws);
    const r = graph.step(msgs, draws, 0.3);
    assert.ok(Number.isFinite(r.loss));
    const rtnSlots = graph.layout().filter((l) => l.name.includes('est') || l.name.includes('out_'));
    assert.ok(rtnSlots.length === 6, `RTN weights in θ: ${rtnSlots.map((l) => l.name).join(', ')}`);
    for (const slot of rtnSlots) {
      const g = r.gradient.subarray(slot.offset, slot.offset + slot.size);
      assert.ok(
        g.some((v) => v !== 0),
        `${slot.name} gets a gradient`,
      );
    }
  });

  it('records h, ω and h ∗ ω of a few blocks (rtnExamples)', () => {
    const models = buildAutoencoder(spec('filter'), 'examples');
    const trained = new TrainedAutoencoder(spec('filter'), models.encoder, models.decoder, {} as never, false);
    const e = rtnExamples(trained, 'examples', 15, 3, 200)!;
    assert.equal(e.blocks.length, 3);
    // Untrained: ω = δ, so h ∗ ω = h followed by zeros, and the peak shares agree.
    for (const b of e.blocks) {
      assert.equal(b.response.length, 5);
      for (let l = 0; l < 3; l++) assert.deepEqual(b.response[l], b.h[l]);
    }
    assert.ok(Math.abs(e.peakShare.channel - e.peakShare.equalized) < 1e-3);
  });

  it('multipath with perfect CSI: a plain autoencoder gets y and h (2n + 2L inputs), trains by autodiff and decodes in Monte Carlo', () => {
    const channel: ChannelSpec = { ...CHANNEL, csi: 'perfect' };
    const plain: AutoencoderSpec = { k: 4, n: 8, signalling: 'complex', normalization: 'energy', channel };
    const models = buildAutoencoder(plain, 'csi');
    assert.deepEqual(models.decoder.inputs[0].shape, [null, 22]);
    const model = makeChannel(channel, 8, 'complex');
    const graph = createGradientGraph(models, model, 16);
    assert.ok(graph instanceof TrainGraph, 'the hand-written step declines inputs wider than x');
    const B = 32;
    const msgs = new Int32Array(B);
    const draws = new Float32Array(B * model.drawDims);
    const s = new RandomStream('csi');
    s.fillInts(msgs, 16);
    s.fillNormal(draws);
    assert.ok(Number.isFinite(graph.step(msgs, draws, 0.3).loss));
    const trained = new TrainedAutoencoder(plain, models.encoder, models.decoder, {} as never, false);
    const system = trained.toBlockSystem('csi');
    const y = received(channel, 200, 'csi');
    const decided = new Int32Array(200);
    decoderModule(system.decoder).check(system, system.decoder);
    decoderModule(system.decoder).build(system, system.decoder)(y, 200, decided);
    const ref = tf.tidy(() => tf.argMax(models.decoder.predict(tf.tensor2d(y, [200, 22])) as tf.Tensor, 1).dataSync() as Int32Array);
    let same = 0;
    for (let b = 0; b < 200; b++) if (decided[b] === ref[b]) same++;
    assert.ok(same >= 198, `${same} of 200 decisions agree`);
  });
});
