/** The library parts of `sim run` (src/run/), the error handler and the interrupt policy of the command line. */
import assert from 'node:assert/strict';
import { capWorkers, reportFailure } from '../../sim/cli.ts';
import { InterruptPolicy } from '../../sim/interrupts.ts';
import { UserError } from '../../src/errors.ts';
import type { PointResult } from '../../src/montecarlo/types.ts';
import type { Curve, ResultsFile } from '../../src/results/results.ts';
import { csvFileFor, resultsCsv } from '../../src/run/csv.ts';
import { decoderLag } from '../../src/run/decoder-lag.ts';
import { stableJson } from '../../src/data/stable-json.ts';

const point = (ebnoDb: number, errors: number, blocks: number, ciLow: number, ciHigh: number): PointResult => ({
  ebnoDb,
  blocks,
  errors,
  bler: errors / blocks,
  ciLow,
  ciHigh,
  seconds: 0,
  status: 'target-errors',
});
const curve = (id: string, points: PointResult[]): Curve =>
  ({ id, label: `${id}, "quoted"`, type: 'uncoded', k: 4, n: 4, rate: 1, signalling: 'real', channel: { type: 'awgn' }, points }) as Curve;

describe('command line error handler', () => {
  it('a UserError is its message alone', () => {
    let text = '';
    assert.equal(
      reportFailure(new UserError('x.json: cannot read: no such file'), (t) => (text = t)),
      1,
    );
    assert.equal(text, 'x.json: cannot read: no such file');
  });

  it('anything else prints the stack and says it is a bug', () => {
    let text = '';
    assert.equal(
      reportFailure(new TypeError('cannot read properties of undefined'), (t) => (text = t)),
      1,
    );
    assert.match(text, /TypeError: cannot read properties of undefined/);
    assert.match(text, /\n\s+at /);
    assert.match(text, /bug of the simulator.*report it at/);
  });
});

describe('interrupts', () => {
  it('a second signal within the grace period is the same Ctrl-C relayed; a later one quits', () => {
    const p = new InterruptPolicy(1500);
    assert.equal(p.receive(10_000), 'stop');
    assert.equal(p.receive(10_005), 'ignore');
    assert.equal(p.receive(10_040), 'ignore');
    assert.equal(p.receive(11_600), 'quit');
  });
});

describe('--workers', () => {
  it('more than the cores is capped at the cores, with a warning', () => {
    const warnings: string[] = [];
    assert.equal(
      capWorkers(999, 2, (l) => warnings.push(l)),
      2,
    );
    assert.match(warnings[0], /--workers 999: this machine has 2 cores; using 2 workers/);
    assert.equal(
      capWorkers(2, 2, (l) => warnings.push(l)),
      2,
    );
    assert.equal(
      capWorkers(undefined, 2, (l) => warnings.push(l)),
      undefined,
    );
    assert.equal(warnings.length, 1);
  });
});

describe('src/run', () => {
  it('stableJson ignores key order', () => {
    assert.equal(stableJson({ b: 1, a: [{ d: 2, c: 3 }] }), stableJson({ a: [{ c: 3, d: 2 }], b: 1 }));
  });

  it('results.csv: one row per curve and point, quoted where needed', () => {
    const withBits = { ...point(0, 10, 100, 0.05, 0.17), bitErrors: 15, bitErrorsSq: 25, ber: 0.0375, berCiLow: 0.02, berCiHigh: 0.06 };
    const r = {
      curves: [curve('a', [withBits, { ...point(1, 0, 1, 0, 1), blocks: 0, bler: 0, status: 'interrupted', reason: 'interrupted' }])],
    } as ResultsFile;
    assert.equal(
      resultsCsv(r),
      'curve,label,ebno_db,blocks,errors,bler,ci_low,ci_high,bit_errors,ber,ber_ci_low,ber_ci_high,status,reason\n' +
        'a,"a, ""quoted""",0,100,10,0.1,0.05,0.17,15,0.0375,0.02,0.06,target-errors,\n' +
        'a,"a, ""quoted""",1,0,0,0,0,1,,,,,interrupted,interrupted\n',
    );
    assert.equal(csvFileFor('/x/results.shard-1-of-2.json'), '/x/results.shard-1-of-2.csv');
  });

  it('decoderLag: only a clear gap (≥ 2× with the intervals apart) counts', () => {
    const ml = curve('ae-ml', [point(0, 100, 1000, 0.08, 0.12), point(3, 100, 10000, 0.008, 0.012)]);
    assert.equal(decoderLag(curve('ae', [point(0, 110, 1000, 0.09, 0.13), point(3, 120, 10000, 0.01, 0.014)]), ml), undefined);
    assert.deepEqual(decoderLag(curve('ae', [point(0, 110, 1000, 0.09, 0.13), point(3, 300, 10000, 0.027, 0.033)]), ml), { ebnoDb: 3, ratio: 3 });
  });

  it('decoderLag: over multipath without CSI the genie reference knows the taps: no lag is reported; with CSI it is', () => {
    const ml = curve('ae-ml', [point(0, 100, 1000, 0.08, 0.12), point(3, 100, 10000, 0.008, 0.012)]);
    const far = [point(0, 110, 1000, 0.09, 0.13), point(3, 300, 10000, 0.027, 0.033)];
    const over = (csi: 'none' | 'perfect'): Curve =>
      ({ ...curve('ae', far), signalling: 'complex', channel: { type: 'multipath', taps: 3, profile: 'uniform', csi } }) as Curve;
    assert.equal(decoderLag(over('none'), ml), undefined);
    assert.deepEqual(decoderLag(over('perfect'), ml), { ebnoDb: 3, ratio: 3 });
  });
});

