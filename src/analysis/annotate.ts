/**
 * Puts the dB analysis into a results object: `ebnoAtBler` on every curve and `gaps` for the scenario's
 * `compare` pairs plus, for every autoencoder with an ML-reference curve, learned decoder vs ML decoding
 * of its own codebook (so a reader sees whether a shortfall comes from the code or from the decoder).
 */
import type { ResultsFile } from '../report/results.ts';
import { analyzeResults, type ResultsAnalysis } from './claims.ts';

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

export function analysisOf(results: ResultsFile): ResultsAnalysis {
  return analyzeResults({ ...results, scenario: { ...results.scenario, compare: comparedPairs(results) } });
}

/** Writes the analysis into `results` (in place) and returns it. */
export function annotateResults(results: ResultsFile): ResultsAnalysis {
  const a = analysisOf(results);
  for (const c of results.curves) c.ebnoAtBler = a.ebnoAtBler[c.id];
  results.gaps = a.gaps;
  return a;
}
