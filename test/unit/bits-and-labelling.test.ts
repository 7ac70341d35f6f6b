import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { bitTargets, decodedMessages } from '../../src/autoencoder/bit-output.ts';
import { buildAutoencoder } from '../../src/autoencoder/build.ts';
import { compileDecoder } from '../../src/autoencoder/compile.ts';
import { binarySwitching, labellingCost, pairWeights, searchLabelling } from '../../src/autoencoder/labelling.ts';
import { hammingCodebook, modulationCodebook, modulationKind } from '../../src/baselines/index.ts';
import { initBackend } from '../../src/backend.ts';
import { noiseStd } from '../../src/conventions.ts';
import { popcount } from '../../src/math/bits.ts';
import { runSweep } from '../../src/montecarlo/index.ts';
import { compileMlp, mlpForwardNaive, randomMlpSpec } from '../../src/mlp/forward.ts';
import { RandomStream } from '../../src/random.ts';
import { ScenarioError, parseScenario } from '../../src/scenario/index.ts';
import type { BlockSystem } from '../../src/system.ts';

/** A random codebook of M points in `dims` real dimensions, normalized to mean energy dims. */
function randomCodebook(M: number, dims: number, seed: string): Float32Array {
  const cb = new Float32Array(M * dims);
  new RandomStream(seed).fillNormal(cb);
  const e = cb.reduce((s, v) => s + v * v, 0) / M;
  return cb.map((v) => v * Math.sqrt(dims / e));
}

describe('labelling search (binary switching algorithm)', () => {
  it('the cost is the union bound Σ_i Σ_j≠i Q(d_ij/2σ)·d_H / (M·k), computed independently here', () => {
    const M = 8;
    const cb = randomCodebook(M, 3, 'cost');
    const sigma = 0.6;
    const labels = Int32Array.from([3, 0, 5, 1, 7, 2, 6, 4]);
    const q = (x: number) => 0.5 * erfcSeries(x / Math.SQRT2);
    let ub = 0;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < M; j++) {
        if (i === j) continue;
        const d = Math.hypot(...[0, 1, 2].map((t) => cb[i * 3 + t] - cb[j * 3 + t]));
        ub += q(d / (2 * sigma)) * popcount(labels[i] ^ labels[j]);
      }
    ub /= M * 3;
    const got = labellingCost(pairWeights(cb, M, 3, sigma), labels, 3);
    assert.ok(Math.abs(got - ub) <= 1e-9 * ub, `${got} vs ${ub}`);
  });

  it('never ends worse than its start, from natural and from random starts, on random codebooks (M = 4 … 64)', () => {
    for (const [k, dims] of [
      [2, 2],
      [3, 2],
      [4, 7],
      [5, 4],
      [6, 6],
    ] as const) {
      const M = 2 ** k;
      const w = pairWeights(randomCodebook(M, dims, `bsa-${k}`), M, dims, noiseStd(3, k, dims));
      const starts = [undefined, shuffled(M, `start-${k}`)];
      for (const start of starts) {
        const r = binarySwitching(w, k, start);
        assert.ok(r.cost <= r.startCost, `k=${k}: ${r.cost} > start ${r.startCost}`);
        assert.deepEqual(
          [...r.labels].sort((a, b) => a - b),
          Array.from({ length: M }, (_, i) => i),
          'a permutation',
        );
        // A local optimum: no single swap lowers the cost any more.
        for (let i = 0; i < M; i++)
          for (let j = i + 1; j < M; j++) {
            const l = Int32Array.from(r.labels);
            [l[i], l[j]] = [l[j], l[i]];
            assert.ok(labellingCost(w, l, k) >= r.cost * (1 - 1e-9), `k=${k}: swapping ${i}, ${j} still helps`);
          }
      }
    }
  });

  it('Gray 16-QAM at high SNR is a fixed point: no swap improves it, so the search returns it unchanged', () => {
    // A local search, not an exhaustive one: from a scrambled start it may stop at a local optimum above Gray.
    const cb = modulationCodebook(modulationKind('qam16'), 4); // message m → its Gray-mapped point: the natural labels are Gray
    const w = pairWeights(cb, 16, 2, noiseStd(12, 4, 1));
    const r = binarySwitching(w, 4);
    assert.equal(r.swaps, 0);
    assert.deepEqual(
      [...r.labels],
      Array.from({ length: 16 }, (_, m) => m),
    );
    assert.equal(r.cost, r.startCost);
  });

  it('simulated BER with the searched labels is not above the natural one (same blocks, paired): a scrambled Hamming (7,4)', async () => {
    // Hamming (7,4) BPSK with its messages relabelled at random: the search should undo most of the damage.
    const perm = shuffled(16, 'hamming-scramble');
    const cb = hammingCodebook();
    const scrambled = new Float32Array(cb.length);
    for (let m = 0; m < 16; m++) scrambled.set(cb.subarray(perm[m] * 7, perm[m] * 7 + 7), m * 7);
    const system: BlockSystem = {
      id: 'hs',
      k: 4,
      n: 7,
      signalling: 'real',
      codebook: scrambled,
      decoder: { kind: 'nearest-codeword' },
      channel: { type: 'awgn' },
    };
    const found = searchLabelling(system, 4);
    assert.ok(found.cost < found.startCost);
    const rules = { targetErrors: 400, maxBlocks: 2_000_000 };
    const [natural] = await runSweep(system, { ebnoDb: [4], seed: 'paired', rules });
    const [searched] = await runSweep({ ...system, labels: found.labels }, { ebnoDb: [4], seed: 'paired', rules, streamId: system.id });
    assert.equal(searched.errors, natural.errors, 'the same blocks and decisions');
    assert.ok(searched.bitErrors! < natural.bitErrors!, `searched ${searched.bitErrors} vs natural ${natural.bitErrors} bit errors`);
  });
});

