/** Statistical checks of the ziggurat Gaussian (fixed seeds: deterministic, each passes w.p. ≥ 99.9% if correct). */
import assert from 'node:assert/strict';
import { qfunc } from '../../src/baselines/analytic.ts';
import { clopperPearson } from '../../src/montecarlo/stats.ts';
import { RandomStream } from '../../src/random.ts';

const Phi = (x: number) => 1 - qfunc(x);

describe('RandomStream.fillNormal (ziggurat)', () => {
  const N = 2_000_000;
  const z = new Float64Array(N);
  before(() => new RandomStream('zig-test', 1).fillNormal(z));

  it('mean and variance within 4 standard errors', () => {
    let s = 0;
    let s2 = 0;
    for (const v of z) {
      s += v;
      s2 += v * v;
    }
    const mean = s / N;
    const variance = s2 / N - mean * mean;
    assert.ok(Math.abs(mean) < 4 / Math.sqrt(N), `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 4 * Math.sqrt(2 / N), `variance ${variance}`);
  });

  it('tail probabilities (incl. beyond the ziggurat base R = 3.44) inside 99.9% Clopper-Pearson intervals', () => {
    for (const t of [1, 2, 3, 3.442619855899, 4, 4.5]) {
      let hits = 0;
      for (const v of z) if (Math.abs(v) > t) hits++;
      const ci = clopperPearson(hits, N, 0.999);
      const p = 2 * qfunc(t);
      assert.ok(ci.low <= p && p <= ci.high, `P(|Z| > ${t}) = ${p}, measured ${hits / N} [${ci.low}, ${ci.high}]`);
    }
    let pos = 0;
    for (const v of z) if (v > 0) pos++;
    const ci = clopperPearson(pos, N, 0.999);
    assert.ok(ci.low <= 0.5 && 0.5 <= ci.high, 'symmetry');
  });

  it('Kolmogorov-Smirnov vs the normal CDF (α = 0.001, critical value 1.9495/√n)', () => {
    const n = 200_000;
    const s = Float64Array.from(z.subarray(0, n)).sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const f = Phi(s[i]);
      d = Math.max(d, (i + 1) / n - f, f - i / n);
    }
    assert.ok(d < 1.9495 / Math.sqrt(n), `KS D = ${d}`);
  });

  it('streams are reproducible from their label path and differ between paths', () => {
    const a = new Float32Array(10);
    const b = new Float32Array(10);
    const c = new Float32Array(10);
    new RandomStream(7, 'mc', 'sys', 0, 3).fillNormal(a);
    new RandomStream(7, 'mc', 'sys', 0, 3).fillNormal(b);
    new RandomStream(7, 'mc', 'sys', 0, 4).fillNormal(c);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
});

describe('RandomStream is bit-identical to the seedrandom-based reference implementation', () => {
  it('int32, uniform, int, fillInts, normal and fillNormal (fast and slow ziggurat paths) match', async () => {
    const { RandomStream: Ref } = await import('../fixtures/random-reference.ts');
    for (let s = 0; s < 8; s++) {
      const parts = [s, 'mc', `sys-${'é'.repeat(s * 40)}`, s, 2 * s];
      const a = new RandomStream(...parts);
      const b = new Ref(...parts);
      for (let r = 0; r < 5; r++) {
        const fa = new Float32Array(30_000);
        const fb = new Float32Array(30_000);
        a.fillNormal(fa, 5, 29_000);
        b.fillNormal(fb, 5, 29_000);
        assert.deepEqual(fa, fb);
        for (const m of [1, 16, 1000, 2 ** 30]) {
          const ia = a.fillInts(new Int32Array(500), m);
          const ib = b.fillInts(new Int32Array(500), m);
          assert.deepEqual(ia, ib);
        }
        assert.deepEqual([a.normal(), a.uniform(), a.int(7), a.int32()], [b.normal(), b.uniform(), b.int(7), b.int32()]);
      }
    }
  });
});
