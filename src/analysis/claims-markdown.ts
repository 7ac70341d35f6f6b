/**
 * The claims as a Markdown table (also readable as plain text): claims.md of `npm run paper`.
 * The report's HTML tables live in src/report/analysis-tables.ts.
 */
import type { Claim } from '../results/results.ts';
import { figureText, intervalText } from './verdict.ts';

/** The figure, its interval and the bound, side by side, as every findings table shows them. */
export const claimColumns = (c: Claim): { figure: string; interval: string; bound: string } => ({
  figure: figureText(c.measured, c.unit),
  interval: intervalText(c.interval, c.measured, c.unit),
  bound: c.bound,
});

/** How many rows have each verdict. */
export function verdictCounts(claims: readonly Claim[]): { passed: number; failed: number; inconclusive: number; reported: number } {
  const n = (v: Claim['verdict']) => claims.filter((c) => c.verdict === v).length;
  return { passed: n('PASS'), failed: n('FAIL'), inconclusive: n('INCONCLUSIVE'), reported: n('reported') };
}

/**
 * The claims as a Markdown table with columns claim, measured, bound and result (PASS, FAIL or "reported"), in the
 * order given. Pipes in a cell are escaped and newlines become spaces, so every claim stays on one row.
 */
export function claimsMarkdown(claims: readonly Claim[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = ['| claim | figure | interval | bound | verdict | measured |', '| --- | --- | --- | --- | --- | --- |'];
  for (const c of claims) {
    const k = claimColumns(c);
    lines.push(`| ${cell(c.claim)} | ${cell(k.figure)} | ${cell(k.interval)} | ${cell(k.bound)} | ${c.verdict} | ${cell(c.measuredText)} |`);
  }
  return lines.join('\n');
}
