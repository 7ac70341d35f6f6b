/**
 * `sim run` orchestration: for one compiled scenario, restore the previous run (--resume), obtain the
 * block systems of every system (its kind, src/systems/, trains or loads models, or builds a classical
 * system with its closed forms), measure every curve with the Monte Carlo engine (results.json is written
 * after every finished point), then finish: results.json, results.csv, report.html and the index of runs.
 * The pieces that are library code live below: the system kinds in src/systems/, building results, merging
 * shards and comparing runs in src/run/.
 *
 * Random streams: training of system `id` uses seed path (seed, 'train', id). Monte Carlo streams are keyed
 * by (seed, 'mc') and the system id; an autoencoder's `-ml` curve uses the autoencoder's own stream id, so
 * the learned and the ML decoder see identical messages and noise (a paired comparison).
 */
import { annotateResults } from '../src/analysis/annotate.ts';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { PartialRunError, UserError } from '../src/errors.ts';
import { cliMsg } from '../src/messages.ts';
import type { SweepOptions } from '../src/montecarlo/types.ts';
import { deriveSeed } from '../src/random.ts';
import { writeFileAtomic } from '../src/io/atomic.ts';
import { renderReport } from '../src/report/html.ts';
import { writeIndex } from '../src/report/index-page.ts';
import { isFinished, readResults, RESULTS_FORMAT, type ResultsFile } from '../src/results/results.ts';
import { csvFileFor, resultsCsv } from '../src/run/csv.ts';
import { carryOver, emptyCurve, isRunComplete, markUnreached } from '../src/run/curves.ts';
import { decoderLag } from '../src/run/decoder-lag.ts';
import { previousRunRefusal } from '../src/run/previous-run.ts';
import { overridesDifference, withOverrides, type BudgetOverrides } from '../src/run/budget-overrides.ts';
import { checkWritable, lockRunFolder } from '../src/run/run-folder.ts';
import { mergeShardResults, SHARD_FILE_PATTERN, shardFileName, type Shard } from '../src/run/shards.ts';
import { curvePlan, quickScenario, type CompiledScenario } from '../src/scenario/compile.ts';
import { packagePath } from '../src/package-root.ts';
import type { BlockSystem } from '../src/system.ts';
import { loadBaselines, type McPool, type MonteCarloApi } from '../src/systems/engines.ts';
import { loadMonteCarlo } from './engines.ts';
import type { CurveRecord, ObtainContext } from '../src/systems/kind.ts';
import { kindOf } from '../src/systems/registry.ts';
import type { Progress } from './progress.ts';

export type { Shard } from '../src/run/shards.ts';

export interface RunOptions {
  out: string;
  workers?: number;
  seed?: number | string;
  quick: boolean;
  resume: boolean;
  /** Folder with <system id>/ saved models to load instead of training. */
  models?: string;
  shard?: Shard;
  /** Train (or load) the autoencoders and save them into models/, without Monte Carlo (the Slurm train job). */
  trainOnly?: boolean;
  /**
   * Refuse to replace a results.json that holds measured points of a different run (scenario, seed or
   * --quick). `sim run` sets it unless --force; sim/paper.ts, which owns its output folders, does not.
   */
  refuseOverwrite?: boolean;
  signal?: AbortSignal;
  progress: Progress;
  /** Reuse a pool across scenarios of one command. */
  pool?: McPool;
  /** Budgets from the command line, replacing the scenario's (src/run/budget-overrides.ts). */
  overrides?: BudgetOverrides;
}

export interface RunOutcome {
  dir: string;
  resultsFile: string;
  reportFile?: string;
  csvFile?: string;
  results: ResultsFile;
  interrupted: boolean;
}

export async function projectVersion(): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(packagePath('package.json'), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '?';
  }
}

/** The scenario a run executes: seed override, then --quick budgets, then the budgets of the command line. */
export function effectiveScenario(sc: CompiledScenario, opts: Pick<RunOptions, 'seed' | 'quick' | 'overrides'>): CompiledScenario {
  const seeded = opts.seed === undefined ? sc : { ...sc, seed: opts.seed };
  // Budgets given on the command line win over --quick's: the user asked for them.
  return withOverrides(opts.quick ? quickScenario(seeded) : seeded, opts.overrides);
}

/** Everything one scenario run shares between its steps. */
interface RunContext {
  opts: RunOptions;
  sc: CompiledScenario;
  dir: string;
  resultsFile: string;
  modelsDir: string;
  ebno: number[];
}

