import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import {
  analyticCurve,
  erfc,
  hamming74System,
  hammingCodebook,
  hammingEncodeBits,
  hammingHardTable,
  mlDecoderFor,
  qfunc,
  rayleighBpskBer,
  uncodedBler,
  uncodedSystem,
  type BaselineDescription,
} from '../../src/baselines/index.ts';
import { BITS_PER_SYMBOL, type Modulation } from '../../src/modulations/registry.ts';
import { grayEncode } from '../../src/modulations/gray.ts';
import { clopperPearson, runSweep, type PointResult } from '../../src/montecarlo/index.ts';
import type { ChannelSpec } from '../../src/channels/registry.ts';
import type { BlockSystem } from '../../src/system.ts';

/** Independent reference values, made by test/fixtures/make-closed-forms.ts. */
const closedForms = JSON.parse(readFileSync(new URL('../fixtures/closed-forms.json', import.meta.url), 'utf8')) as {
  erfc: [number, number][];
  curves: { system: unknown; ebnoDb: number[]; bler: number[] }[];
};

const AWGN: ChannelSpec = { type: 'awgn' };
const RAY_SYM: ChannelSpec = { type: 'rayleigh', coherence: 'symbol', csi: 'perfect' };
const RAY_BLK: ChannelSpec = { type: 'rayleigh', coherence: 'block', csi: 'perfect' };
const withoutSeconds = (r: PointResult[]) => r.map(({ seconds: _s, ...rest }) => rest);

describe('closed forms', () => {
  it('erfc / Q against 150-digit reference values (fixture) to ~1e-15 relative, far tail included', () => {
    for (const [x, v] of closedForms.erfc) assert.ok(Math.abs(erfc(x) - v) <= 3e-15 * v, `erfc(${x}) = ${erfc(x)} vs ${v}`);
    // Q against an independent numerical integral of the Gaussian density (tail down to 1e-12)
    for (const x of [0.3, 1.7, 3.2, 4.9, 7]) {
      const tail = integrateDensity(x);
      assert.ok(Math.abs(qfunc(x) - tail) <= 1e-12 * tail, `Q(${x})`);
    }
  });

  it('closed-form BLER curves match the 150-digit textbook formulas (fixture) to 1e-12 relative', () => {
    for (const c of closedForms.curves) {
      const got = analyticCurve(c.system as BaselineDescription, c.ebnoDb)!;
      c.bler.forEach((v, i) => assert.ok(Math.abs(got[i] - v) <= 1e-12 * v, `${JSON.stringify(c.system)} at ${c.ebnoDb[i]} dB: ${got[i]} vs ${v}`));
    }
  });

  it('Rayleigh: block fading with k = 1 equals the per-bit closed form; block < symbol fading for k > 1', () => {
    for (const db of [0, 10, 20, 40]) {
      const g = 10 ** (db / 10);
      const blk = uncodedBler('bpsk', 1, RAY_BLK, db)!;
      assert.ok(Math.abs(blk - rayleighBpskBer(g)) <= 1e-10 * blk, `${db} dB: ${blk} vs ${rayleighBpskBer(g)}`);
      assert.ok(uncodedBler('bpsk', 8, RAY_BLK, db)! < uncodedBler('bpsk', 8, RAY_SYM, db)!);
    }
    // Gray QPSK is two BPSK axes: the same block error for the same k under AWGN and block fading; under
    // symbol fading its 2 bits share a gain, so fewer independent fades → lower BLER.
    for (const ch of [AWGN, RAY_BLK, RAY_SYM]) {
      const a = analyticCurve({ kind: 'uncoded', modulation: 'qpsk', k: 8, channel: ch }, [3, 9])!;
      const b = analyticCurve({ kind: 'uncoded', modulation: 'bpsk', k: 8, channel: ch }, [3, 9])!;
      if (ch === RAY_SYM) a.forEach((v, i) => assert.ok(v < b[i]));
      else a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-10 * b[i], `${v} vs ${b[i]}`));
    }
    assert.equal(analyticCurve({ kind: 'hamming74', decoding: 'ml', channel: AWGN }, [1]), undefined);
  });
});

function integrateDensity(x: number): number {
  // ∫_x^{x+40} φ(t) dt by composite Simpson with a fine step (independent of erfc)
  const n = 400_000;
  const h = 40 / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const t = x + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
    s += w * Math.exp(-0.5 * t * t);
  }
  return (s * h) / 3 / Math.sqrt(2 * Math.PI);
}

