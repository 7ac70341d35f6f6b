/**
 * `sim run` orchestration: for one compiled scenario, restore the previous run (--resume), obtain every
 * autoencoder (load a saved one, or train it), measure every curve with the Monte Carlo engine (results.json
 * is written after every finished point), then finish: results.json, results.csv, report.html and the index
 * of runs. The pieces that are library code (building results, merging shards, comparing runs) live in
 * src/run/.
 *
 * Random streams: training of system `id` uses seed path (seed, 'train', id). Monte Carlo streams are keyed
 * by (seed, 'mc') and the system id; an autoencoder's `-ml` curve uses the autoencoder's own stream id, so
 * the learned and the ML decoder see identical messages and noise (a paired comparison).
 */
import { annotateResults } from '../src/analysis/annotate.ts';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { searchLabelling } from '../src/autoencoder/labelling.ts';
import { realDims } from '../src/conventions.ts';
import { rtnExamples } from '../src/autoencoder/rtn-examples.ts';
import { DEFAULTS } from '../src/defaults.ts';
import { UserError } from '../src/errors.ts';
import { cliMsg } from '../src/messages.ts';
import type { SweepOptions } from '../src/montecarlo/types.ts';
import { deriveSeed } from '../src/random.ts';
import { writeFileAtomic } from '../src/io/atomic.ts';
import { renderReport } from '../src/report/html.ts';
import { writeIndex } from '../src/report/index-page.ts';
import { isFinished, readResults, RESULTS_FORMAT, type ResultsFile } from '../src/results/results.ts';
import { analyticGrid } from '../src/run/analytic-grid.ts';
import { csvFileFor, resultsCsv } from '../src/run/csv.ts';
import { carryOver, codebookRows, emptyCurve, isRunComplete, markUnreached, trainingSummary, type ModelSource } from '../src/run/curves.ts';
import { decoderLag } from '../src/run/decoder-lag.ts';
import { checkModelMatches } from '../src/run/model-match.ts';
import { hasMeasuredPoints, runDifference } from '../src/run/previous-run.ts';
import { mergeShardResults, SHARD_FILE_PATTERN, shardFileName, type Shard } from '../src/run/shards.ts';
import { autoencoderSpecOf, curvePlan, quickScenario, type CompiledAutoencoder, type CompiledScenario, type CompiledSystem, type CompiledTwoUser } from '../src/scenario/compile.ts';
import { packagePath } from '../src/package-root.ts';
import type { BlockSystem } from '../src/system.ts';
import { loadAutoencoder, loadBaselines, loadMonteCarlo, type AutoencoderApi, type McPool, type MonteCarloApi, type TrainedAutoencoder } from './engines.ts';
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

/** The scenario a run executes: seed override, then --quick budgets. */
export function effectiveScenario(sc: CompiledScenario, opts: Pick<RunOptions, 'seed' | 'quick'>): CompiledScenario {
  const seeded = opts.seed === undefined ? sc : { ...sc, seed: opts.seed };
  return opts.quick ? quickScenario(seeded) : seeded;
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
    const difference = runDifference(previous, sc, opts.quick, await projectVersion());
    if (difference) throw new UserError(cliMsg.resumeMismatch(resultsFile, `run (${difference})`));
    return previous;
  }
  if (opts.refuseOverwrite && existsSync(resultsFile)) {
    // An unreadable file holds nothing a user could lose by replacing it.
    const existing = await readResults(resultsFile).catch(() => undefined);
    // The same run written by another simulator version is replaced: a re-run after an upgrade is that run.
    const difference = existing && hasMeasuredPoints(existing) ? runDifference(existing, sc, opts.quick) : undefined;
    if (difference) throw new UserError(cliMsg.overwriteRefused(resultsFile, difference));
  }
  return undefined;
}

/** A saved model to use instead of training, and the folder it came from. */
interface SavedModel {
  model: TrainedAutoencoder;
  from: string;
}

/**
 * Loads every saved model this run uses (--resume: the run's own models/; --models DIR) before anything is
 * written, so a missing, damaged or mismatched model stops the command with the output folder untouched.
 */
