import { coverageWindow } from './coverage-window.ts';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import type { ChannelSpec } from '../../src/channels/registry.ts';
import {
  analyticBerCurve,
  hamming74System,
  hammingHardBer,
  rayleighBpskBer,
  uncodedBer,
  uncodedSystem,
  type BaselineDescription,
} from '../../src/baselines/index.ts';
import { noiseStd } from '../../src/conventions.ts';
import { popcount } from '../../src/math/bits.ts';
import { berFields, effectiveBits } from '../../src/montecarlo/ber.ts';
import { chunkSize, runSweep } from '../../src/montecarlo/index.ts';
import { ChunkKernel } from '../../src/montecarlo/kernel.ts';
import { clopperPearson } from '../../src/montecarlo/stats.ts';
import { RandomStream } from '../../src/random.ts';
import type { BlockSystem } from '../../src/system.ts';

/** Independent reference values (textbook formulas, brute-force Hamming decoding), made by test/fixtures/make-closed-forms.ts. */
const fixture = JSON.parse(readFileSync(new URL('../fixtures/closed-forms.json', import.meta.url), 'utf8')) as {
  berCurves: { system: unknown; ebnoDb: number[]; ber: number[] }[];
};

const AWGN: ChannelSpec = { type: 'awgn' };
const RAY_SYM: ChannelSpec = { type: 'rayleigh', coherence: 'symbol', csi: 'perfect' };
const RAY_BLK: ChannelSpec = { type: 'rayleigh', coherence: 'block', csi: 'perfect' };

describe('BER closed forms', () => {
  it('match the textbook formulas and brute-force Hamming decoding in 300-digit arithmetic (fixture) to 1e-12 relative', () => {
    assert.ok(fixture.berCurves.length >= 6);
    for (const c of fixture.berCurves) {
      const got = analyticBerCurve(c.system as BaselineDescription, c.ebnoDb)!;
      c.ber.forEach((v, i) => assert.ok(Math.abs(got[i] - v) <= 1e-12 * v, `${JSON.stringify(c.system)} at ${c.ebnoDb[i]} dB: ${got[i]} vs ${v}`));
    }
  });

  it('Rayleigh: the numerically integrated Gray QPSK BER equals the BPSK closed form; where there is no closed form, none is given', () => {
    for (const db of [0, 10, 20, 30]) {
      const g = 10 ** (db / 10);
      const qpsk = uncodedBer('qpsk', RAY_BLK, db)!;
      assert.ok(Math.abs(qpsk - rayleighBpskBer(g)) <= 1e-9 * qpsk, `${db} dB: ${qpsk} vs ${rayleighBpskBer(g)}`);
    }
    // Hamming hard: with one gain per block the coded errors cluster, which at high SNR costs more than independent fades.
    assert.ok(hammingHardBer(RAY_BLK, 20) > hammingHardBer(RAY_SYM, 20));
    // No closed form without CSI for QAM, for Hamming ML, or for a relabelled baseline.
    assert.equal(uncodedBer('qam16', { type: 'rayleigh', coherence: 'block', csi: 'none' }, 5), undefined);
    assert.equal(analyticBerCurve({ kind: 'hamming74', decoding: 'ml', channel: AWGN }, [3]), undefined);
    const relabelled = { ...uncodedSystem({ id: 'q', modulation: 'qam16', k: 4, channel: AWGN }), labels: Int32Array.from({ length: 16 }, (_, m) => 15 - m) };
    assert.equal(analyticBerCurve(relabelled, [3]), undefined);
  });
});

/** The 99.9% BER interval of a measured point (12 or so checks per test: family-wise false alarm ≈ 1%). */
function assertWithin(system: BlockSystem, truth: number, p: { blocks: number; bitErrors?: number; bitErrorsSq?: number; ebnoDb: number }): void {
  const f = berFields(p.blocks, system.k, { bitErrors: p.bitErrors!, bitErrorsSq: p.bitErrorsSq! }, 0.999);
  assert.ok(
    f.berCiLow <= truth && truth <= f.berCiHigh,
    `${system.id} at ${p.ebnoDb} dB: closed form ${truth} outside [${f.berCiLow}, ${f.berCiHigh}] (BER ${f.ber}, ${p.bitErrors} bit errors)`,
  );
}