describe('baseline systems', () => {
  it('codebooks: unit energy per channel use, Gray labels, Hamming code properties', () => {
    for (const mod of Object.keys(BITS_PER_SYMBOL) as Modulation[]) {
      const k = BITS_PER_SYMBOL[mod] * 2;
      const s = uncodedSystem({ id: mod, modulation: mod, k, channel: AWGN });
      const energy = s.codebook.reduce((a, v) => a + v * v, 0) / 2 ** k;
      assert.ok(Math.abs(energy - s.n) < 1e-5, `${mod}: E‖x‖² = ${energy}, n = ${s.n}`);
    }
    for (let i = 0; i + 1 < 8; i++) assert.equal(popcount(grayEncode(i) ^ grayEncode(i + 1)), 1);
    // Hamming: minimum distance 3, and syndrome decoding = nearest codeword in Hamming distance
    const words = Array.from({ length: 16 }, (_, m) => parseInt(hammingEncodeBits(m).join(''), 2));
    for (let a = 0; a < 16; a++) for (let b = a + 1; b < 16; b++) assert.ok(popcount(words[a] ^ words[b]) >= 3);
    const table = hammingHardTable();
    for (let w = 0; w < 128; w++) assert.equal(popcount(words[table[w]] ^ w) <= 1, true);
    assert.equal(hammingCodebook().length, 112);
  });

  const cases: { name: string; sys: BlockSystem; desc: BaselineDescription; ebno: number[] }[] = [
    ...[4, 8].map((k) => ({
      name: `uncoded BPSK k=${k}, AWGN`,
      sys: uncodedSystem({ id: `bpsk${k}`, modulation: 'bpsk', k, channel: AWGN }),
      desc: { kind: 'uncoded', modulation: 'bpsk', k, channel: AWGN } as BaselineDescription,
      ebno: [0, 4, 7],
    })),
    {
      name: 'uncoded QPSK k=8, AWGN',
      sys: uncodedSystem({ id: 'qpsk', modulation: 'qpsk', k: 8, channel: AWGN }),
      desc: { kind: 'uncoded', modulation: 'qpsk', k: 8, channel: AWGN },
      ebno: [0, 4, 7],
    },
    {
      name: 'uncoded 16-QAM k=8, AWGN',
      sys: uncodedSystem({ id: 'qam16', modulation: 'qam16', k: 8, channel: AWGN }),
      desc: { kind: 'uncoded', modulation: 'qam16', k: 8, channel: AWGN },
      ebno: [4, 8, 11],
    },
    {
      name: 'uncoded 64-QAM k=6, AWGN',
      sys: uncodedSystem({ id: 'qam64', modulation: 'qam64', k: 6, channel: AWGN }),
      desc: { kind: 'uncoded', modulation: 'qam64', k: 6, channel: AWGN },
      ebno: [8, 12, 15],
    },
    {
      name: 'Hamming (7,4) hard, AWGN',
      sys: hamming74System({ id: 'ham', decoding: 'hard', channel: AWGN }),
      desc: { kind: 'hamming74', decoding: 'hard', channel: AWGN },
      ebno: [0, 4, 7],
    },
    {
      name: 'uncoded BPSK k=4, Rayleigh symbol fading',
      sys: uncodedSystem({ id: 'rs', modulation: 'bpsk', k: 4, channel: RAY_SYM }),
      desc: { kind: 'uncoded', modulation: 'bpsk', k: 4, channel: RAY_SYM },
      ebno: [5, 10, 20],
    },
    {
      name: 'uncoded BPSK k=4, Rayleigh block fading',
      sys: uncodedSystem({ id: 'rb', modulation: 'bpsk', k: 4, channel: RAY_BLK }),
      desc: { kind: 'uncoded', modulation: 'bpsk', k: 4, channel: RAY_BLK },
      ebno: [5, 10, 20],
    },
    {
      name: 'uncoded QPSK k=4, Rayleigh block fading',
      sys: uncodedSystem({ id: 'qrb', modulation: 'qpsk', k: 4, channel: RAY_BLK }),
      desc: { kind: 'uncoded', modulation: 'qpsk', k: 4, channel: RAY_BLK },
      ebno: [5, 15],
    },
    {
      name: 'Hamming (7,4) hard, Rayleigh block fading',
      sys: hamming74System({ id: 'hrb', decoding: 'hard', channel: RAY_BLK }),
      desc: { kind: 'hamming74', decoding: 'hard', channel: RAY_BLK },
      ebno: [5, 15],
    },
  ];
  // Every point of every case is one check: at a joint 99% (Bonferroni) each interval is at 1 − 0.01/m.
  const checks = cases.reduce((m, c) => m + c.ebno.length, 0);
  const perPoint = 1 - 0.01 / checks;
  for (const c of cases) {
    it(`${c.name}: simulation agrees with the closed form (Clopper-Pearson at 1 − 0.01/${checks}, joint 99%)`, async () => {
      const r = await runSweep(c.sys, { ebnoDb: c.ebno, seed: 2024, rules: { targetErrors: 400, maxBlocks: 400_000, stopOnZeroErrors: false } });
      const want = analyticCurve(c.desc, c.ebno)!;
      assert.deepEqual(analyticCurve(c.sys, c.ebno), want, 'analyticCurve(system) = analyticCurve(description)');
      r.forEach((p, i) => {
        const ci = clopperPearson(p.errors, p.blocks, perPoint);
        assert.ok(p.errors >= 50, `${p.ebnoDb} dB: only ${p.errors} errors`);
        assert.ok(
          ci.low <= want[i] && want[i] <= ci.high,
          `${p.ebnoDb} dB: closed form ${want[i]}, measured ${p.bler} [${ci.low}, ${ci.high}] (${p.errors}/${p.blocks})`,
        );
      });
    });
  }

  it('Hamming ML beats hard decision significantly at 6 dB; mlDecoderFor(hard) reproduces ML counts exactly', async () => {
    const hard = hamming74System({ id: 'h-hard', decoding: 'hard', channel: AWGN });
    const ml = hamming74System({ id: 'h-ml', decoding: 'ml', channel: AWGN });
    const o = { ebnoDb: [3, 6], seed: 77, streamId: 'hamming', rules: { targetErrors: 1e9, maxBlocks: 200_000 } };
    const rh = await runSweep(hard, o);
    const rm = await runSweep(ml, o);
    const at6h = clopperPearson(rh[1].errors, rh[1].blocks, 0.99);
    const at6m = clopperPearson(rm[1].errors, rm[1].blocks, 0.99);
    assert.ok(at6m.high < at6h.low, `ML ${rm[1].bler} vs hard ${rh[1].bler}`);
    const rml = await runSweep(mlDecoderFor(hard), o);
    assert.deepEqual(withoutSeconds(rml), withoutSeconds(rm));
    assert.equal(mlDecoderFor(hard).id, 'h-hard+ml');
  });
});

function popcount(v: number): number {
  let c = 0;
  for (; v; v &= v - 1) c++;
  return c;
}
