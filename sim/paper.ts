/**
 * `npm run paper`: reproduce the paper's results and check its claims.
 *
 *   npm run paper [-- --quick] [--only fig3a-hamming74,power-constraints] [--all] [--out reports/paper] [--workers N] [--no-run]
 *
 * Runs the paper scenarios with the same orchestration as `sim run` (runScenario of sim/run.ts, one
 * worker pool for all of them), writes DIR/<scenario>/results.json + report.html + analysis.json, then
 * checks every claim and prints measured figure, bound and PASS/FAIL. Writes DIR/claims.json and
 * DIR/claims.md. Exit code 1 when a claim fails, 130 when interrupted.
 *
 * Which checks a paper scenario gets is said here (PAPER_CHECKS), not inferred from its name: each scenario
 * runs with `claims` set to its figure's check plus `ml-reference`, so its results.json and report carry the
 * same findings, computed by the same function (findingsOf, src/analysis/claim-registry.ts) as claims.json.
 *
 *   --quick   `sim run --quick` budgets (the reports say so) and the looser QUICK_BOUNDS
 *   --only    a subset of the scenarios (names, comma- or space-separated; EXTENDED_SCENARIOS too)
 *   --all     the default scenarios and EXTENDED_SCENARIOS (Fig. 6, about 4 more minutes)
 *   --no-run  re-check the claims of results already in DIR, without simulating
 */
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analysisOf } from '../src/analysis/annotate.ts';
import { findingsOf } from '../src/analysis/claim-registry.ts';
import type { ClaimName } from '../src/claim-catalogue.ts';
import { PAPER_BOUNDS, QUICK_BOUNDS, type ClaimBounds } from '../src/analysis/claims.ts';
import { claimsMarkdown } from '../src/analysis/claims-markdown.ts';
import { writeFileAtomic } from '../src/io/atomic.ts';
import { readResults, type Claim, type ResultsFile } from '../src/results/results.ts';
import { loadScenario, type CompiledScenario } from '../src/scenario/index.ts';
import { SCENARIO_DIR } from '../src/scenario/shipped.ts';
import { loadMonteCarlo } from './engines.ts';
import { makeProgress, type Progress } from './progress.ts';
import { UserError } from '../src/errors.ts';
import { runScenario } from './run.ts';

/** The paper scenarios, in the order they run (and their claims print), each with the check of its figure. */
export const PAPER_CHECKS = {
  'fig3a-hamming74': 'fig3a',
  'fig3b-rates': 'fig3b',
  'power-constraints': 'power-constraints',
  'robustness-seeds': 'robustness',
  'train-snr-study': 'train-snr',
  // Since the RTN trains data-parallel on the JavaScript step (measured 2026-11-23) the whole scenario takes about 1.5 minutes.
  'fig9-rtn': 'fig9-rtn',
} as const satisfies Record<string, ClaimName>;
export const PAPER_SCENARIOS = Object.keys(PAPER_CHECKS) as (keyof typeof PAPER_CHECKS)[];
/**
 * Paper scenarios left out of the default run, which must stay within 5 minutes: the two-user Fig. 6 alone
 * takes about 3.7 (its (4,8) pair trains for 2.8 on both vCPUs; README "Reproducing the paper" says why it
 * cannot be made to fit). `--all` or `--only` runs them, each with its own claims.
 */
export const EXTENDED_SCENARIOS = ['fig6-interference'] as const;
/** Reported for every paper scenario: each learned decoder against ML decoding of its own codebook. */
const PAPER_REFERENCE = 'ml-reference' satisfies ClaimName;

/** The claims `npm run paper` checks on a scenario: its figure's check and the reference; others keep their own. */
export function paperClaims(sc: Pick<CompiledScenario, 'name' | 'claims'>): ClaimName[] {
  const check = (PAPER_CHECKS as Record<string, ClaimName>)[sc.name];
  return check ? [check, PAPER_REFERENCE] : [...(sc.claims ?? [])];
}

