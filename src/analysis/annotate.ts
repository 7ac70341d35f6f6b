/**
 * The one writer of the analysis fields of a results object: `ebnoAtBler`, `ebnoAtBlerCi` (its interval and
 * whether it rests on few errors) and `analyticEbnoAtBler` on every curve, the same at the BER targets
 * (`ebnoAtBer`, `ebnoAtBerCi`, `analyticEbnoAtBer`; src/analysis/ber-crossings.ts), `geometry` (d²min, kissing
 * number) on every learned codebook, `gaps` for the scenario's `compare` pairs plus, for every autoencoder with an ML-reference curve,
 * learned decoder vs ML decoding of its own codebook (so a reader sees whether a shortfall comes from the
 * code or from the decoder), and `findings`: the rows of the claim checks the scenario opted into.
 *
 * sim/run.ts calls it on every save and after a merge; the report only reads what it wrote.
 */
import type { ResultsFile } from '../results/results.ts';
import { berCrossings } from './ber-crossings.ts';
import { findingsOf } from './claim-registry.ts';
import { codebookGeometry } from './geometry.ts';
import { analyzeResults, boundsFor, type ClaimBounds, type ResultsAnalysis } from './claims.ts';
import { isLearnedCodebookCurve } from '../systems/registry.ts';

/** The scenario's compare pairs plus every (autoencoder, its ML reference) pair, without duplicates. */
export function comparedPairs(results: ResultsFile): [string, string][] {
  const pairs: [string, string][] = [...results.scenario.compare.map(([a, b]) => [a, b] as [string, string])];
  for (const c of results.curves) if (c.mlOf) pairs.push([c.mlOf, c.id]);
  const seen = new Set<string>();
  return pairs.filter(([a, b]) => {
    const key = `${a}\u0000${b}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The dB analysis (crossings and gaps) of a results object, without touching it (analysis.json). */
export function analysisOf(results: ResultsFile): ResultsAnalysis {
  return analyzeResults({ ...results, scenario: { ...results.scenario, compare: comparedPairs(results) } });
}

/**
 * Writes the analysis into `results` (in place) and returns the dB part. Findings are judged by `bounds`,
 * by default the results' own (looser for a quick run); `npm run paper` passes the bounds it checks.
 */
export function annotateResults(results: ResultsFile, bounds: ClaimBounds = boundsFor(results)): ResultsAnalysis {
  const a = analysisOf(results);
  for (const c of results.curves) {
    c.ebnoAtBler = a.ebnoAtBler[c.id];
    if (a.analyticEbnoAtBler[c.id]) c.analyticEbnoAtBler = a.analyticEbnoAtBler[c.id];
    else delete c.analyticEbnoAtBler;
    c.ebnoAtBlerCi = a.ebnoAtBlerCi[c.id];
    const ber = berCrossings(c);
    for (const key of ['ebnoAtBer', 'ebnoAtBerCi', 'analyticEbnoAtBer'] as const) {
      if (ber[key]) Object.assign(c, { [key]: ber[key] });
      else delete c[key];
    }
    const geometry = isLearnedCodebookCurve(c) ? codebookGeometry(c) : undefined;
    if (geometry) c.geometry = geometry;
    else delete c.geometry;
  }
  results.gaps = a.gaps;
  results.findings = findingsOf(results, bounds, results.scenario.claims ?? []);
  return a;
}
