/**
 * `sim run` orchestration: for one compiled scenario, train (or load) every autoencoder, build every
 * system, sweep Eb/N0 with the Monte Carlo engine, and write results.json after every finished point, then
 * report.html and the index of runs.
 *
 * Random streams: training of system `id` uses seed path (seed, 'train', id). Monte Carlo streams are keyed
 * by (seed, 'mc') and the system id; an autoencoder's `-ml` curve uses the autoencoder's own stream id, so
 * the learned and the ML decoder see identical messages and noise (a paired comparison).
 */
import { annotateResults } from '../src/analysis/annotate.ts';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { channelLabel } from '../channels/index.ts';
import { UserError } from '../src/errors.ts';
import { cliMsg, resultsMsg } from '../src/messages.ts';
import type { PointResult, SweepOptions } from '../src/montecarlo/types.ts';
import { realDims } from '../src/conventions.ts';
import { deriveSeed } from '../src/random.ts';
import { writeFileAtomic } from '../src/report/atomic.ts';
import { renderReport } from '../src/report/html.ts';
import { writeIndex } from '../src/report/index-page.ts';
import { isFinished, readResults, RESULTS_FORMAT, type Curve, type ResultsFile, type TrainingSummary } from '../src/report/results.ts';
import { curvePlan, quickScenario, type CompiledAutoencoder, type CompiledScenario, type CompiledSystem, type CurvePlan } from '../src/scenario/compile.ts';
import type { BlockSystem } from '../src/system.ts';
import { loadAutoencoder, loadBaselines, loadMonteCarlo, type McPool, type MonteCarloApi, type TrainedAutoencoder } from './engines.ts';
import type { Progress } from './progress.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export interface RunOptions {
  out: string;
  workers?: number;
  seed?: number | string;
  quick: boolean;
  resume: boolean;
  /** Folder with <system id>/ saved models to load instead of training. */
  models?: string;
  shard?: Shard;
  signal?: AbortSignal;
  progress: Progress;
  /** Reuse a pool across scenarios of one command. */
  pool?: McPool;
}

export interface RunOutcome {
  dir: string;
  resultsFile: string;
  reportFile?: string;
  results: ResultsFile;
  interrupted: boolean;
}


export const shardFileName = (s: Shard): string => `results.shard-${s.index}-of-${s.count}.json`;

/** Point indices a shard simulates: interleaved, so every shard gets low and high Eb/N0 points alike. */
export const shardIndices = (points: number, s: Shard): number[] =>
  Array.from({ length: points }, (_, i) => i).filter((i) => i % s.count === s.index - 1);

export async function projectVersion(): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '?';
  }
}

/** Stable JSON (sorted keys) for comparing scenarios. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** The scenario a run executes: seed override, then --quick budgets. */
export function effectiveScenario(sc: CompiledScenario, opts: Pick<RunOptions, 'seed' | 'quick'>): CompiledScenario {
  const seeded = opts.seed === undefined ? sc : { ...sc, seed: opts.seed };
  return opts.quick ? quickScenario(seeded) : seeded;
}

/** The on-disk codebook: M rows of `dims` real values (complex rows interleaved I, Q, I, Q, …), rounded to 1e-6. */
function codebookRows(flat: Float32Array, M: number, dims: number): number[][] {
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return Array.from({ length: M }, (_, m) => Array.from(flat.subarray(m * dims, (m + 1) * dims), round));
}

function trainingSummary(t: TrainedAutoencoder['training'], source: 'trained' | 'loaded'): TrainingSummary {
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
    source,
  };
}

const pending = (ebnoDb: number): PointResult => ({
  ebnoDb,
  blocks: 0,
  errors: 0,
  bler: 0,
  ciLow: 0,
  ciHigh: 1,
  seconds: 0,
  status: 'not-simulated',
  reason: 'not-run-yet',
  note: 'not run yet',
});

function emptyCurve(plan: CurvePlan, ebno: number[]): Curve {
  const s = plan.system;
  return {
    id: plan.id,
    label: plan.label,
    type: plan.mlOf ? 'autoencoder-ml' : s.type,
    k: s.k,
    n: s.n,
    rate: s.k / s.n,
    signalling: s.signalling,
    ...(s.type === 'autoencoder' ? { normalization: s.normalization } : {}),
    channel: s.channel,
    points: ebno.map((e) => pending(e)),
    ...(plan.mlOf ? { mlOf: plan.mlOf } : {}),
  };
}

