import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collapsedCode } from '../../src/autoencoder/train.ts';
import { compileScenario, type CompiledAutoencoder } from '../../src/scenario/compile.ts';
import {
  buildAutoencoder,
  compileDecoder,
  trainAutoencoder,
  trainableParameterCount,
  TrainedAutoencoder,
  type AutoencoderSpec,
} from '../../src/autoencoder/index.ts';
import { noiseStd } from '../../src/conventions.ts';
import { RandomStream } from '../../src/random.ts';
import type { MlpSpec } from '../../src/mlp/spec.ts';

const AE74: AutoencoderSpec = { k: 4, n: 7, signalling: 'real', normalization: 'energy', channel: { type: 'awgn' } };

/** Hamming (7,4) codewords as BPSK (+1 for bit 0), built here from the systematic generator [I | P]. */
function hammingCodebook(): Float32Array {
  const P = [
    [1, 1, 0],
    [1, 0, 1],
    [0, 1, 1],
    [1, 1, 1],
  ];
  const cb = new Float32Array(16 * 7);
  for (let m = 0; m < 16; m++) {
    const bits = [3, 2, 1, 0].map((s) => (m >> s) & 1);
    const parity = [0, 1, 2].map((j) => bits.reduce((acc, b, i) => acc ^ (b & P[i][j]), 0));
    [...bits, ...parity].forEach((b, i) => (cb[m * 7 + i] = b ? -1 : 1));
  }
  return cb;
}

/** Block errors over `blocks` blocks at ebnoDb: the learned decoder and exhaustive ML correlation decoding. */
function countErrors(codebook: Float32Array, decide: (y: Float32Array, count: number) => Int32Array, ebnoDb: number, blocks: number, seed: string): number {
  const stream = new RandomStream(seed);
  const sigma = noiseStd(ebnoDb, 4, 7);
  const chunk = 50_000;
  let errors = 0;
  const msgs = new Int32Array(chunk);
  const y = new Float32Array(chunk * 7);
  for (let done = 0; done < blocks; done += chunk) {
    stream.fillInts(msgs, 16);
    stream.fillNormal(y);
    for (let b = 0; b < chunk; b++) for (let i = 0; i < 7; i++) y[b * 7 + i] = codebook[msgs[b] * 7 + i] + sigma * y[b * 7 + i];
    const decided = decide(y, chunk);
    for (let b = 0; b < chunk; b++) if (decided[b] !== msgs[b]) errors++;
  }
  return errors;
}

function correlationDecoder(codebook: Float32Array, M: number, dims: number) {
  return (y: Float32Array, count: number): Int32Array => {
    const out = new Int32Array(count);
    for (let b = 0; b < count; b++) {
      let best = -Infinity;
      for (let m = 0; m < M; m++) {
        let s = 0;
        for (let i = 0; i < dims; i++) s += y[b * dims + i] * codebook[m * dims + i];
        if (s > best) {
          best = s;
          out[b] = m;
        }
      }
    }
    return out;
  };
}

function predictDecoder(ae: TrainedAutoencoder) {
  return (y: Float32Array, count: number): Int32Array =>
    tf.tidy(() => tf.argMax(ae.decoder.predict(tf.tensor2d(y, [count, ae.dims])) as tf.Tensor, 1).dataSync() as Int32Array);
}

/** A naive forward pass of a compiled MLP, written independently of the engine's. */
function naiveForward(mlp: MlpSpec, x: number[]): number[] {
  let h = x;
  for (const l of mlp.layers) {
    if (l.kind === 'dense') {
      const o = Array.from({ length: l.outDim }, (_, j) => h.reduce((s, v, i) => s + v * l.kernel[i * l.outDim + j], l.bias[j]));
      h = o.map((v) => (l.activation === 'relu' ? Math.max(0, v) : l.activation === 'tanh' ? Math.tanh(v) : v));
    } else if (l.kind === 'layerNorm') {
      const mean = h.reduce((a, b) => a + b) / h.length;
      const variance = h.reduce((a, b) => a + (b - mean) ** 2, 0) / h.length;
      h = h.map((v, i) => ((v - mean) / Math.sqrt(variance + l.epsilon)) * l.gamma[i] + l.beta[i]);
    } else {
      h = h.map((v) => (l.activation === 'relu' ? Math.max(0, v) : l.activation === 'tanh' ? Math.tanh(v) : v));
    }
  }
  return h;
}