/**
 * The claims of several results in the order claims.md has always had: every scenario's own checks in run
 * order, then the learned-vs-ML references of all of them.
 */
export function paperClaimList(results: readonly ResultsFile[], bounds: ClaimBounds): Claim[] {
  const own = results.flatMap((r) =>
    findingsOf(
      r,
      bounds,
      paperClaims(r.scenario).filter((n) => n !== PAPER_REFERENCE),
    ),
  );
  const references = results.flatMap((r) =>
    findingsOf(
      r,
      bounds,
      paperClaims(r.scenario).filter((n) => n === PAPER_REFERENCE),
    ),
  );
  return [...own, ...references];
}
export { SCENARIO_DIR };

export interface PaperOptions {
  out: string;
  quick: boolean;
  only?: string[];
  /** The EXTENDED_SCENARIOS too. */
  all?: boolean;
  workers?: number;
  /** Only re-check the claims of existing results. */
  noRun?: boolean;
  signal?: AbortSignal;
  progress?: () => Progress;
  log?: (line: string) => void;
  /** Scenarios to run instead of the shipped ones (tests). */
  scenarios?: CompiledScenario[];
  bounds?: ClaimBounds;
}

export interface PaperOutcome {
  claims: Claim[];
  results: ResultsFile[];
  seconds: number;
  failed: number;
  interrupted: boolean;
  claimsFile: string;
}

export function selectScenarios(only: string[] | undefined, all = false): string[] {
  const known: string[] = [...PAPER_SCENARIOS, ...EXTENDED_SCENARIOS];
  if (!only?.length) return all ? known : [...PAPER_SCENARIOS];
  const names = only
    .flatMap((s) => s.split(/[\s,]+/))
    .filter(Boolean)
    .map((s) => s.replace(/\.ya?ml$/, ''));
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) throw new UserError(`unknown paper scenario ${unknown.join(', ')}; choose from ${known.join(', ')}`);
  return known.filter((n) => names.includes(n));
}

export async function runPaper(opts: PaperOptions): Promise<PaperOutcome> {
  const log = opts.log ?? ((l: string) => void process.stderr.write(l + '\n'));
  const bounds = opts.bounds ?? (opts.quick ? QUICK_BOUNDS : PAPER_BOUNDS);
  const out = resolve(opts.out);
  const started = Date.now();
  const loaded = opts.scenarios ?? (await Promise.all(selectScenarios(opts.only, opts.all).map((n) => loadScenario(join(SCENARIO_DIR, `${n}.yaml`)))));
  // Set before the run, so results.json and report.html carry the same findings as claims.json.
  const scenarios = loaded.map((sc) => ({ ...sc, claims: paperClaims(sc) }));
  const results: ResultsFile[] = [];
  const timings: Record<string, number> = {};
  let interrupted = false;

  if (opts.noRun) {
    for (const sc of scenarios) {
      const file = join(out, sc.name, 'results.json');
      if (!existsSync(file)) throw new UserError(`--no-run: no results for ${sc.name} (${file})`);
      const r = await readResults(file);
      results.push(r);
      timings[sc.name] = r.seconds;
    }
  } else {
    const mc = await loadMonteCarlo();
    // Before the pool starts: its workers inherit the backend chosen for the largest network.
    const { chooseBackendFor } = await import('../src/run/backend-workload.ts');
    await chooseBackendFor(scenarios);
    const pool = await mc.createPool(opts.workers);
    try {
      for (const sc of scenarios) {
        const t0 = Date.now();
        const r = await runScenario(sc, {
          out,
          quick: opts.quick,
          resume: false,
          workers: opts.workers,
          signal: opts.signal,
          progress: (opts.progress ?? makeProgress)(),
          pool,
        });
        timings[sc.name] = (Date.now() - t0) / 1000;
        log(`paper: ${sc.name} done in ${timings[sc.name].toFixed(1)} s → ${r.reportFile ?? r.resultsFile}`);
        if (r.interrupted) {
          interrupted = true;
          break;
        }
        results.push(r.results);
      }
    } finally {
      await pool.destroy();
    }
  }
  for (const r of results) await writeFileAtomic(join(out, r.scenario.name, 'analysis.json'), JSON.stringify(analysisOf(r), null, 1));

  const claims = paperClaimList(results, bounds);
  const failed = claims.filter((c) => c.pass === false).length;
  const seconds = (Date.now() - started) / 1000;
  const claimsFile = join(out, 'claims.json');
  const summary = {
    date: new Date(started).toISOString(),
    quick: opts.quick,
    bounds: bounds.name,
    reRun: !opts.noRun,
    seconds: opts.noRun ? undefined : seconds,
    scenarioSeconds: timings,
    backend: [...new Set(results.map((r) => r.backend))].join(', '),
    workers: results[0]?.workers,
    failed,
    passed: claims.filter((c) => c.pass === true).length,
    reported: claims.filter((c) => c.pass === null).length,
    claims,
  };
  await writeFileAtomic(claimsFile, JSON.stringify(summary, null, 1) + '\n');
  await writeFileAtomic(join(out, 'claims.md'), claimsMarkdown(claims) + '\n');
  return { claims, results, seconds, failed, interrupted, claimsFile };
}