describe('bit-wise decoders', () => {
  before(async () => {
    await initBackend();
  });

  it('bit targets and sign decisions: message m ↔ its bits, most significant first', () => {
    const [targets, decided] = tf.tidy(() => {
      const labels = tf.tensor1d([0, 5, 6, 7], 'int32');
      const t = bitTargets(labels, 3);
      return [t.arraySync(), decodedMessages('bits', tf.sub(tf.mul(t, 2), 1)).arraySync()];
    });
    assert.deepEqual(targets, [
      [0, 0, 0],
      [1, 0, 1],
      [1, 1, 0],
      [1, 1, 1],
    ]);
    assert.deepEqual(decided, [0, 5, 6, 7]);
  });

  it('a bit-wise decoder builds with k sigmoid outputs and compiles to sign decisions equal to the naive forward pass', () => {
    const { decoder, encoder } = buildAutoencoder(
      { k: 4, n: 7, signalling: 'real', normalization: 'energy', channel: { type: 'awgn' }, output: 'bits' },
      'bits-build',
    );
    assert.deepEqual(decoder.outputs[0].shape, [null, 4]);
    const mlp = compileDecoder(decoder);
    assert.equal(mlp.output, 'bits');
    assert.equal(mlp.outputDim, 4);
    encoder.dispose();
    decoder.dispose();
    const y = new Float32Array(7 * 500);
    new RandomStream('bits-input').fillNormal(y);
    const decided = new Int32Array(500);
    compileMlp(mlp).bits(y, 500, decided);
    const logits = mlpForwardNaive(mlp, y, 500);
    for (let b = 0; b < 500; b++) {
      let m = 0;
      for (let j = 0; j < 4; j++) m = (m << 1) | (logits[b * 4 + j] > 0 ? 1 : 0);
      assert.equal(decided[b], m);
    }
    // A random network with a trailing sigmoid layer: the sigmoid is skipped (sign of the logit decides).
    const s = { ...randomMlpSpec([6, 10, 3], 'tanh', () => Math.random(), 'sigmoid'), output: 'bits' as const };
    const d2 = new Int32Array(100);
    compileMlp(s).bits(y, 100, d2);
    const p = mlpForwardNaive(s, y, 100);
    for (let b = 0; b < 100; b++) assert.equal(d2[b], (p[b * 3] > 0.5 ? 4 : 0) | (p[b * 3 + 1] > 0.5 ? 2 : 0) | (p[b * 3 + 2] > 0.5 ? 1 : 0));
  });
});

