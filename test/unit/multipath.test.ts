import assert from 'node:assert/strict';
import { ChannelSampler, makeChannel, profilePowers, type ChannelSpec } from '../../src/channels/index.ts';
import { RandomStream } from '../../src/random.ts';
import { arraysAndLayer, vjpAndGrad } from './channel-forms.ts';
import { DBPSK_N, Viterbi, dbpskHammingCodebook, dbpskHammingDecision, sequenceMetric } from '../../src/baselines/dbpsk-mlse.ts';
import { hamming74DbpskSystem, mlDecoderFor } from '../../src/baselines/systems.ts';
import { decoderModule } from '../../src/decoders/registry.ts';
import { ChunkKernel } from '../../src/montecarlo/kernel.ts';
import type { BlockSystem } from '../../src/system.ts';

/** z-score bound for a two-sided 99.9% interval. */
const Z = 3.29;

const SPECS: ChannelSpec[] = [
  { type: 'multipath', taps: 3, profile: 'uniform', csi: 'none' },
  { type: 'multipath', taps: 3, profile: 'uniform', csi: 'perfect' },
  { type: 'multipath', taps: 2, profile: [3, 1], csi: 'none' },
  { type: 'multipath', taps: 1, profile: 'uniform', csi: 'none' },
];

describe('multipath channel: one definition in three forms', () => {
  for (const spec of SPECS) {
    it(`${JSON.stringify(spec)}: the tfjs layer and applyArrays agree value for value`, () => {
      const { y, yT } = arraysAndLayer(spec, 5, 'complex', 64, 0.7, new RandomStream('mp-agree', JSON.stringify(spec)));
      assert.equal(yT.length, y.length);
      let worst = 0;
      for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(y[i] - yT[i]) / Math.max(1, Math.abs(y[i])));
      assert.ok(worst < 1e-5, `max relative difference ${worst}`);
    });

    it(`${JSON.stringify(spec)}: vjpArrays equals tf.grad of applyTensors`, () => {
      const { dx, want: ref } = vjpAndGrad(spec, 4, 'complex', 16, 0.3, new RandomStream('mp-vjp', JSON.stringify(spec)));
      for (let i = 0; i < dx.length; i++) assert.ok(Math.abs(dx[i] - ref[i]) < 1e-4, `dx[${i}] = ${dx[i]}, tf.grad ${ref[i]}`);
    });
  }

  it('is equation 12 on a hand-worked block: y_i = Σ_l h_l x_{i−l}, cut to n, taps appended with perfect CSI', () => {
    const model = makeChannel({ type: 'multipath', taps: 2, profile: 'uniform', csi: 'perfect' }, 3, 'complex');
    // h_0 = 1 + 1j, h_1 = 2j after scaling by √(1/4) per real dimension: draws are the scaled values × 2.
    const draws = new Float32Array([0, 0, 0, 0, 0, 0, 2, 2, 0, 4]);
    const x = new Float32Array([1, 0, 0, 1, 1, 1]); // 1, j, 1 + j
    const y = new Float32Array(model.outDims);
    model.applyArrays(x, draws, 1, y, 1);
    // y_0 = h0·1 = 1 + j; y_1 = h0·j + h1·1 = (−1 + j) + 2j = −1 + 3j; y_2 = h0(1 + j) + h1·j = 2j − 2 = −2 + 2j.
    assert.deepEqual(Array.from(y), [1, 1, -1, 3, -2, 2, 1, 1, 0, 2]);
  });
});

