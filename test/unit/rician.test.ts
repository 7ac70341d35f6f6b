/**
 * Rician fading (src/channels/rician.ts): its closed forms against independent truths (Rayleigh's closed
 * forms at K = 0, AWGN's as K grows, an independent computation in test/fixtures/rician-closed-forms.json),
 * and Monte Carlo through the channel model agreeing with them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  analyticBerCurve,
  analyticCurve,
  hamming74System,
  rayleighBpskBer,
  uncodedBer,
  uncodedBler,
  uncodedSystem,
  type BaselineDescription,
} from '../../src/baselines/index.ts';
import type { ChannelSpec } from '../../src/channels/registry.ts';
import { besselI0Scaled } from '../../src/channels/rician.ts';
import { clopperPearson, runSweep } from '../../src/montecarlo/index.ts';
import type { BlockSystem } from '../../src/system.ts';

/** Independent values (numpy/scipy quadrature cross-checked two more ways): test/fixtures/make_rician_closed_forms.py. */
const fixture = JSON.parse(readFileSync(new URL('../fixtures/rician-closed-forms.json', import.meta.url), 'utf8')) as {
  curves: { system: { modulation: 'bpsk' | 'qpsk' | 'qam16'; k: number; channel: ChannelSpec }; ebnoDb: number[]; ber: number[]; bler: number[] }[];
};

const rician = (kFactor: number, coherence: 'block' | 'symbol', csi: 'perfect' | 'none' = 'perfect'): ChannelSpec => ({
  type: 'rician',
  kFactor,
  coherence,
  csi,
});
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('Rician fading: closed forms', () => {
  it('e^{-x}·I₀(x) against its values from the defining integral (1/π)∫₀^π e^{x(cos θ − 1)} dθ', () => {
    for (const x of [0, 0.1, 1, 5, 29.9, 30, 30.1, 100, 2000]) {
      // Independent: midpoint rule on the smooth periodic integrand converges geometrically.
      const N = 20000;
      let s = 0;
      for (let i = 0; i < N; i++) s += Math.exp(x * (Math.cos((Math.PI * (i + 0.5)) / N) - 1));
      assert.ok(rel(besselI0Scaled(x), s / N) < 1e-12, `x = ${x}: ${besselI0Scaled(x)} vs ${s / N}`);
    }
  });

  it('BLER and BER of uncoded BPSK, QPSK, 16-QAM against the independent fixture (1e-8 relative), K ∈ {0, 1, 4, 10}', () => {
    assert.ok(fixture.curves.length >= 24);
    for (const c of fixture.curves) {
      const { modulation, k, channel } = c.system;
      c.ebnoDb.forEach((db, i) => {
        const what = `${modulation} k=${k} ${JSON.stringify(channel)} ${db} dB`;
        assert.ok(rel(uncodedBler(modulation, k, channel, db)!, c.bler[i]) < 1e-8, `${what}: BLER ${uncodedBler(modulation, k, channel, db)} vs ${c.bler[i]}`);
        assert.ok(rel(uncodedBer(modulation, channel, db)!, c.ber[i]) < 1e-8, `${what}: BER ${uncodedBer(modulation, channel, db)} vs ${c.ber[i]}`);
      });
    }
  });

  it('K = 0 is Rayleigh: BPSK BER ½(1 − √(γ/(1+γ))), and every BLER equals the Rayleigh one (1e-9 relative)', () => {
    for (const db of [0, 5, 10, 20, 30]) {
      const g = 10 ** (db / 10);
      assert.ok(rel(uncodedBer('bpsk', rician(0, 'block'), db)!, rayleighBpskBer(g)) < 1e-9, `${db} dB BER`);
      for (const coherence of ['block', 'symbol'] as const) {
        for (const [mod, k] of [
          ['bpsk', 4],
          ['qpsk', 4],
          ['qam16', 8],
        ] as const) {
          const want = uncodedBler(mod, k, { type: 'rayleigh', coherence, csi: 'perfect' }, db)!;
          assert.ok(rel(uncodedBler(mod, k, rician(0, coherence), db)!, want) < 1e-9, `${mod} ${coherence} ${db} dB`);
        }
      }
    }
  });

  it('as K grows the error rates fall monotonically towards AWGN', () => {
    for (const db of [4, 8]) {
      const awgn = uncodedBler('bpsk', 4, { type: 'awgn' }, db)!;
      let previous = Infinity;
      for (const K of [0, 1, 4, 10, 100, 10_000]) {
        const v = uncodedBler('bpsk', 4, rician(K, 'block'), db)!;
        assert.ok(v < previous && v > awgn * (1 - 1e-9), `K = ${K}, ${db} dB: ${v}`);
        previous = v;
      }
      assert.ok(rel(previous, awgn) < 0.02, `K = 1e4, ${db} dB: ${previous} vs AWGN ${awgn}`);
    }
  });

  it('without CSI: BPSK keeps its closed form (the sign needs no gain), QAM has none', () => {
    assert.ok(uncodedBler('bpsk', 4, rician(4, 'symbol', 'none'), 10) !== undefined);
    assert.equal(uncodedBler('qpsk', 4, rician(4, 'block', 'none'), 10), undefined);
  });
});

