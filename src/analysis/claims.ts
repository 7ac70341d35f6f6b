/**
 * The paper's claims, checked against measured results (results.json of the shipped paper scenarios).
 *
 * Every claim is computed from measured numbers only: crossings of measured BLER curves (src/analysis/
 * gaps.ts) and the geometry of the learned codebooks stored in results.json (constellation.ts). Curves are
 * found by what the scenario says they are (type, k, n, signalling, normalization, decoding), not by id.
 * A claim on a crossing is decided by the crossing's interval (src/analysis/verdict.ts): PASS, FAIL or
 * INCONCLUSIVE; a claim on a codebook's geometry is exact and only passes or fails. A claim whose curves are
 * missing from the results FAILs: the scenario does not hold what the claim needs.
 *
 * The bounds live in one place: PAPER_BOUNDS (full budgets, `npm run paper`) and QUICK_BOUNDS (reduced
 * budgets: `npm run paper -- --quick` and test/e2e/paper.test.ts), which are looser and read fewer targets.
 *
 * Which checks run on which results is not decided here: a scenario opts in by name (`claims: [...]`, the
 * names of claim-registry.ts), and nothing is inferred from the scenario's name.
 */
import type { Claim, Curve, ResultsFile } from '../results/results.ts';
import { codeName, nearestCodewordIsMl, referenceDecoding } from '../scenario/compile.ts';
import { circleGeometry, points2d } from './constellation.ts';
import { ebnoAtBler, type BlerTarget, type Crossing } from './gaps.ts';
import { allOf, claimCrossingInterval, claimGapInterval, verdictOf, type Verdict } from './verdict.ts';
import { kindOf } from '../systems/registry.ts';
import { ae, codebookNote, dminNote, findCurve, findCurves, fmtDb, gapClaim, missing, type Pred, restartNote, round, roundIv } from './claim-helpers.ts';
import { dbText } from '../data/db-text.ts';

export { gapClaim } from './claim-helpers.ts';

/**
 * The bounds the claim checks judge by, one set per budget (PAPER_BOUNDS, QUICK_BOUNDS): Eb/N0 gaps in dB at the listed BLER targets; `name` also
 * picks the bounds of the checks that keep their own tables (RTN_BOUNDS, FIG6_BOUNDS).
 */
export interface ClaimBounds {
  name: 'paper' | 'quick';
  fig3a: { targets: BlerTarget[]; withinMlDb: number; hardTarget: BlerTarget; beatsHardDb: number };
  fig3b: { targets: BlerTarget[]; ae22WithinDb: number; ae88Target: BlerTarget; ae88BeatsDb: number };
  power: {
    target: BlerTarget;
    /** energy: smallest angular gap ≥ this × 2π/M. */
    pskGapRatio: number;
    /** Relative radius spread below which points count as on one circle. */
    circleTolerance: number;
    averageWithinQamDb: number;
    averageBeatsEnergyDb: number;
    /** energy-max may sit this far outside [average, energy] and still count as between (or equal). */
    betweenToleranceDb: number;
  };
  robustness: { target: BlerTarget; withinMlDb: number; runs: number };
  /** Targets read for the informational learned-vs-ML and training-SNR gaps. */
  reportTargets: BlerTarget[];
}

/** Bounds for full budgets (`npm run paper`). */
export const PAPER_BOUNDS: ClaimBounds = {
  name: 'paper',
  fig3a: { targets: ['1e-3', '1e-4', '1e-5'], withinMlDb: 0.3, hardTarget: '1e-4', beatsHardDb: 1 },
  fig3b: { targets: ['1e-3', '1e-4'], ae22WithinDb: 0.2, ae88Target: '1e-4', ae88BeatsDb: 0.8 },
  power: { target: '1e-4', pskGapRatio: 0.8, circleTolerance: 0.05, averageWithinQamDb: 0.5, averageBeatsEnergyDb: 1.5, betweenToleranceDb: 0.2 },
  robustness: { target: '1e-4', withinMlDb: 0.5, runs: 5 },
  reportTargets: ['1e-3', '1e-4'],
};

/**
 * Looser bounds for reduced budgets (short training, ~20 errors per point, ≤ 2e5 blocks per point): curves
 * reach 1e-4 at best, the trained codes are further from their optimum, and the crossings are noisier.
 */