function runContext(scenarioIn: CompiledScenario, opts: RunOptions): RunContext {
  const sc = effectiveScenario(scenarioIn, opts);
  const dir = resolve(opts.out, sc.name);
  return {
    opts,
    sc,
    dir,
    resultsFile: join(dir, opts.shard ? shardFileName(opts.shard) : 'results.json'),
    modelsDir: join(dir, 'models'),
    ebno: sc.sweep.ebnoDb,
  };
}

/**
 * The results.json already in the run folder: with --resume, the run to continue (it must be the same run);
 * without, it is replaced, unless it holds measured points of a different run and refuseOverwrite is set.
 */
async function restorePreviousRun(ctx: RunContext): Promise<ResultsFile | undefined> {
  const { opts, sc, resultsFile } = ctx;
  if (opts.resume) {
    if (!existsSync(resultsFile)) {
      opts.progress.log(cliMsg.resumeNothing(resultsFile));
      return undefined;
    }
    const previous = await readResults(resultsFile);
    // Checked first: other budgets also change the compiled scenario, which would read as an edited file.
    const overrides = overridesDifference(previous.overrides, opts.overrides);
    if (overrides) throw new UserError(overrides);
    const refusal = previousRunRefusal(resultsFile, previous, sc, { resume: true, quick: opts.quick, project: await projectVersion() });
    if (refusal) throw new UserError(refusal);
    return previous;
  }
  if (opts.refuseOverwrite && existsSync(resultsFile)) {
    // A damaged file may still hold counts a user can recover by hand: protected like a readable one.
    const existing = await readResults(resultsFile).catch((e: unknown) => {
      const why = e instanceof Error ? e.message.replace(`${resultsFile}: `, '').split('\n')[0] : String(e);
      throw new UserError(cliMsg.damagedResults(resultsFile, why));
    });
    // The same run written by another simulator version is replaced: a re-run after an upgrade is that run.
    const refusal = previousRunRefusal(resultsFile, existing, sc, { resume: false, quick: opts.quick, project: await projectVersion() });
    if (refusal) throw new UserError(refusal);
  }
  return undefined;
}

/** What the system kinds get to obtain their systems with (src/systems/kind.ts). */
function obtainContext(ctx: RunContext, curves: readonly CurveRecord[]): ObtainContext {
  const { opts } = ctx;
  return {
    seed: ctx.sc.seed,
    ebno: ctx.ebno,
    signal: opts.signal,
    progress: opts.progress,
    modelsDir: ctx.modelsDir,
    resume: opts.resume,
    models: opts.models,
    // Shards > 1 do not write models: shard 1 (or a --models folder) is the one copy.
    writesModels: !opts.shard || opts.shard.index === 1,
    curves,
  };
}

/**
 * Loads every saved model this run uses (--resume: the run's own models/; --models DIR) before anything is
 * written, so a missing, damaged or mismatched model stops the command with the output folder untouched.
 */
async function loadSavedModels(ctx: RunContext): Promise<Map<string, unknown>> {
  const saved = new Map<string, unknown>();
  const octx = obtainContext(ctx, []);
  for (const s of ctx.sc.systems) {
    const model = await kindOf(s).loadSaved?.(s, octx);
    if (model !== undefined) saved.set(s.id, model);
  }
  return saved;
}

/**
 * Writes results.json after every change; writes are chained so two never race on the same file. Each write
 * holds the whole state, so one that fails does not block the next: its error reaches whoever awaits it.
 */
function resultsWriter(results: ResultsFile, file: string, started: number, previousSeconds: number): () => Promise<void> {
  let writing: Promise<void> = Promise.resolve();
  return () => {
    results.seconds = previousSeconds + (Date.now() - started) / 1000;
    annotateResults(results);
    const text = JSON.stringify(results, null, 1);
    writing = writing.catch(() => {}).then(() => writeFileAtomic(file, text));
    return writing;
  };
}

/** The results object of a run before anything is measured (continuing `previous` with --resume). */
async function newResults(
  ctx: RunContext,
  started: number,
  backend: string,
  backendReason: string,
  tfVersion: string,
  previous?: ResultsFile,
): Promise<ResultsFile> {
  const { sc, opts, ebno } = ctx;
  const results: ResultsFile = {
    format: RESULTS_FORMAT,
    scenario: sc,
    seed: sc.seed,
    backend,
    backendReason,
    versions: { node: process.versions.node, tfjs: tfVersion, project: await projectVersion() },
    startedAt: new Date(started).toISOString(),
    seconds: 0,
    quick: opts.quick,
    ...(opts.shard ? { shard: opts.shard } : {}),
    ...(opts.overrides && Object.keys(opts.overrides).length ? { overrides: opts.overrides } : {}),
    complete: false,
    curves: curvePlan(sc).map((p) => emptyCurve(p, ebno)),
  };
  if (previous) carryOver(results, previous);
  return results;
}

