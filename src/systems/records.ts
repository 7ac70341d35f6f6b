/**
 * What a run records of a trained or loaded model in results.json: its codebook rows and its training record.
 */
import type { TrainingRecord } from '../autoencoder/trained.ts';

/** Where an autoencoder came from in this run. */
export type ModelSource = 'trained' | 'loaded';

/** The trainer's record as results.json keeps it (older files may lack `extensions`). */
export type TrainingSummary = Pick<TrainingRecord, 'steps' | 'loss' | 'accuracy' | 'finalAccuracy' | 'seconds' | 'ebnoDb' | 'restarts' | 'restartReasons'> &
  Partial<Pick<TrainingRecord, 'extensions' | 'stopReason' | 'backend' | 'learningRateDecays' | 'validation' | 'totalSteps' | 'refinement'>> & {
    /** Where the model came from: trained in this run, or loaded (--models / --resume). */
    source?: 'trained' | 'loaded';
  };

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
