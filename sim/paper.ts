/**
 * `npm run paper`: reproduce the paper's results and check its claims.
 *
 *   npm run paper [-- --quick] [--only fig3a-hamming74,power-constraints] [--all] [--out reports/paper] [--workers N] [--no-run]
 *
 * Runs the paper scenarios with the same orchestration as `sim run` (runScenario of sim/run.ts, one
 * worker pool for all of them), writes DIR/<scenario>/results.json + report.html + analysis.json, then
 * checks every claim and prints its figure, the figure's interval and the bound side by side with the verdict:
 * PASS when the whole interval meets the bound, FAIL when none of it does, INCONCLUSIVE when it straddles the
 * bound (src/analysis/verdict.ts). Writes DIR/claims.json and DIR/claims.md.
 *
 * Exit codes (PAPER_EXIT): 0 every judged claim PASSes, 1 a claim FAILs (or an error: bad options, missing
 * results), 2 usage error, 3 no claim FAILs but one or more are INCONCLUSIVE, 130 interrupted.
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
import { CLAIM_CATALOGUE, type ClaimName } from '../src/claim-catalogue.ts';
import { PAPER_BOUNDS, QUICK_BOUNDS, type ClaimBounds } from '../src/analysis/claims.ts';
import { claimColumns, claimsMarkdown, verdictCounts } from '../src/analysis/claims-markdown.ts';
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
  // About 1.5 minutes on 2 cores (2026-11-23): its RTN and same-size plain decoder train data-parallel.
  'fig9-rtn': 'fig9-rtn',
} as const satisfies Record<string, ClaimName>;
export const PAPER_SCENARIOS = Object.keys(PAPER_CHECKS) as (keyof typeof PAPER_CHECKS)[];
/**
 * Paper scenarios left out of the default run, which must stay within 5 minutes: the two-user Fig. 6 alone
 * takes about 3.7 (its (4,8) pair trains for 2.8 on both vCPUs; docs/measurements.md, "Paper claims", has
 * the figures that say why it cannot be made to fit). `--all` or `--only` runs them, each with its own claims.
 */
export const EXTENDED_SCENARIOS = ['fig6-interference'] as const;
/** The exit codes of `npm run paper` (its help lists them). */
export const PAPER_EXIT = { ok: 0, failed: 1, usage: 2, inconclusive: 3, interrupted: 130 } as const;

/** The exit code of a set of verdicts: 1 on any FAIL, else 3 on any INCONCLUSIVE, else 0. */
export function verdictExitCode(claims: readonly Pick<Claim, 'verdict'>[]): number {
  if (claims.some((c) => c.verdict === 'FAIL')) return PAPER_EXIT.failed;
  return claims.some((c) => c.verdict === 'INCONCLUSIVE') ? PAPER_EXIT.inconclusive : PAPER_EXIT.ok;
}

/** Reported for every paper scenario: each learned decoder against ML decoding of its own codebook. */
const PAPER_REFERENCE = 'ml-reference' satisfies ClaimName;

/** The claims `npm run paper` checks on a scenario: its figure's check and the reference; others keep their own. */
export function paperClaims(sc: Pick<CompiledScenario, 'name' | 'claims' | 'systems'>): ClaimName[] {
  const check = (PAPER_CHECKS as Record<string, ClaimName>)[sc.name];
  // The learned-vs-ML references only where a system measures one (the seeds and training-Eb/N0 studies turn them off).
  // A scenario known by name only (--no-run re-reads its results) keeps the reference: its results say what was measured.
  const reference: ClaimName[] = !sc.systems || CLAIM_CATALOGUE[PAPER_REFERENCE].applies(sc.systems) ? [PAPER_REFERENCE] : [];
  return check ? [check, ...reference] : [...(sc.claims ?? [])];
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
  inconclusive: number;
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
  const counts = verdictCounts(claims);
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
    ...counts,
    claims,
  };
  await writeFileAtomic(claimsFile, JSON.stringify(summary, null, 1) + '\n');
  await writeFileAtomic(join(out, 'claims.md'), claimsMarkdown(claims) + '\n');
  return { claims, results, seconds, failed: counts.failed, inconclusive: counts.inconclusive, interrupted, claimsFile };
}

/** Fixed-width text table for the terminal: verdict, claim, figure, interval, bound, then how it was measured. */
export function claimsText(claims: readonly Claim[]): string {
  const rows = claims.map((c) => {
    const k = claimColumns(c);
    return [c.verdict === 'reported' ? '—' : c.verdict, c.claim, k.figure, k.interval, k.bound, c.measuredText];
  });
  const width = (i: number, min: number, max = 90) => Math.min(max, Math.max(min, ...rows.map((r) => r[i].length)));
  const w = [12, width(1, 5), width(2, 6), width(3, 8), width(4, 5)];
  const head = ['verdict', 'claim', 'figure', 'interval', 'bound'];
  const line = (r: string[]) =>
    `${r
      .slice(0, 5)
      .map((x, i) => x.padEnd(w[i]))
      .join('  ')}  ${r[5]}`;
  return [line([...head, 'measured']), ...rows.map(line)].join('\n');
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
    .addHelpText(
      'after',
      `\nExit codes: ${PAPER_EXIT.ok} every judged claim PASSes, ${PAPER_EXIT.failed} a claim FAILs (or an error), ${PAPER_EXIT.usage} usage error, ` +
        `${PAPER_EXIT.inconclusive} no claim FAILs but one or more are INCONCLUSIVE (the interval straddles the bound), ${PAPER_EXIT.interrupted} interrupted.`,
    )
    .exitOverride();
  try {
    program.parse(argv);
  } catch (e) {
    // --help ends here too (commander's code 0); anything else is a usage error.
    return (e as { exitCode?: number }).exitCode === 0 ? PAPER_EXIT.ok : PAPER_EXIT.usage;
  }
  const o = program.opts<{ out: string; quick: boolean; only?: string[]; all: boolean; workers?: number; run: boolean }>();
  const controller = new AbortController();
  const onSig = () => controller.abort();
  process.on('SIGINT', onSig);
  process.on('SIGTERM', onSig);
  try {
    const r = await runPaper({ out: o.out, quick: o.quick, only: o.only, all: o.all, workers: o.workers, noRun: !o.run, signal: controller.signal });
    process.stdout.write(`\n${claimsText(r.claims)}\n\n`);
    const n = verdictCounts(r.claims);
    process.stdout.write(
      `${n.passed} PASS, ${n.failed} FAIL, ${n.inconclusive} INCONCLUSIVE, ${n.reported} reported only` +
        `${o.run ? ` · total ${r.seconds.toFixed(0)} s` : ''} · ${o.quick ? 'QUICK bounds' : 'paper bounds'} · wrote ${r.claimsFile}\n`,
    );
    if (r.interrupted) return PAPER_EXIT.interrupted;
    return verdictExitCode(r.claims);
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