export const QUICK_BOUNDS: ClaimBounds = {
  name: 'quick',
  fig3a: { targets: ['1e-3'], withinMlDb: 1.0, hardTarget: '1e-3', beatsHardDb: 0.3 },
  fig3b: { targets: ['1e-3'], ae22WithinDb: 0.6, ae88Target: '1e-3', ae88BeatsDb: 0.2 },
  power: { target: '1e-3', pskGapRatio: 0.6, circleTolerance: 0.05, averageWithinQamDb: 1.2, averageBeatsEnergyDb: 0.8, betweenToleranceDb: 0.6 },
  robustness: { target: '1e-3', withinMlDb: 1.0, runs: 2 },
  reportTargets: ['1e-3'],
};

/** The bounds a results file is judged by on its own (report, results.json): looser for a quick run. */
export const boundsFor = (r: Pick<ResultsFile, 'quick'>): ClaimBounds => (r.quick ? QUICK_BOUNDS : PAPER_BOUNDS);

// ---------------------------------------------------------------------------------------------- settings

// The paper's Figs. 3a-3b are over AWGN: these pick that setting by name, they ask no capability of the channel.
const hamming =
  (decoding: 'hard' | 'ml'): Pred =>
  (s) =>
    s.type === 'hamming74' && s.decoding === decoding && s.channel.type === 'awgn';
// The uncoded references of the paper's figures are over AWGN too: picked by name, as above.
const uncoded =
  (modulation: string, k: number): Pred =>
  (s) =>
    s.type === 'uncoded' && s.modulation === modulation && s.k === k && s.channel.type === 'awgn';

// ----------------------------------------------------------------------------------------------- claims

/**
 * Fig. 3a: the (7,4) energy autoencoder within `withinMlDb` of Hamming (7,4) ML at each of `fig3a.targets`, and better than Hamming (7,4) hard
 * decision by more than `beatsHardDb` at `hardTarget`. Curves are found by what their systems are; a missing one gives a FAIL row.
 */
export function fig3aClaims(r: ResultsFile, b: ClaimBounds = PAPER_BOUNDS): Claim[] {
  const sc = r.scenario.name;
  const a = findCurve(r, ae(4, 7, 'real', 'energy'));
  const ml = findCurve(r, hamming('ml'));
  const hard = findCurve(r, hamming('hard'));
  const out: Claim[] = [];
  for (const t of b.fig3a.targets) {
    const claim = `(7,4) AE (energy) within ${b.fig3a.withinMlDb} dB of Hamming (7,4) ML at BLER ${t}`;
    const bound = `|gap| ≤ ${b.fig3a.withinMlDb} dB`;
    const id = `fig3a/ae-vs-hamming-ml@${t}`;
    if (!a || !ml) out.push(missing(sc, id, claim, bound, 'no (7,4) energy autoencoder or Hamming ML curve'));
    else
      out.push(
        gapClaim(
          sc,
          id,
          claim,
          a.curve,
          ml.curve,
          t,
          bound,
          { min: -b.fig3a.withinMlDb, max: b.fig3a.withinMlDb },
          [dminNote(a.curve), 'Hamming d²min 12.00'].filter(Boolean).join(' vs '),
        ),
      );
  }
  const t = b.fig3a.hardTarget;
  const claim = `(7,4) AE beats Hamming (7,4) hard decision by ≥ ${b.fig3a.beatsHardDb} dB at BLER ${t}`;
  const bound = `hard − AE ≥ ${b.fig3a.beatsHardDb} dB`;
  const id = `fig3a/ae-vs-hamming-hard@${t}`;
  if (!a || !hard) out.push(missing(sc, id, claim, bound, 'no (7,4) autoencoder or Hamming hard-decision curve'));
  else out.push(gapClaim(sc, id, claim, hard.curve, a.curve, t, bound, { min: b.fig3a.beatsHardDb }));
  return out;
}

/**
 * Fig. 3b: the (2,2) autoencoder within `ae22WithinDb` of uncoded BPSK (2,2) at each of `fig3b.targets`, and the (8,8) one better than uncoded BPSK
 * (8,8) by at least `ae88BeatsDb` at `ae88Target`, with the learned d²min noted. A missing curve gives a FAIL row.
 */
