/**
 * `--shard auto`: which shard this process is, read from the array-job engine's environment, so one
 * command line serves every task of a Slurm job array or a Kubernetes Indexed Job.
 *
 * - Slurm job arrays: SLURM_ARRAY_TASK_ID, with SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_MAX (and
 *   SLURM_ARRAY_TASK_STEP for `--array=a-b:s`) or SLURM_ARRAY_TASK_COUNT. Shard = position of the task in
 *   the array (1-based), count = tasks in the array. Arrays with gaps (`--array=1,4,9`) have no such
 *   position and are refused.
 * - Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX (0-based); the count is not in the environment, so it
 *   comes from --shard-count (the Job's `completions`).
 */
import { UserError } from '../errors.ts';
import { cliMsg } from '../messages.ts';
import type { Shard } from './shards.ts';

const whole = (v: string | undefined): number | undefined => (v !== undefined && /^\s*\d+\s*$/.test(v) ? Number(v) : undefined);

/** The shard of this process, or a UserError saying which variable is missing or inconsistent. */
export function shardFromEnv(env: NodeJS.ProcessEnv, count?: number): Shard {
  const id = whole(env.SLURM_ARRAY_TASK_ID);
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const min = whole(env.SLURM_ARRAY_TASK_MIN);
    const max = whole(env.SLURM_ARRAY_TASK_MAX);
    const step = whole(env.SLURM_ARRAY_TASK_STEP) ?? 1;
    const total = whole(env.SLURM_ARRAY_TASK_COUNT);
    if (id === undefined || min === undefined || step < 1) throw new UserError(cliMsg.shardEnvBad('SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_MIN', env));
    const span = max !== undefined ? Math.floor((max - min) / step) + 1 : undefined;
    const n = total ?? span;
    if (n === undefined) throw new UserError(cliMsg.shardEnvBad('SLURM_ARRAY_TASK_MAX or SLURM_ARRAY_TASK_COUNT', env));
    // A task's position is (id − min)/step only when the array is one evenly spaced range.
    if (span !== undefined && span !== n) throw new UserError(cliMsg.shardEnvGaps(env));
    if ((id - min) % step !== 0) throw new UserError(cliMsg.shardEnvGaps(env));
    const index = (id - min) / step + 1;
    if (!(index >= 1 && index <= n)) throw new UserError(cliMsg.shardEnvBad('SLURM_ARRAY_TASK_ID', env));
    if (count !== undefined && count !== n) throw new UserError(cliMsg.shardCountDisagrees(count, n));
    return { index, count: n };
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const k = whole(env.JOB_COMPLETION_INDEX);
    if (k === undefined) throw new UserError(cliMsg.shardEnvBad('JOB_COMPLETION_INDEX', env));
    if (count === undefined) throw new UserError(cliMsg.shardCountNeeded);
    if (k >= count) throw new UserError(cliMsg.shardEnvBad(`JOB_COMPLETION_INDEX (${k} ≥ --shard-count ${count})`, env));
    return { index: k + 1, count };
  }
  throw new UserError(cliMsg.shardEnvMissing);
}
