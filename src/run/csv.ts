/**
 * results.csv: the measured points of a results.json as one table (one row per curve and Eb/N0 point), for
 * users' own plots: block and bit counts, BLER and BER with their 95% intervals (bit columns are empty for
 * points of files written before bit errors were counted).
 */
import type { ResultsFile } from '../results/results.ts';

const HEADER = [
  'curve',
  'label',
  'ebno_db',
  'blocks',
  'errors',
  'bler',
  'ci_low',
  'ci_high',
  'bit_errors',
  'ber',
  'ber_ci_low',
  'ber_ci_high',
  'status',
  'reason',
];

/** RFC 4180 quoting: only fields with a comma, quote or line break are quoted. */
const field = (v: string | number | undefined): string => {
  const s = v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function resultsCsv(results: ResultsFile): string {
  const rows = [HEADER];
  for (const c of results.curves)
    for (const p of c.points)
      rows.push(
        [c.id, c.label, p.ebnoDb, p.blocks, p.errors, p.bler, p.ciLow, p.ciHigh, p.bitErrors, p.ber, p.berCiLow, p.berCiHigh, p.status, p.reason].map(field),
      );
  return rows.map((r) => r.join(',')).join('\n') + '\n';
}

/** results.json → results.csv, results.shard-1-of-2.json → results.shard-1-of-2.csv. */
export const csvFileFor = (resultsFile: string): string => resultsFile.replace(/\.json$/i, '') + '.csv';