/** Fixed-width text table for the terminal. */
export function claimsText(claims: readonly Claim[]): string {
  const verdict = (p: boolean | null) => (p === null ? '—' : p ? 'PASS' : 'FAIL');
  const rows = claims.map((c) => [verdict(c.pass), c.claim, c.measuredText, c.bound]);
  const w = [4, Math.min(90, Math.max(...rows.map((r) => r[1].length), 5))];
  const lines = [`${'    '}  ${'claim'.padEnd(w[1])}  measured  [bound]`];
  for (const r of rows) lines.push(`${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2]}  [${r[3]}]`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('paper')
    .description('reproduce the paper scenarios and check their claims')
    .option('--out <dir>', 'output folder', 'reports/paper')
    .option('--quick', 'reduced budgets (sim run --quick) and looser bounds', false)
    .option('--only <names...>', `scenarios to run (${[...PAPER_SCENARIOS, ...EXTENDED_SCENARIOS].join(', ')})`)
    .option('--all', `also ${EXTENDED_SCENARIOS.join(', ')} (about 4 more minutes)`, false)
    .addOption(new Option('--workers <n>', 'Monte Carlo worker threads').argParser((v) => Number(v)))
    .option('--no-run', 're-check the claims of existing results without simulating')
    .exitOverride();
  try {
    program.parse(argv);
  } catch {
    return 2;
  }
  const o = program.opts<{ out: string; quick: boolean; only?: string[]; all: boolean; workers?: number; run: boolean }>();
  const controller = new AbortController();
  const onSig = () => controller.abort();
  process.on('SIGINT', onSig);
  process.on('SIGTERM', onSig);
  try {
    const r = await runPaper({ out: o.out, quick: o.quick, only: o.only, all: o.all, workers: o.workers, noRun: !o.run, signal: controller.signal });
    process.stdout.write(`\n${claimsText(r.claims)}\n\n`);
    const passed = r.claims.filter((c) => c.pass === true).length;
    process.stdout.write(
      `${passed} passed, ${r.failed} failed, ${r.claims.filter((c) => c.pass === null).length} reported only` +
        `${o.run ? ` · total ${r.seconds.toFixed(0)} s` : ''} · ${o.quick ? 'QUICK bounds' : 'paper bounds'} · wrote ${r.claimsFile}\n`,
    );
    if (r.interrupted) return 130;
    return r.failed ? 1 : 0;
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(e.message + '\n');
      return 1;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSig);
    process.off('SIGTERM', onSig);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const code = await main(process.argv);
  process.exitCode = code;
  setTimeout(() => process.exit(code), 200).unref();
}