async function loadSavedModels(ctx: RunContext, ae: AutoencoderApi | undefined): Promise<Map<string, SavedModel>> {
  const { opts, sc, modelsDir } = ctx;
  const saved = new Map<string, SavedModel>();
  for (const s of sc.systems) {
    if (s.type !== 'autoencoder') continue;
    const own = join(modelsDir, s.id);
    let from: string | undefined;
    if (opts.resume && existsSync(join(own, 'autoencoder.json'))) from = own;
    else if (opts.models) {
      from = join(opts.models, s.id);
      if (!existsSync(join(from, 'autoencoder.json'))) throw new UserError(cliMsg.modelMissing(s.id, opts.models));
    }
    if (!from) continue;
    const model = await ae!.TrainedAutoencoder.load(from);
    checkModelMatches(model.spec, s, from);
    saved.set(s.id, { model, from });
  }
  return saved;
}

/** Shards > 1 do not write models: shard 1 (or a --models folder) is the one copy. */
const writesModels = (opts: RunOptions): boolean => !opts.shard || opts.shard.index === 1;

/** Trains one autoencoder (undefined: interrupted). Its seed path is (scenario seed, 'train', id). */
async function trainModel(ctx: RunContext, ae: AutoencoderApi, s: CompiledAutoencoder): Promise<TrainedAutoencoder | undefined> {
  const { progress, signal } = ctx.opts;
  const t = s.train;
  progress.trainStart(s.id, t.steps, typeof t.ebnoDb === 'number' ? String(t.ebnoDb) : `${t.ebnoDb.from}…${t.ebnoDb.to}`);
  let model: TrainedAutoencoder;
  try {
    model = await ae.trainAutoencoder(
      autoencoderSpecOf(s),
      {
        ebnoDb: t.ebnoDb,
        batchSize: t.batchSize,
        steps: t.steps,
        learningRate: t.learningRate,
        ...(t.convergence ? { convergence: t.convergence } : {}),
        ...(t.refine ? { refine: t.refine } : {}),
        seed: deriveSeed(ctx.sc.seed, 'train', s.id),
        signal,
        onProgress: (p) => progress.trainTick(s.id, p),
      },
    );
  } catch (e) {
    if (e instanceof ae.TrainingAbortedError || signal?.aborted) {
      progress.sweepEnd(s.id);
      return undefined;
    }
    throw e;
  }
  const extensions = model.training.extensions?.length ?? 0;
  progress.trainEnd(s.id, model.training.seconds, model.training.finalAccuracy, model.training.restarts, extensions, model.training.refinement);
  if (extensions >= DEFAULTS.train.maxExtensions) progress.log(cliMsg.decoderMayLag(s.id, extensions));
  return model;
}

/** An autoencoder for this run: the saved one, or a newly trained one; saved into the run's models/. */
async function obtainModel(
  ctx: RunContext,
  ae: AutoencoderApi,
  s: CompiledAutoencoder,
  saved: SavedModel | undefined,
): Promise<{ model: TrainedAutoencoder; source: ModelSource } | undefined> {
  const own = join(ctx.modelsDir, s.id);
  if (saved) {
    ctx.opts.progress.log(cliMsg.modelLoaded(s.id, saved.from));
    if (resolve(saved.from) !== resolve(own) && writesModels(ctx.opts)) await saved.model.save(own);
    return { model: saved.model, source: 'loaded' };
  }
  const model = await trainModel(ctx, ae, s);
  if (!model) return undefined;
  if (writesModels(ctx.opts)) await model.save(own);
  return { model, source: 'trained' };
}

/**
 * A two-user system's trained pairs (loaded from the run's models/ on --resume, or from --models), their
 * codebooks and training records written into its curves, and the block systems to measure.
 */
