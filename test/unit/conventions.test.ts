import assert from 'node:assert/strict';
import { codeRate, dbToLinear, esnoDb, noiseStd, noiseVariance, realDims } from '../../src/conventions.ts';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

describe('SNR conventions', () => {
  it('σ² = 1/(2·R·Eb/N0): hand-computed values', () => {
    close(noiseVariance(0, 1, 1), 0.5); // uncoded BPSK at 0 dB: N0 = 1 = 2σ²
    close(noiseVariance(10, 4, 7), 7 / 80); // (7,4) at 10 dB: 1/(2·(4/7)·10)
    close(noiseVariance(10 * Math.log10(2), 1, 2), 0.5); // rate ½ at 3.01 dB: 1/(2·½·2)
    close(noiseVariance(0, 4, 1), 1 / 8); // complex (n=1 use, k=4) at 0 dB: R = 4 bits per complex use
    close(noiseVariance(20, 2, 2), 1 / 200);
    close(noiseStd(10, 4, 7), Math.sqrt(7 / 80));
  });

  it('is not off by 3 dB: Eb = n/k per block energy n, N0 = 2σ²', () => {
    for (const [k, n, db] of [
      [4, 7, 5],
      [2, 2, -1],
      [8, 8, 3.5],
    ]) {
      const sigma2 = noiseVariance(db, k, n);
      const eb = n / k; // energy n spread over k bits
      close(eb / (2 * sigma2), dbToLinear(db), 1e-12);
    }
  });

  it('Es/N0 per channel use = R·Eb/N0; dims and rate', () => {
    close(esnoDb(5, 4, 4), 5);
    close(esnoDb(5, 4, 7), 5 + 10 * Math.log10(4 / 7));
    assert.equal(realDims(7, 'real'), 7);
    assert.equal(realDims(2, 'complex'), 4);
    close(codeRate(4, 7), 4 / 7);
  });

  it('rejects non-positive k or n', () => {
    assert.throws(() => noiseVariance(0, 0, 7), /k and n must be positive/);
  });
});
