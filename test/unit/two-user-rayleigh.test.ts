/**
 * The two-user channel with Rayleigh fading on each link (src/channels/two-user-rayleigh.ts): its forms value for
 * value, its statistics against the model's moments, the joint-ML reference with the gains known against a
 * brute-force search and against the closed form of coherent BPSK over Rayleigh fading, the Monte Carlo
 * receivers on the same blocks, and the scenario checks.
 */
import assert from 'node:assert/strict';
import { TwoUserRayleighChannel } from '../../src/channels/two-user-rayleigh.ts';
import { makeTwoUserChannel } from '../../src/channels/registry.ts';
import { dbToLinear } from '../../src/conventions.ts';
import { decoderModule } from '../../src/decoders/index.ts';
import { runSweep } from '../../src/montecarlo/index.ts';
import { RandomStream } from '../../src/random.ts';
import { curvePlan } from '../../src/scenario/compile.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import type { BlockSystem } from '../../src/system.ts';
import { TwoUserChunkKernel } from '../../src/montecarlo/two-user-kernel.ts';
import { problemsOf } from './scenario-problems.ts';
import { checkTwoUserForms, repeatedRows } from './two-user-forms.ts';

/** z bound of a two-sided 99.9% interval. */
const Z = 3.29;

describe('two-user Rayleigh channel: one definition in three forms', () => {
  for (const coherence of ['block', 'symbol'] as const)
    for (const csi of ['perfect', 'none'] as const) {
      it(`${coherence} fading, csi ${csi}: applyArrays, applyArraysFor and applyTensors agree; the definition on single values`, () => {
        const n = 3;
        const g = 0.7;
        const ch = new TwoUserRayleighChannel(n, g, coherence, csi);
        const gains = coherence === 'block' ? 1 : n;
        assert.equal(ch.drawDims, 4 * n + 8 * gains);
        assert.equal(ch.outDims, 2 * n + (csi === 'perfect' ? 4 * gains : 0));
        const B = 40;
        const sigma = 0.6;
        const { x1, x2, draws, y1, y2 } = checkTwoUserForms(ch, B, sigma, coherence, csi);
        // The definition, written out with complex numbers for block b = 7, use j = 2.
        const b = 7;
        const j = 2;
        const d = b * ch.drawDims;
        const h = (link: number) => {
          const o = d + 4 * n + 2 * (link * gains + (gains === 1 ? 0 : j));
          return [draws[o] / Math.SQRT2, draws[o + 1] / Math.SQRT2];
        };
        const [h11, h12, h21, h22] = [0, 1, 2, 3].map(h);
        const x = (a: Float32Array) => [a[b * ch.dims + 2 * j], a[b * ch.dims + 2 * j + 1]];
        const mul = (p: number[], q: number[]) => [p[0] * q[0] - p[1] * q[1], p[0] * q[1] + p[1] * q[0]];
        const want1 = [0, 1].map((c) => mul(h11, x(x1))[c] + g * mul(h12, x(x2))[c] + sigma * draws[d + 2 * j + c]);
        const want2 = [0, 1].map((c) => mul(h22, x(x2))[c] + g * mul(h21, x(x1))[c] + sigma * draws[d + 2 * n + 2 * j + c]);
        for (const c of [0, 1]) {
          assert.ok(Math.abs(y1[b * ch.outDims + 2 * j + c] - want1[c]) < 1e-5, `y1 use ${j} part ${c}`);
          assert.ok(Math.abs(y2[b * ch.outDims + 2 * j + c] - want2[c]) < 1e-5, `y2 use ${j} part ${c}`);
        }
        if (csi === 'perfect') {
          // Side information: own link's gains, then the cross link's (receiver 2: h22, then h21).
          const side = (y: Float32Array, first: number[], second: number[]) => {
            const o = b * ch.outDims + 2 * n;
            const q = gains === 1 ? 0 : j;
            assert.ok(Math.abs(y[o + 2 * q] - first[0]) < 1e-7 && Math.abs(y[o + 2 * q + 1] - first[1]) < 1e-7);
            assert.ok(Math.abs(y[o + 2 * gains + 2 * q] - second[0]) < 1e-7 && Math.abs(y[o + 2 * gains + 2 * q + 1] - second[1]) < 1e-7);
          };
          side(y1, h11, h12);
          side(y2, h22, h21);
        }
      });
    }

  it('statistics (block fading): E|y1_j|² = |x1_j|² + g²|x2_j|² + 2σ², E[y1·conj(h11)] = x1, uses correlated within a block, receivers uncorrelated', () => {
    const n = 2;
    const g = 0.8;
    const sigma = 0.5;
    const ch = new TwoUserRayleighChannel(n, g, 'block', 'perfect');
    const B = 40000;
    const row1 = [0.6, -0.8, 1.1, 0.3];
    const row2 = [-0.5, 0.4, 0.2, -1.2];
    assert.equal(row1.length, ch.dims);
    const x1 = repeatedRows(row1, B);
    const x2 = repeatedRows(row2, B);
    const draws = new Float32Array(B * ch.drawDims);
    new RandomStream('two-user-rayleigh-stats').fillNormal(draws);
    const y1 = new Float32Array(B * ch.outDims);
    const y2 = new Float32Array(B * ch.outDims);
    ch.applyArrays(x1, x2, draws, sigma, y1, y2, B);
    /** Sample mean and its standard error. */
    const stat = (f: (b: number) => number) => {
      let m = 0;
      let q = 0;
      for (let b = 0; b < B; b++) {
        const v = f(b);
        m += v;
        q += v * v;
      }
      m /= B;
      return { m, se: Math.sqrt((q / B - m * m) / B) };
    };
    const check = (name: string, s: { m: number; se: number }, want: number) =>
      assert.ok(Math.abs(s.m - want) < Z * s.se, `${name}: ${s.m} vs ${want} (se ${s.se})`);
    const O = ch.outDims;
    const at = (y: Float32Array, b: number, i: number) => y[b * O + i];
    const pw = (r: number[], j: number) => r[2 * j] ** 2 + r[2 * j + 1] ** 2;
    for (let j = 0; j < n; j++) {
      check(
        `E|y1_${j}|²`,
        stat((b) => at(y1, b, 2 * j) ** 2 + at(y1, b, 2 * j + 1) ** 2),
        pw(row1, j) + g * g * pw(row2, j) + 2 * sigma * sigma,
      );
      check(
        `E|y2_${j}|²`,
        stat((b) => at(y2, b, 2 * j) ** 2 + at(y2, b, 2 * j + 1) ** 2),
        pw(row2, j) + g * g * pw(row1, j) + 2 * sigma * sigma,
      );
      // y1·conj(h11): real part → Re x1, imaginary part → Im x1 (h11 is y1's side information at 2n).
      check(
        `Re E[y1 conj h11]_${j}`,
        stat((b) => at(y1, b, 2 * j) * at(y1, b, 2 * n) + at(y1, b, 2 * j + 1) * at(y1, b, 2 * n + 1)),
        row1[2 * j],
      );
      check(
        `Im E[y1 conj h11]_${j}`,
        stat((b) => at(y1, b, 2 * j + 1) * at(y1, b, 2 * n) - at(y1, b, 2 * j) * at(y1, b, 2 * n + 1)),
        row1[2 * j + 1],
      );
      // y2·conj(h21) (the cross link, receiver 2's second gain at 2n + 2) → g·x1.
      check(
        `Re E[y2 conj h21]_${j}`,
        stat((b) => at(y2, b, 2 * j) * at(y2, b, 2 * n + 2) + at(y2, b, 2 * j + 1) * at(y2, b, 2 * n + 3)),
        g * row1[2 * j],
      );
      // The two receivers: E[Re(y1_j)·Re(y2_j)] = 0 (all gains independent, zero mean).
      check(
        `E[Re y1 Re y2]_${j}`,
        stat((b) => at(y1, b, 2 * j) * at(y2, b, 2 * j)),
        0,
      );
    }
    // One gain per block: E[y1_0·conj(y1_1)] = x1_0·conj(x1_1) + g²·x2_0·conj(x2_1) (real part shown).
    const re = (r: number[]) => r[0] * r[2] + r[1] * r[3];
    check(
      'Re E[y1_0 conj y1_1]',
      stat((b) => at(y1, b, 0) * at(y1, b, 2) + at(y1, b, 1) * at(y1, b, 3)),
      re(row1) + g * g * re(row2),
    );
  });

  it('per-use fading: the two uses of a block are uncorrelated', () => {
    const ch = new TwoUserRayleighChannel(2, 1, 'symbol', 'none');
    const B = 40000;
    const x1 = new Float32Array(B * 4).fill(0.9);
    const x2 = new Float32Array(B * 4).fill(-0.7);
    const draws = new Float32Array(B * ch.drawDims);
    new RandomStream('two-user-rayleigh-symbol').fillNormal(draws);
    const y1 = new Float32Array(B * 4);
    const y2 = new Float32Array(B * 4);
    ch.applyArrays(x1, x2, draws, 0.3, y1, y2, B);
    let m = 0;
    let q = 0;
    for (let b = 0; b < B; b++) {
      const v = y1[b * 4] * y1[b * 4 + 2] + y1[b * 4 + 1] * y1[b * 4 + 3];
      m += v / B;
      q += (v * v) / B;
    }
    const se = Math.sqrt((q - m * m) / B);
    assert.ok(Math.abs(m) < Z * se, `Re E[y1_0 conj y1_1] = ${m} (se ${se})`);
  });
});

