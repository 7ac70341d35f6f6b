/**
 * The paper claims end to end on small budgets: the shipped fig3a and power-constraint scenarios, with
 * training and Monte Carlo budgets cut down, run through runPaper (the same orchestration and claim
 * functions as `npm run paper`) and checked against QUICK_BOUNDS.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { QUICK_BOUNDS } from '../../src/analysis/claims.ts';
import type { Claim } from '../../src/results/results.ts';
import { loadScenario, type CompiledScenario } from '../../src/scenario/index.ts';
import { claimsText, runPaper, SCENARIO_DIR, selectScenarios } from '../../sim/paper.ts';
import { LineProgress } from '../../sim/progress.ts';

const silent = () => new LineProgress(new Writable({ write: (_c, _e, cb) => cb() }));

/** The shipped scenario with test budgets. */
async function reduced(name: string, f: (sc: CompiledScenario) => CompiledScenario): Promise<CompiledScenario> {
  return f(await loadScenario(join(SCENARIO_DIR, `${name}.yaml`)));
}

describe('paper claims on small budgets', function () {
  this.timeout(180_000);
  let dir: string;
  let claims: Claim[];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paper-test-'));
    const fig3a = await reduced('fig3a-hamming74', (sc) => ({
      ...sc,
      sweep: { ebnoDb: [0, 1, 2, 3, 4, 5, 6, 7, 8] },
      montecarlo: { ...sc.montecarlo, targetErrors: 30, maxBlocks: 100_000, minBler: 5e-4 },
      systems: sc.systems.filter((s) => s.type !== 'uncoded').map((s) => (s.type === 'autoencoder' ? { ...s, train: { ...s.train, steps: 1200 } } : s)),
    }));
    const power = await reduced('power-constraints', (sc) => ({
      ...sc,
      sweep: { ebnoDb: [6, 8, 10, 12, 14, 16] },
      // 100 errors per point: the crossings' intervals (about ±0.2 dB) decide the 0.6 dB "between" bound, which
      // 30 errors (about ±0.3 dB each, ±0.6 on a gap) leave INCONCLUSIVE.
      montecarlo: { ...sc.montecarlo, targetErrors: 100, maxBlocks: 400_000, minBler: 5e-4 },
      systems: sc.systems
        .filter((s) => s.type !== 'autoencoder' || s.signalling === 'complex')
        .map((s) => (s.type === 'autoencoder' ? { ...s, mlReference: false, train: { ...s.train, steps: 1000 } } : s)),
    }));
    const r = await runPaper({ out: dir, quick: false, scenarios: [fig3a, power], bounds: QUICK_BOUNDS, workers: 2, progress: silent, log: () => {} });
    claims = r.claims;
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('fig3a: the (7,4) autoencoder is near Hamming ML and beats hard decision', () => {
    const f = claims.filter((c) => c.id.startsWith('fig3a/'));
    assert.deepEqual(
      f.map((c) => c.id),
      ['fig3a/ae-vs-hamming-ml@1e-3', 'fig3a/ae-vs-hamming-hard@1e-3'],
    );
    for (const c of f) assert.equal(c.verdict, 'PASS', `${c.claim}: ${c.measuredText} ${JSON.stringify(c.interval)}`);
    const ml = claims.find((c) => c.id === 'ml-reference/fig3a-hamming74/ae74@1e-3');
    assert.ok(ml && ml.verdict === 'reported' && ml.measured !== null && Math.abs(ml.measured) < 1, ml?.measuredText);
  });

  it('power constraints: a 16-PSK circle for energy, a QAM-like packing for average power', () => {
    const p = claims.filter((c) => c.id.startsWith('power/'));
    assert.equal(p.length, 5);
    for (const c of p) assert.equal(c.verdict, 'PASS', `${c.claim}: ${c.measuredText} ${JSON.stringify(c.interval)}`);
  });

  it('writes claims.json, claims.md and analysis.json; text table and --only', async () => {
    const saved = JSON.parse(await readFile(join(dir, 'claims.json'), 'utf8')) as { claims: Claim[]; bounds: string; failed: number };
    assert.equal(saved.bounds, 'quick');
    assert.equal(saved.claims.length, claims.length);
    assert.match(await readFile(join(dir, 'claims.md'), 'utf8'), /^\| claim \| figure \| interval \| bound \| verdict \| measured \|/);
    const analysis = JSON.parse(await readFile(join(dir, 'fig3a-hamming74', 'analysis.json'), 'utf8')) as {
      ebnoAtBler: Record<string, Record<string, number | null>>;
    };
    assert.equal(typeof analysis.ebnoAtBler['hamming-ml']['1e-3'], 'number');
    // the paper supplies each scenario's claims before it runs: results.json (and its report) carry the findings
    const saved3a = JSON.parse(await readFile(join(dir, 'fig3a-hamming74', 'results.json'), 'utf8')) as { scenario: { claims: string[] }; findings: Claim[] };
    assert.deepEqual(saved3a.scenario.claims, ['fig3a', 'ml-reference']);
    assert.deepEqual([...new Set(saved3a.findings.map((c) => c.id.split('/')[0]))], ['fig3a', 'ml-reference']);
    assert.match(await readFile(join(dir, 'fig3a-hamming74', 'report.html'), 'utf8'), /<tr class="claim-(pass|fail|inconclusive)">/);
    assert.match(claimsText(claims), /PASS/);
    assert.deepEqual(selectScenarios(['power-constraints,fig3a-hamming74']), ['fig3a-hamming74', 'power-constraints']);
    assert.throws(() => selectScenarios(['fig9']), /unknown paper scenario fig9/);
    assert.deepEqual(selectScenarios(['fig6-interference']), ['fig6-interference'], 'an extended scenario by name');
    assert.ok(!selectScenarios(undefined).includes('fig6-interference'), 'not in the default run');
    assert.deepEqual(selectScenarios(undefined, true).slice(-1), ['fig6-interference'], '--all adds it');
    // --no-run re-reads the results and finds the same claims
    const again = await runPaper({
      out: dir,
      quick: false,
      noRun: true,
      scenarios: [{ name: 'fig3a-hamming74' } as CompiledScenario],
      bounds: QUICK_BOUNDS,
      log: () => {},
    });
    assert.deepEqual(
      again.claims,
      claims.filter((c) => c.scenario === 'fig3a-hamming74'),
    );
  });
});
