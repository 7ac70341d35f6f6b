/**
 * The training loop both trainers share (src/training/loop.ts), on a scripted learner: logging windows and
 * progress, the convergence rule's decays and stop, restarts, the stuck-at-chance rule for a pair, and the
 * decoder refinement's stage and records. (The trainers themselves: autoencoder and two-user tests.)
 */
import assert from 'node:assert/strict';
import { RestartSignal, trainWithRestarts, type Learner, type StepResult, type TrainingOptions, type TrainProgress } from '../../src/training/loop.ts';
import type { TrainingRecord } from '../../src/training/record.ts';

interface Script {
  networks?: number;
  /** Each network's loss and correct decisions (of `batch`) at a step of an attempt. */
  step?: (attempt: number, step: number) => { loss: number; correct: number }[];
  /** Each network's validation loss at a check. */
  check?: (check: number) => number[];
  /** Thrown by trained() in these attempts. */
  failChecks?: number[];
}

/** Calls the loop made, in order. */
type Call = string;

function trainer(script: Script, calls: Call[]) {
  const networks = script.networks ?? 1;
  return {
    what: 'scripted training',
    networks,
    backend: 'none',
    learner: (seed: string, index: number, records: TrainingRecord[]): Learner<{ seed: string; records: TrainingRecord[] }> => {
      let step = 0;
      let checks = 0;
      return {
        records,
        chance: { messages: 16, accuracy: 2 / 16 },
        step(): StepResult {
          step++;
          const out = script.step?.(index, step) ?? records.map(() => ({ loss: 1, correct: 100 }));
          return { loss: out.map((o) => o.loss), correct: out.map((o) => o.correct) };
        },
        setLearningRate: (lr) => calls.push(`setLearningRate ${lr}`),
        resetOptimizers: (lr) => calls.push(`resetOptimizers ${lr}`),
        useValidationSet: (blocks, ebnoDb, s) => calls.push(`useValidationSet ${blocks} ${ebnoDb} ${s}`),
        validate: () => {
          const loss = script.check?.(checks++) ?? records.map(() => 1);
          return { loss, errors: loss.map(() => 5) };
        },
        freezeEncoders: () => calls.push('freezeEncoders'),
        sync: () => undefined,
        dispose: () => calls.push(`dispose ${seed}`),
        trained: () => {
          if (script.failChecks?.includes(index)) throw new RestartSignal(`attempt ${index}: failed its check`);
        },
        result: () => ({ seed, records }),
      };
    },
  };
}

const base: TrainingOptions = { ebnoDb: 3, batchSize: 100, steps: 25, learningRate: 0.01, seed: 's', logEvery: 10 };
const rule = { validateEvery: 5, patience: 2, minImprovement: 0.01, decays: 1, decayFactor: 2, validationBlocks: 10 };