/** Receiver `user` of a (1,1) pair with BPSK on I for user 1 and on Q for user 2, over Rayleigh links. */
function fadingPair(user: 1 | 2, g: number): BlockSystem {
  const i = new Float32Array([1, 0, -1, 0]);
  const q = new Float32Array([0, 1, 0, -1]);
  const own = user === 1 ? i : q;
  const other = user === 1 ? q : i;
  return {
    id: `fading-u${user}-g${g}`,
    k: 1,
    n: 1,
    signalling: 'complex',
    codebook: own,
    decoder: { kind: 'joint-nearest-pair', other, crossGain: g, fading: { gains: 1 } },
    channel: { type: 'rayleigh', coherence: 'block', csi: 'perfect' },
    coUser: { user, codebook: other, crossGain: g },
  };
}

describe('two-user Rayleigh: joint ML with the gains known, and the Monte Carlo', function () {
  this.timeout(60_000);

  it('the decoder equals a brute-force nearest pair over h_own·c_a + g·h_cross·d_b (block and per-use gains)', () => {
    for (const coherence of ['block', 'symbol'] as const) {
      const n = 2;
      const k = 3;
      const M = 8;
      const g = 0.9;
      const rs = new RandomStream('jml-brute', coherence);
      const own = new Float32Array(M * 2 * n).map(() => rs.normal());
      const other = new Float32Array(M * 2 * n).map(() => rs.normal());
      const ch = new TwoUserRayleighChannel(n, g, coherence, 'perfect');
      const gains = coherence === 'block' ? 1 : n;
      const system: BlockSystem = {
        id: 'brute',
        k,
        n,
        signalling: 'complex',
        codebook: own,
        decoder: { kind: 'joint-nearest-pair', other, crossGain: g, fading: { gains } },
        channel: { type: 'rayleigh', coherence, csi: 'perfect' },
        coUser: { user: 1, codebook: other, crossGain: g },
      };
      const decode = decoderModule(system.decoder).build(system, system.decoder);
      const B = 300;
      const m1 = rs.fillInts(new Int32Array(B), M);
      const m2 = rs.fillInts(new Int32Array(B), M);
      const x1 = new Float32Array(B * ch.dims);
      const x2 = new Float32Array(B * ch.dims);
      for (let b = 0; b < B; b++) {
        x1.set(own.subarray(m1[b] * ch.dims, (m1[b] + 1) * ch.dims), b * ch.dims);
        x2.set(other.subarray(m2[b] * ch.dims, (m2[b] + 1) * ch.dims), b * ch.dims);
      }
      const draws = new Float32Array(B * ch.drawDims);
      rs.fillNormal(draws);
      const y = new Float32Array(B * ch.outDims);
      ch.applyArraysFor(1, x1, x2, draws, 0.3, y, B);
      const decided = new Int32Array(B);
      decode(y, B, decided);
      let wrong = 0;
      for (let b = 0; b < B; b++) {
        // Brute force with the gains from the draws (not from y's side information).
        const d = b * ch.drawDims;
        const gain = (link: number, j: number) => {
          const o = d + 4 * n + 2 * (link * gains + (gains === 1 ? 0 : j));
          return [draws[o] * Math.SQRT1_2, draws[o + 1] * Math.SQRT1_2];
        };
        let best = Infinity;
        let arg = -1;
        for (let a = 0; a < M; a++)
          for (let c = 0; c < M; c++) {
            let dist = 0;
            for (let j = 0; j < n; j++) {
              const [pr, pi] = gain(0, j);
              const [qr, qi] = gain(1, j);
              const [ar, ai] = [own[a * 2 * n + 2 * j], own[a * 2 * n + 2 * j + 1]];
              const [cr, ci] = [other[c * 2 * n + 2 * j], other[c * 2 * n + 2 * j + 1]];
              const sr = pr * ar - pi * ai + g * (qr * cr - qi * ci);
              const si = pr * ai + pi * ar + g * (qr * ci + qi * cr);
              dist += (y[b * ch.outDims + 2 * j] - sr) ** 2 + (y[b * ch.outDims + 2 * j + 1] - si) ** 2;
            }
            if (dist < best) {
              best = dist;
              arg = a;
            }
          }
        assert.equal(decided[b], arg, `${coherence} block ${b}`);
        if (arg !== m1[b]) wrong++;
      }
      assert.ok(wrong > 0 && wrong < 0.9 * B, `${coherence}: ${wrong} errors of ${B} (the test must see errors and decisions)`);
    }
  });

  it('g = 0: each receiver is coherent BPSK over Rayleigh fading, BLER ½(1 − √(γ/(1+γ))) within its 99.9% interval', async () => {
    const ebno = [0, 5, 10];
    for (const user of [1, 2] as const) {
      const pts = await runSweep(fadingPair(user, 0), {
        ebnoDb: ebno,
        seed: 'fading-bpsk',
        streamId: 'fading-bpsk',
        rules: { targetErrors: 1500, maxBlocks: 300_000 },
      });
      pts.forEach((p, j) => {
        const gamma = dbToLinear(ebno[j]);
        const exact = 0.5 * (1 - Math.sqrt(gamma / (1 + gamma)));
        const se = Math.sqrt((exact * (1 - exact)) / p.blocks);
        assert.ok(Math.abs(p.bler - exact) < Z * se, `user ${user} at ${ebno[j]} dB: ${p.bler} vs ${exact}`);
      });
    }
  });

  it('both receivers read the same blocks (messages, noises and the four gains) from one chunk stream', () => {
    const k1 = new TwoUserChunkKernel(fadingPair(1, 1));
    const k2 = new TwoUserChunkKernel(fadingPair(2, 1));
    k1.run(0.5, new RandomStream('fading-chunk'), 200);
    k2.run(0.5, new RandomStream('fading-chunk'), 200);
    type Inside = { m1: Int32Array; m2: Int32Array; draws: Float32Array };
    const [a, b] = [k1, k2].map((k) => k as unknown as Inside);
    const drawDims = makeTwoUserChannel({ type: 'rayleigh', coherence: 'block', csi: 'perfect' }, 1, 1).drawDims;
    assert.equal(drawDims, 12);
    assert.deepEqual(a.m1.subarray(0, 200), b.m1.subarray(0, 200));
    assert.deepEqual(a.m2.subarray(0, 200), b.m2.subarray(0, 200));
    assert.deepEqual(a.draws.subarray(0, 200 * drawDims), b.draws.subarray(0, 200 * drawDims));
  });
});

