/**
 * `sim slurm`: the three batch scripts of one scenario on a Slurm cluster, as text.
 *
 *   train.sbatch   trains the autoencoders once (`sim run --train-only`) into <run>/models
 *   shards.sbatch  a job array of N tasks, task i `sim run --shard i/N --models <run>/models` (balanced shards)
 *   merge.sbatch   `sim merge <run>`, then `sim run --resume` if a shard's plan left points short
 *
 * They are submitted with `afterok` dependencies (train → array → merge), so the merge starts only when
 * every task of the array has succeeded. Every path is absolute (jobs start in another working directory)
 * and the scenario is a copy taken at submission, so editing the file later cannot split a run.
 */

export interface SlurmPlan {
  /** Scenario name (the run folder's name). */
  name: string;
  /** Absolute path of the scenario copy the jobs read. */
  scenarioFile: string;
  /** Absolute --out folder; the run folder is out/name. */
  out: string;
  runDir: string;
  /** Where the scripts and logs/ go. */
  slurmDir: string;
  shards: number;
  /** Whether the scenario has autoencoders (no train job otherwise). */
  trains: boolean;
  node: string;
  bin: string;
  partition?: string;
  time?: string;
  cpusPerTask?: number;
  seed?: number | string;
  quick: boolean;
}

export type JobName = 'train' | 'shards' | 'merge';

export interface SlurmJob {
  name: JobName;
  file: string;
  text: string;
}

/** Single-quoted for the shell. */
export const shq = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

function header(p: SlurmPlan, job: JobName, extra: string[]): string[] {
  const lines = ['#!/bin/bash', `#SBATCH --job-name=${`sim-${p.name}-${job}`}`];
  if (p.partition) lines.push(`#SBATCH --partition=${p.partition}`);
  if (p.time) lines.push(`#SBATCH --time=${p.time}`);
  if (p.cpusPerTask) lines.push(`#SBATCH --cpus-per-task=${p.cpusPerTask}`);
  return [...lines, ...extra];
}

/** `node sim/bin.js run <scenario> --out <out>` with the run's --seed and --quick. */
function simRun(p: SlurmPlan, more: string[]): string {
  const args = [shq(p.node), shq(p.bin), 'run', shq(p.scenarioFile), '--out', shq(p.out)];
  if (p.seed !== undefined) args.push('--seed', shq(String(p.seed)));
  if (p.quick) args.push('--quick');
  return [...args, ...more].join(' ');
}

// Slurm allocates one CPU per task unless told otherwise; the workers follow the allocation, not the node.
// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, for the job script.
const WORKERS = ['--workers', '"${SLURM_CPUS_PER_TASK:-1}"'];

export function slurmJobs(p: SlurmPlan): SlurmJob[] {
  // sbatch reads a double-quoted value in an #SBATCH line as one word (a run folder may contain spaces).
  const log = (pattern: string) => `#SBATCH --output="${p.slurmDir}/logs/${pattern}"`;
  const jobs: SlurmJob[] = [];
  if (p.trains)
    jobs.push({
      name: 'train',
      file: `${p.slurmDir}/train.sbatch`,
      text: [
        ...header(p, 'train', [log('train-%j.out')]),
        `# Trains the autoencoders of ${p.name} once and saves them into ${p.runDir}/models (no Monte Carlo).`,
        'set -euo pipefail',
        simRun(p, ['--train-only', ...WORKERS]),
        '',
      ].join('\n'),
    });
  jobs.push({
    name: 'shards',
    file: `${p.slurmDir}/shards.sbatch`,
    text: [
      ...header(p, 'shards', [`#SBATCH --array=1-${p.shards}`, log(`shard-%a-of-${p.shards}-%A.out`)]),
      `# Task i of ${p.shards}: Monte Carlo chunks i-1, i-1+${p.shards}, … of every Eb/N0 point of ${p.name},`,
      `# written to ${p.runDir}/results.shard-i-of-${p.shards}.json. The task id is the shard (not its position,`,
      `# as --shard auto would take it), so \`sbatch --array=3 shards.sbatch\` re-runs exactly shard 3.`,
      'set -euo pipefail',
      simRun(p, ['--shard', `"$SLURM_ARRAY_TASK_ID/${p.shards}"`, ...(p.trains ? ['--models', shq(`${p.runDir}/models`)] : []), ...WORKERS]),
      '',
    ].join('\n'),
  });
  jobs.push({
    name: 'merge',
    file: `${p.slurmDir}/merge.sbatch`,
    text: [
      ...header(p, 'merge', [log('merge-%j.out')]),
      `# Runs after every shard succeeded: merges them into ${p.runDir}/results.json and report.html.`,
      'set -euo pipefail',
      [shq(p.node), shq(p.bin), 'merge', shq(p.runDir)].join(' '),
      "# Points whose stopping chunk no shard's plan reached are completed from the chunks already counted.",
      `if grep -q '"reason": "shards-short"' ${shq(`${p.runDir}/results.json`)}; then`,
      `  ${simRun(p, ['--resume', ...WORKERS])}`,
      'fi',
      '',
    ].join('\n'),
  });
  return jobs;
}

/** The sbatch command lines that submit the jobs in order, each depending on the one before. */
export function submitCommands(jobs: SlurmJob[]): string[] {
  return jobs.map((j, k) => {
    const dep = k > 0 ? ` --dependency=afterok:$${jobs[k - 1].name}` : '';
    return `${j.name}=$(sbatch --parsable${dep} ${shq(j.file)} | cut -d';' -f1)`;
  });
}