/** Sweeps Eb/N0 for one curve (finished points of a previous run are kept); saves after every point. */
async function measureCurve(
  ctx: RunContext,
  mc: MonteCarloApi,
  pool: McPool,
  results: ResultsFile,
  save: () => Promise<void>,
  curveId: string,
  system: BlockSystem,
  streamId: string,
  resuming: boolean,
): Promise<void> {
  const { sc, ebno, opts } = ctx;
  const { progress, signal } = opts;
  const curve = results.curves.find((c) => c.id === curveId)!;
  curve.decoder = mc.decoderSummary(system);
  const kept = curve.points.filter(isFinished).length;
  if (kept) progress.log(cliMsg.pointKept(curveId, kept));
  // The points this run simulates (a balanced shard: its chunks of every point), less those a resumed run finished.
  const todo = ebno.map((_, i) => i).filter((i) => !(resuming && isFinished(curve.points[i])));
  progress.sweepStart(curveId, ebno, todo, sc.montecarlo);
  // Importance sampling where the system asks for it (its -ml and -searched curves follow it).
  const importance = sc.systems.find((c) => c.id === streamId)?.importance;
  const sweep: SweepOptions = {
    ...(importance ? { method: 'importance' as const, importance } : {}),
    ebnoDb: ebno,
    rules: sc.montecarlo,
    seed: deriveSeed(sc.seed, 'mc'),
    streamId,
    ...(opts.shard ? { shard: opts.shard } : {}),
    ...(resuming ? { resumeFrom: curve.points } : {}),
    signal,
    onChunk: (p) => progress.chunk(curveId, p),
    onPoint: (r, i) => {
      curve.points[i] = r;
      progress.point(curveId, i, r);
      // Not awaited (the sweep goes on); a failed write surfaces at the save awaited after the sweep.
      save().catch(() => {});
    },
  };
  curve.points = await mc.runSweep(system, sweep, pool);
  progress.sweepEnd(curveId);
  await save();
}

/** Warns when a learned decoder's measured curve ends far from ML decoding of its own codebook. */
function warnIfDecoderLags(results: ResultsFile, id: string, mlId: string, progress: Progress): void {
  const learned = results.curves.find((c) => c.id === id);
  const ml = results.curves.find((c) => c.id === mlId);
  const lag = learned && ml ? decoderLag(learned, ml) : undefined;
  if (lag) progress.log(cliMsg.decoderLags(id, mlId, lag.ebnoDb, lag.ratio));
}

/** The final results.json, results.csv, and (unsharded) report.html and the index of runs. */
async function finishRun(
  ctx: RunContext,
  results: ResultsFile,
  save: () => Promise<void>,
  interrupted: boolean,
): Promise<Pick<RunOutcome, 'reportFile' | 'csvFile'>> {
  if (interrupted) markUnreached(results);
  results.complete = !ctx.opts.trainOnly && isRunComplete(results, interrupted);
  await save();
  const csvFile = csvFileFor(ctx.resultsFile);
  await writeFileAtomic(csvFile, resultsCsv(results));
  if (ctx.opts.shard || ctx.opts.trainOnly) return { csvFile };
  const reportFile = join(ctx.dir, 'report.html');
  await writeFileAtomic(reportFile, () => renderReport(results));
  await writeIndex(resolve(ctx.opts.out));
  return { reportFile, csvFile };
}

/** Runs one scenario; results.json is written after every finished point. */
export async function runScenario(scenarioIn: CompiledScenario, opts: RunOptions): Promise<RunOutcome> {
  const { progress } = opts;
  const ctx = runContext(scenarioIn, opts);
  const { sc } = ctx;

  const previous = await restorePreviousRun(ctx);
  const { tf } = await import('../src/backend.ts');
  const { chooseBackendFor } = await import('../src/run/backend-workload.ts');
  // The command has usually chosen already, for all its scenarios; otherwise this scenario decides.
  const { backend, reason: backendReason } = await chooseBackendFor([sc]);
  progress.log(cliMsg.runStart(sc.name, ctx.dir, opts.quick));
  progress.log(cliMsg.backend(backend, backendReason));
  // Before anything is written: a bad saved model leaves the output folder untouched.
  const saved = await loadSavedModels(ctx);
  // Before any work: an output folder that cannot be written, or that another run is writing, stops here.
  await checkWritable(ctx.dir);
  const unlock = await lockRunFolder(ctx.dir, (line) => progress.log(line), basename(ctx.resultsFile));
  try {
    return await lockedRun(ctx, previous, saved, backend, backendReason, tf);
  } finally {
    await unlock();
  }
}