async function obtainTwoUser(ctx: RunContext, s: CompiledTwoUser, results?: ResultsFile): Promise<[string, BlockSystem][] | undefined> {
  const tu = await import('../src/run/two-user.ts');
  const { progress, signal } = ctx.opts;
  const from = ctx.opts.resume ? ctx.modelsDir : ctx.opts.models;
  let users = from ? await tu.loadTwoUser(from, s.id) : undefined;
  if (!users && ctx.opts.models && !ctx.opts.resume) throw new UserError(cliMsg.modelMissing(`${s.id}-u1`, ctx.opts.models));
  let source: ModelSource = 'loaded';
  let record: import('../src/twouser/train.ts').TwoUserRecord | undefined;
  if (users) progress.log(cliMsg.modelLoaded(s.id, from!));
  else {
    const t = s.train;
    progress.trainStart(s.id, t.steps, typeof t.ebnoDb === 'number' ? String(t.ebnoDb) : `${t.ebnoDb.from}…${t.ebnoDb.to}`);
    const trained = await tu.trainTwoUserSystem(s, ctx.sc.seed, { signal, onProgress: (p) => progress.trainTick(s.id, p) });
    if (!trained) {
      progress.sweepEnd(s.id);
      return undefined;
    }
    users = trained.users;
    record = trained.record;
    source = 'trained';
    const tr = users[0].training;
    progress.trainEnd(s.id, tr.seconds, (users[0].training.finalAccuracy + users[1].training.finalAccuracy) / 2, tr.restarts);
  }
  if (writesModels(ctx.opts)) for (const user of [1, 2] as const) await users[user - 1].save(tu.twoUserModelDir(ctx.modelsDir, s.id, user));
  const systems = tu.twoUserSystems(s, users);
  const rows = users.map((u) => codebookRows(u.codebook(), 2 ** s.k, 2 * s.n));
  for (const c of results?.curves ?? []) {
    if (c.twoUser?.of !== s.id) continue;
    const u = c.twoUser.user;
    c.codebook = rows[u - 1];
    c.otherCodebook = rows[2 - u];
    if (!c.mlOf) {
      c.training = trainingSummary(users[u - 1].training, source);
      if (record) c.twoUserTraining = { alpha: [...record.alpha], loss1: [...record.loss1], loss2: [...record.loss2] };
    }
  }
  return systems;
}

/**
 * The `<id>-searched` curve: the same codebook and decoder under the labelling the binary switching algorithm
 * finds at `labellingEbnoDb` (src/autoencoder/labelling.ts); measured on the autoencoder's streams, so its block
 * counts are the autoencoder's and only the bit errors differ. The labels are recorded on the curve.
 */
function searchedCurve(results: ResultsFile, s: CompiledAutoencoder, system: BlockSystem): [string, BlockSystem] {
  const id = `${s.id}-searched`;
  const found = searchLabelling(system, s.labellingEbnoDb!);
  const curve = results.curves.find((c) => c.id === id)!;
  curve.labels = Array.from(found.labels);
  curve.labellingSearch = { ebnoDb: found.ebnoDb, startCost: found.startCost, cost: found.cost, swaps: found.swaps };
  return [id, { ...system, id, labels: found.labels }];
}

/** Builds the classical system of a scenario entry. */
async function classicalSystem(s: Exclude<CompiledSystem, CompiledAutoencoder | CompiledTwoUser>): Promise<BlockSystem> {
  const b = await loadBaselines();
  if (s.type === 'hamming74-dbpsk') return b.hamming74DbpskSystem({ id: s.id, channel: s.channel });
  // Time sharing (n, k) is measured as the uncoded system it equals (src/scenario/compile-two-user.ts, `compileTimeSharing`).
  return s.type === 'hamming74'
    ? b.hamming74System({ id: s.id, decoding: s.decoding, channel: s.channel })
    : b.uncodedSystem({ id: s.id, modulation: s.modulation, k: s.k, channel: s.channel });
}

/** Closed-form curve on a fine grid over the sweep range, where one exists. */
async function analyticFor(system: BlockSystem, ebno: number[]): Promise<{ ebnoDb: number; bler: number }[] | undefined> {
  const grid = analyticGrid(ebno);
  const values = (await loadBaselines()).analyticCurve(system, grid);
  return values?.map((bler, i) => ({ ebnoDb: grid[i], bler }));
}