describe('autoencoder model', () => {
  it('the paper (7,4) autoencoder has 791 trainable parameters', () => {
    assert.equal(trainableParameterCount(buildAutoencoder(AE74, 1)), 791);
  });

  it('the same seed gives the same trained weights; another seed does not', async () => {
    const opts = { ebnoDb: 7, batchSize: 200, steps: 30, learningRate: 0.01, validationBlocks: 0 };
    const a = await trainAutoencoder(AE74, { ...opts, seed: 42 });
    const b = await trainAutoencoder(AE74, { ...opts, seed: 42 });
    const c = await trainAutoencoder(AE74, { ...opts, seed: 43 });
    assert.deepEqual(Array.from(a.codebook()), Array.from(b.codebook()));
    assert.deepEqual(a.training.loss, b.training.loss);
    assert.notDeepEqual(Array.from(a.codebook()), Array.from(c.codebook()));
  });

  it('hidden-layer options (layer norm, weight norm, tanh) build, train, compile and reload identically', async () => {
    const spec: AutoencoderSpec = {
      k: 3,
      n: 2,
      signalling: 'complex',
      normalization: 'average-power',
      channel: { type: 'rayleigh', coherence: 'symbol', csi: 'perfect' },
      encoder: [{ units: 8, activation: 'relu', weightNorm: true }],
      decoder: [
        { units: 12, activation: 'tanh', layerNorm: true, weightNorm: true },
        { units: 8, activation: 'relu' },
      ],
    };
    const ae = await trainAutoencoder(spec, { ebnoDb: { from: 5, to: 10 }, batchSize: 100, steps: 20, learningRate: 0.01, seed: 'opts' });
    const cb = ae.codebook();
    assert.equal(cb.length, 8 * 4);
    let mean = 0;
    for (let m = 0; m < 8; m++) for (let i = 0; i < 4; i++) mean += cb[m * 4 + i] ** 2 / 8;
    assert.ok(Math.abs(mean - 2) < 1e-4, `average-power codebook mean energy ${mean}`);
    const sys = ae.toBlockSystem('x');
    assert.equal(sys.decoder.kind, 'mlp-js');
    const mlp = (sys.decoder as { mlp: MlpSpec }).mlp;
    const probe = new Float32Array(5 * 4);
    new RandomStream('probe').fillNormal(probe);
    const logits = tf.tidy(() => {
      // logits = log(softmax) + const, so compare argmax and softmax(naive) to predict
      return (ae.decoder.predict(tf.tensor2d(probe, [5, 4])) as tf.Tensor).arraySync() as number[][];
    });
    for (let b = 0; b < 5; b++) {
      const z = naiveForward(mlp, Array.from(probe.slice(b * 4, b * 4 + 4)));
      const mx = Math.max(...z);
      const e = z.map((v) => Math.exp(v - mx));
      const sum = e.reduce((a, c) => a + c);
      e.forEach((v, i) => assert.ok(Math.abs(v / sum - logits[b][i]) < 1e-4));
    }
    const dir = await mkdtemp(join(tmpdir(), 'ae-'));
    try {
      await ae.save(dir);
      const loaded = await TrainedAutoencoder.load(dir);
      assert.deepEqual(Array.from(loaded.codebook()), Array.from(cb));
      const p1 = (ae.decoder.predict(tf.tensor2d(probe, [5, 4])) as tf.Tensor).dataSync();
      const p2 = (loaded.decoder.predict(tf.tensor2d(probe, [5, 4])) as tf.Tensor).dataSync();
      assert.deepEqual(Array.from(p2), Array.from(p1));
      assert.deepEqual(loaded.training, ae.training);
      assert.deepEqual(compileDecoder(loaded.decoder), compileDecoder(ae.decoder));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a collapsed code (two messages on one codeword) is detected relative to the training noise', () => {
    const spec: AutoencoderSpec = { k: 2, n: 2, signalling: 'real', normalization: 'energy', channel: { type: 'awgn' } };
    const qpsk = Float32Array.from([1, 1, 1, -1, -1, 1, -1, -1]);
    assert.equal(collapsedCode(qpsk, spec, 4), undefined);
    const collapsed = Float32Array.from([1, 1, 1, -1, -1, 1, 1, -1.0001]);
    assert.match(collapsedCode(collapsed, spec, 4) ?? '', /messages 1 and 3 share a codeword/);
    // 256 points on one circle are legitimately close, but far apart compared with the noise at 30 dB
    const psk: number[] = [];
    for (let m = 0; m < 256; m++) psk.push(Math.cos((2 * Math.PI * m) / 256), Math.sin((2 * Math.PI * m) / 256));
    assert.equal(collapsedCode(Float32Array.from(psk), { ...spec, k: 8, n: 1, signalling: 'complex' }, 30), undefined);
  });

  it('a run stuck at chance is detected and restarted, then reported when restarts run out', async () => {
    await assert.rejects(
      trainAutoencoder(AE74, { ebnoDb: 7, batchSize: 100, steps: 400, learningRate: 0, seed: 'stuck', maxRestarts: 1 }),
      (err: Error) => /failed after 2 attempts/.test(err.message) && /still at chance/.test(err.message),
    );
  });

  // Trained at 3 dB, not the paper's 7 dB: at 7 dB our runs settle on codes with d²min ≈ 9.5–10 (Hamming: 12)
  // and about 1.9× the Hamming ML block error rate at 5 dB; at 1–3 dB they reach 1.0–1.15× (see docs/paper.md).
  it('with the defaults (stop on convergence), a (7,4) autoencoder is within 0.1 dB of Hamming (7,4) ML at BLER 1e-3', async function () {
    this.timeout(180_000);
    const sc = compileScenario({ name: 'defaults', sweep: { ebnoDb: [0] }, systems: [{ id: 'ae', type: 'autoencoder', k: 4, n: 7 }] });
    const t = (sc.systems[0] as CompiledAutoencoder).train;
    const ae = await trainAutoencoder(AE74, {
      ebnoDb: t.ebnoDb,
      batchSize: t.batchSize,
      steps: t.steps,
      learningRate: t.learningRate,
      convergence: t.convergence,
      seed: 'defaults-test',
    });
    assert.match(ae.training.stopReason ?? '', /^converged/);
    // Hamming ML has BLER ≈ 1e-3 at 5.9 dB. "Within 0.1 dB" means the autoencoder reaches, at 6.0 dB, at most
    // the Hamming BLER at 5.9 dB: A ≤ H, tested one-sided with a 3σ allowance for the two counts' noise.
    // (0.1 dB is ~20% BLER here, so an autoencoder 0.2 dB behind would fail: A ≈ 1.2·H ≫ H + 3√(A+H) ≈ 1.09·H.)
    const blocks = 1_000_000;
    const A = countErrors(ae.codebook(), predictDecoder(ae), 6.0, blocks, 'defaults-eval');
    const H = countErrors(hammingCodebook(), correlationDecoder(hammingCodebook(), 16, 7), 5.9, blocks, 'defaults-eval');
    console.log(
      `      AE at 6.0 dB: ${A}, Hamming ML at 5.9 dB: ${H} block errors of ${blocks}; ${ae.training.totalSteps} steps in ${ae.training.seconds.toFixed(1)} s`,
    );
    assert.ok(H > 500, 'enough Hamming errors for a meaningful comparison');
    assert.ok(A <= H + 3 * Math.sqrt(A + H), `AE ${A} errors at 6.0 dB > Hamming ML ${H} at 5.9 dB (+3σ)`);
  });

  it('data-parallel training (large networks) gives the same weights with 1 or 2 worker threads', async function () {
    this.timeout(120_000);
    const spec: AutoencoderSpec = { k: 8, n: 8, signalling: 'real', normalization: 'energy', channel: { type: 'awgn' } };
    const weights = async (workers: number) => {
      const ae = await trainAutoencoder(spec, {
        ebnoDb: 5,
        batchSize: 400,
        steps: 12,
        learningRate: 0.005,
        seed: 'dp-test',
        maxRestarts: 0,
        validationBlocks: 0,
        workers,
      });
      const w = [...ae.encoder.getWeights(), ...ae.decoder.getWeights()].flatMap((t) => Array.from(t.dataSync()));
      ae.dispose();
      return w;
    };
    const [one, two] = [await weights(1), await weights(2)];
    assert.equal(one.length, two.length);
    assert.ok(
      one.every((v, i) => Object.is(v, two[i])),
      'bit-identical weights',
    );
    // The worker follows the trainer's backend, not the command's choice it inherits (a command that chose
    // tfjs-node trains small networks on wasm): with the inherited choice naming another backend, the same weights.
    const saved = { forced: process.env.AE_BACKEND, chosen: process.env.AE_BACKEND_CHOSEN };
    delete process.env.AE_BACKEND;
    process.env.AE_BACKEND_CHOSEN = 'cpu';
    let other: number[];
    try {
      other = await weights(2);
    } finally {
      if (saved.forced === undefined) delete process.env.AE_BACKEND;
      else process.env.AE_BACKEND = saved.forced;
      if (saved.chosen === undefined) delete process.env.AE_BACKEND_CHOSEN;
      else process.env.AE_BACKEND_CHOSEN = saved.chosen;
    }
    assert.ok(
      one.every((v, i) => Object.is(v, other[i])),
      'bit-identical weights with the inherited choice naming another backend',
    );
  });

  it('the convergence rule stops a run that has converged and lets one that has not run to its step limit', async function () {
    this.timeout(60_000);
    const rule = { validateEvery: 100, patience: 2, minImprovement: 0.005, decays: 1, decayFactor: 3, validationBlocks: 5000 };
    const spec: AutoencoderSpec = { k: 2, n: 2, signalling: 'real', normalization: 'energy', channel: { type: 'awgn' } };
    const done = await trainAutoencoder(spec, { ebnoDb: 1, batchSize: 500, steps: 5000, learningRate: 0.01, convergence: rule, seed: 'conv-a' });
    assert.match(done.training.stopReason ?? '', /^converged/);
    assert.ok(done.training.totalSteps < 5000, `converged run used ${done.training.totalSteps} of 5000 steps`);
    assert.equal(done.training.learningRateDecays?.length, 1);
    assert.ok(done.training.validation!.steps.length >= 3);
    // A (7,4) network at lr 1e-4 is still improving after 300 steps: it must not stop early.
    const going = await trainAutoencoder(AE74, {
      ebnoDb: 3,
      batchSize: 500,
      steps: 300,
      learningRate: 1e-4,
      convergence: rule,
      seed: 'conv-b',
      validationBlocks: 0,
    });
    assert.equal(going.training.totalSteps, 300);
    assert.match(going.training.stopReason ?? '', /step limit/);
  });

  it('trained (7,4) autoencoder at 5 dB: BLER ≤ 1.25 × Hamming (7,4) ML on 200,000 blocks each', async function () {
    this.timeout(120_000);
    const ae = await trainAutoencoder(AE74, { ebnoDb: 3, batchSize: 1000, steps: 4000, learningRate: 0.003, seed: 'fig3a-test' });
    const codebook = ae.codebook();
    for (let m = 0; m < 16; m++) {
      const e = codebook.slice(m * 7, m * 7 + 7).reduce((s, v) => s + v * v, 0);
      assert.ok(Math.abs(e - 7) < 1e-3, `codeword ${m} energy ${e}`);
    }
    const blocks = 200_000;
    const aeErrors = countErrors(codebook, predictDecoder(ae), 5, blocks, 'ae-eval');
    const hamErrors = countErrors(hammingCodebook(), correlationDecoder(hammingCodebook(), 16, 7), 5, blocks, 'ham-eval');
    console.log(`      AE ${aeErrors} vs Hamming ML ${hamErrors} block errors of ${blocks} (restarts: ${ae.training.restarts})`);
    assert.ok(hamErrors > 100, 'enough Hamming errors for a meaningful comparison');
    assert.ok(aeErrors <= 1.25 * hamErrors, `AE BLER ${aeErrors / blocks} > 1.25 × Hamming ML ${hamErrors / blocks}`);
  });
});