describe('two-user Rayleigh: scenario checks', () => {
  const base = (systems: string, channel = '') => `name: t
${channel}sweep: { ebnoDb: [0, 10] }
systems:
${systems}`;

  it('accepts two-user systems over Rayleigh links (either CSI) and time sharing over block fading with CSI; no joint-ML curves by default without CSI', () => {
    const sc = parseScenario(
      base(`  - { id: a, type: two-user, k: 2, n: 2, channel: { type: rayleigh, csi: perfect } }
  - { id: b, type: two-user, k: 2, n: 2, channel: { type: rayleigh, csi: none } }
  - { id: ts, type: time-sharing, k: 2, n: 2, channel: { type: rayleigh, coherence: block, csi: perfect } }
`),
      'ok.yaml',
    );
    const ids = curvePlan(sc).map((c) => c.id);
    assert.deepEqual(ids, ['a-u1', 'a-u2', 'a-u1-ml', 'a-u2-ml', 'b-u1', 'b-u2', 'ts']);
  });

  it('rejects a joint-ML reference without CSI, and time sharing over fading without CSI or per use, with file:line', () => {
    const text = base(
      `  - { id: a, type: two-user, k: 2, n: 2, mlReference: true }
  - { id: ts, type: time-sharing, k: 2, n: 2, channel: { type: rayleigh, coherence: symbol, csi: perfect } }
`,
      'channel: { type: rayleigh, csi: none }\n',
    );
    const msg = problemsOf(text, 'bad.yaml');
    assert.match(msg, /bad\.yaml:5:\d+: systems\[0\]\.mlReference: expected mlReference: false, or channel csi: perfect/);
    assert.match(msg, /bad\.yaml:6:\d+: systems\[1\]\.channel: expected channel awgn, or rayleigh with coherence: block and csi: perfect/);
  });
});