describe('Rician fading: Monte Carlo agrees with the closed forms (99% Clopper-Pearson)', () => {
  const cases: { name: string; sys: BlockSystem; desc: BaselineDescription; ebno: number[] }[] = [
    ...(['symbol', 'block'] as const).map((coherence) => ({
      name: `uncoded BPSK k=4, K = 4, ${coherence} fading`,
      sys: uncodedSystem({ id: `rb-${coherence}`, modulation: 'bpsk', k: 4, channel: rician(4, coherence) }),
      desc: { kind: 'uncoded', modulation: 'bpsk', k: 4, channel: rician(4, coherence) } as BaselineDescription,
      ebno: [4, 10, 16],
    })),
    {
      name: 'uncoded QPSK k=4, K = 10, block fading',
      sys: uncodedSystem({ id: 'rq', modulation: 'qpsk', k: 4, channel: rician(10, 'block') }),
      desc: { kind: 'uncoded', modulation: 'qpsk', k: 4, channel: rician(10, 'block') },
      ebno: [6, 12],
    },
    {
      name: 'Hamming (7,4) hard, K = 1, symbol fading',
      sys: hamming74System({ id: 'rh', decoding: 'hard', channel: rician(1, 'symbol') }),
      desc: { kind: 'hamming74', decoding: 'hard', channel: rician(1, 'symbol') },
      ebno: [5, 12],
    },
  ];
  for (const c of cases) {
    it(`${c.name}: BLER and BER`, async () => {
      const r = await runSweep(c.sys, { ebnoDb: c.ebno, seed: 4711, rules: { targetErrors: 400, maxBlocks: 400_000, stopOnZeroErrors: false } });
      const bler = analyticCurve(c.desc, c.ebno)!;
      const ber = analyticBerCurve(c.desc, c.ebno)!;
      r.forEach((p, i) => {
        const ci = clopperPearson(p.errors, p.blocks, 0.99);
        assert.ok(p.errors >= 50, `${p.ebnoDb} dB: only ${p.errors} errors`);
        assert.ok(ci.low <= bler[i] && bler[i] <= ci.high, `${p.ebnoDb} dB: BLER closed form ${bler[i]}, measured ${p.bler} [${ci.low}, ${ci.high}]`);
        assert.ok(
          p.berCiLow! <= ber[i] && ber[i] <= p.berCiHigh!,
          `${p.ebnoDb} dB: BER closed form ${ber[i]}, measured ${p.ber} [${p.berCiLow}, ${p.berCiHigh}]`,
        );
      });
    });
  }
});