describe('simulated BER against the closed forms', () => {
  it('uncoded BPSK, QPSK, 16-QAM and Hamming (7,4) hard decision, AWGN: inside the 99.9% interval at 3 points each', async () => {
    const systems = [
      [uncodedSystem({ id: 'bpsk', modulation: 'bpsk', k: 4, channel: AWGN }), [0, 4, 7]],
      [uncodedSystem({ id: 'qpsk', modulation: 'qpsk', k: 4, channel: AWGN }), [0, 4, 7]],
      [uncodedSystem({ id: 'qam16', modulation: 'qam16', k: 8, channel: AWGN }), [2, 6, 10]],
      [hamming74System({ id: 'hh', decoding: 'hard', channel: AWGN }), [1, 4, 7]],
    ] as const;
    for (const [system, ebno] of systems) {
      const truth = analyticBerCurve(system, [...ebno])!;
      const r = await runSweep(system, {
        ebnoDb: [...ebno],
        seed: 'ber-vs-closed-form',
        rules: { targetErrors: 0, targetBitErrors: 400, maxBlocks: 2_000_000, stopOnZeroErrors: false },
      });
      r.forEach((p, i) => {
        assert.equal(p.status, 'target-bit-errors');
        assertWithin(system, truth[i], p);
      });
    }
  });

  it('Rayleigh: uncoded BPSK (symbol fading) and Hamming (7,4) hard decision (block fading, integrated)', async () => {
    for (const system of [
      uncodedSystem({ id: 'bpsk-ray', modulation: 'bpsk', k: 4, channel: RAY_SYM }),
      hamming74System({ id: 'hh-ray', decoding: 'hard', channel: RAY_BLK }),
    ]) {
      const ebno = [5, 15];
      const truth = analyticBerCurve(system, ebno)!;
      const r = await runSweep(system, {
        ebnoDb: ebno,
        seed: 'ber-rayleigh',
        rules: { targetErrors: 0, targetBitErrors: 300, maxBlocks: 2_000_000, stopOnZeroErrors: false },
      });
      r.forEach((p, i) => assertWithin(system, truth[i], p));
    }
  });
});

describe('BER interval (blocks as the independent unit)', () => {
  /** Runs per coverage check, and the two-sided window of covering counts (three checks at a joint 0.1%). */
  const R = 1000;
  const window = coverageWindow(R, 0.95, 0.001 / 3);
  /** Fraction of R independent runs of N blocks whose interval holds the true BER, for both interval methods. */
  function coverage(system: BlockSystem, ebnoDb: number, truth: number, N: number, R: number): { blocks: number; naive: number } {
    const kernel = new ChunkKernel(system, N);
    const sigma = noiseStd(ebnoDb, system.k, system.n);
    let blocks = 0;
    let naive = 0;
    for (let r = 0; r < R; r++) {
      const c = kernel.run(sigma, new RandomStream('ber-coverage', system.id, ebnoDb, r), N);
      const f = berFields(N, system.k, c);
      if (f.berCiLow <= truth && truth <= f.berCiHigh) blocks++;
      const bitwise = clopperPearson(c.bitErrors, N * system.k);
      if (bitwise.low <= truth && truth <= bitwise.high) naive++;
    }
    kernel.dispose();
    return { blocks: blocks / R, naive: naive / R };
  }

  it('covers the exact Hamming (7,4) hard-decision BER about 95% of the time, neither less nor more, where bits-as-independent does not', () => {
    // A decoding error flips 2–3 information bits together: the bit-level Clopper–Pearson interval ignores it.
    // 1000 runs, two-sided: the covering count must lie in the window a true 95% interval stays in with
    // probability 1 − 0.001/3 (three such checks in this block, 0.1% jointly): [924, 973]. The bit-level
    // interval (about 0.84 here) fails it below, an interval of 99% (about 990 of 1000) above.
    const hh = hamming74System({ id: 'hh', decoding: 'hard', channel: AWGN });
    for (const [ebno, N] of [
      [3, 1500], // ~110 block errors per run
      [3, 60], // ~4 block errors per run: few errors, the variance is estimated from a handful of blocks
    ] as const) {
      const c = coverage(hh, ebno, hammingHardBer(AWGN, ebno), N, R);
      assert.ok(
        window.low <= c.blocks * R && c.blocks * R <= window.high,
        `${N} blocks at ${ebno} dB: coverage ${c.blocks}, window [${window.low}, ${window.high}] of ${R}`,
      );
      assert.ok(c.naive < 0.9, `${N} blocks at ${ebno} dB: bit-level interval coverage ${c.naive} (expected clearly below 95%)`);
    }
  });

  it('covers the Gray 16-QAM BER about 95% of the time, neither less nor more', () => {
    const q = uncodedSystem({ id: 'q16', modulation: 'qam16', k: 4, channel: AWGN });
    const c = coverage(q, 4, uncodedBer('qam16', AWGN, 4)!, 300, R);
    assert.ok(window.low <= c.blocks * R && c.blocks * R <= window.high, `coverage ${c.blocks}, window [${window.low}, ${window.high}] of ${R}`);
  });

  it('effective bits: k·N for independent bits, N when a block errs all at once, N without errors', () => {
    // 1000 blocks of 4 bits; 40 blocks with one bit error each: variance ≈ binomial → all 4000 bits count.
    assert.equal(effectiveBits(1000, 4, { bitErrors: 40, bitErrorsSq: 40 }), 4000);
    // 10 blocks with all 4 bits wrong: the design effect is k → 1000 blocks.
    assert.ok(Math.abs(effectiveBits(1000, 4, { bitErrors: 40, bitErrorsSq: 160 }) - 1000) < 1e-9);
    assert.equal(effectiveBits(1000, 4, { bitErrors: 0, bitErrorsSq: 0 }), 1000);
    // With k = 1 the interval is exactly Clopper–Pearson on the blocks.
    const f = berFields(500, 1, { bitErrors: 7, bitErrorsSq: 7 });
    const cp = clopperPearson(7, 500);
    assert.ok(Math.abs(f.berCiLow - cp.low) < 1e-12 && Math.abs(f.berCiHigh - cp.high) < 1e-12);
    assert.throws(() => berFields(10, 4, { bitErrors: 41, bitErrorsSq: 41 }), /bit errors/);
  });
});