describe('multipath channel: statistics', () => {
  it('taps are CN(0, p_l), independent per block; noise has variance σ² per real dimension', () => {
    const spec: ChannelSpec = { type: 'multipath', taps: 3, profile: [1, 2, 1], csi: 'perfect' };
    const n = 4;
    const model = makeChannel(spec, n, 'complex');
    const B = 40000;
    const sigma = 0.5;
    const x = new Float32Array(B * model.dims); // x = 0: y is the noise alone
    const y = new Float32Array(B * model.outDims);
    new ChannelSampler(model).transmit(x, y, B, sigma, new RandomStream('mp-stats'));
    const p = profilePowers(3, [1, 2, 1]);
    for (let l = 0; l < 3; l++) {
      // |h_l|² is exponential with mean p_l: standard deviation p_l.
      let sum = 0;
      let cross = 0;
      for (let b = 0; b < B; b++) {
        const o = b * model.outDims + model.dims + 2 * l;
        sum += y[o] ** 2 + y[o + 1] ** 2;
        cross += y[o] * y[o + 1];
      }
      assert.ok(Math.abs(sum / B - p[l]) < (Z * p[l]) / Math.sqrt(B), `E|h_${l}|² = ${sum / B}, expected ${p[l]}`);
      assert.ok(Math.abs(cross / B) < (Z * p[l]) / 2 / Math.sqrt(B), `E[Re h Im h] = ${cross / B} (proper Gaussian: 0)`);
    }
    let noise = 0;
    for (let b = 0; b < B; b++) for (let j = 0; j < model.dims; j++) noise += y[b * model.outDims + j] ** 2;
    const count = B * model.dims;
    assert.ok(Math.abs(noise / count - sigma ** 2) < (Z * sigma ** 2 * Math.SQRT2) / Math.sqrt(count), `noise variance ${noise / count}`);
  });

  it('E|y_i|² = Σ_{l ≤ i} p_l |x_{i−l}|² + 2σ² (the convolution is cut, not wrapped)', () => {
    const spec: ChannelSpec = { type: 'multipath', taps: 3, profile: 'uniform', csi: 'none' };
    const n = 4;
    const model = makeChannel(spec, n, 'complex');
    const B = 40000;
    const sigma = 0.3;
    const row = [1, 0, 0, 2, 1, 1, 0, 0]; // |x|² = 1, 4, 2, 0
    const x = new Float32Array(B * model.dims);
    for (let b = 0; b < B; b++) x.set(row, b * model.dims);
    const y = new Float32Array(B * model.outDims);
    new ChannelSampler(model).transmit(x, y, B, sigma, new RandomStream('mp-power'));
    const e = [1, 4, 2, 0];
    for (let i = 0; i < n; i++) {
      let expected = 2 * sigma ** 2;
      for (let l = 0; l < 3 && l <= i; l++) expected += e[i - l] / 3;
      let sum = 0;
      for (let b = 0; b < B; b++) sum += y[b * model.dims + 2 * i] ** 2 + y[b * model.dims + 2 * i + 1] ** 2;
      // |y_i|² is exponential (y_i is CN(0, expected)): standard deviation = mean.
      assert.ok(Math.abs(sum / B - expected) < (Z * expected) / Math.sqrt(B), `E|y_${i}|² = ${sum / B}, expected ${expected}`);
    }
  });

  it('rejects real signalling and more taps than the block has', () => {
    assert.throws(() => makeChannel({ type: 'multipath', taps: 3, profile: 'uniform', csi: 'none' }, 4, 'real'), /complex signalling/);
    assert.throws(() => makeChannel({ type: 'multipath', taps: 5, profile: 'uniform', csi: 'none' }, 4, 'complex'), /taps = 5/);
    assert.throws(() => makeChannel({ type: 'multipath', taps: 2, profile: [1], csi: 'none' }, 4, 'complex'), /profile/);
  });
});

describe('MLSE (Viterbi) for Hamming (7,4) + DBPSK', () => {
  it('finds the brute-force maximum-likelihood sequence (s_0 = +1 known) for L = 1, 2, 3, 4', () => {
    const s = new RandomStream('viterbi-brute');
    for (const taps of [1, 2, 3, 4]) {
      const viterbi = new Viterbi(DBPSK_N, taps);
      const out = new Int8Array(DBPSK_N);
      for (let trial = 0; trial < 40; trial++) {
        const h = new Float32Array(2 * taps);
        const y = new Float32Array(2 * DBPSK_N);
        s.fillNormal(h);
        s.fillNormal(y); // arbitrary received blocks: the ML sequence must be found for any y
        const metric = viterbi.run(y, 0, h, 0, out);
        let best = Infinity;
        let arg = -1;
        const seq = new Float64Array(DBPSK_N);
        for (let w = 0; w < 1 << (DBPSK_N - 1); w++) {
          seq[0] = 1;
          for (let j = 1; j < DBPSK_N; j++) seq[j] = (w >> (j - 1)) & 1 ? -1 : 1;
          const m = sequenceMetric(y, 0, h, 0, seq, DBPSK_N, taps);
          if (m < best) {
            best = m;
            arg = w;
          }
        }
        for (let j = 1; j < DBPSK_N; j++) assert.equal(out[j], (arg >> (j - 1)) & 1 ? -1 : 1, `L = ${taps}, trial ${trial}, symbol ${j}`);
        assert.ok(Math.abs(metric - best) < 1e-4 * Math.max(1, best), `metric ${metric} vs ${best}`);
      }
    }
  });

  it('the DBPSK codebook has energy n = 8 per block, and noiseless blocks decode to their message', () => {
    const cb = dbpskHammingCodebook();
    for (let m = 0; m < 16; m++) {
      let e = 0;
      for (let j = 0; j < 2 * DBPSK_N; j++) e += cb[m * 16 + j] ** 2;
      assert.equal(e, 8);
      const symbols = new Int8Array(DBPSK_N);
      for (let j = 0; j < DBPSK_N; j++) symbols[j] = cb[m * 16 + 2 * j];
      assert.equal(dbpskHammingDecision(symbols), m);
    }
    const system = hamming74DbpskSystem({ id: 'dbpsk', channel: { type: 'multipath', taps: 3, profile: 'uniform', csi: 'none' } });
    const kernel = new ChunkKernel(system);
    assert.equal(kernel.run(0, new RandomStream('noiseless'), 2000).errors, 0);
  });
});

