import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { PowerNormalization, type PowerMode } from '../../src/layers/power-normalization.ts';
import { LayerNorm } from '../../src/layers/layer-norm.ts';
import { WeightNormDense } from '../../src/layers/weight-norm-dense.ts';
import { RandomStream } from '../../src/random.ts';

function randomMatrix(rows: number, cols: number, seed: string, scale = 3): tf.Tensor2D {
  const a = new Float32Array(rows * cols);
  new RandomStream(seed).fillNormal(a);
  for (let i = 0; i < a.length; i++) a[i] *= scale;
  return tf.tensor2d(a, [rows, cols]);
}

function rowEnergies(t: tf.Tensor): number[] {
  return Array.from(tf.sum(tf.square(t), 1).dataSync());
}

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(artifacts!));
}

function modelWith(layer: tf.layers.Layer, dims: number): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: dims, inputShape: [5], kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }));
  m.add(layer);
  return m;
}

describe('PowerNormalization', () => {
  const n = 7;
  const x = randomMatrix(500, n, 'pn-input');

  it('energy: every codeword has ‖x‖² = n', () => {
    const y = new PowerNormalization({ mode: 'energy', n }).apply(x) as tf.Tensor;
    for (const e of rowEnergies(y)) assert.ok(Math.abs(e - n) < 1e-4, `energy ${e}`);
  });

  it('energy on complex layout: 2n real values, ‖x‖² = n', () => {
    const xc = randomMatrix(100, 4, 'pn-complex');
    const y = new PowerNormalization({ mode: 'energy', n: 2 }).apply(xc) as tf.Tensor;
    for (const e of rowEnergies(y)) assert.ok(Math.abs(e - 2) < 1e-5);
  });

  it('energy-max: codewords above the bound land on it, those inside are unchanged', () => {
    const mixed = tf.concat([tf.mul(x, 0.05), x]); // the first 500 rows lie inside the ball
    const inE = rowEnergies(mixed);
    assert.ok(inE.slice(0, 500).every((e) => e < n) && inE.slice(500).some((e) => e > n));
    const y = new PowerNormalization({ mode: 'energy-max', n }).apply(mixed) as tf.Tensor;
    const outE = rowEnergies(y);
    const xv = mixed.arraySync() as number[][];
    const yv = y.arraySync() as number[][];
    outE.forEach((e, i) => {
      assert.ok(e <= n + 1e-4, `row ${i} energy ${e}`);
      if (inE[i] < n) yv[i].forEach((v, j) => assert.ok(Math.abs(v - xv[i][j]) < 1e-6));
      else assert.ok(Math.abs(e - n) < 1e-4);
    });
  });

  it('average-power: batch mean ‖x‖² = n in training, calibrated power at inference', () => {
    const layer = new PowerNormalization({ mode: 'average-power', n });
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const energies = rowEnergies(y);
    const mean = energies.reduce((a, b) => a + b) / energies.length;
    assert.ok(Math.abs(mean - n) < 1e-3, `mean ${mean}`);
    assert.ok(Math.max(...energies) - Math.min(...energies) > 1, 'individual energies are not forced to n');
    layer.calibrate(4 * n);
    const yi = layer.apply(x, { training: false }) as tf.Tensor;
    const ratio = tf.div(yi, x).dataSync();
    for (const r of ratio) assert.ok(Math.abs(r - 0.5) < 1e-5);
  });

  for (const mode of ['energy', 'energy-max', 'average-power'] as PowerMode[]) {
    it(`${mode}: gradients flow and match finite differences`, () => {
      const layer = new PowerNormalization({ mode, n: 3 });
      const x0 = randomMatrix(4, 3, `grad-${mode}`, 1.5);
      const w = randomMatrix(4, 3, `w-${mode}`, 1);
      const f = (t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t, { training: true }) as tf.Tensor, w)) as tf.Scalar;
      const g = tf.grad(f)(x0).dataSync();
      assert.ok(g.every(Number.isFinite));
      assert.ok(
        g.some((v) => Math.abs(v) > 1e-3),
        'gradient is not zero',
      );
      // central finite difference on a few coordinates (float32: loose tolerance)
      const base = x0.dataSync();
      for (const idx of [0, 5, 11]) {
        const h = 1e-2;
        const plus = Float32Array.from(base);
        plus[idx] += h;
        const minus = Float32Array.from(base);
        minus[idx] -= h;
        const fd = (f(tf.tensor2d(plus, [4, 3])).dataSync()[0] - f(tf.tensor2d(minus, [4, 3])).dataSync()[0]) / (2 * h);
        assert.ok(Math.abs(fd - g[idx]) < 2e-2 * Math.max(1, Math.abs(fd)), `coord ${idx}: fd ${fd} vs grad ${g[idx]}`);
      }
    });

    it(`${mode}: survives save and load`, async () => {
      const model = modelWith(new PowerNormalization({ mode, n: 4 }), 4);
      if (mode === 'average-power') (model.layers[1] as PowerNormalization).calibrate(2.5);
      const input = randomMatrix(20, 5, 'saveload');
      const before = (model.predict(input) as tf.Tensor).dataSync();
      const loaded = await roundTrip(model);
      assert.equal(loaded.layers[1].getClassName(), 'PowerNormalization');
      assert.deepEqual((loaded.layers[1].getConfig() as { mode: string }).mode, mode);
      const after = (loaded.predict(input) as tf.Tensor).dataSync();
      assert.deepEqual(Array.from(after), Array.from(before));
    });
  }
});