function checkModelMatches(model: TrainedAutoencoder, s: CompiledAutoencoder, dir: string): void {
  const m = model.spec;
  const diffs: string[] = [];
  if (m.k !== s.k) diffs.push(`k ${m.k} ≠ ${s.k}`);
  if (m.n !== s.n) diffs.push(`n ${m.n} ≠ ${s.n}`);
  if (m.signalling !== s.signalling) diffs.push(`signalling ${m.signalling} ≠ ${s.signalling}`);
  if (m.normalization !== s.normalization) diffs.push(`normalization ${m.normalization} ≠ ${s.normalization}`);
  if (stableJson(m.channel) !== stableJson(s.channel)) diffs.push(`channel ${channelLabel(m.channel)} ≠ ${channelLabel(s.channel)}`);
  if (diffs.length) throw new UserError(cliMsg.modelMismatch(s.id, dir, diffs.join(', ')));
}

/** Builds the classical system of a scenario entry. */
async function classicalSystem(s: Exclude<CompiledSystem, CompiledAutoencoder>): Promise<BlockSystem> {
  const b = await loadBaselines();
  return s.type === 'hamming74'
    ? b.hamming74System({ id: s.id, decoding: s.decoding, channel: s.channel })
    : b.uncodedSystem({ id: s.id, modulation: s.modulation, k: s.k, channel: s.channel });
}

/** Closed-form curve on a fine grid over the sweep range (≤ 0.25 dB spacing, at most 241 points). */
async function analyticFor(system: BlockSystem, ebno: number[]): Promise<{ ebnoDb: number; bler: number }[] | undefined> {
  const lo = Math.min(...ebno);
  const hi = Math.max(...ebno);
  const step = Math.max(0.25, (hi - lo) / 240);
  const grid = hi > lo ? Array.from({ length: Math.floor((hi - lo) / step + 1e-9) + 1 }, (_, i) => Math.round((lo + i * step) * 1e6) / 1e6) : [lo];
  if (grid[grid.length - 1] < hi) grid.push(hi);
  const values = (await loadBaselines()).analyticCurve(system, grid);
  return values?.map((bler, i) => ({ ebnoDb: grid[i], bler }));
}