/** Closed-form BER on the same grid, where one exists. */
async function analyticBerFor(system: BlockSystem, ebno: number[]): Promise<{ ebnoDb: number; ber: number }[] | undefined> {
  const grid = analyticGrid(ebno);
  const values = (await loadBaselines()).analyticBerCurve(system, grid);
  return values?.map((ber, i) => ({ ebnoDb: grid[i], ber }));
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
async function newResults(ctx: RunContext, started: number, backend: string, backendReason: string, tfVersion: string, previous?: ResultsFile): Promise<ResultsFile> {
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
async function finishRun(ctx: RunContext, results: ResultsFile, save: () => Promise<void>, interrupted: boolean): Promise<Pick<RunOutcome, 'reportFile' | 'csvFile'>> {
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
  const { progress, signal } = opts;
  const ctx = runContext(scenarioIn, opts);
  const { sc, ebno } = ctx;

  const previous = await restorePreviousRun(ctx);
  const ae = sc.systems.some((s) => s.type === 'autoencoder') ? await loadAutoencoder() : undefined;
  const { tf } = await import('../src/backend.ts');
  const { chooseBackendFor } = await import('../src/run/backend-workload.ts');
  // The command has usually chosen already, for all its scenarios; otherwise this scenario decides.
  const { backend, reason: backendReason } = await chooseBackendFor([sc]);
  progress.log(cliMsg.runStart(sc.name, ctx.dir, opts.quick));
  progress.log(cliMsg.backend(backend, backendReason));
  // Before anything is written: a bad saved model leaves the output folder untouched.
  const saved = await loadSavedModels(ctx, ae);
  const mc = await loadMonteCarlo();
  await loadBaselines();

  const started = Date.now();
  const tfVersion = (tf.version as Record<string, string>).tfjs ?? tf.version_core;
  const results = await newResults(ctx, started, backend, backendReason, tfVersion, previous);
  const save = resultsWriter(results, ctx.resultsFile, started, previous?.seconds ?? 0);
  const ownPool = !opts.pool;
  const pool = opts.pool ?? (await mc.createPool(opts.workers));
  results.workers = pool.workers;

  let interrupted = false;
  try {
    for (const s of sc.systems) {
      if (signal?.aborted) break;
      const curves: [string, BlockSystem][] = [];
      if (s.type === 'two-user') {
        // Two users (src/twouser/): both pairs trained together; every curve on the system's own streams.
        const pairs = await obtainTwoUser(ctx, s, results);
        if (!pairs) {
          interrupted = true;
          break;
        }
        curves.push(...pairs);
        await save();
        if (opts.trainOnly) continue;
        for (const [curveId, system] of curves) {
          if (signal?.aborted) break;
          await measureCurve(ctx, mc, pool, results, save, curveId, system, s.id, Boolean(previous));
        }
        continue;
      }
      if (s.type === 'autoencoder') {
        const obtained = await obtainModel(ctx, ae!, s, saved.get(s.id));
        if (!obtained) {
          interrupted = true;
          break;
        }
        const system = obtained.model.toBlockSystem(s.id);
        const rows = codebookRows(system.codebook, 2 ** s.k, realDims(s.n, s.signalling));
        for (const c of results.curves.filter((c) => c.id === s.id || c.mlOf === s.id)) {
          c.codebook = rows;
          if (c.id === s.id) c.training = trainingSummary(obtained.model.training, obtained.source);
        }
        if (s.receiver) {
          // What the RTN's estimator learned, on blocks at the top of its training range.
          const e = s.train.ebnoDb;
          const examples = rtnExamples(obtained.model, deriveSeed(ctx.sc.seed, 'rtn', s.id), typeof e === 'number' ? e : e.to);
          if (examples) results.curves.find((c) => c.id === s.id)!.rtn = examples;
        }
        curves.push([s.id, system]);
        if (s.labelling === 'search') curves.push(searchedCurve(results, s, system));
        if (s.mlReference) curves.push([`${s.id}-ml`, (await loadBaselines()).mlDecoderFor(system, `${s.id}-ml`)]);
        await save();
      } else {
        const system = await classicalSystem(s);
        const analytic = await analyticFor(system, ebno);
        const curve = results.curves.find((c) => c.id === s.id)!;
        if (analytic?.length) curve.analytic = analytic;
        const analyticBer = await analyticBerFor(system, ebno);
        if (analyticBer?.length) curve.analyticBer = analyticBer;
        curves.push([s.id, system]);
      }
      if (opts.trainOnly) continue;
      // An autoencoder's -ml curve uses the autoencoder's streams (a paired comparison).
      for (const [curveId, system] of curves) {
        if (signal?.aborted) break;
        await measureCurve(ctx, mc, pool, results, save, curveId, system, s.id, Boolean(previous));
      }
      if (s.type === 'autoencoder' && s.mlReference && !signal?.aborted && !opts.trainOnly) warnIfDecoderLags(results, s.id, `${s.id}-ml`, progress);
    }
  } finally {
    progress.stop();
    if (ownPool) await pool.destroy();
  }
  interrupted ||= Boolean(signal?.aborted);
  const written = await finishRun(ctx, results, save, interrupted);
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
  if (short) out?.log(cliMsg.mergeIncomplete(dir, short, `sim run <scenario> --out ${resolve(dir, '..')} --seed ${merged.seed} --resume${merged.quick ? ' --quick' : ''}`));
  return { resultsFile, reportFile, shortPoints: short };
}