describe('bit error counting in the engine', () => {
  it('popcount', () => {
    for (let x = 0; x < 1 << 12; x++)
      assert.equal(
        popcount(x),
        x
          .toString(2)
          .split('')
          .filter((b) => b === '1').length,
      );
    assert.equal(popcount(0x7fffffff), 31);
    assert.equal(popcount(0xffffff), 24);
  });

  it('labels change bit counts only: block counts and streams are those of the natural labelling', async () => {
    const base = uncodedSystem({ id: 'q16', modulation: 'qam16', k: 4, channel: AWGN });
    const rules = { targetErrors: 200, maxBlocks: 1_000_000 };
    const natural = await runSweep(base, { ebnoDb: [4, 8], seed: 3, rules });
    // Natural binary instead of Gray on 16-QAM: same decisions, more bits per symbol error.
    // Message m sits at I level invGray(m >> 2), Q level invGray(m & 3); label it by the level indices.
    const labels = Int32Array.from({ length: 16 }, (_, m) => (invGray(m >> 2) << 2) | invGray(m & 3));
    const relabelled = await runSweep({ ...base, labels }, { ebnoDb: [4, 8], seed: 3, rules, streamId: base.id });
    natural.forEach((p, i) => {
      assert.equal(relabelled[i].blocks, p.blocks);
      assert.equal(relabelled[i].errors, p.errors);
      assert.ok(relabelled[i].bitErrors! > p.bitErrors!, `${p.ebnoDb} dB: ${relabelled[i].bitErrors} vs ${p.bitErrors}`);
    });
    assert.throws(() => new ChunkKernel({ ...base, labels: new Int32Array(16) }), /permutation/);
  });

  it('targetBitErrors ends a point at the first chunk reaching it; minBer ends the sweep', async () => {
    const system = uncodedSystem({ id: 'b', modulation: 'bpsk', k: 4, channel: AWGN });
    const [p] = await runSweep(system, { ebnoDb: [6], seed: 5, rules: { targetErrors: 0, targetBitErrors: 250, maxBlocks: 10_000_000 } });
    assert.equal(p.status, 'target-bit-errors');
    assert.ok(p.bitErrors! >= 250);
    // One chunk less: below the target (the point did not run a chunk too many).
    let j = 0;
    let before = 0;
    while (before + chunkSize(j, { base: 512, max: 65536 }) < p.blocks) before += chunkSize(j++, { base: 512, max: 65536 });
    const [shorter] = await runSweep(system, { ebnoDb: [6], seed: 5, rules: { targetErrors: 0, targetBitErrors: 250, maxBlocks: before } });
    assert.ok(shorter.bitErrors! < 250, `${shorter.bitErrors} bit errors after ${before} blocks`);
    // Both targets: whichever comes first. Hamming decoding errors flip 2–3 bits, so 250 bit errors come
    // long before 250 block errors; with a bit target of 2000 the block target comes first.
    const hh = hamming74System({ id: 'hh', decoding: 'hard', channel: AWGN });
    const [bitFirst] = await runSweep(hh, { ebnoDb: [3], seed: 5, rules: { targetErrors: 250, targetBitErrors: 250 } });
    assert.equal(bitFirst.status, 'target-bit-errors');
    assert.ok(bitFirst.errors < 250);
    const [blockFirst] = await runSweep(hh, { ebnoDb: [3], seed: 5, rules: { targetErrors: 250, targetBitErrors: 2000 } });
    assert.equal(blockFirst.status, 'target-errors');
    assert.ok(blockFirst.bitErrors! < 2000);
    const r = await runSweep(system, { ebnoDb: [2, 4, 6], seed: 5, rules: { targetErrors: 100, minBer: 0.02 } });
    assert.equal(r[1].status, 'target-errors');
    assert.ok(r[1].ber! < 0.02);
    assert.equal(r[2].status, 'not-simulated');
    assert.match(r[2].note!, /minBer/);
  });
});

function invGray(g: number): number {
  let i = g;
  for (let s = g >> 1; s; s >>= 1) i ^= s;
  return i;
}
