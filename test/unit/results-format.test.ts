import assert from 'node:assert/strict';
import { UserError } from '../../src/errors.ts';
import { parseResults, RESULTS_FORMAT } from '../../src/results/results.ts';
import { fixtureResults } from '../browser/fixture.ts';

/** A results.json as format 1 wrote it: complex codebooks as [I, Q] pairs, ranges as [a, b], reasons only in notes. */
function formatOne(): Record<string, unknown> {
  const r = JSON.parse(JSON.stringify(fixtureResults())) as Record<string, any>;
  r.format = 1;
  for (const c of r.curves) {
    if (c.codebook && c.signalling === 'complex')
      c.codebook = c.codebook.map((row: number[]) => row.flatMap((_: number, i: number) => (i % 2 ? [] : [[row[i], row[i + 1]]])));
    if (c.training) c.training.ebnoDb = [2, 6];
    for (const p of c.points) delete p.reason;
  }
  const ae = r.curves.find((c: any) => c.points.some((p: any) => p.status === 'not-simulated'));
  if (ae) {
    const i = ae.points.findIndex((p: any) => p.status === 'not-simulated');
    ae.points[i].note = 'not in this shard (pointIndices)';
  }
  for (const s of r.scenario.systems) {
    if (s.type !== 'autoencoder') continue;
    s.train = { ebnoDb: 7, batchSize: 1000, steps: 10000, learningRate: 0.001 };
    s.decoder = [{ units: 16, activation: 'relu', normalization: 'layer', weightNorm: false }];
  }
  return r;
}

describe('results.json format', () => {
  it('a file from before bits were counted reads as the same run (resume) and renders without BER', async () => {
    const { runDifference } = await import('../../src/run/previous-run.ts');
    const fresh = fixtureResults();
    const old = JSON.parse(JSON.stringify(fresh)) as Record<string, any>;
    delete old.scenario.montecarlo.targetBitErrors;
    delete old.scenario.montecarlo.minBer;
    for (const s of old.scenario.systems) {
      delete s.output;
      delete s.labelling;
    }
    for (const c of old.curves) for (const p of c.points) for (const k of ['bitErrors', 'bitErrorsSq', 'ber', 'berCiLow', 'berCiHigh']) delete p[k];
    const r = parseResults(old, 'before-bits.json');
    assert.equal(runDifference(r, fresh.scenario, r.quick), undefined, 'the same scenario with the new defaults filled in');
    // --resume across simulator versions: refused (their Monte Carlo arithmetic may differ).
    assert.equal(runDifference(r, fresh.scenario, r.quick, r.versions.project), undefined);
    assert.match(runDifference(r, fresh.scenario, r.quick, `${r.versions.project}-other`) ?? '', /written by version .* of the simulator, this is/);
    assert.ok(r.curves.every((c) => c.points.every((p) => p.ber === undefined)));
  });

  it('reads format 1 through the one adapter: flat codebook rows, { from, to } ranges, reason codes, layerNorm, fixed-length recipe', () => {
    const old = formatOne();
    const r = parseResults(old, 'old.json');
    assert.equal(r.format, RESULTS_FORMAT);
    assert.equal(r.upgradedFrom, 1);
    assert.ok(!JSON.stringify(r).includes('upgradedFrom'), 'the upgrade mark is never written');
    const complex = r.curves.find((c) => c.signalling === 'complex' && c.codebook)!;
    const fresh = fixtureResults().curves.find((c) => c.id === complex.id)!;
    assert.deepEqual(complex.codebook, fresh.codebook, 'pairs flattened back to interleaved I, Q rows');
    assert.ok(r.curves.filter((c) => c.training).every((c) => JSON.stringify(c.training!.ebnoDb) === JSON.stringify({ from: 2, to: 6 })));
    for (const c of r.curves)
      for (const p of c.points) if (p.status !== 'target-errors' && p.status !== 'max-blocks') assert.ok(p.reason, `${c.id} ${p.ebnoDb} dB has a reason`);
    const shard = r.curves.flatMap((c) => c.points).find((p) => p.note === 'not in this shard (pointIndices)');
    assert.ok(shard, 'the fixture has a not-simulated point to label as format 1 did');
    assert.equal(shard.reason, 'not-in-shard');
    const ae = r.scenario.systems.find((s) => s.type === 'autoencoder')!;
    assert.ok(ae.type === 'autoencoder');
    assert.deepEqual(ae.decoder[0], { units: 16, activation: 'relu', layerNorm: true, weightNorm: false });
    assert.equal(ae.train.stop, 'fixed');
    assert.equal(ae.train.ebnoDbChoice, 'scenario');
  });

  it('refuses a newer format and impossible counts with a UserError naming the file', () => {
    const future = { ...JSON.parse(JSON.stringify(fixtureResults())), format: RESULTS_FORMAT + 1 };
    assert.throws(
      () => parseResults(future, 'future.json'),
      (e: unknown) => e instanceof UserError && /future\.json.*newer version/.test((e as Error).message),
    );
    const bad = JSON.parse(JSON.stringify(fixtureResults()));
    bad.curves[0].points[0].errors = -5;
    assert.throws(
      () => parseResults(bad, 'bad.json'),
      (e: unknown) => e instanceof UserError && /bad\.json/.test((e as Error).message) && /0 ≤ errors ≤ blocks/.test((e as Error).message),
    );
    bad.curves[0].points[0].errors = bad.curves[0].points[0].blocks + 1;
    assert.throws(() => parseResults(bad, 'bad.json'), /0 ≤ errors ≤ blocks/);
  });
});
