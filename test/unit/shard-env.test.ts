/** `--shard auto`: the shard index and count from a Slurm job array's or a Kubernetes Indexed Job's environment. */
import assert from 'node:assert/strict';
import { UserError } from '../../src/errors.ts';
import { shardFromEnv } from '../../src/run/shard-env.ts';

const slurm = (id: number, min: number, max: number, extra: Record<string, string> = {}) => ({
  SLURM_ARRAY_TASK_ID: String(id),
  SLURM_ARRAY_TASK_MIN: String(min),
  SLURM_ARRAY_TASK_MAX: String(max),
  ...extra,
});

describe('--shard auto (src/run/shard-env.ts)', () => {
  it('Slurm: the task position in the array, whatever the array starts at', () => {
    assert.deepEqual(shardFromEnv(slurm(1, 1, 4)), { index: 1, count: 4 });
    assert.deepEqual(shardFromEnv(slurm(4, 1, 4)), { index: 4, count: 4 });
    assert.deepEqual(shardFromEnv(slurm(0, 0, 2)), { index: 1, count: 3 });
    assert.deepEqual(shardFromEnv(slurm(12, 10, 12, { SLURM_ARRAY_TASK_COUNT: '3' })), { index: 3, count: 3 });
    // --array=0-8:4 → tasks 0, 4, 8
    assert.deepEqual(shardFromEnv(slurm(4, 0, 8, { SLURM_ARRAY_TASK_STEP: '4', SLURM_ARRAY_TASK_COUNT: '3' })), { index: 2, count: 3 });
    // COUNT alone (no MAX) is enough
    assert.deepEqual(shardFromEnv({ SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '5', SLURM_ARRAY_TASK_COUNT: '4' }), { index: 3, count: 4 });
    // --shard-count must agree when given
    assert.deepEqual(shardFromEnv(slurm(2, 1, 4), 4), { index: 2, count: 4 });
    assert.throws(() => shardFromEnv(slurm(2, 1, 4), 5), /--shard-count 5: the job array has 4 tasks/);
  });

  it('Slurm arrays with gaps have no shard position and are refused with the variables named', () => {
    // --array=1,4,9: MIN 1, MAX 9, COUNT 3
    assert.throws(
      () => shardFromEnv(slurm(4, 1, 9, { SLURM_ARRAY_TASK_COUNT: '3' })),
      (e: Error) =>
        e instanceof UserError &&
        /not one evenly spaced range \(SLURM_ARRAY_TASK_ID=4, SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_MAX=9, SLURM_ARRAY_TASK_COUNT=3\)/.test(e.message),
    );
    assert.throws(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '3' }), /SLURM_ARRAY_TASK_ID\/SLURM_ARRAY_TASK_MIN is missing/);
    assert.throws(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '2' }), UserError);
  });

  it('Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX (0-based) with --shard-count', () => {
    assert.deepEqual(shardFromEnv({ JOB_COMPLETION_INDEX: '0' }, 3), { index: 1, count: 3 });
    assert.deepEqual(shardFromEnv({ JOB_COMPLETION_INDEX: '2' }, 3), { index: 3, count: 3 });
    assert.throws(() => shardFromEnv({ JOB_COMPLETION_INDEX: '3' }, 3), /JOB_COMPLETION_INDEX \(3 ≥ --shard-count 3\)/);
    assert.throws(() => shardFromEnv({ JOB_COMPLETION_INDEX: '0' }), /needs --shard-count N/);
  });

  it('no job-array variables: a message saying which ones it looked for', () => {
    assert.throws(
      () => shardFromEnv({}),
      (e: Error) => e instanceof UserError && /SLURM_ARRAY_TASK_ID.*JOB_COMPLETION_INDEX.*--shard i\/N/.test(e.message),
    );
  });
});