describe('WeightNormDense', () => {
  it('computes x·(g·v/‖v‖) + b, with ‖w_col‖ = g', () => {
    const layer = new WeightNormDense({ units: 3, seed: 5, inputShape: [4] });
    const x = randomMatrix(6, 4, 'wn-x', 1);
    const y = layer.apply(x) as tf.Tensor;
    const [v, g, b] = layer.getWeights();
    layer.setWeights([v, tf.tensor1d([0.5, 2, 3]), tf.tensor1d([0.1, -0.2, 0.3])]);
    const y2 = (layer.apply(x) as tf.Tensor).arraySync() as number[][];
    const vv = v.arraySync() as number[][];
    const norms = [0, 1, 2].map((o) => Math.sqrt(vv.reduce((s, row) => s + row[o] ** 2, 0)));
    const xs = x.arraySync() as number[][];
    const gs = [0.5, 2, 3];
    const bs = [0.1, -0.2, 0.3];
    xs.forEach((row, r) => {
      for (let o = 0; o < 3; o++) {
        const expect = row.reduce((s, xi, i) => s + (xi * (gs[o] * vv[i][o])) / norms[o], 0) + bs[o];
        assert.ok(Math.abs(y2[r][o] - expect) < 1e-5);
      }
    });
    const kn = tf.sqrt(tf.sum(tf.square(layer.kernel()), 0)).dataSync();
    gs.forEach((gv, o) => assert.ok(Math.abs(kn[o] - gv) < 1e-5));
    assert.ok(y.shape[1] === 3 && g.shape[0] === 3 && b.shape[0] === 3);
  });

  it('trains (gradients reach v, g and b) and survives save and load', async () => {
    const model = tf.sequential();
    model.add(new WeightNormDense({ units: 2, seed: 9, inputShape: [5] }));
    const x = randomMatrix(8, 5, 'wn-train', 1);
    const grads = tf.variableGrads(() => tf.sum(tf.square(model.apply(x) as tf.Tensor)) as tf.Scalar);
    assert.equal(Object.keys(grads.grads).length, 3);
    for (const gTensor of Object.values(grads.grads)) assert.ok(gTensor.dataSync().some((v) => v !== 0));
    const before = (model.predict(x) as tf.Tensor).dataSync();
    const loaded = await roundTrip(model);
    assert.deepEqual(Array.from((loaded.predict(x) as tf.Tensor).dataSync()), Array.from(before));
  });
});

describe('LayerNorm', () => {
  it('computes (x − mean)/√(var + ε)·γ + β per row (hand-computed), and its gradients match tfjs layerNormalization', () => {
    const x = randomMatrix(64, 12, 'ln-x');
    const ours = new LayerNorm();
    const theirs = tf.layers.layerNormalization({ axis: -1 });
    ours.apply(x);
    theirs.apply(x);
    // Non-trivial γ, β, the same in both layers.
    const gamma = tf.add(1, tf.mul(0.3, randomMatrix(1, 12, 'ln-g', 1).reshape([12])));
    const beta = tf.mul(0.2, randomMatrix(1, 12, 'ln-b', 1).reshape([12]));
    ours.setWeights([gamma, beta]);
    theirs.setWeights([gamma, beta]);
    const y = ours.apply(x) as tf.Tensor2D;
    // By hand, row by row.
    const xs = x.arraySync();
    const g = gamma.arraySync() as number[];
    const b = beta.arraySync() as number[];
    const ys = y.arraySync();
    xs.forEach((row, r) => {
      const mean = row.reduce((s, v) => s + v, 0) / row.length;
      const vr = row.reduce((s, v) => s + (v - mean) ** 2, 0) / row.length;
      row.forEach((v, i) => assert.ok(Math.abs(ys[r][i] - (((v - mean) / Math.sqrt(vr + 1e-3)) * g[i] + b[i])) < 1e-4));
    });
    // Same gradients (w.r.t. x, γ, β) as tfjs's own layer for a non-symmetric loss.
    const w = randomMatrix(64, 12, 'ln-w', 1);
    const grads = (layer: tf.layers.Layer) =>
      tf
        .grads((xi: tf.Tensor) => tf.sum(tf.mul(layer.apply(xi) as tf.Tensor, w)))([x])[0]
        .arraySync() as number[][];
    const a = grads(ours);
    const c = grads(theirs);
    a.forEach((row, r) => row.forEach((v, i) => assert.ok(Math.abs(v - c[r][i]) < 1e-4, `dx[${r}][${i}] ${v} vs ${c[r][i]}`)));
    const vg = (layer: tf.layers.Layer) =>
      tf.variableGrads(
        () => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, w)) as tf.Scalar,
        layer.trainableWeights.map((v) => v.read() as tf.Variable),
      );
    const ga = Object.values(vg(ours).grads).map((t) => Array.from(t.dataSync()));
    const gc = Object.values(vg(theirs).grads).map((t) => Array.from(t.dataSync()));
    ga.forEach((arr, j) => arr.forEach((v, i) => assert.ok(Math.abs(v - gc[j][i]) < 1e-3, `param ${j}[${i}] ${v} vs ${gc[j][i]}`)));
  });
});
