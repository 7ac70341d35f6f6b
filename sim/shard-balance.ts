/**
 * How evenly balanced shards split the Monte Carlo work (the target: with N = 4 shards of a 12-point
 * (7,4) sweep down to BLER 1e-6, the slowest shard's Monte Carlo time ≤ 1.3 × the unsharded time / N).
 *
 *   npx tsx sim/shard-balance.ts [--shards N] [--workers W] [--repeat R] [--cpu R] [--keep DIR]
 *
 * Through the real command line: trains once (--train-only), runs the sweep unsharded and as N shards one
 * after another (all with the same --models and --workers), merges, completes points a plan left short
 * (--resume), checks that the merged counts equal the unsharded run's, and prints one JSON object. A run's
 * Monte Carlo time is the sum of its points' `seconds` (chunk time only: no start-up, model loading or
 * worker start). Run it on an otherwise quiet machine; `loadAverage1m` is in the output.
 *
 * `--cpu R` adds the same comparison in this process, less sensitive to other jobs: the sweep and each
 * shard run inline (runSweep without a worker pool, on the model trained above), R times, timed by this
 * process's CPU time (process.cpuUsage) as well as by the clock.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import type { ResultsFile } from '../src/results/results.ts';
import { initBackend } from '../src/backend.ts';
import { TrainedAutoencoder } from '../src/autoencoder/index.ts';
import { runSweep, type SweepOptions } from '../src/montecarlo/index.ts';
import { deriveSeed } from '../src/random.ts';
import { loadScenario } from '../src/scenario/index.ts';

/** CPU and clock seconds of the sweep run inline in this process, unsharded and as each of N shards. */
async function inlineCpu(models: string, reps: number): Promise<{ cpu: number[]; wall: number[] }[]> {
  await initBackend();
  const sc = await loadScenario(SCENARIO);
  const id = sc.systems[0].id;
  const system = (await TrainedAutoencoder.load(join(models, id))).toBlockSystem(id);
  const base: SweepOptions = { ebnoDb: sc.sweep.ebnoDb, rules: sc.montecarlo, seed: deriveSeed(sc.seed, 'mc'), streamId: id };
  const runs: { cpu: number[]; wall: number[] }[] = Array.from({ length: N + 1 }, () => ({ cpu: [], wall: [] }));
  for (let rep = 0; rep < reps; rep++) {
    for (let k = 0; k <= N; k++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await runSweep(system, k === 0 ? base : { ...base, shard: { index: k, count: N } });
      const c = process.cpuUsage(c0);
      runs[k].cpu.push((c.user + c.system) / 1e6);
      runs[k].wall.push((performance.now() - t0) / 1000);
    }
  }
  return runs;
}

const arg = (name: string, fallback: string): string => {
  const k = process.argv.indexOf(name);
  return k > 0 ? process.argv[k + 1] : fallback;
};
const N = Number(arg('--shards', '4'));
const workers = arg('--workers', '1');
const keep = arg('--keep', '');
const repeat = Number(arg('--repeat', '1'));
const cpuRepeat = Number(arg('--cpu', '0'));
const BIN = join(import.meta.dirname, 'bin.js');
const SCENARIO = join(import.meta.dirname, '..', 'bench', 'shard-balance.yaml');