describe('saved model vs scenario', () => {
  it('a saved model must match k, n, signalling, power constraint, channel and the hidden layers', async () => {
    const { modelDifferences } = await import('../../src/systems/autoencoder.ts');
    const { withDefaults } = await import('../../src/autoencoder/spec.ts');
    const { compileScenario } = await import('../../src/scenario/compile.ts');
    const sc = compileScenario({
      name: 'm',
      sweep: { ebnoDb: [0] },
      systems: [{ id: 'a', type: 'autoencoder', k: 4, n: 7, decoder: [{ units: 16, layerNorm: true }] }],
    });
    const s = sc.systems[0];
    assert.ok(s.type === 'autoencoder');
    const spec = withDefaults({
      k: 4,
      n: 7,
      signalling: 'real',
      normalization: 'energy',
      channel: { type: 'awgn' },
      decoder: [{ units: 16, layerNorm: true }],
    });
    assert.deepEqual(modelDifferences(spec, s), []);
    const other = withDefaults({ ...spec, decoder: [{ units: 16 }] });
    assert.deepEqual(modelDifferences(other, s), ['decoder hidden layers [16 relu] ≠ [16 relu + layer norm]']);
    // A bit-wise model does not stand in for a symbol-wise system (nor the other way round).
    assert.deepEqual(modelDifferences(withDefaults({ ...spec, output: 'bits' }), s), ['output bits ≠ symbols']);
  });
});

describe('sim merge: which shard files belong together', () => {
  it('a file without a shard, or with an index outside 1..N, is refused by name (never a crash or a silent gap)', async () => {
    const { mergeShardResults } = await import('../../src/run/shards.ts');
    const { fixtureResults } = await import('../browser/fixture.ts');
    const shard = (index: number, count: number) => ({ file: `results.shard-${index}-of-${count}.json`, r: { ...fixtureResults(), shard: { index, count } } });
    const merge = (parts: { file: string; r: ResultsFile }[]) => mergeShardResults('dir', parts, (p) => p[0]);
    assert.equal(merge([shard(1, 2), shard(2, 2)]).curves.length, fixtureResults().curves.length);
    const noShard = { file: 'results.shard-1-of-1.json', r: fixtureResults() };
    assert.throws(
      () => merge([noShard]),
      (e: unknown) => e instanceof UserError && /results\.shard-1-of-1\.json/.test((e as Error).message),
    );
    assert.throws(
      () => merge([shard(1, 2), shard(3, 2)]),
      (e: unknown) => e instanceof UserError && /results\.shard-3-of-2\.json/.test((e as Error).message),
    );
  });

  it('a shard written by another version of the simulator is refused by name', async () => {
    const { mergeShardResults } = await import('../../src/run/shards.ts');
    const { fixtureResults } = await import('../browser/fixture.ts');
    const shard = (index: number, project: string) => {
      const r = { ...fixtureResults(), shard: { index, count: 2 } };
      return { file: `results.shard-${index}-of-2.json`, r: { ...r, versions: { ...r.versions, project } } };
    };
    const merge = (parts: { file: string; r: ResultsFile }[]) => mergeShardResults('dir', parts, (p) => p[0]);
    assert.equal(merge([shard(1, '0.2.0'), shard(2, '0.2.0')]).curves.length, fixtureResults().curves.length);
    assert.throws(
      () => merge([shard(1, '0.2.0'), shard(2, '0.1.0')]),
      (e: unknown) => e instanceof UserError && /results\.shard-2-of-2\.json: .*simulator version differs/.test((e as Error).message),
    );
  });

  it('a point the shards left short makes the merged run incomplete, even when every shard finished', async () => {
    const { mergeShardResults } = await import('../../src/run/shards.ts');
    const { fixtureResults } = await import('../browser/fixture.ts');
    const shard = (index: number) => ({ file: `results.shard-${index}-of-2.json`, r: { ...fixtureResults(), complete: true, shard: { index, count: 2 } } });
    const short = (p: PointResult[][]): PointResult[] => p[0].map((pt, i) => (i === 1 ? { ...pt, status: 'interrupted', reason: 'shards-short' } : pt));
    assert.equal(mergeShardResults('dir', [shard(1), shard(2)], (p) => p[0]).complete, true);
    assert.equal(mergeShardResults('dir', [shard(1), shard(2)], short).complete, false);
  });

  it('shards that counted different errors for one chunk are refused with a message, not a crash', async () => {
    const { mergeShardResults } = await import('../../src/run/shards.ts');
    const { mergeShards } = await import('../../src/montecarlo/merge-shards.ts');
    const { fixtureResults } = await import('../browser/fixture.ts');
    const c = (errors: number) => ({ errors, bitErrors: errors, bitErrorsSq: errors });
    const part = (index: number, chunks: ({ errors: number; bitErrors: number; bitErrorsSq: number } | null)[]) => {
      const r = { ...fixtureResults(), shard: { index, count: 2 } };
      r.curves = r.curves.map((cv) => ({
        ...cv,
        points: cv.points.map((p) => ({ ...p, status: 'not-simulated' as const, reason: 'shard-part' as const, chunks })),
      }));
      return { file: `results.shard-${index}-of-2.json`, r };
    };
    assert.throws(
      () => mergeShardResults('dir', [part(1, [c(3), null]), part(2, [c(4), c(1)])], mergeShards),
      (e: unknown) =>
        e instanceof UserError &&
        /dir: curve \S+: the shards disagree \(.*chunk 0 has 3 errors \(3 bit errors\) in one part and 4 \(4\) in another\)/.test((e as Error).message),
    );
  });
});