export function fig3bClaims(r: ResultsFile, b: ClaimBounds = PAPER_BOUNDS): Claim[] {
  const sc = r.scenario.name;
  const a22 = findCurve(r, ae(2, 2, 'real'));
  const a88 = findCurve(r, ae(8, 8, 'real'));
  const b2 = findCurve(r, uncoded('bpsk', 2));
  const b8 = findCurve(r, uncoded('bpsk', 8));
  const out: Claim[] = [];
  for (const t of b.fig3b.targets) {
    const claim = `(2,2) AE within ${b.fig3b.ae22WithinDb} dB of uncoded BPSK (2,2) at BLER ${t}`;
    const bound = `|gap| ≤ ${b.fig3b.ae22WithinDb} dB`;
    const id = `fig3b/ae22-vs-bpsk2@${t}`;
    if (!a22 || !b2) out.push(missing(sc, id, claim, bound, 'no (2,2) autoencoder or BPSK (2,2) curve'));
    else
      out.push(gapClaim(sc, id, claim, a22.curve, b2.curve, t, bound, { min: -b.fig3b.ae22WithinDb, max: b.fig3b.ae22WithinDb }, codebookNote(a22.curve, 4)));
  }
  const t = b.fig3b.ae88Target;
  const claim = `(8,8) AE beats uncoded BPSK (8,8) by ≥ ${b.fig3b.ae88BeatsDb} dB at BLER ${t}`;
  const bound = `BPSK − AE ≥ ${b.fig3b.ae88BeatsDb} dB`;
  const id = `fig3b/ae88-vs-bpsk8@${t}`;
  if (!a88 || !b8) out.push(missing(sc, id, claim, bound, 'no (8,8) autoencoder or BPSK (8,8) curve'));
  else out.push(gapClaim(sc, id, claim, b8.curve, a88.curve, t, bound, { min: b.fig3b.ae88BeatsDb }, codebookNote(a88.curve, 4)));
  return out;
}

/** k = 4 on one complex use, named as every curve label names it; the paper counts real dimensions. */
const C14 = `${codeName(1, 4, 'complex')} (the paper's (2,4))`;

/**
 * Power constraints, k = 4 on one complex use: the energy codebook is a 16-PSK (one circle, angular gap ≥ `pskGapRatio`·2π/16); the average-power one
 * is off one circle, within `averageWithinQamDb` of 16-QAM and better than energy by `averageBeatsEnergyDb` at `power.target`; energy-max lies
 * between the two (± `betweenToleranceDb`). Geometry comes from the codebooks in the results file.
 */
