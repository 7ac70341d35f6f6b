/**
 * The curves of a run in progress (src/run/curves.ts): what --resume takes over from the previous run, the
 * marks an interruption leaves, and when a run counts as complete.
 */
import assert from 'node:assert/strict';
import type { PointResult } from '../../src/montecarlo/types.ts';
import type { ResultsFile } from '../../src/results/results.ts';
import { carryOver, emptyCurve, isRunComplete, markUnreached, pendingPoint } from '../../src/run/curves.ts';
import { compileScenario, curvePlan } from '../../src/scenario/index.ts';

const scenario = compileScenario({
  name: 'resume',
  seed: 3,
  sweep: { ebnoDb: [0, 2, 4] },
  systems: [
    { id: 'qpsk', type: 'uncoded', modulation: 'qpsk', k: 2 },
    { id: 'ham', type: 'hamming74', decoding: 'hard' },
  ],
});
const EBNO = scenario.sweep.ebnoDb;

const fresh = (): ResultsFile => ({
  format: 2,
  scenario,
  seed: 3,
  backend: 'wasm',
  versions: { node: 'v20', tfjs: '4.22.0', project: '0.3.0' },
  startedAt: '2026-12-08T01:00:00.000Z',
  seconds: 0,
  quick: false,
  complete: false,
  curves: curvePlan(scenario).map((plan) => emptyCurve(plan, EBNO)),
});

const measured = (ebnoDb: number, errors: number): PointResult => ({
  ebnoDb,
  blocks: 1000,
  errors,
  bler: errors / 1000,
  ciLow: 0,
  ciHigh: 1,
  seconds: 1,
  status: 'target-errors',
});
const running = (ebnoDb: number): PointResult => ({ ...measured(ebnoDb, 3), status: 'interrupted', reason: 'interrupted' });

describe('curves of a run (src/run/curves.ts)', () => {
  it('a fresh run: one empty curve per planned curve, every point pending and said to be not run yet', () => {
    const r = fresh();
    assert.deepEqual(
      r.curves.map((c) => [c.id, c.k, c.n, c.rate]),
      [
        ['qpsk', 2, 1, 2], // QPSK signals on complex uses: n = 1, R = 2 bits per use
        ['ham', 4, 7, 4 / 7],
      ],
    );
    for (const c of r.curves) {
      assert.deepEqual(
        c.points.map((p) => p.ebnoDb),
        EBNO,
      );
      for (const p of c.points) assert.deepEqual(p, pendingPoint(p.ebnoDb));
    }
    assert.equal(pendingPoint(1).status, 'not-simulated');
    assert.equal(pendingPoint(1).reason, 'not-run-yet');
    assert.equal(isRunComplete(r, false), true, 'nothing interrupted: pending points alone do not make a run incomplete');
  });

  it('--resume keeps the finished points and the start time; points that were running are measured again', () => {
    const previous = fresh();
    previous.startedAt = '2026-12-07T22:00:00.000Z';
    const [qpsk, ham] = previous.curves;
    qpsk.points = [measured(0, 100), running(2), pendingPoint(4)];
    qpsk.analytic = [{ ebnoDb: 0, bler: 0.1 }];
    ham.points = [measured(0, 120), measured(2, 40), measured(4, 7)];
    ham.codebook = [[1, -1, 1, -1, 1, -1, 1]];
    const r = fresh();
    carryOver(r, previous);
    assert.equal(r.startedAt, '2026-12-07T22:00:00.000Z');
    assert.deepEqual(r.curves[0].points[0], measured(0, 100));
    assert.equal(r.curves[0].points[1].status, 'interrupted');
    assert.equal(r.curves[0].points[1].reason, 'interrupted');
    assert.deepEqual(r.curves[0].points[2], pendingPoint(4));
    assert.deepEqual(r.curves[0].analytic, qpsk.analytic);
    assert.deepEqual(r.curves[1].points, ham.points);
    assert.deepEqual(r.curves[1].codebook, ham.codebook);
    assert.equal(isRunComplete(r, false), false, 'an interrupted point left: not complete');
    assert.equal(isRunComplete(r, false, [0, 2]), true, 'a shard without the interrupted point is complete');
    assert.equal(isRunComplete(r, true, [0, 2]), false, 'an interrupted command never is');
  });

  it('a curve the previous run did not have starts empty; one it had and this run does not is dropped', () => {
    const previous = fresh();
    previous.curves = [{ ...previous.curves[1], id: 'gone', points: [measured(0, 1), measured(2, 1), measured(4, 1)] }, previous.curves[1]];
    previous.curves[1].points = [measured(0, 9), pendingPoint(2), pendingPoint(4)];
    const r = fresh();
    carryOver(r, previous);
    assert.deepEqual(
      r.curves.map((c) => c.id),
      ['qpsk', 'ham'],
    );
    for (const p of r.curves[0].points) assert.deepEqual(p, pendingPoint(p.ebnoDb));
    assert.deepEqual(r.curves[1].points[0], measured(0, 9));
  });

  it('after an interruption the points never reached say so; measured ones keep their status', () => {
    const r = fresh();
    r.curves[0].points[0] = measured(0, 50);
    markUnreached(r);
    assert.deepEqual(r.curves[0].points[0], measured(0, 50));
    for (const c of r.curves)
      for (const p of c.points.filter((q) => q.blocks === 0)) {
        assert.equal(p.status, 'interrupted');
        assert.equal(p.reason, 'interrupted');
        assert.equal(p.note, 'run interrupted before this point');
      }
    assert.equal(isRunComplete(r, false), false);
    assert.equal(isRunComplete(r, false, [0]), false, 'the other curve was not reached at 0 dB either');
  });
});
