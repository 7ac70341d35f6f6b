/**
 * A two-user scenario end to end through the `sim` command line: training both pairs (a few steps), both
 * receivers and their joint-ML curves, the time-sharing baseline with its closed form, the report's two-user
 * section, saved models, and --resume keeping every finished point. Small budgets: about 15 s on 2 cores.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clopperPearson } from '../../src/montecarlo/stats.ts';
import type { ResultsFile } from '../../src/results/results.ts';

/**
 * Pairwise error probability over Rayleigh fading with the gains known: two hypotheses whose received points
 * differ by h·Δ (h ~ CN(0, 1) per link, the links independent, so |d|² ~ Exp with mean m = Σ|Δ_link|²), noise σ²
 * per real dimension: E[Q(|d|/2σ)] = ½(1 − √(γ/(1+γ))), γ = m/(8σ²).
 */
const pep = (m: number, sigma2: number): number => {
  const g = m / (8 * sigma2);
  return 0.5 * (1 - Math.sqrt(g / (1 + g)));
};

const BIN = join(process.cwd(), 'sim', 'bin.js');

function sim(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: '' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SCENARIO = `name: two-user-e2e
seed: 2
sweep: { ebnoDb: [0, 4] }
montecarlo: { targetErrors: 20, maxBlocks: 4000 }
compare: [[tu-u1, ts], [tu-u2, ts]]
claims: [fig6]
systems:
  - { id: tu, type: two-user, k: 2, n: 2, train: { steps: 150, batchSize: 200 } }
  - { id: ts, type: time-sharing, k: 2, n: 2 }
`;

describe('sim run: a two-user scenario', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-two-user-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains both pairs, measures both receivers on the same streams, writes the report, and resumes', async () => {
    const file = join(dir, 'tu.yaml');
    await writeFile(file, SCENARIO);
    const r = sim(['run', file, '--out', dir, '--workers', '1']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const results = JSON.parse(await readFile(join(dir, 'two-user-e2e', 'results.json'), 'utf8')) as ResultsFile;
    assert.deepEqual(
      results.curves.map((c) => c.id),
      ['tu-u1', 'tu-u2', 'tu-u1-ml', 'tu-u2-ml', 'ts'],
    );
    const [u1, u2, ml1] = results.curves;
    assert.equal(u1.type, 'two-user');
    assert.equal(ml1.type, 'two-user-ml');
    assert.equal(ml1.decoder?.kind, 'joint-nearest-pair');
    assert.equal(u1.codebook?.length, 4);
    assert.deepEqual(u1.otherCodebook, u2.codebook);
    // α and both losses per logged step, on the same steps as the training record.
    assert.equal(u1.twoUserTraining?.alpha.length, u1.training?.steps.length);
    assert.equal(u1.twoUserTraining?.alpha[0], 0.5);
    for (const c of results.curves)
      assert.ok(
        c.points.every((p) => p.status === 'target-errors' || p.status === 'max-blocks'),
        c.id,
      );
    assert.ok(results.curves[4].analytic?.length, 'time sharing has its closed form');
    assert.ok(results.findings?.some((f) => f.id.startsWith('fig6/(2,2)-fairness')));
    assert.ok(existsSync(join(dir, 'two-user-e2e', 'models', 'tu-u1', 'autoencoder.json')));
    assert.ok(existsSync(join(dir, 'two-user-e2e', 'models', 'tu-u2', 'autoencoder.json')));
    const html = await readFile(join(dir, 'two-user-e2e', 'report.html'), 'utf8');
    assert.match(html, /id="two-user"/);
    assert.match(html, /fig-two-user-0-0/);
    assert.match(html, /fig-two-user-training-0/);

    // --resume: models reloaded, every finished point kept as it was.
    const again = sim(['run', file, '--out', dir, '--workers', '1', '--resume']);
    assert.equal(again.code, 0, again.stderr + again.stdout);
    const resumed = JSON.parse(await readFile(join(dir, 'two-user-e2e', 'results.json'), 'utf8')) as ResultsFile;
    const counts = (x: ResultsFile) => x.curves.map((c) => c.points.map((p) => [p.blocks, p.errors]));
    assert.deepEqual(counts(resumed), counts(results));
    assert.deepEqual(resumed.curves[0].codebook, u1.codebook);
    assert.deepEqual(resumed.curves[0].twoUserTraining, u1.twoUserTraining);
  });

  it('over Rayleigh links with perfect CSI: the receivers get the gains, the joint-ML curves use them, time sharing is coherent', async () => {
    const file = join(dir, 'ray.yaml');
    await writeFile(
      file,
      `name: two-user-rayleigh-e2e
seed: 3
channel: { type: rayleigh, coherence: block, csi: perfect }
sweep: { ebnoDb: [15] }
montecarlo: { targetErrors: 20, maxBlocks: 4000 }
systems:
  - { id: tu, type: two-user, k: 1, n: 1, decoder: [{ units: 16 }], train: { steps: 120, batchSize: 200 } }
  - { id: ts, type: time-sharing, k: 1, n: 1 }
`,
    );
    const r = sim(['run', file, '--out', dir, '--workers', '1']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const results = JSON.parse(await readFile(join(dir, 'two-user-rayleigh-e2e', 'results.json'), 'utf8')) as ResultsFile;
    assert.deepEqual(
      results.curves.map((c) => c.id),
      ['tu-u1', 'tu-u2', 'tu-u1-ml', 'tu-u2-ml', 'ts'],
    );
    // Coherent BPSK over Rayleigh fading at 15 dB: BLER ½(1 − √(γ/(1+γ))) ≈ 7.8e-3 (time sharing, exactly). Each
    // user's receiver, learned or joint-ML, does no better than a genie that knows the interferer: ML detection
    // of the user's own two points, PEP(|a0 − a1|²) ≥ the BPSK figure. The joint-ML (nearest pair) curves do no
    // worse than their union bound over the four pairs. Seven checks on the counts' Clopper–Pearson intervals at
    // a joint 99% (Bonferroni: each tail 0.01/7).
    const sigma2 = 1 / (2 * 10 ** 1.5);
    const exact = pep(4, sigma2);
    const tail = 0.01 / 7;
    const ts = results.curves[4].points[0];
    const tsCi = clopperPearson(ts.errors, ts.blocks, 1 - 2 * tail);
    assert.ok(tsCi.low <= exact && exact <= tsCi.high, `time sharing ${ts.bler} [${tsCi.low}, ${tsCi.high}] vs ${exact}`);
    for (const c of results.curves.slice(0, 4)) {
      const p = c.points[0];
      const ci = clopperPearson(p.errors, p.blocks, 1 - 2 * tail);
      const own = c.codebook!;
      const other = c.otherCodebook!;
      const g = c.twoUser!.crossGain;
      const d2 = (x: number[], y: number[]) => (x[0] - y[0]) ** 2 + (x[1] - y[1]) ** 2;
      const genie = pep(d2(own[0], own[1]), sigma2);
      assert.ok(genie >= exact * (1 - 1e-9), `${c.id}: average power 1 allows no more than BPSK's distance`);
      assert.ok(ci.high >= genie, `${c.id}: BLER ${p.bler} [${ci.low}, ${ci.high}] below the genie bound ${genie}`);
      if (!c.id.endsWith('-ml')) continue;
      let union = 0;
      for (const a of [0, 1])
        for (const b of [0, 1]) for (const b2 of [0, 1]) union += pep(d2(own[a], own[1 - a]) + g * g * d2(other[b], other[b2]), sigma2) / 4;
      assert.ok(ci.low <= union, `${c.id}: BLER ${p.bler} [${ci.low}, ${ci.high}] above the union bound ${union}`);
    }
    const saved = JSON.parse(await readFile(join(dir, 'two-user-rayleigh-e2e', 'models', 'tu-u1', 'autoencoder.json'), 'utf8'));
    assert.equal(saved.spec.sideInputs, 4, 'the receiver gets h11 and h12 (re, im) after y');
    assert.deepEqual(saved.spec.channel, { type: 'rayleigh', coherence: 'block', csi: 'perfect' });
  });
});