export function powerClaims(r: ResultsFile, b: ClaimBounds = PAPER_BOUNDS): Claim[] {
  const sc = r.scenario.name;
  const p = b.power;
  const energy = findCurve(r, ae(4, 1, 'complex', 'energy'));
  const emax = findCurve(r, ae(4, 1, 'complex', 'energy-max'));
  const avg = findCurve(r, ae(4, 1, 'complex', 'average-power'));
  const qam = findCurve(r, uncoded('qam16', 4));
  const out: Claim[] = [];
  const geo = (c: Curve | undefined) => {
    const pts = c?.codebook ? points2d(c.codebook) : undefined;
    return pts ? circleGeometry(pts, p.circleTolerance) : undefined;
  };

  {
    const id = 'power/energy-is-16psk';
    const claim = `${C14} energy: a 16-PSK (one circle, smallest angular gap ≥ ${p.pskGapRatio}·2π/16)`;
    const bound = `on one circle (radius spread ≤ ${p.circleTolerance}), gap ratio ≥ ${p.pskGapRatio}`;
    const g = geo(energy?.curve);
    if (!g) out.push(missing(sc, id, claim, bound, 'no 2-D codebook of the energy autoencoder'));
    else
      out.push({
        id,
        scenario: sc,
        claim,
        measured: round(g.gapRatio),
        unit: 'ratio',
        measuredText: `gap ratio ${g.gapRatio.toFixed(3)} (smallest gap ${((g.minAngularGap * 180) / Math.PI).toFixed(1)}° vs ${(360 / g.M).toFixed(1)}°), radius spread ${g.relativeRadiusSpread.toFixed(3)}`,
        bound,
        // Exact: read from the codebook, no sampling uncertainty, so it passes or fails.
        verdict: g.onOneCircle && g.gapRatio >= p.pskGapRatio ? 'PASS' : 'FAIL',
      });
  }
  {
    const id = 'power/average-not-one-circle';
    const claim = `${C14} average-power: not confined to one circle`;
    const bound = `radius spread > ${p.circleTolerance}`;
    const g = geo(avg?.curve);
    if (!g) out.push(missing(sc, id, claim, bound, 'no 2-D codebook of the average-power autoencoder'));
    else
      out.push({
        id,
        scenario: sc,
        claim,
        measured: round(g.relativeRadiusSpread),
        unit: 'ratio',
        measuredText: `radius spread (max−min)/mean ${g.relativeRadiusSpread.toFixed(3)}, max/min ${g.radiusRatio.toFixed(2)}`,
        bound,
        verdict: g.onOneCircle ? 'FAIL' : 'PASS',
      });
  }
  const t = p.target;
  {
    const id = `power/average-vs-qam16@${t}`;
    const claim = `${C14} average-power within ${p.averageWithinQamDb} dB of 16-QAM at BLER ${t}`;
    const bound = `|gap| ≤ ${p.averageWithinQamDb} dB`;
    if (!avg || !qam) out.push(missing(sc, id, claim, bound, 'no average-power autoencoder or 16-QAM curve'));
    else out.push(gapClaim(sc, id, claim, avg.curve, qam.curve, t, bound, { min: -p.averageWithinQamDb, max: p.averageWithinQamDb }));
  }
  {
    const id = `power/average-beats-energy@${t}`;
    const claim = `${C14} average-power beats energy by ≥ ${p.averageBeatsEnergyDb} dB at BLER ${t}`;
    const bound = `energy − average ≥ ${p.averageBeatsEnergyDb} dB`;
    if (!avg || !energy) out.push(missing(sc, id, claim, bound, 'no average-power or energy autoencoder curve'));
    else out.push(gapClaim(sc, id, claim, energy.curve, avg.curve, t, bound, { min: p.averageBeatsEnergyDb }));
  }
  {
    const id = `power/energy-max-between@${t}`;
    const claim = `${C14} energy-max between average-power and energy (or equal to energy) at BLER ${t}`;
    const tol = p.betweenToleranceDb;
    const symbolic = `average − ${tol} ≤ energy-max ≤ energy + ${tol} dB`;
    if (!emax || !avg || !energy) out.push(missing(sc, id, claim, symbolic, 'an autoencoder curve is missing'));
    else {
      // Two conditions on gaps, each decided by its interval: energy-max − energy ≤ tol and energy-max − average ≥ −tol.
      const [m, a, e] = [emax, avg, energy].map((c) => c.curve.points);
      const verdict = allOf([verdictOf(claimGapInterval(m, e, t), { max: tol }), verdictOf(claimGapInterval(m, a, t), { min: -tol })]);
      const [xm, xa, xe] = [m, a, e].map((pts) => ebnoAtBler(pts, t));
      const interval = roundIv(claimCrossingInterval(m, t));
      const base = { id, scenario: sc, claim, unit: 'dB' as const, interval, verdict };
      if (xm.ebnoDb === null || xa.ebnoDb === null || xe.ebnoDb === null) {
        const why = (
          [
            ['energy-max', xm],
            ['average', xa],
            ['energy', xe],
          ] as [string, Crossing][]
        ).flatMap(([n, x]) => (x.ebnoDb === null ? [`${n}: ${x.reason}`] : []));
        out.push({ ...base, measured: null, measuredText: `not measured (${why.join('; ')})`, bound: symbolic });
      } else
        out.push({
          ...base,
          measured: round(xm.ebnoDb),
          measuredText: `energy-max at ${dbText(xm.ebnoDb)} dB (average ${dbText(xa.ebnoDb)}, energy ${dbText(xe.ebnoDb)}; each with its interval)`,
          bound: `${dbText(xa.ebnoDb - tol)} … ${dbText(xe.ebnoDb + tol)} dB (average − ${tol} … energy + ${tol})`,
        });
    }
  }
  return out;
}

/** Learned decoder vs ML decoding of its own codebook (`<id>-ml`), every autoencoder that has one. Reported only. */
export function mlReferenceClaims(r: ResultsFile, b: ClaimBounds = PAPER_BOUNDS): Claim[] {
  const sc = r.scenario.name;
  const out: Claim[] = [];
  for (const ml of r.curves.filter((c) => c.mlOf)) {
    const learned = r.curves.find((c) => c.id === ml.mlOf);
    if (!learned) continue;
    for (const t of b.reportTargets)
      out.push(
        gapClaim(
          sc,
          `ml-reference/${sc}/${learned.id}@${t}`,
          `${learned.label}: learned decoder vs ${referenceDecoding(learned.channel)} of its codebook at BLER ${t}`,
          learned,
          ml,
          t,
          `reported (learned − ${nearestCodewordIsMl(learned.channel) ? 'ML' : 'nearest-codeword'})`,
          null,
        ),
      );
  }
  return out;
}