function sim(args: string[]): { seconds: number; stderr: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  if (r.status !== 0) throw new Error(`sim ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return { seconds: (performance.now() - t0) / 1000, stderr: r.stderr };
}
const read = async (f: string) => JSON.parse(await readFile(f, 'utf8')) as ResultsFile;
const blocks = (r: ResultsFile) => r.curves.reduce((t, c) => t + c.points.reduce((u, p) => u + p.blocks, 0), 0);
const mcSeconds = (r: ResultsFile) => r.curves.reduce((t, c) => t + c.points.reduce((u, p) => u + p.seconds, 0), 0);
const counts = (r: ResultsFile) => JSON.stringify(r.curves.map((c) => c.points.map((p) => [p.blocks, p.errors, p.status])));

const out = keep || (await mkdtemp(join(os.tmpdir(), 'shard-balance-')));
try {
  const load = os.loadavg()[0];
  sim(['run', SCENARIO, '--out', join(out, 'train'), '--train-only']);
  const models = join(out, 'train', 'shard-balance', 'models');
  const common = ['--models', models, '--workers', workers];
  // Each repetition runs the unsharded sweep and then the N shards, one after another; the minimum over
  // repetitions of each run's time is the least disturbed by other jobs on the machine.
  const fullMc: number[] = [];
  const fullWall: number[] = [];
  const shardMc: number[][] = Array.from({ length: N }, () => []);
  const shards: { wall: number; blocks: number }[] = [];
  const dir = join(out, 'shards', 'shard-balance');
  let unsharded: ResultsFile | undefined;
  for (let rep = 0; rep < repeat; rep++) {
    const w = sim(['run', SCENARIO, '--out', join(out, 'full'), ...common]);
    unsharded = await read(join(out, 'full', 'shard-balance', 'results.json'));
    fullMc.push(mcSeconds(unsharded));
    fullWall.push(w.seconds);
    for (let i = 1; i <= N; i++) {
      const sw = sim(['run', SCENARIO, '--out', join(out, 'shards'), '--shard', `${i}/${N}`, ...common]);
      const part = await read(join(dir, `results.shard-${i}-of-${N}.json`));
      shardMc[i - 1].push(mcSeconds(part));
      shards[i - 1] = { wall: sw.seconds, blocks: blocks(part) };
    }
  }
  if (!unsharded) throw new Error('--repeat must be at least 1');
  const full = { seconds: Math.min(...fullWall) };
  sim(['merge', dir]);
  const merged = await read(join(dir, 'results.json'));
  const short = merged.curves.flatMap((c) => c.points).filter((p) => p.reason === 'shards-short');
  let resumeMc = 0;
  if (short.length) {
    const before = mcSeconds(merged);
    sim(['run', SCENARIO, '--out', join(out, 'shards'), '--resume', '--workers', workers]);
    resumeMc = mcSeconds(await read(join(dir, 'results.json'))) - before;
  }
  const final = await read(join(dir, 'results.json'));
  const least = (v: number[]) => Math.min(...v);
  const unshardedMc = least(fullMc);
  const slowest = Math.max(...shardMc.map(least));
  console.log(
    JSON.stringify(
      {
        date: new Date().toISOString(),
        cpu: os.cpus()[0]?.model,
        cores: os.availableParallelism(),
        loadAverage1m: load,
        backend: unsharded.backend,
        shards: N,
        workers: Number(workers),
        points: unsharded.curves[0].points.map((p) => `${p.ebnoDb} dB: ${p.errors}/${p.blocks} ${p.status}`),
        repeat,
        loadAverage1mAfter: os.loadavg()[0],
        unshardedMcSecondsEachRun: fullMc.map((t) => +t.toFixed(2)),
        shardMcSecondsEachRun: shardMc.map((v) => v.map((t) => +t.toFixed(2))),
        // Least over the repetitions:
        unshardedMcSeconds: +unshardedMc.toFixed(2),
        unshardedWallSeconds: +full.seconds.toFixed(2),
        shardMcSeconds: shardMc.map((v) => +least(v).toFixed(2)),
        shardWallSecondsLastRun: shards.map((s) => +s.wall.toFixed(2)),
        slowestOverIdeal: +(slowest / (unshardedMc / N)).toFixed(3),
        // The same balance in simulated blocks: the work itself, free of the machine's timing noise.
        unshardedBlocks: blocks(unsharded),
        shardBlocks: shards.map((s) => s.blocks),
        slowestOverIdealBlocks: +(Math.max(...shards.map((s) => s.blocks)) / (blocks(unsharded) / N)).toFixed(3),
        totalShardMcOverUnsharded: +(shardMc.reduce((t, v) => t + least(v), 0) / unshardedMc).toFixed(3),
        pointsLeftShort: short.length,
        resumeMcSeconds: +resumeMc.toFixed(2),
        mergedEqualsUnsharded: counts(final) === counts(unsharded),
      },
      null,
      1,
    ),
  );
  if (counts(final) !== counts(unsharded)) process.exitCode = 1;
  if (cpuRepeat > 0) {
    const runs = await inlineCpu(models, cpuRepeat);
    const least = (v: number[]) => Math.min(...v);
    const ratio = (what: 'cpu' | 'wall') => +(Math.max(...runs.slice(1).map((r) => least(r[what]))) / (least(runs[0][what]) / N)).toFixed(3);
    console.log(
      JSON.stringify(
        {
          inline: { repeat: cpuRepeat, loadAverage1m: os.loadavg()[0] },
          unshardedCpuSecondsEachRun: runs[0].cpu.map((t) => +t.toFixed(2)),
          shardCpuSecondsEachRun: runs.slice(1).map((r) => r.cpu.map((t) => +t.toFixed(2))),
          unshardedWallSecondsEachRun: runs[0].wall.map((t) => +t.toFixed(2)),
          shardWallSecondsEachRun: runs.slice(1).map((r) => r.wall.map((t) => +t.toFixed(2))),
          slowestOverIdealCpu: ratio('cpu'),
          slowestOverIdealWall: ratio('wall'),
        },
        null,
        1,
      ),
    );
  }
} finally {
  if (!keep && existsSync(out)) await rm(out, { recursive: true, force: true });
}
