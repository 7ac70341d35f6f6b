/**
 * The `sim` command line.
 *
 *   sim run <scenario...> [--out DIR] [--workers N] [--seed S] [--quick] [--resume] [--force] [--models DIR]
 *           [--shard i/N | --shard auto [--shard-count N]] [--train-only]
 *   sim slurm <scenario...> --shards N [--partition P] [--time T] [--cpus-per-task C] [--out DIR] [--submit]
 *                              Slurm jobs: train once, a job array of balanced shards, merge (sim/slurm.ts)
 *   sim merge <dir>            merge results.shard-*-of-N.json into results.json + report.html
 *   sim report <results|dir>   re-render report.html (and the index) without simulating
 *   sim compare <run...>       one report overlaying the curves of several runs (compare.html)
 *   sim validate <file...>     check scenario files
 *   sim list                   shipped scenarios
 *   sim schema [--write FILE]  print (or write) the scenario JSON Schema
 *
 * Exit codes: 0 ok, 1 error (bad scenario, bad results file, run failure), 2 usage error, 130 interrupted.
 * Findings do not change them (a FAIL or INCONCLUSIVE claim is in results.json and the report); `npm run paper`
 * exits on verdicts (sim/paper.ts).
 *
 * main() is the one place that turns a failure into output (src/errors.ts): a UserError prints its message,
 * anything else its stack and a line saying it is a bug.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliMsg } from '../src/messages.ts';
import { annotateResults } from '../src/analysis/annotate.ts';
import { writeFileAtomic } from '../src/io/atomic.ts';
import { renderReport } from '../src/report/html.ts';
import { writeIndex } from '../src/report/index-page.ts';
import { readResults } from '../src/results/results.ts';
import { combineResults, compareResultsFile, readCompareInputs } from '../src/run/compare.ts';
import { curvePlan, loadScenario, ScenarioError, scenarioJsonSchema, type CompiledScenario } from '../src/scenario/index.ts';
import { SCENARIO_DIR } from '../src/scenario/shipped.ts';
import { shardFromEnv } from '../src/run/shard-env.ts';
import { resumeCommand } from '../src/run/resume-command.ts';
import { sameNameRefusal } from '../src/run/same-name.ts';
import { parseEbnoOption, type BudgetOverrides } from '../src/run/budget-overrides.ts';
import { errorReport, UserError } from '../src/errors.ts';
import { packageInfo } from '../src/package-root.ts';
import { handleInterrupts } from './interrupts.ts';
import { makeProgress } from './progress.ts';
import { mergeRun, projectVersion, runScenario, type Shard } from './run.ts';
import { slurmScenario, type SlurmOptions } from './slurm.ts';
import { runInRelayedChild, underTsxCommandLine } from './tsx-relay.ts';

export { SCENARIO_DIR };
export const SCHEMA_FILE = join(SCENARIO_DIR, 'scenario.schema.json');

/** The schema file's text (what `npm run schema` writes and a test compares). */
export const schemaText = (): string => JSON.stringify(scenarioJsonSchema(), null, 2) + '\n';

const err = (line: string): void => void process.stderr.write(line + '\n');
const out = (line: string): void => void process.stdout.write(line + '\n');

async function shippedScenarios(): Promise<string[]> {
  return (await readdir(SCENARIO_DIR)).filter((f) => /\.(ya?ml|json)$/.test(f) && f !== 'scenario.schema.json').sort();
}

/** A path, or the name of a shipped scenario (`quick`, `quick.yaml`). */
async function resolveScenarioPath(arg: string): Promise<string> {
  if (existsSync(arg)) return arg;
  for (const candidate of [join(SCENARIO_DIR, arg), join(SCENARIO_DIR, `${arg}.yaml`)]) if (existsSync(candidate)) return candidate;
  if (/[\\/]/.test(arg) || /\.(ya?ml|json)$/.test(arg)) return arg; // let the loader say "no such file"
  throw new UserError(
    cliMsg.unknownScenario(
      arg,
      (await shippedScenarios()).map((f) => f.replace(/\.ya?ml$/, '')),
    ),
  );
}

/** Loads every scenario first: one bad file stops the command before anything is written. */
async function loadAll(args: string[]): Promise<{ file: string; scenario: CompiledScenario }[]> {
  const loaded: { file: string; scenario: CompiledScenario }[] = [];
  const errors: string[] = [];
  for (const arg of args) {
    try {
      const file = await resolveScenarioPath(arg);
      loaded.push({ file, scenario: await loadScenario(file, err) });
    } catch (e) {
      if (e instanceof ScenarioError || e instanceof UserError) errors.push(e.message);
      else throw e;
    }
  }
  if (errors.length) throw new UserError(errors.join('\n'));
  return loaded;
}

