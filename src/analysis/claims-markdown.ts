/**
 * The claims as a Markdown table (also readable as plain text): claims.md of `npm run paper` and the README.
 * The report's HTML tables live in src/report/analysis-tables.ts.
 */
import type { Claim } from '../results/results.ts';

/** A claim's result in words: PASS, FAIL, or "reported" for a figure without a bound. */
export const verdictText = (pass: boolean | null): string => (pass === null ? 'reported' : pass ? 'PASS' : 'FAIL');

/**
 * The claims as a Markdown table with columns claim, measured, bound and result (PASS, FAIL or "reported"), in the
 * order given. Pipes in a cell are escaped and newlines become spaces, so every claim stays on one row.
 */
export function claimsMarkdown(claims: readonly Claim[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = ['| claim | measured | bound | result |', '| --- | --- | --- | --- |'];
  for (const c of claims) lines.push(`| ${cell(c.claim)} | ${cell(c.measuredText)} | ${cell(c.bound)} | ${verdictText(c.pass)} |`);
  return lines.join('\n');
}
