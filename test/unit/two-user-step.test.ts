/**
 * The two-user training step (src/twouser/js-step.ts): the JavaScript step's losses, decisions and gradients
 * of L = α·L1 + (1−α)·L2 equal tfjs autodiff of the four layer models on the same batch (TwoUserTfStep), on
 * AWGN and per-link Rayleigh links, with and without CSI, several layer kinds, both decoder paths.
 */
import assert from 'node:assert/strict';
import { makeTwoUserChannel } from '../../src/channels/registry.ts';
import type { ChannelSpec } from '../../src/channels/registry.ts';
import { buildAutoencoder, type AutoencoderModels } from '../../src/autoencoder/build.ts';
import type { HiddenLayerSpec } from '../../src/autoencoder/spec.ts';
import type { PowerMode } from '../../src/layers/power-normalization.ts';
import { RandomStream } from '../../src/random.ts';
import { DecoderThread } from '../../src/twouser/decoder-thread.ts';
import { createTwoUserStep, TwoUserJsStep, TwoUserTfStep, type TwoUserStepResult } from '../../src/twouser/js-step.ts';
import { userSpec } from '../../src/twouser/spec.ts';

interface Case {
  name: string;
  k: number;
  n: number;
  normalization: PowerMode;
  channel: ChannelSpec;
  g: number;
  alpha: number;
  encoder?: HiddenLayerSpec[];
  decoder?: HiddenLayerSpec[];
}

const cases: Case[] = [
  { name: '(2,4) paper layout, average power, AWGN, g = 1', k: 4, n: 2, normalization: 'average-power', channel: { type: 'awgn' }, g: 1, alpha: 0.5 },
  { name: '(2,3) energy, AWGN, g = 0.6, α = 0.3', k: 3, n: 2, normalization: 'energy', channel: { type: 'awgn' }, g: 0.6, alpha: 0.3 },
  {
    name: '(2,3) Rayleigh block fading, perfect CSI (gains as side information), layer norm and tanh',
    k: 3,
    n: 2,
    normalization: 'average-power',
    channel: { type: 'rayleigh', coherence: 'block', csi: 'perfect' },
    g: 1,
    alpha: 0.7,
    encoder: [{ units: 8, activation: 'tanh', layerNorm: true }],
    decoder: [{ units: 12, activation: 'elu', layerNorm: true }],
  },
  {
    name: '(2,3) Rayleigh block fading, no CSI, g = 0.8',
    k: 3,
    n: 2,
    normalization: 'average-power',
    channel: { type: 'rayleigh', coherence: 'block', csi: 'none' },
    g: 0.8,
    alpha: 0.45,
  },
  {
    name: '(3,2) Rayleigh fading per use, perfect CSI, weight norm',
    k: 2,
    n: 3,
    normalization: 'energy',
    channel: { type: 'rayleigh', coherence: 'symbol', csi: 'perfect' },
    g: 1,
    alpha: 0.5,
    encoder: [{ units: 6, weightNorm: true }],
    decoder: [{ units: 10, weightNorm: true, activation: 'relu' }],
  },
  {
    name: '(2,3) Rayleigh block fading, perfect CSI, batch norm',
    k: 3,
    n: 2,
    normalization: 'average-power',
    channel: { type: 'rayleigh', coherence: 'block', csi: 'perfect' },
    g: 0.9,
    alpha: 0.6,
    encoder: [{ units: 8, activation: 'tanh', batchNorm: true }],
    decoder: [{ units: 12, activation: 'elu', batchNorm: true }],
  },
];

/** [name, backend products from, decoder pass from] */
const paths: [string, number, number][] = [
  ['JavaScript products', Infinity, Infinity],
  ['decoder pass on the backend', 0, 0],
];

function models(c: Case, seed: string): [AutoencoderModels, AutoencoderModels] {
  const spec = userSpec({ k: c.k, n: c.n, normalization: c.normalization, encoder: c.encoder, decoder: c.decoder, channel: c.channel });
  return [buildAutoencoder(spec, `${seed}/u1`), buildAutoencoder(spec, `${seed}/u2`)];
}

