/** What a run records of a model in results.json (src/systems/records.ts): codebook rows and the training summary. */
import assert from 'node:assert/strict';
import { codebookRows, trainingSummary } from '../../src/systems/records.ts';
import type { TrainingRecord } from '../../src/training/record.ts';

const record = (extra: Partial<TrainingRecord> = {}): TrainingRecord => ({
  steps: [100, 200],
  loss: [0.5, 0.25],
  accuracy: [0.8, 0.9],
  finalAccuracy: 0.9,
  seconds: 1.5,
  ebnoDb: 7,
  batchSize: 256,
  learningRate: 0.01,
  totalSteps: 200,
  restarts: 1,
  restartReasons: ['stuck at chance'],
  extensions: [],
  seed: '1/train/0',
  ...extra,
});

describe('model records in results.json (src/systems/records.ts)', () => {
  it('codebook rows: M rows of dims values in order, rounded to 1e-6', () => {
    const flat = Float32Array.from([0.1234567, -1, 2.5, 1 / 3, -0.0000004, 0.9999996]);
    const rows = codebookRows(flat, 3, 2);
    assert.deepEqual(rows, [
      [0.123457, -1],
      [2.5, 0.333333],
      [-0, 1],
    ]);
    assert.deepEqual(codebookRows(flat, 2, 3), [
      [0.123457, -1, 2.5],
      [0.333333, -0, 1],
    ]);
  });

  it('the summary copies the record: later changes to the trainer record do not reach results.json', () => {
    const t = record({
      extensions: ['decoder lag 0.4 dB: +100 steps'],
      learningRateDecays: [{ step: 150, learningRate: 0.005 }],
      validation: { steps: [100], loss: [0.3], bler: [0.01], blocks: 1000, ebnoDb: 7 },
      refinement: { ebnoDb: 5, learningRate: 0.001, fromStep: 200, steps: 50, blocks: 1000 } as TrainingRecord['refinement'],
      stopReason: 'converged',
      backend: 'wasm',
    });
    const s = trainingSummary(t, 'trained');
    const before = structuredClone(s);
    t.steps.push(300);
    t.loss[0] = 9;
    t.restartReasons.push('diverged');
    t.extensions.push('again');
    t.learningRateDecays?.push({ step: 190, learningRate: 0.001 });
    if (t.learningRateDecays) t.learningRateDecays[0].learningRate = 1;
    t.validation?.bler.push(0.5);
    if (t.refinement) t.refinement.steps = 999;
    assert.deepEqual(s, before);
    assert.equal(s.source, 'trained');
    assert.equal(s.stopReason, 'converged');
    assert.equal(s.backend, 'wasm');
    assert.equal(s.refinement?.steps, 50);
  });

  it('fields an older record lacks are absent from the summary, not undefined; the run-only fields are left out', () => {
    const s = trainingSummary(record(), 'loaded');
    for (const key of ['stopReason', 'backend', 'learningRateDecays', 'validation', 'refinement']) assert.equal(key in s, false, key);
    for (const key of ['batchSize', 'learningRate', 'seed']) assert.equal(key in s, false, key);
    assert.equal(s.source, 'loaded');
    assert.deepEqual(s.extensions, []);
    assert.equal(s.totalSteps, 200);
  });
});