describe('scenario: output and labelling', () => {
  const sys = (s: string) => `name: x\nsweep: { ebnoDb: [0] }\nsystems:\n${s}`;
  const problems = (text: string): string => {
    try {
      parseScenario(text, 'bad.yaml');
    } catch (e) {
      assert.ok(e instanceof ScenarioError);
      return e.message;
    }
    return assert.fail('accepted');
  };

  it('compiles output and labelling with their defaults; search adds a <id>-searched curve at the training Eb/N0', () => {
    const s = parseScenario(
      sys(
        '  - { id: a, type: autoencoder, k: 4, n: 7 }\n  - { id: b, type: autoencoder, k: 4, n: 7, labelling: search, train: { ebnoDb: { from: 2, to: 6 } } }\n  - { id: c, type: autoencoder, k: 2, n: 2, output: bits }\n',
      ),
      'ok.yaml',
    );
    const [a, b, c] = s.systems;
    assert.ok(a.type === 'autoencoder' && b.type === 'autoencoder' && c.type === 'autoencoder');
    assert.equal(a.output, 'symbols');
    assert.equal(a.labelling, 'natural');
    assert.equal(a.labellingEbnoDb, undefined);
    assert.equal(b.labellingEbnoDb, 4);
    assert.equal(c.output, 'bits');
  });

  it('rejects output or labelling where they do not apply, with file:line messages', () => {
    assert.match(
      problems(sys('  - { id: h, type: hamming74, decoding: hard, output: bits }\n')),
      /bad\.yaml:4:\d+: systems\[0\]\.output: expected one of the keys .*found unknown key "output"/,
    );
    assert.match(
      problems(sys('  - { id: u, type: uncoded, modulation: bpsk, k: 2, labelling: search }\n')),
      /bad\.yaml:4:\d+: systems\[0\]\.labelling: .*unknown key "labelling"/,
    );
    assert.match(
      problems(sys('  - { id: a, type: autoencoder, k: 4, n: 7, output: bits, labelling: search }\n')),
      /bad\.yaml:4:\d+: systems\[0\]\.labelling: expected labelling: natural with output: bits/,
    );
    assert.match(
      problems(sys('  - { id: a, type: autoencoder, k: 9, n: 9, labelling: search }\n')),
      /systems\[0\]\.labelling: expected k ≤ 8 for labelling: search .*found labelling: search with k = 9/,
    );
    assert.match(
      problems(sys('  - { id: a, type: autoencoder, k: 4, n: 7, labellingEbnoDb: 3 }\n')),
      /systems\[0\]\.labellingEbnoDb: expected labellingEbnoDb only with labelling: search, found 3/,
    );
    assert.match(
      problems(sys('  - { id: a, type: autoencoder, k: 4, n: 7, output: softmax }\n')),
      /systems\[0\]\.output: expected one of "symbols", "bits", found "softmax"/,
    );
    assert.match(
      problems(sys('  - { id: a, type: autoencoder, k: 4, n: 7, labelling: search }\n  - { id: a-searched, type: hamming74, decoding: ml }\n')),
      /systems\[1\]\.id: .*the id of the searched-labelling curve of systems\[0\]/,
    );
  });
});

function shuffled(M: number, seed: string): Int32Array {
  const a = Int32Array.from({ length: M }, (_, i) => i);
  const s = new RandomStream(seed);
  for (let i = M - 1; i > 0; i--) {
    const j = s.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** erfc by its Maclaurin series (small arguments only): independent of src/baselines. */
function erfcSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return 1 - (2 / Math.sqrt(Math.PI)) * sum;
}