describe('genie ML decoding over multipath', () => {
  it('equals argmin ‖y − h∗c_m‖² computed through the channel itself (noiseless channel applied to each codeword)', () => {
    const spec: ChannelSpec = { type: 'multipath', taps: 3, profile: 'uniform', csi: 'perfect' };
    const n = 4;
    const M = 8;
    const model = makeChannel(spec, n, 'complex');
    const s = new RandomStream('genie');
    const codebook = new Float32Array(M * model.dims);
    s.fillNormal(codebook);
    const system: BlockSystem = { id: 'g', k: 3, n, signalling: 'complex', codebook, decoder: { kind: 'genie-ml' }, channel: spec };
    const decode = decoderModule(system.decoder).build(system, system.decoder);
    const B = 300;
    const y = new Float32Array(B * model.outDims);
    const draws = new Float32Array(B * model.drawDims);
    s.fillNormal(draws);
    const x = new Float32Array(B * model.dims);
    const msgs = new Int32Array(B);
    s.fillInts(msgs, M);
    for (let b = 0; b < B; b++) x.set(codebook.subarray(msgs[b] * model.dims, (msgs[b] + 1) * model.dims), b * model.dims);
    model.applyArrays(x, draws, 0.8, y, B);
    const decided = new Int32Array(B);
    decode(y, B, decided);
    // Reference: each codeword through the same taps with the noise draws zeroed.
    const quiet = new Float32Array(model.drawDims);
    const clean = new Float32Array(model.outDims);
    let errors = 0;
    for (let b = 0; b < B; b++) {
      quiet.fill(0);
      quiet.set(draws.subarray(b * model.drawDims + model.dims, (b + 1) * model.drawDims), model.dims);
      let best = Infinity;
      let arg = -1;
      for (let m = 0; m < M; m++) {
        model.applyArrays(codebook.subarray(m * model.dims, (m + 1) * model.dims), quiet, 0, clean, 1);
        let d = 0;
        for (let j = 0; j < model.dims; j++) d += (y[b * model.outDims + j] - clean[j]) ** 2;
        if (d < best) {
          best = d;
          arg = m;
        }
      }
      assert.equal(decided[b], arg, `block ${b}`);
      if (arg !== msgs[b]) errors++;
    }
    assert.ok(errors > 0 && errors < B, 'the test noise makes some errors, not all');
  });

  it('the <id>-ml curve of a multipath system is the genie on the same draws (csi switched to perfect)', () => {
    const system = hamming74DbpskSystem({ id: 'd', channel: { type: 'multipath', taps: 3, profile: 'uniform', csi: 'none' } });
    const genie = mlDecoderFor({ ...system, decoder: { kind: 'mlse-dbpsk-hamming74' } }, 'd-ml');
    assert.equal(genie.decoder.kind, 'genie-ml');
    assert.deepEqual(genie.channel, { type: 'multipath', taps: 3, profile: 'uniform', csi: 'perfect' });
    // ML over codewords is never worse than MLSE + differential + syndrome decoding on the same blocks.
    const a = new ChunkKernel(system).run(0.9, new RandomStream('paired'), 20000).errors;
    const b = new ChunkKernel(genie).run(0.9, new RandomStream('paired'), 20000).errors;
    assert.ok(b < a, `genie ${b} errors, MLSE ${a}`);
  });
});