describe('training loop (src/training/loop.ts)', () => {
  it('a fixed length: logging windows, progress per window, the record closed at the end', async () => {
    const progress: TrainProgress[] = [];
    const { records } = await trainWithRestarts({ ...base, onProgress: (p) => progress.push(p) }, trainer({}, []));
    const [r] = records;
    assert.deepEqual(r.steps, [10, 20, 25]);
    assert.deepEqual(r.accuracy, [1, 1, 1]);
    assert.deepEqual(
      progress.map((p) => [p.step, p.steps, p.loss, p.attempt]),
      [
        [10, 25, 1, 0],
        [20, 25, 1, 0],
        [25, 25, 1, 0],
      ],
    );
    assert.equal(r.totalSteps, 25);
    assert.equal(r.stopReason, 'fixed length: 25 steps');
    assert.equal(r.finalAccuracy, 1);
    assert.equal(r.backend, 'none');
  });

  it('stop on convergence: a decay after `patience` checks without improvement, then the stop', async () => {
    const calls: Call[] = [];
    const progress: TrainProgress[] = [];
    const { records } = await trainWithRestarts({ ...base, steps: 100, convergence: rule, onProgress: (p) => progress.push(p) }, trainer({}, calls));
    const [r] = records;
    // Checks at 5 (improves on ∞), 10, 15 (decay), 20, 25 (stop).
    assert.deepEqual(r.validation, { steps: [5, 10, 15, 20, 25], loss: [1, 1, 1, 1, 1], bler: [0.5, 0.5, 0.5, 0.5, 0.5], blocks: 10, ebnoDb: 3 });
    assert.deepEqual(r.learningRateDecays, [{ step: 15, learningRate: 0.005 }]);
    assert.deepEqual(calls, ['useValidationSet 10 3 s', 'setLearningRate 0.005']);
    assert.equal(r.stopReason, 'converged: the validation loss did not improve by 1.0% in 2 checks after 1 learning-rate decay (step 25)');
    assert.equal(r.totalSteps, 25);
    // The last window (steps 21–25) is kept; each check is reported with its validation numbers.
    assert.deepEqual(r.steps, [10, 20, 25]);
    assert.deepEqual(
      progress.filter((p) => p.validation).map((p) => [p.step, p.validation?.loss, p.validation?.bler]),
      [5, 10, 15, 20, 25].map((s) => [s, 1, 0.5]),
    );
  });

  it('restarts from a derived seed on a non-finite loss or a failed check, and reports when restarts run out', async () => {
    const calls: Call[] = [];
    const script: Script = { step: (attempt, step) => [{ loss: attempt === 0 && step === 3 ? NaN : 1, correct: 100 }], failChecks: [1] };
    const { seed, records } = await trainWithRestarts(base, trainer(script, calls));
    assert.equal(seed, 's/restart/2');
    assert.equal(records[0].restarts, 2);
    assert.deepEqual(records[0].restartReasons, ['attempt 0: loss became NaN at step 3', 'attempt 1: failed its check']);
    assert.deepEqual(calls, ['dispose s', 'dispose s/restart/1']);
    await assert.rejects(trainWithRestarts({ ...base, maxRestarts: 1 }, trainer({ failChecks: [0, 1] }, [])), {
      message: 'scripted training failed after 2 attempts: attempt 0: failed its check; attempt 1: failed its check',
    });
  });

  it('a pair: one record per network, losses summed and accuracies averaged, the stuck rule for each user', async () => {
    const progress: TrainProgress[] = [];
    const step = () => [
      { loss: 1, correct: 50 },
      { loss: 2, correct: 10 },
    ];
    const opts = { ...base, steps: 400, logEvery: 100, maxRestarts: 0, onProgress: (p: TrainProgress) => progress.push(p) };
    await assert.rejects(trainWithRestarts(opts, trainer({ networks: 2, step }, [])), {
      message: "scripted training failed after 1 attempts: attempt 0: user 2's accuracy 0.1000 still at chance (1/16) at step 100",
    });
    assert.deepEqual(
      progress.map((p) => [p.step, p.loss, p.accuracy]),
      [[100, 3, 0.3]],
    );
  });

  it('the decoder refinement: encoders frozen, a fresh Adam, its own validation set and records', async () => {
    const calls: Call[] = [];
    const refine = { ebnoDb: 5, learningRate: 0.001, maxSteps: 12, convergence: { ...rule, validationBlocks: 20 } };
    // Main stage: improving checks until the step limit; refinement: improving, so it runs to its limit.
    const check = (i: number) => [1 / (i + 1)];
    const { records } = await trainWithRestarts({ ...base, convergence: rule, refine }, trainer({ check }, calls));
    const [r] = records;
    assert.equal(r.stopReason, 'reached the step limit (25) before converging');
    assert.deepEqual(calls, ['useValidationSet 10 3 s', 'freezeEncoders', 'resetOptimizers 0.001', 'useValidationSet 20 5 s/refine']);
    assert.equal(r.totalSteps, 37);
    assert.deepEqual(r.validation?.steps, [5, 10, 15, 20, 25]);
    assert.deepEqual(r.refinement, {
      ebnoDb: 5,
      learningRate: 0.001,
      fromStep: 25,
      steps: 12,
      blocks: 20,
      stopReason: 'reached its step limit (12)',
      learningRateDecays: [],
      validation: { steps: [30, 35], loss: [1 / 6, 1 / 7], bler: [0.25, 0.25] },
    });
  });
});
