/**
 * Building the curves of a results.json during a run: empty curves for every planned curve (what each says
 * about itself is its system kind's, src/systems/), points carried over from a previous run (--resume), and
 * the marks an interrupted run leaves on the points it did not reach.
 */
import type { PointResult } from '../montecarlo/types.ts';
import { isFinished, type Curve, type ResultsFile } from '../results/results.ts';
import type { CurvePlan } from '../scenario/compiled.ts';
import { kindOf } from '../systems/registry.ts';

/** A point the run has not reached yet. */
export const pendingPoint = (ebnoDb: number): PointResult => ({
  ebnoDb,
  blocks: 0,
  errors: 0,
  bler: 0,
  ciLow: 0,
  ciHigh: 1,
  seconds: 0,
  status: 'not-simulated',
  reason: 'not-run-yet',
  note: 'not run yet',
});

/** The curve of one planned system before anything is measured (what it says about itself: its kind's curveHead). */
export function emptyCurve(plan: CurvePlan, ebno: number[]): Curve {
  const s = plan.system;
  const head = kindOf(s).curveHead(plan);
  return {
    id: plan.id,
    label: plan.label,
    type: head.type as Curve['type'],
    k: s.k,
    n: s.n,
    rate: s.k / s.n,
    signalling: s.signalling,
    ...head.fields,
    channel: s.channel,
    points: ebno.map((e) => pendingPoint(e)),
    ...(plan.mlOf ? { mlOf: plan.mlOf } : {}),
    ...(plan.labelledOf ? { labelledOf: plan.labelledOf } : {}),
    labelling: head.labelling,
  };
}

/**
 * --resume: takes over the previous run's start time, finished points, codebooks, training records and
 * closed-form curves (in place). Points that were running when it stopped become 'interrupted', so they
 * are measured again.
 */
export function carryOver(results: ResultsFile, previous: ResultsFile): void {
  results.startedAt = previous.startedAt;
  for (const c of results.curves) {
    const old = previous.curves.find((o) => o.id === c.id);
    if (!old) continue;
    c.points = old.points.map((p) => (isFinished(p) || p.status === 'not-simulated' ? p : { ...p, status: 'interrupted', reason: 'interrupted' }));
    if (old.codebook) c.codebook = old.codebook;
    if (old.training) c.training = old.training;
    if (old.analytic) c.analytic = old.analytic;
    if (old.analyticBer) c.analyticBer = old.analyticBer;
    if (old.twoUserTraining) c.twoUserTraining = old.twoUserTraining;
    if (old.otherCodebook) c.otherCodebook = old.otherCodebook;
  }
}

/** After an interruption: points the run never reached say so (in place). */
export function markUnreached(results: ResultsFile): void {
  for (const c of results.curves)
    c.points = c.points.map((p) =>
      p.reason === 'not-run-yet' ? { ...p, status: 'interrupted', reason: 'interrupted', note: 'run interrupted before this point' } : p,
    );
}

/** A run is complete when nothing was interrupted and every point it was meant to simulate has ended. */
export function isRunComplete(results: ResultsFile, interrupted: boolean, indices?: number[]): boolean {
  const wanted = (i: number) => !indices || indices.includes(i);
  return !interrupted && results.curves.every((c) => c.points.every((p, i) => !wanted(i) || p.status !== 'interrupted'));
}
