/**
 * `npm run paper`'s exit code follows the verdicts: --no-run re-checks a results.json of the shipped fig3a
 * scenario whose curves are built from block counts (no training, no simulation), so the same command exits
 * 0, 3 or 1 as the counts make the claims PASS, INCONCLUSIVE or FAIL.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/index.ts';
import { SCENARIO_DIR } from '../../sim/paper.ts';
import { bareResults } from '../browser/fixture.ts';
import { curveAt, LOOSE, TIGHT } from '../unit/counted-curves.ts';

const PAPER = join(process.cwd(), 'sim', 'paper.ts');

function paper(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', PAPER, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run paper: exit codes from the verdicts', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paper-exit-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** fig3a results: the autoencoder `gap` dB from Hamming ML at every target, its points with `errors` errors each. */
  async function writeFig3a(gap: number, errors: number): Promise<void> {
    const sc = await loadScenario(join(SCENARIO_DIR, 'fig3a-hamming74.yaml'));
    const at = (id: string, db: number, e = TIGHT) => curveAt(id, 1e-3, db, e);
    const r = bareResults(sc, [at('ae74', 5 + gap, errors), at('hamming-ml', 5), at('hamming-hard', 7), at('bpsk4', 7.5)]);
    await mkdir(join(dir, sc.name), { recursive: true });
    await writeFile(join(dir, sc.name, 'results.json'), JSON.stringify(r));
  }

  it('0 when every claim passes, 3 when one is inconclusive and none fails, 1 when one fails; --help lists them', async () => {
    const args = ['--no-run', '--only', 'fig3a-hamming74', '--out', dir];
    for (const [gap, errors, code, word] of [
      [0.1, TIGHT, 0, /4 PASS, 0 FAIL, 0 INCONCLUSIVE/],
      [0.25, LOOSE, 3, /INCONCLUSIVE/],
      [0.6, TIGHT, 1, /FAIL/],
    ] as const) {
      await writeFig3a(gap, errors);
      const r = paper(args);
      assert.equal(r.code, code, `gap ${gap} dB, ${errors} errors per point: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, word);
    }
    const saved = JSON.parse(await readFile(join(dir, 'claims.json'), 'utf8')) as { failed: number; inconclusive: number };
    assert.equal(saved.failed, 3, 'the (7,4) AE 0.6 dB from ML at the three targets');
    const help = paper(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Exit codes: 0 every judged claim PASSes, 1 a claim FAILs .* 3 no claim FAILs but one or more are INCONCLUSIVE/);
  });
});