/** --ebno FROM:TO:STEP or a comma list (a usage error, exit 2, with the reason). */
function parseEbno(v: string): number[] {
  try {
    return parseEbnoOption(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** The budgets given on the command line, only those given. */
const budgetOverrides = (o: RunCommandOptions): BudgetOverrides => ({
  ...(o.targetErrors !== undefined ? { targetErrors: o.targetErrors } : {}),
  ...(o.maxBlocks !== undefined ? { maxBlocks: o.maxBlocks } : {}),
  ...(o.ebno !== undefined ? { ebnoDb: o.ebno } : {}),
});

/** `i/N`, or `auto` (resolved from the job array's environment when the command runs). */
function parseShard(v: string): Shard | 'auto' {
  if (v.trim() === 'auto') return 'auto';
  const m = /^(\d+)\/(\d+)$/.exec(v.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(index >= 1 && count >= 1 && index <= count)) throw new InvalidArgumentError(cliMsg.badShard(v));
  return { index, count };
}

function parseCount(option: string): (v: string) => number {
  return (v) => {
    const n = /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(cliMsg.badCount(option, v));
    return n;
  };
}

function parseWorkers(v: string): number {
  const n = /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(cliMsg.badWorkers(v));
  return n;
}

/**
 * More Monte Carlo threads than cores gain nothing and each costs memory (999 threads took 11 GB and
 * starved the event loop), so a larger --workers is capped at the core count, with a warning.
 */
export function capWorkers(requested: number | undefined, cores = os.availableParallelism(), warn: (line: string) => void = err): number | undefined {
  if (requested === undefined || requested <= cores) return requested;
  warn(cliMsg.workersCapped(requested, cores));
  return cores;
}

/** package.json: the version (`sim --version`) and where to report bugs. */
function projectInfo(): { version: string; bugs: string } {
  try {
    const pkg = packageInfo();
    const bugs = typeof pkg.bugs === 'string' ? pkg.bugs : pkg.bugs?.url;
    return { version: pkg.version ?? '?', bugs: bugs ?? "the project's issue tracker" };
  } catch {
    return { version: '?', bugs: "the project's issue tracker" };
  }
}

const parseSeed = (v: string): number | string => {
  // An empty seed is almost always an unset shell variable (--seed "$SEED"), not a choice.
  if (!v.trim()) throw new InvalidArgumentError(cliMsg.badSeed(JSON.stringify(v)));
  return /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : v;
};

interface RunCommandOptions {
  out: string;
  workers?: number;
  seed?: number | string;
  quick: boolean;
  resume: boolean;
  force: boolean;
  models?: string;
  shard?: Shard | 'auto';
  shardCount?: number;
  trainOnly: boolean;
  targetErrors?: number;
  maxBlocks?: number;
  ebno?: number[];
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('sim')
    .description('Learned physical-layer autoencoders: train, measure BLER vs Eb/N0, write HTML reports.')
    .version(projectInfo().version, '-V, --version', 'print the version')
    .showHelpAfterError('(run sim --help for usage)')
    .exitOverride();

  program
    .command('run')
    .description('train, sweep and write DIR/<name>/results.json, report.html and models/ for each scenario')
    .argument('<scenario...>', 'scenario files (or names of shipped scenarios, e.g. quick)')
    .option('--out <dir>', 'output folder', 'reports')
    .addOption(new Option('--workers <n>', 'Monte Carlo worker threads (default and maximum: one per core)').argParser(parseWorkers))
    .addOption(new Option('--seed <seed>', 'override the scenario seed').argParser(parseSeed))
    .option('--quick', 'smoke run: scaled-down training and Monte Carlo budgets (the report says so)', false)
    .option('--resume', 'continue an interrupted run: keep finished points, reload its models', false)
    .option('--force', 'replace an existing run of a different scenario, seed or --quick setting in the output folder', false)
    .option('--models <dir>', 'load saved models from DIR/<system id>/ instead of training')
    .addOption(
      new Option(
        '--shard <i/N|auto>',
        'simulate every N-th Monte Carlo chunk of every point, from chunk i−1; writes results.shard-i-of-N.json (auto: i and N from SLURM_ARRAY_TASK_* or JOB_COMPLETION_INDEX)',
      ).argParser(parseShard),
    )
    .addOption(
      new Option('--shard-count <N>', 'with --shard auto: the number of shards (needed for Kubernetes Indexed Jobs)').argParser(parseCount('--shard-count')),
    )
    .option('--train-only', 'train (or load) the autoencoders and save them into models/, without Monte Carlo', false)
    .addOption(
      new Option('--target-errors <n>', "block errors per point, replacing the scenario's montecarlo.targetErrors").argParser(parseCount('--target-errors')),
    )
    .addOption(new Option('--max-blocks <n>', "block budget per point, replacing the scenario's montecarlo.maxBlocks").argParser(parseCount('--max-blocks')))
    .addOption(
      new Option('--ebno <points>', "Eb/N0 points in dB, replacing the scenario's sweep: FROM:TO:STEP (0:10:0.5) or a list (0,2,4)").argParser(parseEbno),
    )
    .action(async (args: string[], o: RunCommandOptions, cmd: Command) => {
      // A usage error (exit 2), printed by commander like its own.
      if (o.resume && o.shard) cmd.error(`error: ${cliMsg.resumeWithShard}`, { exitCode: 2, code: 'sim.resumeWithShard' });
      if (o.trainOnly && o.shard) cmd.error(`error: ${cliMsg.trainOnlyWithShard}`, { exitCode: 2, code: 'sim.trainOnlyWithShard' });
      if (o.shardCount !== undefined && o.shard !== 'auto') cmd.error(`error: ${cliMsg.shardCountWithoutAuto}`, { exitCode: 2, code: 'sim.shardCount' });
      const shard = o.shard === 'auto' ? shardFromEnv(process.env, o.shardCount) : o.shard;
      const scenarios = await loadAll(args);
      const sameName = sameNameRefusal(scenarios, o.out);
      if (sameName) throw new UserError(sameName);
      const workers = capWorkers(o.workers);
      // One backend for the whole command, chosen by its largest network (src/backend.ts).
      const { chooseBackendFor } = await import('../src/run/backend-workload.ts');
      await chooseBackendFor(scenarios.map((s) => s.scenario));
      const interrupts = handleInterrupts({
        onStop: () => err(cliMsg.interrupted),
        onQuit: () => {
          err(cliMsg.quitNow);
          process.exit(130);
        },
      });
      try {
        for (const { scenario } of scenarios) {
          const progress = makeProgress();
          const t0 = Date.now();
          const r = await runScenario(scenario, {
            out: o.out,
            workers,
            seed: o.seed,
            quick: o.quick,
            resume: o.resume,
            refuseOverwrite: !o.force,
            models: o.models,
            shard,
            trainOnly: o.trainOnly,
            overrides: budgetOverrides(o),
            signal: interrupts.signal,
            progress,
          });
          if (r.interrupted) {
            err(cliMsg.interruptedSaved(r.resultsFile, resumeCommand(process.argv, process.env, process.cwd())));
            process.exitCode = 130;
            break;
          }
          err(cliMsg.wrote(r.resultsFile));
          if (r.csvFile) err(cliMsg.wrote(r.csvFile));
          if (r.reportFile) err(cliMsg.wrote(r.reportFile));
          err(cliMsg.done(scenario.name, (Date.now() - t0) / 1000));
        }
      } finally {
        interrupts.dispose();
      }
    });

  program
    .command('slurm')
    .description('write (and with --submit submit) Slurm jobs: train once, a job array of balanced Monte Carlo shards, merge')
    .argument('<scenario...>', 'scenario files (or names of shipped scenarios)')
    .requiredOption('--shards <N>', 'number of Monte Carlo shards (tasks of the job array)', parseCount('--shards'))
    .option('--partition <P>', 'Slurm partition of every job')
    .option('--time <T>', 'time limit of every job (Slurm format, e.g. 2:00:00)')
    .addOption(new Option('--cpus-per-task <C>', 'CPUs of every job; the Monte Carlo workers follow it').argParser(parseCount('--cpus-per-task')))
    .option('--out <dir>', 'output folder (the scripts go into DIR/<name>/slurm/)', 'reports')
    .addOption(new Option('--seed <seed>', 'override the scenario seed').argParser(parseSeed))
    .option('--quick', 'smoke run budgets (as sim run --quick)', false)
    .option('--submit', 'submit the jobs with sbatch (otherwise print the scripts and the sbatch commands)', false)
    .action(async (args: string[], o: SlurmOptions) => {
      const scenarios = await loadAll(args);
      for (const { file, scenario } of scenarios) await slurmScenario(file, scenario, o, out, err);
    });

  program
    .command('merge')
    .description('merge results.shard-*-of-N.json in a run folder into results.json and report.html')
    .argument('<dir>', 'run folder, e.g. reports/fig3a-hamming74')
    .action(async (dir: string) => {
      const r = await mergeRun(dir, { log: err });
      err(cliMsg.wrote(r.reportFile));
      await writeIndex(dirname(resolve(dir)));
    });

  program
    .command('report')
    .description('re-render report.html from a results.json (no simulation)')
    .argument('<results>', 'a results.json file, or the run folder that holds it')
    .option('--output <file>', 'report file (default: report.html next to the results)')
    .action(async (arg: string, o: { output?: string }) => {
      const file = compareResultsFile(arg);
      const results = await readResults(file);
      // The analysis is derived from the counts: redo it, so a file from an older version (or with edited
      // counts) gets a report that agrees with its points. annotateResults is its only writer.
      annotateResults(results);
      const target = o.output ?? join(dirname(file), 'report.html');
      await writeFileAtomic(target, () => renderReport(results));
      err(cliMsg.wrote(target));
      if (!o.output && basename(file) === 'results.json') await writeIndex(dirname(dirname(resolve(file))));
    });

  program
    .command('compare')
    .description('one report overlaying the curves of several runs (before/after, seeds); ids and labels prefixed by run')
    .argument('<runs...>', 'run folders (containing results.json) or results.json files')
    .option('--output <file>', 'report file', 'compare.html')
    .option('--names <list>', 'run names, comma-separated (default: the run folder names; when they clash the folders above, else run1, run2, …)')
    .action(async (runs: string[], o: { output: string; names?: string }, cmd: Command) => {
      if (runs.length < 2) cmd.error(cliMsg.compareNeedsTwo, { exitCode: 2, code: 'sim.compareArgs' });
      const names = o.names?.split(',');
      if (names && names.length !== runs.length) cmd.error(`error: ${cliMsg.compareBadNames(names, runs.length)}`, { exitCode: 2, code: 'sim.compareNames' });
      const inputs = await readCompareInputs(runs, names);
      const combined = combineResults(inputs);
      annotateResults(combined);
      await writeFileAtomic(o.output, () => renderReport(combined));
      err(cliMsg.wrote(o.output));
    });

  program
    .command('validate')
    .description('check scenario files; prints every problem with file, line, field, expected and found')
    .argument('<file...>', 'scenario files')
    .action(async (files: string[]) => {
      let bad = 0;
      for (const f of files) {
        try {
          const path = await resolveScenarioPath(f);
          const s = await loadScenario(path, err);
          out(cliMsg.valid(f, s.name, curvePlan(s).length, s.sweep.ebnoDb.length));
        } catch (e) {
          if (!(e instanceof ScenarioError || e instanceof UserError)) throw e;
          err(e.message);
          bad++;
        }
      }
      if (bad) process.exitCode = 1;
    });

  program
    .command('list')
    .description('shipped scenarios with their descriptions')
    .action(async () => {
      const files = await shippedScenarios();
      // One column as wide as the longest name (a scenario's name is its file name without the extension).
      const width = Math.max(...files.map((f) => f.length)) + 1;
      for (const f of files) {
        try {
          const s = await loadScenario(join(SCENARIO_DIR, f));
          out(`${s.name.padEnd(width)} ${s.description}`);
          out(`${''.padEnd(width)} ${join('scenarios', f)} · ${curvePlan(s).length} curves · ${s.sweep.ebnoDb.length} Eb/N0 points`);
        } catch (e) {
          out(`${f.padEnd(width)} (invalid: ${(e as Error).message.split('\n')[0]})`);
        }
      }
    });

  program
    .command('schema')
    .description('print the JSON Schema of scenario files')
    .option('--write [file]', `write it to a file (default ${join('scenarios', 'scenario.schema.json')})`)
    .option('--check', 'exit 1 if scenarios/scenario.schema.json is out of date')
    .action(async (o: { write?: string | boolean; check?: boolean }) => {
      const text = schemaText();
      if (o.check) {
        const current = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
        if (current !== text) {
          err(cliMsg.schemaStale(SCHEMA_FILE));
          process.exitCode = 1;
        }
        return;
      }
      if (o.write) {
        const file = typeof o.write === 'string' ? o.write : SCHEMA_FILE;
        await writeFileAtomic(file, text);
        err(cliMsg.schemaWritten(file));
      } else process.stdout.write(text);
    });

  program.command('version', { hidden: true }).action(async () => {
    out(await projectVersion());
  });
  return program;
}

/** The one place a failure becomes output: returns the exit code. Commander has already printed its own. */
export function reportFailure(e: unknown, write: (text: string) => void = err): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
  write(errorReport(e, projectInfo().bugs));
  return 1;
}

/** Runs the command line; returns the exit code (does not call process.exit unless interrupted twice). */
export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    return reportFailure(e);
  }
}

/** Runs main() and sets the exit code; also used by sim/bin.js. */
export async function runAsProcess(argv: string[] = process.argv): Promise<void> {
  // A reader that stops early (`sim list | head`) closes the pipe: that ends the output, it is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  // Under the tsx command line (npx tsx sim/cli.ts) a long run works in a child tsx cannot SIGKILL.
  const code = argv[2] === 'run' && underTsxCommandLine() ? await runInRelayedChild(argv) : await main(argv);
  process.exitCode = code;
  // A stray handle (tfjs timers, a worker) must not keep a finished command alive.
  setTimeout(() => process.exit(code), 200).unref();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runAsProcess();
