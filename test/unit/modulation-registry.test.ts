/**
 * Every registered modulation kind keeps the contract of src/modulations/kind.ts: unit average energy per
 * symbol, distinct points, its demapper returns the sent message on noiseless blocks and agrees with the
 * nearest-point decision on noisy ones (symbol-wise ML over AWGN), and its closed forms, where it has them,
 * agree with Monte Carlo through the engine.
 */
import assert from 'node:assert/strict';
import { analyticBerCurve, analyticCurve, uncodedSystem } from '../../src/baselines/index.ts';
import type { ModulationKind } from '../../src/modulations/kind.ts';
import { modulationCodebook, symbolDims, symbolwiseDemapper } from '../../src/modulations/map.ts';
import { MODULATION_KINDS, MODULATIONS, modulationKind } from '../../src/modulations/registry.ts';
import { clopperPearson, runSweep } from '../../src/montecarlo/index.ts';
import { RandomStream } from '../../src/random.ts';

/** The nearest-point decision, written independently of map.ts (labels tie to the lower one). */
function nearestPoint(kind: ModulationKind, k: number, y: Float32Array, off: number): number {
  const cb = modulationCodebook(kind, k);
  const dims = cb.length / 2 ** k;
  let best = 0;
  let bestD = Infinity;
  for (let m = 0; m < 2 ** k; m++) {
    let d = 0;
    for (let j = 0; j < dims; j++) d += (y[off + j] - cb[m * dims + j]) ** 2;
    if (d < bestD) [best, bestD] = [m, d];
  }
  return best;
}

describe('modulation registry', () => {
  it('names are unique and each kind is found under its own name', () => {
    assert.equal(new Set(MODULATIONS).size, MODULATION_KINDS.length);
    for (const kind of MODULATION_KINDS) assert.equal(modulationKind(kind.name), kind);
    assert.throws(() => modulationKind('nonexistent'), /unknown modulation nonexistent/);
  });

  for (const kind of MODULATION_KINDS) {
    describe(kind.name, () => {
      const q = kind.bitsPerSymbol;
      const k = q === 1 ? 4 : 2 * q <= 8 ? 2 * q : q;
      const cb = modulationCodebook(kind, k);
      const dims = cb.length / 2 ** k;

      it('unit average energy per symbol; 2^q distinct points', () => {
        const symbols = k / q;
        const energy = cb.reduce((a, v) => a + v * v, 0) / 2 ** k / symbols;
        assert.ok(Math.abs(energy - 1) < 1e-5, `E per symbol ${energy}`);
        const pts = new Set<string>();
        const p = new Float32Array(symbolDims(kind));
        for (let l = 0; l < 2 ** q; l++) {
          kind.point(l, p, 0);
          pts.add(Array.from(p).join(','));
        }
        assert.equal(pts.size, 2 ** q);
      });

      it('its demapper returns every message of a noiseless block and equals the nearest point on noisy ones', () => {
        const demap = symbolwiseDemapper(kind, k);
        for (let m = 0; m < 2 ** k; m++) assert.equal(demap(cb, m * dims), m);
        const rs = new RandomStream('modulation-demap', kind.name);
        const y = new Float32Array(dims);
        const noise = new Float32Array(dims);
        for (let t = 0; t < 3000; t++) {
          const m = Math.floor(rs.uniform() * 2 ** k);
          rs.fillNormal(noise);
          for (let j = 0; j < dims; j++) y[j] = cb[m * dims + j] + 0.35 * noise[j];
          assert.equal(demap(y, 0), nearestPoint(kind, k, y, 0), `trial ${t}`);
        }
      });

      it('where it has closed forms over AWGN, Monte Carlo agrees with them (99% intervals)', async function () {
        if (!kind.serAwgn || !kind.berAwgn) this.skip();
        const sys = uncodedSystem({ id: kind.name, modulation: kind.name, k, channel: { type: 'awgn' } });
        const ebno = [2, 6];
        const bler = analyticCurve(sys, ebno)!;
        const ber = analyticBerCurve(sys, ebno)!;
        const r = await runSweep(sys, { ebnoDb: ebno, seed: 77, rules: { targetErrors: 400, maxBlocks: 400_000, stopOnZeroErrors: false } });
        r.forEach((p, i) => {
          const ci = clopperPearson(p.errors, p.blocks, 0.99);
          assert.ok(ci.low <= bler[i] && bler[i] <= ci.high, `${p.ebnoDb} dB: BLER ${bler[i]} vs [${ci.low}, ${ci.high}]`);
          assert.ok(p.berCiLow! <= ber[i] && ber[i] <= p.berCiHigh!, `${p.ebnoDb} dB: BER ${ber[i]} vs [${p.berCiLow}, ${p.berCiHigh}]`);
        });
      });
    });
  }
});
