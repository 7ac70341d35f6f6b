/**
 * Batch normalization as a hidden-layer option (src/layers/batch-norm.ts, src/network/kinds/batch-norm.ts):
 * the JavaScript op against tf.grad of the tfjs form (with the encoder's message-count weighting), training
 * against inference behaviour, the running statistics through training, save and load, a short training on
 * the JavaScript step, the Monte Carlo form against the tfjs model, and the scenario check.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildAutoencoder, decoderLogits } from '../../src/autoencoder/build.ts';
import { compileDecoder } from '../../src/autoencoder/compile.ts';
import { jsGemm } from '../../src/autoencoder/gemm.ts';
import { createGradientGraph } from '../../src/autoencoder/gradient-graph.ts';
import { GradientWorkers } from '../../src/autoencoder/gradient-workers.ts';
import { JsTrainGraph } from '../../src/autoencoder/js-train-graph.ts';
import { TrainGraph } from '../../src/autoencoder/train-graph.ts';
import { withDefaults, type AutoencoderSpec } from '../../src/autoencoder/spec.ts';
import { trainAutoencoder } from '../../src/autoencoder/train.ts';
import { TrainedAutoencoder } from '../../src/autoencoder/trained.ts';
import { makeChannel } from '../../src/channels/index.ts';
import { BatchNorm, batchNormTrainingOps } from '../../src/layers/batch-norm.ts';
import { mlpForwardNaive } from '../../src/mlp/forward.ts';
import { UnknownLayerError } from '../../src/network/errors.ts';
import { batchNormKind } from '../../src/network/kinds/batch-norm.ts';
import type { PassContext, Tape } from '../../src/network/op.ts';
import { RandomStream } from '../../src/random.ts';
import { autoencoderSpecOf, type CompiledAutoencoder } from '../../src/scenario/compile.ts';
import { formatPath, parseScenario, validateScenario } from '../../src/scenario/load.ts';

const normals = (n: number, seed: string, scale = 1): Float32Array => {
  const a = new Float32Array(n);
  new RandomStream('batch-norm-test', seed).fillNormal(a);
  for (let i = 0; i < n; i++) a[i] *= scale;
  return a;
};

/** |a − b| ≤ tol·max(|b|, floor) elementwise. */
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string, floor = 1e-6): void => {
  assert.equal(a.length, b.length, `${what}: length`);
  const scale = Math.max(floor, ...Array.from(b, Math.abs));
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * scale, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

/** A built BatchNorm over d features and its JavaScript op (slots 0: γ, 1: β). */
function opFor(d: number) {
  const layer = new BatchNorm();
  layer.build([null, d]);
  const shapes: number[][] = [];
  const [op] = batchNormKind.train(
    layer,
    { slot: (l, i) => (shapes.push(l.trainableWeights[i].shape as number[]), shapes.length - 1), shape: (i) => shapes[i] },
    d,
  );
  op.readState?.();
  return { layer, op };
}

function context(gamma: Float32Array, beta: Float32Array, counts: Float64Array | null, batch: number, training = true) {
  const buffers = new Map<string, Float32Array>();
  const grads = [new Float32Array(gamma.length), new Float32Array(beta.length)];
  const c: PassContext = {
    views: [gamma, beta],
    gradViews: grads,
    buf: (name, size) => {
      if (!buffers.has(name)) buffers.set(name, new Float32Array(size));
      return buffers.get(name)!;
    },
    gemm: () => jsGemm,
    counts,
    batch,
    training,
  };
  return { c, grads };
}

describe('Batch normalization (hidden-layer option batchNorm)', () => {
  it('the JavaScript op equals tf.grad of the tfjs form: on a batch, and on one-hot rows weighted by message counts', () => {
    const d = 6;
    const gamma = Float32Array.from(normals(d, 'gamma'), (v) => 1 + 0.3 * v);
    const beta = normals(d, 'beta', 0.5);
    // Encoder form: 5 distinct rows the batch holds [3, 0, 1, 4, 2] times (a row the batch lacks included).
    const counts = [3, 0, 1, 4, 2];
    const M = counts.length;
    const B = counts.reduce((a, b) => a + b, 0);
    const rows = normals(M * d, 'rows', 2);
    const batchRows: number[] = counts.flatMap((c, r) => Array<number>(c).fill(r));
    const expanded = new Float32Array(B * d);
    batchRows.forEach((r, i) => expanded.set(rows.subarray(r * d, (r + 1) * d), i * d));
    const upstream = normals(B * d, 'upstream');
    // Reference: tf.grad of Σ upstream·out over the whole batch.
    const ref = tf.tidy(() => {
      const f = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(batchNormTrainingOps(x, g, b, 1e-3).out, tf.tensor2d(upstream, [B, d])));
      const out = batchNormTrainingOps(tf.tensor2d(expanded, [B, d]), tf.tensor1d(gamma), tf.tensor1d(beta), 1e-3).out.dataSync() as Float32Array;
      const [dx, dg, db] = tf
        .grads(f)([tf.tensor2d(expanded, [B, d]), tf.tensor1d(gamma), tf.tensor1d(beta)])
        .map((t) => t.dataSync() as Float32Array);
      return { out, dx, dg, db };
    });
    for (const form of ['batch', 'one-hot rows'] as const) {
      const { op } = opFor(d);
      const weighted = form === 'one-hot rows';
      const n = weighted ? M : B;
      const { c, grads } = context(gamma, beta, weighted ? Float64Array.from(counts) : null, B);
      const tapes: Tape[] = [];
      const out = op.forward(c, Float32Array.from(weighted ? rows : expanded), n, 'bn', tapes);
      // The upstream gradient of each row: summed over its copies in the batch.
      const dOut = new Float32Array(n * d);
      if (weighted)
        batchRows.forEach((r, i) => {
          for (let j = 0; j < d; j++) dOut[r * d + j] += upstream[i * d + j];
        });
      else dOut.set(upstream);
      const dIn = op.backward(c, tapes[0], dOut, n, 'bn')!;
      const wantOut = new Float32Array(n * d);
      const wantDx = new Float32Array(n * d);
      if (weighted) {
        batchRows.forEach((r, i) => {
          for (let j = 0; j < d; j++) {
            wantOut[r * d + j] = ref.out[i * d + j];
            wantDx[r * d + j] += ref.dx[i * d + j];
          }
        });
        // A row the batch lacks is normalized all the same (its output is never gathered, its gradient is 0).
        for (let j = 0; j < d; j++) wantOut[1 * d + j] = out[1 * d + j];
      } else {
        wantOut.set(ref.out);
        wantDx.set(ref.dx);
      }
      close(out, wantOut, 1e-5, `${form}: output`);
      close(dIn, wantDx, 1e-4, `${form}: dx`);
      close(grads[0], ref.dg, 1e-5, `${form}: dγ`);
      close(grads[1], ref.db, 1e-5, `${form}: dβ`);
    }
  });

  it('training mode uses the batch statistics, inference the running ones; each training pass moves them with momentum 0.99', () => {
    const d = 4;
    const { layer, op } = opFor(d);
    const x = normals(8 * d, 'x', 3);
    const zeros = new Float32Array(d);
    const ones = new Float32Array(d).fill(1);
    const train = tf.tidy(() => layer.apply(tf.tensor2d(x, [8, d]), { training: true }) as tf.Tensor).arraySync() as number[][];
    for (let j = 0; j < d; j++) {
      const col = train.map((r) => r[j]);
      const mean = col.reduce((a, b) => a + b, 0) / 8;
      const variance = col.reduce((a, b) => a + (b - mean) ** 2, 0) / 8;
      assert.ok(Math.abs(mean) < 1e-5, `feature ${j}: mean ${mean}`);
      assert.ok(Math.abs(variance - 1) < 2e-3, `feature ${j}: variance ${variance} (≈ σ²/(σ² + ε))`);
    }
    // Inference with the initial running statistics (0, 1): x/√(1 + ε).
    const infer = tf.tidy(() => layer.apply(tf.tensor2d(x, [8, d]), { training: false }) as tf.Tensor).dataSync();
    close(
      infer,
      Float32Array.from(x, (v) => v / Math.sqrt(1 + 1e-3)),
      1e-6,
      'inference output',
    );
    // Two training passes of the JavaScript op: m ← m − (m − μ)·0.01 with the batch's μ and biased σ².
    let m = Array.from(zeros);
    let v = Array.from(ones);
    for (let pass = 0; pass < 2; pass++) {
      const batch = normals(8 * d, `pass${pass}`, 2 + pass);
      const { c } = context(ones, zeros, null, 8);
      op.forward(c, batch, 8, 'bn', []);
      for (let j = 0; j < d; j++) {
        let mu = 0;
        for (let r = 0; r < 8; r++) mu += batch[r * d + j] / 8;
        let s2 = 0;
        for (let r = 0; r < 8; r++) s2 += (batch[r * d + j] - mu) ** 2 / 8;
        m[j] -= (m[j] - mu) * 0.01;
        v[j] -= (v[j] - s2) * 0.01;
      }
    }
    // Inference (a frozen encoder) leaves them alone.
    op.forward(context(ones, zeros, null, 8, false).c, normals(8 * d, 'frozen', 5), 8, 'bn', []);
    op.writeState?.();
    const stats = layer.statistics();
    close(stats.mean, m, 1e-6, 'running mean');
    close(stats.variance, v, 1e-6, 'running variance');
    assert.notDeepEqual(Array.from(stats.mean), Array.from(zeros));
    m = v = [];
  });

  it('loss and gradient of the JavaScript step equal tfjs autodiff, with batch norm in encoder and decoder (energy and average power)', () => {
    for (const normalization of ['energy', 'average-power'] as const) {
      const spec: AutoencoderSpec = {
        k: 3,
        n: 4,
        signalling: 'real',
        normalization,
        channel: { type: 'rayleigh', coherence: 'symbol', csi: 'perfect' },
        encoder: [{ units: 8, batchNorm: true, activation: 'tanh' }],
        decoder: [
          { units: 12, batchNorm: true },
          { units: 10, activation: 'elu', batchNorm: true },
        ],
      };
      const models = buildAutoencoder(spec, 'bn-grad');
      const channel = makeChannel(spec.channel, spec.n, spec.signalling);
      const js = new JsTrainGraph(models, channel, 8, Infinity);
      const rs = new RandomStream('bn-grad', normalization);
      const msgs = new Int32Array(250);
      rs.fillInts(msgs, 8);
      const draws = new Float32Array(250 * channel.drawDims);
      rs.fillNormal(draws);
      const ours = js.step(msgs, draws, 0.5);
      const vars = [...models.encoder.trainableWeights, ...models.decoder.trainableWeights];
      const ref = tf.tidy(() => {
        const onehot = tf.oneHot(tf.tensor1d(msgs, 'int32'), 8);
        const { value, grads } = tf.variableGrads(
          () => {
            const x = models.encoder.apply(onehot, { training: true }) as tf.Tensor2D;
            const y = channel.applyTensors(tf, x, tf.tensor2d(draws, [250, channel.drawDims]), tf.fill([250, 1], 0.5) as tf.Tensor2D);
            return tf.losses.softmaxCrossEntropy(onehot, decoderLogits(models.decoder, y, true)) as tf.Scalar;
          },
          vars.map((v) => v.read() as tf.Variable),
        );
        return { loss: value.dataSync()[0], grads: vars.map((v) => grads[(v.read() as tf.Variable).name].dataSync() as Float32Array) };
      });
      assert.ok(Math.abs(ours.loss - ref.loss) < 1e-5 * Math.max(1, ref.loss), `${normalization}: loss ${ours.loss} vs ${ref.loss}`);
      const layout = js.layout();
      assert.equal(layout.length, vars.length);
      // A dense bias right before batch norm has a zero gradient (the mean is removed): rounding noise on both sides.
      layout.forEach((l, i) => close(ours.gradient.subarray(l.offset, l.offset + l.size), ref.grads[i], 1e-4, `${normalization}: ${l.name}`, 1e-2));
      models.encoder.dispose();
      models.decoder.dispose();
    }
  });

  it('a (7,4) autoencoder with batch norm trains on the JavaScript step, its running statistics move, and the Monte Carlo decoder equals the tfjs model at inference', async () => {
    const spec: AutoencoderSpec = {
      k: 4,
      n: 7,
      signalling: 'real',
      normalization: 'energy',
      channel: { type: 'awgn' },
      encoder: [{ units: 16, batchNorm: true }],
      decoder: [
        { units: 16, batchNorm: true },
        { units: 16, activation: 'tanh', batchNorm: true },
      ],
    };
    const models = buildAutoencoder(spec, 'bn-js');
    assert.ok(createGradientGraph(models, makeChannel(spec.channel, 7, 'real'), 16) instanceof JsTrainGraph, 'the JavaScript step, not the tf.grad fallback');
    models.encoder.dispose();
    models.decoder.dispose();
    // Batch statistics are over the whole batch: no data-parallel shards.
    const graph = createGradientGraph(buildAutoencoder(spec, 'bn-js'), makeChannel(spec.channel, 7, 'real'), 16);
    assert.equal(await GradientWorkers.start(graph, withDefaults(spec), 'bn-js', 256, 7, 4, 2), undefined);
    const trained = await trainAutoencoder(spec, {
      ebnoDb: 7,
      batchSize: 256,
      steps: 400,
      learningRate: 0.01,
      seed: 'bn-train',
      maxRestarts: 0,
      maxExtensions: 0,
      validationBlocks: 0,
      workers: 1,
    });
    const r = trained.training;
    assert.ok(r.loss[r.loss.length - 1] < 0.5 * r.loss[0], `loss ${r.loss[0]} → ${r.loss[r.loss.length - 1]}`);
    assert.ok(r.finalAccuracy > 0.9, `accuracy ${r.finalAccuracy}`);
    for (const model of [trained.encoder, trained.decoder]) {
      for (const layer of model.layers) {
        if (!(layer instanceof BatchNorm)) continue;
        const { mean, variance } = layer.statistics();
        assert.ok(mean.some((v) => v !== 0) && variance.some((v) => v !== 1), `${layer.name}: running statistics moved`);
      }
    }
    // Inference: the codebook (energy n per codeword) and the compiled decoder against decoder.predict.
    const codebook = trained.codebook();
    for (let m = 0; m < 16; m++) {
      let e = 0;
      for (let j = 0; j < 7; j++) e += codebook[m * 7 + j] ** 2;
      assert.ok(Math.abs(e - 7) < 1e-4, `codeword ${m}: energy ${e}`);
    }
    const mlp = compileDecoder(trained.decoder);
    assert.ok(
      mlp.layers.every((l) => l.kind !== 'layerNorm'),
      'batch norm folded into the dense maps',
    );
    const y = normals(300 * 7, 'y', 1.2);
    const want = tf.tidy(() => decoderLogits(trained.decoder, tf.tensor2d(y, [300, 7]), false).dataSync() as Float32Array);
    close(mlpForwardNaive(mlp, y, 300), want, 1e-4, 'Monte Carlo logits');
    const decided = new Int32Array(300);
    (await import('../../src/mlp/forward.ts')).compileMlp(mlp).argmax(y, 300, decided);
    const tfDecided = tf.tidy(() => tf.argMax(trained.decoder.predict(tf.tensor2d(y, [300, 7])) as tf.Tensor, 1).dataSync());
    let same = 0;
    decided.forEach((d, i) => (same += d === tfDecided[i] ? 1 : 0));
    assert.ok(same >= 299, `decisions agree on ${same}/300 blocks`);
  });

  it('the tf.grad step (a bit-wise decoder) moves the running statistics too', () => {
    const spec: AutoencoderSpec = {
      k: 3,
      n: 4,
      signalling: 'real',
      normalization: 'energy',
      channel: { type: 'awgn' },
      output: 'bits',
      encoder: [{ units: 8, batchNorm: true }],
      decoder: [{ units: 8, batchNorm: true }],
    };
    const models = buildAutoencoder(spec, 'bn-bits');
    const channel = makeChannel(spec.channel, 4, 'real');
    const graph = createGradientGraph(models, channel, 8);
    assert.ok(graph instanceof TrainGraph, 'a bit-wise decoder trains by tf.grad');
    const rs = new RandomStream('bn-bits');
    const msgs = rs.fillInts(new Int32Array(64), 8);
    const draws = new Float32Array(64 * channel.drawDims);
    rs.fillNormal(draws);
    assert.ok(Number.isFinite(graph.step(msgs, draws, 0.5).loss));
    for (const layer of [...models.encoder.layers, ...models.decoder.layers]) {
      if (!(layer instanceof BatchNorm)) continue;
      const { mean, variance } = layer.statistics();
      assert.ok(mean.some((v) => v !== 0) && variance.some((v) => v !== 1), `${layer.name}: running statistics moved`);
    }
    models.encoder.dispose();
    models.decoder.dispose();
  });

  it('the running statistics are saved with the model and restored', async () => {
    const spec: AutoencoderSpec = {
      k: 3,
      n: 4,
      signalling: 'real',
      normalization: 'energy',
      channel: { type: 'awgn' },
      encoder: [{ units: 8, batchNorm: true }],
      decoder: [{ units: 8, batchNorm: true, activation: 'tanh' }],
    };
    const models = buildAutoencoder(spec, 'bn-save');
    const layers = [...models.encoder.layers, ...models.decoder.layers].filter((l): l is BatchNorm => l instanceof BatchNorm);
    assert.equal(layers.length, 2);
    layers.forEach((l, i) =>
      l.setStatistics(
        normals(8, `m${i}`),
        Float32Array.from(normals(8, `v${i}`), (v) => 0.5 + v * v),
      ),
    );
    const trained = new TrainedAutoencoder(spec, models.encoder, models.decoder, {} as never, false);
    const dir = await mkdtemp(join(tmpdir(), 'bn-save-'));
    try {
      await trained.save(dir);
      const loaded = await TrainedAutoencoder.load(dir);
      const back = [...loaded.encoder.layers, ...loaded.decoder.layers].filter((l): l is BatchNorm => l.getClassName() === 'BatchNorm') as BatchNorm[];
      assert.equal(back.length, 2);
      back.forEach((l, i) => assert.deepEqual(l.statistics(), layers[i].statistics(), `${l.name}: running statistics`));
      assert.deepEqual(Array.from(loaded.codebook()), Array.from(trained.codebook()));
      const y = tf.tensor2d(normals(50 * 4, 'save-y'), [50, 4]);
      assert.deepEqual(Array.from((loaded.decoder.predict(y) as tf.Tensor).dataSync()), Array.from((trained.decoder.predict(y) as tf.Tensor).dataSync()));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a scenario layer with both layerNorm and batchNorm is refused at that field; batchNorm alone is accepted', () => {
    const scenario = (layer: Record<string, unknown>) => ({
      name: 'bn',
      sweep: { ebnoDb: [0] },
      systems: [{ id: 'ae', type: 'autoencoder', k: 4, n: 7, decoder: [{ units: 16 }, layer] }],
    });
    const bad = validateScenario(scenario({ units: 16, layerNorm: true, batchNorm: true }));
    assert.equal(bad.ok, false);
    if (bad.ok) return;
    assert.deepEqual(
      bad.problems.map((p) => formatPath(p.path)),
      ['systems[0].decoder[1].batchNorm'],
    );
    assert.match(bad.problems[0].expected, /at most one of layerNorm, batchNorm/);
    assert.equal(validateScenario(scenario({ units: 16, batchNorm: true })).ok, true);
  });

  it('flows from a scenario file to the built model (absent: the compiled layer reads as before)', () => {
    const compiled = parseScenario(
      'name: bn\nsweep: { ebnoDb: [0] }\nsystems: [{ id: ae, type: autoencoder, k: 3, n: 4, encoder: [{ units: 8 }], decoder: [{ units: 8, batchNorm: true }] }]\n',
      'bn.yaml',
    );
    const system = compiled.systems[0] as CompiledAutoencoder;
    assert.deepEqual(system.encoder, [{ units: 8, activation: 'relu', layerNorm: false, weightNorm: false }]);
    assert.deepEqual(system.decoder, [{ units: 8, activation: 'relu', layerNorm: false, weightNorm: false, batchNorm: true }]);
    const models = buildAutoencoder(autoencoderSpecOf(system), 'bn-flow');
    assert.deepEqual(
      models.decoder.layers.map((l) => l.getClassName()),
      ['Dense', 'BatchNorm', 'Activation', 'Dense', 'Activation'],
    );
    assert.ok(!models.encoder.layers.some((l) => l.getClassName() === 'BatchNorm'));
    models.encoder.dispose();
    models.decoder.dispose();
  });

  it('a layer of no registered kind is an error naming it, not a silent fallback to tf.grad', () => {
    const spec: AutoencoderSpec = { k: 2, n: 2, signalling: 'real', normalization: 'energy', channel: { type: 'awgn' } };
    const models = buildAutoencoder(spec, 'unknown');
    const decoder = tf.sequential({ layers: [tf.layers.dropout({ rate: 0.1, inputShape: [2], name: 'mystery_dropout' }), ...models.decoder.layers] });
    assert.throws(
      () => createGradientGraph({ encoder: models.encoder, decoder }, makeChannel(spec.channel, 2, 'real'), 4),
      (e: unknown) => e instanceof UnknownLayerError && /mystery_dropout \(Dropout\)/.test(e.message),
    );
  });
});