/** The part of a run that writes the run folder (under its lock). */
async function lockedRun(
  ctx: RunContext,
  previous: ResultsFile | undefined,
  saved: Map<string, unknown>,
  backend: string,
  backendReason: string,
  tf: typeof import('../src/backend.ts')['tf'],
): Promise<RunOutcome> {
  const { opts, sc } = ctx;
  const { progress, signal } = opts;
  const mc = await loadMonteCarlo();
  await loadBaselines();

  const started = Date.now();
  const tfVersion = (tf.version as Record<string, string>).tfjs ?? tf.version_core;
  const results = await newResults(ctx, started, backend, backendReason, tfVersion, previous);
  const save = resultsWriter(results, ctx.resultsFile, started, previous?.seconds ?? 0);
  const ownPool = !opts.pool;
  const pool = opts.pool ?? (await mc.createPool(opts.workers));
  results.workers = pool.workers;
  const octx = obtainContext(ctx, results.curves);

  let interrupted = false;
  /** A failure on legal settings (training that never converged): what was measured is still written. */
  let failed: PartialRunError | undefined;
  try {
    for (const s of sc.systems) {
      if (signal?.aborted) break;
      const kind = kindOf(s);
      // Trained or loaded models, or a classical system: what they tell is recorded on the curves.
      const curves = await kind.obtain(s, octx, saved.get(s.id)).catch((e: unknown) => {
        if (!(e instanceof PartialRunError)) throw e;
        failed = e;
        return undefined;
      });
      if (!curves) {
        interrupted = true;
        break;
      }
      // A trained or loaded model's records (codebooks, training) are written before anything is measured.
      if (kind.trains) await save();
      if (opts.trainOnly) continue;
      // Every curve of a system on the system's own streams: an autoencoder's -ml curve sees its blocks (a paired comparison).
      for (const [curveId, system] of curves) {
        if (signal?.aborted) break;
        await measureCurve(ctx, mc, pool, results, save, curveId, system, s.id, Boolean(previous));
      }
      if (!signal?.aborted) for (const [id, mlId] of kind.decoderLagPairs?.(s) ?? []) warnIfDecoderLags(results, id, mlId, progress);
    }
  } finally {
    progress.stop();
    if (ownPool) await pool.destroy();
  }
  interrupted ||= Boolean(signal?.aborted);
  const written = await finishRun(ctx, results, save, interrupted);
  if (failed) throw new PartialRunError(`${failed.message}\n${cliMsg.partialReport(written.reportFile ?? ctx.resultsFile)}`, { cause: failed });
  return { dir: ctx.dir, resultsFile: ctx.resultsFile, ...written, results, interrupted };
}

/** `sim merge <dir>`: combine results.shard-i-of-N.json into results.json, results.csv and report.html. */
export async function mergeRun(dir: string, out?: { log(line: string): void }): Promise<{ resultsFile: string; reportFile: string; shortPoints: number }> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => SHARD_FILE_PATTERN.test(n));
  const parts = await Promise.all(names.map(async (n) => ({ file: join(dir, n), r: await readResults(join(dir, n)) })));
  const mc = await loadMonteCarlo();
  const merged = mergeShardResults(dir, parts, mc.mergeShards);
  annotateResults(merged);
  const resultsFile = join(dir, 'results.json');
  const reportFile = join(dir, 'report.html');
  await writeFileAtomic(resultsFile, JSON.stringify(merged, null, 1));
  await writeFileAtomic(csvFileFor(resultsFile), resultsCsv(merged));
  await writeFileAtomic(reportFile, () => renderReport(merged));
  out?.log(cliMsg.wrote(resultsFile));
  const short = merged.curves.reduce((k, c) => k + c.points.filter((p) => p.reason === 'shards-short').length, 0);
  if (short)
    out?.log(
      cliMsg.mergeIncomplete(dir, short, `sim run <scenario> --out ${resolve(dir, '..')} --seed ${merged.seed} --resume${merged.quick ? ' --quick' : ''}`),
    );
  return { resultsFile, reportFile, shortPoints: short };
}