/** Runs one scenario; results.json is written after every finished point. */
export async function runScenario(scenarioIn: CompiledScenario, opts: RunOptions): Promise<RunOutcome> {
  const { progress, signal } = opts;
  const sc = effectiveScenario(scenarioIn, opts);
  const dir = resolve(opts.out, sc.name);
  const resultsFile = join(dir, opts.shard ? shardFileName(opts.shard) : 'results.json');
  const modelsDir = join(dir, 'models');
  const plans = curvePlan(sc);
  const ebno = sc.sweep.ebnoDb;
  const indices = opts.shard ? shardIndices(ebno.length, opts.shard) : undefined;

  // --resume: keep the finished points of the previous run of the same scenario.
  let previous: ResultsFile | undefined;
  if (opts.resume) {
    if (existsSync(resultsFile)) {
      previous = await readResults(resultsFile);
      if (stableJson(previous.scenario) !== stableJson(sc)) throw new UserError(cliMsg.resumeMismatch(resultsFile, 'scenario (or --seed / --quick)'));
      if (previous.quick !== opts.quick) throw new UserError(cliMsg.resumeMismatch(resultsFile, '--quick setting'));
    } else progress.log(cliMsg.resumeNothing(resultsFile));
  }
  // --models: every autoencoder must have a saved model before anything runs.
  if (opts.models) {
    for (const s of sc.systems)
      if (s.type === 'autoencoder' && !existsSync(join(opts.models, s.id, 'autoencoder.json'))) throw new UserError(cliMsg.modelMissing(s.id, opts.models));
  }

  const ae = sc.systems.some((s) => s.type === 'autoencoder') ? await loadAutoencoder() : undefined;
  const { initBackend, tf } = await import('../src/backend.ts');
  const backend = await initBackend();
  progress.log(cliMsg.runStart(sc.name, dir, opts.quick));
  progress.log(cliMsg.backend(backend));
  const mc: MonteCarloApi = await loadMonteCarlo();
  await loadBaselines();

  const started = Date.now();
  const results: ResultsFile = {
    format: RESULTS_FORMAT,
    scenario: sc,
    seed: sc.seed,
    backend,
    versions: { node: process.versions.node, tfjs: (tf.version as Record<string, string>).tfjs ?? tf.version_core, project: await projectVersion() },
    startedAt: new Date(started).toISOString(),
    seconds: 0,
    quick: opts.quick,
    ...(opts.shard ? { shard: opts.shard } : {}),
    complete: false,
    curves: plans.map((p) => emptyCurve(p, ebno)),
  };
  const prevSeconds = previous?.seconds ?? 0;
  if (previous) {
    results.startedAt = previous.startedAt;
    for (const c of results.curves) {
      const old = previous.curves.find((o) => o.id === c.id);
      if (!old) continue;
      c.points = old.points.map((p) => (isFinished(p) || p.status === 'not-simulated' ? p : { ...p, status: 'interrupted', reason: 'interrupted' }));
      if (old.codebook) c.codebook = old.codebook;
      if (old.training) c.training = old.training;
      if (old.analytic) c.analytic = old.analytic;
    }
  }

  // Writes are chained so two never race on the same file.
  let writing: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    results.seconds = prevSeconds + (Date.now() - started) / 1000;
    annotateResults(results);
    const text = JSON.stringify(results, null, 1);
    writing = writing.then(() => writeFileAtomic(resultsFile, text));
    return writing;
  };

  const ownPool = !opts.pool;
  const pool = opts.pool ?? (await mc.createPool(opts.workers));
  results.workers = pool.workers;
  let interrupted = false;
  try {
    for (const s of sc.systems) {
      if (signal?.aborted) break;
      let system: BlockSystem;
      let mlSystem: BlockSystem | undefined;
      if (s.type === 'autoencoder') {
        const mod = ae!;
        let model: TrainedAutoencoder | undefined;
        let source: 'trained' | 'loaded' = 'loaded';
        const own = join(modelsDir, s.id);
        const from = opts.resume && existsSync(join(own, 'autoencoder.json')) ? own : opts.models ? join(opts.models, s.id) : undefined;
        if (from) {
          model = await mod.TrainedAutoencoder.load(from);
          checkModelMatches(model, s, from);
          progress.log(cliMsg.modelLoaded(s.id, from));
          if (resolve(from) !== resolve(own) && (!opts.shard || opts.shard.index === 1)) await model.save(own);
        } else {
          source = 'trained';
          const t = s.train;
          progress.trainStart(s.id, t.steps, typeof t.ebnoDb === 'number' ? String(t.ebnoDb) : `${t.ebnoDb.from}…${t.ebnoDb.to}`);
          try {
            model = await mod.trainAutoencoder(
              {
                k: s.k,
                n: s.n,
                signalling: s.signalling,
                normalization: s.normalization,
                channel: s.channel,
                encoder: s.encoder,
                decoder: s.decoder,
              },
              {
                ebnoDb: t.ebnoDb,
                batchSize: t.batchSize,
                steps: t.steps,
                learningRate: t.learningRate,
                seed: deriveSeed(sc.seed, 'train', s.id),
                signal,
                onProgress: (p) => progress.trainTick(s.id, p),
              },
            );
          } catch (e) {
            if (e instanceof mod.TrainingAbortedError || signal?.aborted) {
              progress.sweepEnd(s.id);
              interrupted = true;
              break;
            }
            throw e;
          }
          progress.trainEnd(s.id, model.training.seconds, model.training.finalAccuracy, model.training.restarts);
          // Shards > 1 do not write models: shard 1 (or a --models folder) is the one copy.
          if (!opts.shard || opts.shard.index === 1) await model.save(own);
        }
        system = model.toBlockSystem(s.id);
        const M = 2 ** s.k;
        for (const c of results.curves.filter((c) => c.id === s.id || c.mlOf === s.id)) {
          c.codebook = codebookRows(system.codebook, M, realDims(s.n, s.signalling));
          if (c.id === s.id) c.training = trainingSummary(model.training, source);
        }
        if (s.mlReference) mlSystem = (await loadBaselines()).mlDecoderFor(system, `${s.id}-ml`);
        await save();
      } else {
        system = await classicalSystem(s);
        const analytic = await analyticFor(system, ebno);
        const c = results.curves.find((c) => c.id === s.id)!;
        if (analytic?.length) c.analytic = analytic;
      }

      for (const [curveId, sys] of [[s.id, system], ...(mlSystem ? [[mlSystem.id, mlSystem]] : [])] as [string, BlockSystem][]) {
        if (signal?.aborted) break;
        const curve = results.curves.find((c) => c.id === curveId)!;
        const kept = curve.points.filter(isFinished).length;
        if (kept) progress.log(cliMsg.pointKept(curveId, kept));
        progress.sweepStart(curveId, ebno, indices ?? []);
        const sweep: SweepOptions = {
          ebnoDb: ebno,
          rules: sc.montecarlo,
          seed: deriveSeed(sc.seed, 'mc'),
          streamId: s.id,
          ...(indices ? { pointIndices: indices } : {}),
          ...(previous ? { resumeFrom: curve.points } : {}),
          signal,
          onChunk: (p) => progress.chunk(curveId, p),
          onPoint: (r, i) => {
            curve.points[i] = r;
            progress.point(curveId, i, r);
            void save();
          },
        };
        const points = await mc.runSweep(sys, sweep, pool);
        curve.points = points;
        progress.sweepEnd(curveId);
        await save();
        if (signal?.aborted) break;
      }
    }
  } finally {
    progress.stop();
    if (ownPool) await pool.destroy();
  }
  interrupted ||= Boolean(signal?.aborted);
  if (interrupted) {
    for (const c of results.curves)
      c.points = c.points.map((p) => (p.reason === 'not-run-yet' ? { ...p, status: 'interrupted', reason: 'interrupted', note: 'run interrupted before this point' } : p));
  }
  const wanted = (i: number) => !indices || indices.includes(i);
  results.complete = !interrupted && results.curves.every((c) => c.points.every((p, i) => !wanted(i) || p.status !== 'interrupted'));
  await save();
  let reportFile: string | undefined;
  if (!opts.shard) {
    reportFile = join(dir, 'report.html');
    await writeFileAtomic(reportFile, () => renderReport(results));
    await writeIndex(resolve(opts.out));
  }
  return { dir, resultsFile, reportFile, results, interrupted };
}

