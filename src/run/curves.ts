/**
 * Building the curves of a results.json during a run: empty curves for every planned curve, codebooks and
 * training records of autoencoders, points carried over from a previous run (--resume), and the marks an
 * interrupted run leaves on the points it did not reach.
 */
import type { TrainingRecord } from '../autoencoder/trained.ts';
import type { PointResult } from '../montecarlo/types.ts';
import { isFinished, type Curve, type ResultsFile, type TrainingSummary } from '../results/results.ts';
import type { CurvePlan } from '../scenario/compiled.ts';

/** Where an autoencoder came from in this run. */
export type ModelSource = 'trained' | 'loaded';

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

/** The curve of one planned system before anything is measured. */
export function emptyCurve(plan: CurvePlan, ebno: number[]): Curve {
  const s = plan.system;
  return {
    id: plan.id,
    label: plan.label,
    type: s.type === 'two-user' ? (plan.mlOf ? 'two-user-ml' : 'two-user') : plan.mlOf ? 'autoencoder-ml' : plan.labelledOf ? 'autoencoder-labelled' : s.type,
    k: s.k,
    n: s.n,
    rate: s.k / s.n,
    signalling: s.signalling,
    ...(s.type === 'autoencoder' || s.type === 'two-user' ? { normalization: s.normalization } : {}),
    ...(s.type === 'two-user' && plan.user ? { twoUser: { of: s.id, user: plan.user, crossGain: s.crossGain, alpha: s.alpha } } : {}),
    channel: s.channel,
    points: ebno.map((e) => pendingPoint(e)),
    ...(plan.mlOf ? { mlOf: plan.mlOf } : {}),
    ...(plan.labelledOf ? { labelledOf: plan.labelledOf } : {}),
    labelling: plan.labelledOf ? 'searched' : s.type === 'autoencoder' && s.output === 'bits' && !plan.mlOf ? 'learned' : 'natural',
  };
}

/** The on-disk codebook: M rows of `dims` real values (complex rows interleaved I, Q, I, Q, …), rounded to 1e-6. */
export function codebookRows(flat: Float32Array, M: number, dims: number): number[][] {
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return Array.from({ length: M }, (_, m) => Array.from(flat.subarray(m * dims, (m + 1) * dims), round));
}

/** The trainer's record as results.json keeps it (copies, so later changes to the record do not leak in). */
export function trainingSummary(t: TrainingRecord, source: ModelSource): TrainingSummary {
  return {
    steps: [...t.steps],
    loss: [...t.loss],
    accuracy: [...t.accuracy],
    finalAccuracy: t.finalAccuracy,
    seconds: t.seconds,
    ebnoDb: t.ebnoDb,
    restarts: t.restarts,
    restartReasons: [...t.restartReasons],
    extensions: [...(t.extensions ?? [])],
    totalSteps: t.totalSteps,
    ...(t.stopReason ? { stopReason: t.stopReason } : {}),
    ...(t.backend ? { backend: t.backend } : {}),
    ...(t.learningRateDecays ? { learningRateDecays: t.learningRateDecays.map((d) => ({ ...d })) } : {}),
    ...(t.validation ? { validation: { ...t.validation, steps: [...t.validation.steps], loss: [...t.validation.loss], bler: [...t.validation.bler] } } : {}),
    ...(t.refinement ? { refinement: structuredClone(t.refinement) } : {}),
    source,
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
    c.points = c.points.map((p) => (p.reason === 'not-run-yet' ? { ...p, status: 'interrupted', reason: 'interrupted', note: 'run interrupted before this point' } : p));
}

/** A run is complete when nothing was interrupted and every point it was meant to simulate has ended. */
export function isRunComplete(results: ResultsFile, interrupted: boolean, indices?: number[]): boolean {
  const wanted = (i: number) => !indices || indices.includes(i);
  return !interrupted && results.curves.every((c) => c.points.every((p, i) => !wanted(i) || p.status !== 'interrupted'));
}
