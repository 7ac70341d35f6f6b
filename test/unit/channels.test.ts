import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ChannelSampler, makeChannel, type ChannelSpec } from '../../src/channels/index.ts';
import { ChannelLayer } from '../../src/channels/layer.ts';
import type { Signalling } from '../../src/conventions.ts';
import { RandomStream } from '../../src/random.ts';
import { arraysAndLayer, vjpAndGrad } from './channel-forms.ts';

const SPECS: ChannelSpec[] = [
  { type: 'awgn' },
  { type: 'rayleigh', coherence: 'block', csi: 'none' },
  { type: 'rayleigh', coherence: 'block', csi: 'perfect' },
  { type: 'rayleigh', coherence: 'symbol', csi: 'none' },
  { type: 'rayleigh', coherence: 'symbol', csi: 'perfect' },
];

/** z-score bound for a two-sided 99.9% interval: tests below fail by chance with probability ≤ 1e-3 each. */
const Z = 3.29;

function constantBlocks(blocks: number, row: number[]): Float32Array {
  const x = new Float32Array(blocks * row.length);
  for (let b = 0; b < blocks; b++) x.set(row, b * row.length);
  return x;
}

describe('channels: the tfjs layer and the Float32Array sampler are one definition', () => {
  for (const spec of SPECS) {
    for (const signalling of ['real', 'complex'] as Signalling[]) {
      it(`${JSON.stringify(spec)} ${signalling}: identical outputs on identical draws`, () => {
        const { y: yArr, yT } = arraysAndLayer(spec, 3, signalling, 64, 0.7, new RandomStream('agree', spec.type, signalling));
        let worst = 0;
        for (let i = 0; i < yArr.length; i++) worst = Math.max(worst, Math.abs(yArr[i] - yT[i]) / Math.max(1, Math.abs(yArr[i])));
        assert.ok(worst < 1e-4, `max relative difference ${worst}`);
      });
    }
  }

  for (const spec of SPECS) {
    for (const signalling of ['real', 'complex'] as Signalling[]) {
      it(`${JSON.stringify(spec)} ${signalling}: vjpArrays equals tf.grad of applyTensors`, () => {
        const { dx, want } = vjpAndGrad(spec, 3, signalling, 32, 0.7, new RandomStream('vjp', spec.type, signalling));
        for (let i = 0; i < dx.length; i++) assert.ok(Math.abs(dx[i] - want[i]) < 1e-4 * Math.max(1, Math.abs(want[i])), `dx[${i}] ${dx[i]} vs ${want[i]}`);
      });
    }
  }

  it('the layer is differentiable in x and serializable', () => {
    const layer = new ChannelLayer({ channel: SPECS[4], n: 2, signalling: 'complex' });
    const x = tf.ones([5, 4]) as tf.Tensor2D;
    const draws = tf.randomNormal([5, 4 + 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const g = tf.grad((t: tf.Tensor) => tf.sum(layer.apply([t, draws, tf.fill([5, 1], 0.1)]) as tf.Tensor))(x);
    assert.ok(g.dataSync().every(Number.isFinite));
    const cfg = layer.getConfig();
    const registered = tf.serialization.SerializationMap.getMap().classNameMap.ChannelLayer;
    assert.ok(registered, 'ChannelLayer is registered for deserialization');
    const [cls, fromConfig] = registered;
    const copy = fromConfig(cls, cfg) as ChannelLayer;
    assert.deepEqual(copy.model.spec, SPECS[4]);
  });
});

describe('channels: statistics match their definitions', () => {
  const N = 200_000;

  it('AWGN: noise variance per real dimension is σ², mean 0', () => {
    const sigma = 0.6;
    for (const signalling of ['real', 'complex'] as Signalling[]) {
      const sampler = new ChannelSampler(makeChannel({ type: 'awgn' }, 2, signalling));
      const dims = sampler.model.dims;
      const blocks = N / dims;
      const x = constantBlocks(blocks, Array(dims).fill(1));
      const y = new Float32Array(x.length);
      sampler.transmit(x, y, blocks, sigma, new RandomStream('awgn-stats', signalling));
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < y.length; i++) {
        const e = y[i] - 1;
        s += e;
        s2 += e * e;
      }
      const mean = s / y.length;
      const variance = s2 / y.length - mean * mean;
      assert.ok(Math.abs(mean) < (Z * sigma) / Math.sqrt(y.length), `mean ${mean}`);
      // Var(sample variance) ≈ 2σ⁴/N for Gaussian data
      assert.ok(Math.abs(variance - sigma ** 2) < Z * sigma ** 2 * Math.sqrt(2 / y.length), `variance ${variance}`);
    }
  });

  it('Rayleigh complex: h ~ CN(0,1): E|h|² = 1, E h = 0, P(|h|² < 1) = 1 − 1/e', () => {
    const n = 2;
    const sampler = new ChannelSampler(makeChannel({ type: 'rayleigh', coherence: 'symbol', csi: 'none' }, n, 'complex'));
    const blocks = N / n;
    const x = constantBlocks(blocks, [1, 0, 1, 0]); // y = h on every use when σ = 0
    const y = new Float32Array(x.length);
    sampler.transmit(x, y, blocks, 0, new RandomStream('rayleigh-h'));
    let p = 0;
    let re = 0;
    let below = 0;
    const count = blocks * n;
    for (let i = 0; i < count; i++) {
      const g = y[2 * i] ** 2 + y[2 * i + 1] ** 2;
      p += g;
      re += y[2 * i];
      if (g < 1) below++;
    }
    assert.ok(Math.abs(p / count - 1) < (Z * 1) / Math.sqrt(count), `E|h|² = ${p / count}`); // Var|h|² = 1
    assert.ok(Math.abs(re / count) < (Z * Math.SQRT1_2) / Math.sqrt(count));
    const q = 1 - Math.exp(-1);
    assert.ok(Math.abs(below / count - q) < Z * Math.sqrt((q * (1 - q)) / count), `P(|h|²<1) = ${below / count}`);
  });

  it('Rayleigh real: amplitude |h| with E|h|² = 1 and E|h| = √π/2', () => {
    const sampler = new ChannelSampler(makeChannel({ type: 'rayleigh', coherence: 'symbol', csi: 'none' }, 4, 'real'));
    const blocks = N / 4;
    const y = new Float32Array(blocks * 4);
    sampler.transmit(constantBlocks(blocks, [1, 1, 1, 1]), y, blocks, 0, new RandomStream('rayleigh-real'));
    let m = 0;
    let m2 = 0;
    for (const v of y) {
      assert.ok(v >= 0);
      m += v;
      m2 += v * v;
    }
    const sdAmp = Math.sqrt(1 - Math.PI / 4);
    assert.ok(Math.abs(m / y.length - Math.sqrt(Math.PI) / 2) < (Z * sdAmp) / Math.sqrt(y.length));
    assert.ok(Math.abs(m2 / y.length - 1) < Z / Math.sqrt(y.length));
  });

  it('block coherence shares one gain per block; symbol coherence does not', () => {
    const n = 3;
    const x = constantBlocks(100, [1, 0, 1, 0, 1, 0]);
    for (const coherence of ['block', 'symbol'] as const) {
      const sampler = new ChannelSampler(makeChannel({ type: 'rayleigh', coherence, csi: 'none' }, n, 'complex'));
      const y = new Float32Array(x.length);
      sampler.transmit(x, y, 100, 0, new RandomStream('coherence', coherence));
      let same = 0;
      for (let b = 0; b < 100; b++) if (y[6 * b] === y[6 * b + 2] && y[6 * b + 1] === y[6 * b + 5]) same++;
      assert.equal(same, coherence === 'block' ? 100 : 0);
    }
  });

  it('perfect CSI equalizes: without noise y = x exactly (real and complex)', () => {
    for (const signalling of ['real', 'complex'] as Signalling[]) {
      const model = makeChannel({ type: 'rayleigh', coherence: 'block', csi: 'perfect' }, 2, signalling);
      const sampler = new ChannelSampler(model);
      const x = new Float32Array(1000 * model.dims);
      new RandomStream('csi-x').fillNormal(x);
      const y = new Float32Array(x.length);
      sampler.transmit(x, y, 1000, 0, new RandomStream('csi'));
      for (let i = 0; i < x.length; i++) assert.ok(Math.abs(y[i] - x[i]) < 1e-4 * Math.max(1, Math.abs(x[i])));
    }
  });
});