describe('two-user training step: the JavaScript step equals tfjs autodiff', () => {
  for (const c of cases)
    for (const [path, gemmFrom, passFrom] of paths) {
      it(`${c.name} — ${path}`, async () => {
        const users = models(c, c.name);
        const channel = makeTwoUserChannel(c.channel, c.n, c.g);
        const M = 2 ** c.k;
        const ours = new TwoUserJsStep(users, channel, M, gemmFrom, passFrom);
        const ref = new TwoUserTfStep(users, channel, M);
        const B = 256;
        const rs = new RandomStream('two-user-step', c.name);
        // Two steps: the second one after an identical Adam-free update of θ, so the comparison is not only at the initial weights.
        for (let round = 0; round < 2; round++) {
          const m1 = rs.fillInts(new Int32Array(B), M);
          const m2 = rs.fillInts(new Int32Array(B), M);
          const draws = new Float32Array(B * channel.drawDims);
          rs.fillNormal(draws);
          const a = await ours.step(m1, m2, draws, 0.5, c.alpha);
          const b = await ref.step(m1, m2, draws, 0.5, c.alpha);
          assert.ok(Math.abs(a.l1 - b.l1) < 1e-5 * Math.max(1, b.l1), `L1 ${a.l1} vs ${b.l1}`);
          assert.ok(Math.abs(a.l2 - b.l2) < 1e-5 * Math.max(1, b.l2), `L2 ${a.l2} vs ${b.l2}`);
          assert.ok(Math.abs(a.c1 - b.c1) <= 1 && Math.abs(a.c2 - b.c2) <= 1, `correct ${a.c1}, ${a.c2} vs ${b.c1}, ${b.c2}`);
          for (const u of [0, 1] as const) {
            const want = new Map(ref.layout(u).map((l) => [l.name, b.gradients[u].subarray(l.offset, l.offset + l.size)]));
            const layout = ours.layout(u);
            assert.equal(layout.length, want.size, `user ${u + 1}: variables`);
            for (const { name, offset, size } of layout) {
              const w = want.get(name);
              assert.ok(w, `user ${u + 1}: no reference gradient for ${name}`);
              // At least 1e-3: a dense bias right before batch norm has a zero gradient (rounding noise on both sides).
              const scale = Math.max(...Array.from(w, Math.abs), 1e-3);
              for (let i = 0; i < size; i++)
                assert.ok(Math.abs(a.gradients[u][offset + i] - w[i]) <= 1e-4 * scale, `user ${u + 1} ${name}[${i}]: ${a.gradients[u][offset + i]} vs ${w[i]}`);
            }
          }
          // Move both to the same new θ (a plain gradient step) for the next round.
          for (const u of [0, 1] as const) {
            const next = Float32Array.from(ours.thetas[u], (t, i) => t - 0.05 * a.gradients[u][i]);
            ours.thetas[u].set(next);
            const byName = new Map(ours.layout(u).map((l) => [l.name, next.subarray(l.offset, l.offset + l.size)]));
            for (const l of ref.layout(u)) ref.thetas[u].set(byName.get(l.name)!, l.offset);
          }
        }
        for (const m of users) {
          m.encoder.dispose();
          m.decoder.dispose();
        }
      });
    }

  it('the gradient of L reaches each encoder through both receivers (g = 0 cuts the cross path)', () => {
    // With g = 0 encoder 1 only affects L1: its gradient is α·∂L1/∂θ_enc1, so doubling α doubles it exactly;
    // with g = 1 it also carries (1−α)·∂L2/∂θ_enc1, and the ratio is not 2.
    const ratio = (g: number): number => {
      const c = cases[0];
      const users = models(c, 'cross-path');
      const channel = makeTwoUserChannel(c.channel, c.n, g);
      const step = new TwoUserJsStep(users, channel, 2 ** c.k, Infinity, Infinity);
      const rs = new RandomStream('cross-path');
      const m1 = rs.fillInts(new Int32Array(200), 16);
      const m2 = rs.fillInts(new Int32Array(200), 16);
      const draws = new Float32Array(200 * channel.drawDims);
      rs.fillNormal(draws);
      const enc = step.layout(0)[0];
      const first = Float32Array.from((step.step(m1, m2, draws, 0.5, 0.25) as TwoUserStepResult).gradients[0].subarray(enc.offset, enc.offset + enc.size));
      const second = (step.step(m1, m2, draws, 0.5, 0.5) as TwoUserStepResult).gradients[0].subarray(enc.offset, enc.offset + enc.size);
      let num = 0;
      let den = 0;
      for (let i = 0; i < first.length; i++) {
        num += second[i] * first[i];
        den += first[i] * first[i];
      }
      for (const m of users) {
        m.encoder.dispose();
        m.decoder.dispose();
      }
      return num / den;
    };
    assert.ok(Math.abs(ratio(0) - 2) < 1e-4, `g = 0: ratio ${ratio(0)}`);
    assert.ok(Math.abs(ratio(1) - 2) > 0.05, `g = 1: ratio ${ratio(1)}`);
  });
});

