/**
 * The 16-APSK baseline (src/modulations/apsk16.ts) against an independent computation
 * (test/fixtures/apsk16-reference.json, made by test/fixtures/make_apsk16_reference.py: DVB-S2's points and
 * labels, exact SER/BER by integrating the Gaussian over each point's Voronoi cell): the constellation point
 * for point, and the simulator's Monte Carlo BLER and BER of `type: uncoded, modulation: apsk16` covering the
 * exact values. Every test checks several points and both rates at once, so each interval is at level
 * 1 − 0.01/checks (Bonferroni): a test fails by chance with probability at most 1%.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { uncodedSystem } from '../../src/baselines/index.ts';
import { APSK16_RING_RATIO, apsk16 } from '../../src/modulations/apsk16.ts';
import { berFields } from '../../src/montecarlo/ber.ts';
import { clopperPearson, runSweep } from '../../src/montecarlo/index.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/apsk16-reference.json', import.meta.url), 'utf8')) as {
  ringRatio: { gamma: number };
  points: { symbol: number; label: string; i: number; q: number }[];
  curves: { system: { k: number }; ebnoDb: number[]; bler: number[]; ber: number[] }[];
};

describe('16-APSK baseline', () => {
  it("DVB-S2's 4+12 points and labels, at the fixture's ring ratio, point for point", () => {
    assert.equal(APSK16_RING_RATIO, fixture.ringRatio.gamma);
    const p = new Float32Array(2);
    assert.equal(fixture.points.length, 16);
    for (const f of fixture.points) {
      assert.equal(parseInt(f.label, 2), f.symbol);
      apsk16.point(f.symbol, p, 0);
      assert.ok(Math.abs(p[0] - f.i) < 1e-6 && Math.abs(p[1] - f.q) < 1e-6, `label ${f.label}: (${p[0]}, ${p[1]}) vs (${f.i}, ${f.q})`);
    }
  });

  for (const k of [4, 8]) {
    it(`k = ${k}: Monte Carlo BLER and BER cover the exact values (joint 99%)`, async () => {
      const curve = fixture.curves.find((c) => c.system.k === k)!;
      const idx = curve.ebnoDb.map((_, i) => i).filter((i) => curve.ebnoDb[i] <= 12);
      const ebno = idx.map((i) => curve.ebnoDb[i]);
      const sys = uncodedSystem({ id: `apsk16-${k}`, modulation: 'apsk16', k, channel: { type: 'awgn' } });
      const r = await runSweep(sys, { ebnoDb: ebno, seed: 1606, rules: { targetErrors: 1000, maxBlocks: 4_000_000, stopOnZeroErrors: false } });
      const level = 1 - 0.01 / (2 * r.length);
      r.forEach((p, j) => {
        const [bler, ber] = [curve.bler[idx[j]], curve.ber[idx[j]]];
        const ci = clopperPearson(p.errors, p.blocks, level);
        const b = berFields(p.blocks, k, { bitErrors: p.bitErrors!, bitErrorsSq: p.bitErrorsSq! }, level);
        assert.ok(p.errors >= 500, `${p.ebnoDb} dB: only ${p.errors} errors`);
        assert.ok(ci.low <= bler && bler <= ci.high, `${p.ebnoDb} dB: BLER exact ${bler}, measured ${p.bler} [${ci.low}, ${ci.high}]`);
        assert.ok(b.berCiLow <= ber && ber <= b.berCiHigh, `${p.ebnoDb} dB: BER exact ${ber}, measured ${b.ber} [${b.berCiLow}, ${b.berCiHigh}]`);
      });
    });
  }
});
