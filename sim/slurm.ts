/**
 * `sim slurm <scenario...> --shards N [--partition P] [--time T] [--cpus-per-task C] [--out DIR] [--submit]`:
 * writes the train, shards (job array) and merge batch scripts of each scenario into DIR/<name>/slurm/
 * (src/run/slurm-scripts.ts), and either prints them with the sbatch commands or submits them, each job
 * depending on the previous one (afterok). Scheduler errors are never hidden: a missing or failing sbatch
 * stops the command with its message and the jobs already submitted.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../src/errors.ts';
import { slurmMsg } from '../src/messages.ts';
import { writeFileAtomic } from '../src/io/atomic.ts';
import { slurmJobs, submitCommands, type SlurmJob, type SlurmPlan } from '../src/run/slurm-scripts.ts';
import type { CompiledScenario } from '../src/scenario/compile.ts';
import { kindOf } from '../src/systems/registry.ts';

export interface SlurmOptions {
  shards: number;
  out: string;
  submit: boolean;
  partition?: string;
  time?: string;
  cpusPerTask?: number;
  seed?: number | string;
  quick: boolean;
}

interface Submitted {
  name: string;
  id: string;
}

/** Submits one job with sbatch --parsable (after `after`, if given) and returns its id; UserError on any failure. */
function sbatch(job: SlurmJob, after: string | undefined, done: Submitted[]): string {
  const args = ['--parsable', ...(after ? [`--dependency=afterok:${after}`] : []), job.file];
  const r = spawnSync('sbatch', args, { encoding: 'utf8' });
  const so_far = slurmMsg.alreadySubmitted(done);
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(slurmMsg.sbatchMissing(so_far));
    throw new UserError(slurmMsg.sbatchFailed(job.file, r.error.message, '', so_far));
  }
  if (r.status !== 0)
    throw new UserError(slurmMsg.sbatchFailed(job.file, r.signal ? `signal ${r.signal}` : `exit ${r.status}`, `${r.stderr}${r.stdout}`, so_far));
  // --parsable prints "id" or "id;cluster".
  const id = r.stdout.trim().split('\n').at(-1)?.split(';')[0] ?? '';
  if (!/^\d+$/.test(id)) throw new UserError(slurmMsg.sbatchOutput(job.file, r.stdout, so_far));
  return id;
}

/** Writes (and with --submit submits) the jobs of one scenario. */
export async function slurmScenario(
  file: string,
  sc: CompiledScenario,
  o: SlurmOptions,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<void> {
  const runDir = resolve(o.out, sc.name);
  const slurmDir = join(runDir, 'slurm');
  await mkdir(join(slurmDir, 'logs'), { recursive: true });
  // The jobs read a copy, so an edit of the scenario file after submission cannot make shards disagree.
  const scenarioFile = join(slurmDir, `scenario${extname(file) || '.yaml'}`);
  await writeFileAtomic(scenarioFile, await readFile(file, 'utf8'));
  const plan: SlurmPlan = {
    name: sc.name,
    scenarioFile,
    out: resolve(o.out),
    runDir,
    slurmDir,
    shards: o.shards,
    trains: sc.systems.some((s) => kindOf(s).trains),
    node: process.execPath,
    bin: fileURLToPath(new URL('./bin.js', import.meta.url)),
    partition: o.partition,
    time: o.time,
    cpusPerTask: o.cpusPerTask,
    seed: o.seed,
    quick: o.quick,
  };
  const jobs = slurmJobs(plan);
  for (const j of jobs) await writeFileAtomic(j.file, j.text);
  err(slurmMsg.written(slurmDir));
  if (!o.submit) {
    for (const j of jobs) out(`${slurmMsg.scriptHeader(j.file)}\n${j.text}`);
    out(slurmMsg.commandsHeader);
    for (const c of submitCommands(jobs)) out(c);
    return;
  }
  const done: Submitted[] = [];
  for (const j of jobs) done.push({ name: j.name, id: sbatch(j, done.at(-1)?.id, done) });
  out(slurmMsg.submitted(sc.name, done, o.shards, runDir));
}
