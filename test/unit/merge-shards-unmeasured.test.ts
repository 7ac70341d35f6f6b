/**
 * Merging shards (src/montecarlo/merge-shards.ts) at points no shard measured: what the merged point says,
 * so that `sim run --resume` knows whether to simulate it, and the parts that cannot be merged.
 */
import assert from 'node:assert/strict';
import { mergeShards } from '../../src/montecarlo/merge-shards.ts';
import type { PointResult } from '../../src/montecarlo/types.ts';

const notRun = (ebnoDb: number, reason: PointResult['reason']): PointResult => ({
  ebnoDb,
  blocks: 0,
  errors: 0,
  bler: 0,
  ciLow: 0,
  ciHigh: 1,
  seconds: 0,
  status: 'not-simulated',
  reason,
  note: String(reason),
});
const final = (ebnoDb: number, errors: number, blocks: number): PointResult => ({
  ebnoDb,
  blocks,
  errors,
  bler: errors / blocks,
  ciLow: 0,
  ciHigh: 1,
  seconds: 2,
  status: 'target-errors',
});

describe('merging shards at points no shard measured (src/montecarlo/merge-shards.ts)', () => {
  it('a point every shard left out is not simulated in any shard; one a shard stopped before is short, to resume', () => {
    const a = [final(0, 100, 1000), notRun(2, 'not-in-shard'), notRun(4, 'sweep-stopped')];
    const b = [notRun(0, 'not-in-shard'), notRun(2, 'not-in-shard'), notRun(4, 'not-in-shard')];
    const merged = mergeShards([a, b]);
    assert.deepEqual(merged[0], a[0]);
    assert.equal(merged[1].status, 'not-simulated');
    assert.equal(merged[1].reason, 'not-in-any-shard');
    assert.equal(merged[2].status, 'interrupted');
    assert.equal(merged[2].reason, 'shards-short');
    assert.match(merged[2].note ?? '', /--resume/);
    assert.deepEqual([merged[2].blocks, merged[2].errors, merged[2].ciLow, merged[2].ciHigh], [0, 0, 0, 1]);
  });

  it('an interrupted point without chunks stays interrupted, as its shard wrote it', () => {
    const interrupted: PointResult = { ...notRun(2, 'interrupted'), status: 'interrupted', note: 'run interrupted before this point' };
    const merged = mergeShards([
      [final(0, 50, 500), interrupted],
      [notRun(0, 'not-in-shard'), notRun(2, 'not-in-shard')],
    ]);
    assert.deepEqual(merged[1], interrupted);
  });

  it('parts over different Eb/N0 lists are an error naming the point', () => {
    assert.throws(() => mergeShards([[final(0, 1, 10)], [final(0, 1, 10), final(2, 1, 10)]]), /parts have different lengths \(2 vs 1\)/);
    assert.throws(() => mergeShards([[final(0, 1, 10)], [final(1, 1, 10)]]), /point 0 is at 1 dB in one part, 0 dB in another/);
    assert.deepEqual(mergeShards([]), []);
  });
});