describe("two-user training step on two threads (receiver 2's decoder pass on a worker)", function () {
  this.timeout(60_000);
  const threaded: Case[] = [
    { name: '(4,8) paper layout, average power, AWGN', k: 8, n: 4, normalization: 'average-power', channel: { type: 'awgn' }, g: 1, alpha: 0.4 },
    cases[2],
  ];
  for (const c of threaded)
    it(`${c.name}: losses, decisions and gradients bit for bit those of one thread`, async () => {
      const users = models(c, c.name);
      const channel = makeTwoUserChannel(c.channel, c.n, c.g);
      const M = 2 ** c.k;
      const one = createTwoUserStep(users, channel, M) as TwoUserJsStep;
      const two = createTwoUserStep(users, channel, M) as TwoUserJsStep;
      const B = 300;
      const spec = userSpec({ k: c.k, n: c.n, normalization: c.normalization, encoder: c.encoder, decoder: c.decoder, channel: c.channel });
      // The worker must follow the trainer's backend, not the command's choice it inherits: let that name another.
      const saved = { forced: process.env.AE_BACKEND, chosen: process.env.AE_BACKEND_CHOSEN };
      delete process.env.AE_BACKEND;
      process.env.AE_BACKEND_CHOSEN = 'cpu';
      try {
        two.useThread(await DecoderThread.start(spec, 'any', c.g, two.thetas[1].length, B, channel.outDims));
      } finally {
        if (saved.forced === undefined) delete process.env.AE_BACKEND;
        else process.env.AE_BACKEND = saved.forced;
        if (saved.chosen === undefined) delete process.env.AE_BACKEND_CHOSEN;
        else process.env.AE_BACKEND_CHOSEN = saved.chosen;
      }
      try {
        assert.ok(two.threaded);
        const rs = new RandomStream('two-threads', c.name);
        for (let round = 0; round < 3; round++) {
          const m1 = rs.fillInts(new Int32Array(B - round), M);
          const m2 = rs.fillInts(new Int32Array(B - round), M);
          const draws = new Float32Array((B - round) * channel.drawDims);
          rs.fillNormal(draws);
          const a = await one.step(m1, m2, draws, 0.3, c.alpha);
          const b = await two.step(m1, m2, draws, 0.3, c.alpha);
          assert.deepEqual([b.l1, b.l2, b.c1, b.c2], [a.l1, a.l2, a.c1, a.c2]);
          for (const u of [0, 1] as const) {
            assert.ok(a.gradients[u].some((v) => v !== 0));
            assert.deepEqual(b.gradients[u], a.gradients[u], `round ${round}, user ${u + 1}`);
          }
          // The same plain gradient step on both, so the next round runs at new parameters.
          for (const u of [0, 1] as const) {
            const next = Float32Array.from(one.thetas[u], (t, i) => t - 0.05 * a.gradients[u][i]);
            one.thetas[u].set(next);
            two.thetas[u].set(next);
          }
        }
      } finally {
        await two.dispose();
        for (const m of users) {
          m.encoder.dispose();
          m.decoder.dispose();
        }
      }
    });
});