/**
 * Robustness to the training seed: each (7,4) energy autoencoder (own seed) at most `withinMlDb` worse than Hamming ML at `robustness.target`. One
 * summary row (PASS only with ≥ `runs` runs, all within; restarts counted), then one row per run.
 */
export function robustnessClaims(r: ResultsFile, b: ClaimBounds = PAPER_BOUNDS): Claim[] {
  const sc = r.scenario.name;
  const t = b.robustness.target;
  const runs = findCurves(r, ae(4, 7, 'real', 'energy'));
  const ml = findCurve(r, hamming('ml'));
  const bound = `AE − Hamming ML ≤ ${b.robustness.withinMlDb} dB`;
  if (!ml)
    return [
      missing(
        sc,
        'robustness/all',
        `(7,4) AE from ${b.robustness.runs} seeds within ${b.robustness.withinMlDb} dB of Hamming ML`,
        bound,
        'no Hamming ML curve',
      ),
    ];
  const each = runs.map(({ curve }) =>
    gapClaim(
      sc,
      `robustness/${curve.id}@${t}`,
      `(7,4) AE ${curve.id} (own training seed) within ${b.robustness.withinMlDb} dB of Hamming ML at BLER ${t}`,
      curve,
      ml.curve,
      t,
      bound,
      { max: b.robustness.withinMlDb },
      [dminNote(curve), restartNote(curve)].filter(Boolean).join(', '),
    ),
  );
  const passed = each.filter((c) => c.verdict === 'PASS').length;
  const restarts = runs.reduce((s, { curve }) => s + (curve.training?.restarts ?? 0), 0);
  const worst = each.reduce<number | null>((w, c) => (c.measured === null ? w : w === null ? c.measured : Math.max(w, c.measured)), null);
  // The worst run's gap lies in [max of the lows, max of the highs]: it passes iff every run passes, fails iff one fails.
  const maxEnd = (end: 'low' | 'high') =>
    each.reduce<number | null>((m, c) => (c.interval?.[end] == null || m === null ? null : Math.max(m, c.interval[end])), -Infinity);
  const interval = each.length ? { low: maxEnd('low'), high: maxEnd('high') } : undefined;
  const all: Claim = {
    id: `robustness/all@${t}`,
    scenario: sc,
    claim: `(7,4) AE trained from ${runs.length} seeds (at least ${b.robustness.runs}) reaches within ${b.robustness.withinMlDb} dB of Hamming ML at BLER ${t} every time`,
    measured: worst,
    ...(interval ? { interval } : {}),
    unit: 'dB',
    measuredText: `${passed}/${runs.length} runs PASS, worst ${worst === null ? 'not measured' : fmtDb(worst)}, ${restarts} restart${restarts === 1 ? '' : 's'} in total`,
    bound: `at least ${b.robustness.runs} runs, every one ${bound}`,
    verdict: runs.length < b.robustness.runs ? 'FAIL' : allOf(each.map((c) => c.verdict as Verdict)),
    note: 'stuck runs are restarted by the trainer from a derived seed (non-finite loss, accuracy at chance at 25% of the steps, or two messages sharing a codeword at the end), and a learned decoder clearly worse than ML decoding of its own codebook on 20,000 validation blocks is trained further at a lower learning rate; each record carries restarts, restartReasons and extensions',
  };
  return [all, ...each];
}

/** The training Eb/N0's effect: each (7,4) real autoencoder's gap to Hamming (7,4) ML at `reportTargets`, labelled with its training Eb/N0; reported only. */
export function trainSnrClaims(r: ResultsFile, b: ClaimBounds = PAPER_BOUNDS): Claim[] {
  const sc = r.scenario.name;
  const ml = findCurve(r, hamming('ml'));
  const out: Claim[] = [];
  if (!ml) return out;
  for (const { curve, system } of findCurves(r, ae(4, 7, 'real'))) {
    const te = kindOf(system).trainingRecipe?.(system)?.ebnoDb;
    const at = typeof te === 'number' ? `${te} dB` : te ? `${te.from}…${te.to} dB` : '?';
    for (const t of b.reportTargets)
      out.push(
        gapClaim(
          sc,
          `train-snr/${curve.id}@${t}`,
          `(7,4) AE trained at ${at}: gap to Hamming ML at BLER ${t}`,
          curve,
          ml.curve,
          t,
          'reported (AE − Hamming ML)',
          null,
          dminNote(curve),
        ),
      );
  }
  return out;
}

export { analyzeResults, type ResultsAnalysis } from './analyze-results.ts';