/** `sim merge <dir>`: combine results.shard-i-of-N.json into results.json and report.html. */
export async function mergeRun(dir: string, out?: { log(line: string): void }): Promise<{ resultsFile: string; reportFile: string }> {
  const { readdir } = await import('node:fs/promises');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => /^results\.shard-\d+-of-\d+\.json$/.test(n));
  if (!names.length) throw new UserError(resultsMsg.noShards(dir));
  const parts = await Promise.all(names.map(async (n) => ({ file: join(dir, n), r: await readResults(join(dir, n)) })));
  const first = parts[0];
  const count = first.r.shard?.count ?? 0;
  for (const p of parts) {
    if (stableJson(p.r.scenario) !== stableJson(first.r.scenario)) throw new UserError(resultsMsg.shardMismatch(p.file, 'scenario'));
    if (p.r.quick !== first.r.quick) throw new UserError(resultsMsg.shardMismatch(p.file, '--quick'));
    if (p.r.shard?.count !== count) throw new UserError(resultsMsg.shardMismatch(p.file, 'shard count'));
  }
  const have = [...new Set(parts.map((p) => p.r.shard!.index))].sort((a, b) => a - b);
  if (have.length !== count) throw new UserError(resultsMsg.shardCountMismatch(dir, have, count));
  parts.sort((a, b) => a.r.shard!.index - b.r.shard!.index);
  const mc = await loadMonteCarlo();
  const sc = first.r.scenario;
  const curves: Curve[] = first.r.curves.map((c) => {
    const same = parts.map((p) => p.r.curves.find((o) => o.id === c.id)!);
    if (c.codebook && same.some((o) => o.codebook && stableJson(o.codebook) !== stableJson(c.codebook)))
      throw new UserError(resultsMsg.shardCodebookMismatch(c.id));
    return { ...c, points: mc.mergeShards(same.map((o) => o.points), sc.montecarlo) };
  });
  const merged: ResultsFile = {
    ...first.r,
    shard: undefined,
    backend: [...new Set(parts.map((p) => p.r.backend))].join(', '),
    startedAt: parts.map((p) => p.r.startedAt).sort()[0],
    seconds: Math.max(...parts.map((p) => p.r.seconds)),
    complete: parts.every((p) => p.r.complete),
    curves,
  };
  delete merged.shard;
  annotateResults(merged);
  const resultsFile = join(dir, 'results.json');
  const reportFile = join(dir, 'report.html');
  await writeFileAtomic(resultsFile, JSON.stringify(merged, null, 1));
  await writeFileAtomic(reportFile, () => renderReport(merged));
  out?.log(cliMsg.wrote(resultsFile));
  return { resultsFile, reportFile };
}
