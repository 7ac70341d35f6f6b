/**
 * Pure renderers of the analysis: HTML tables (escaped, no scripts, for report.html) and a plain-text /
 * Markdown claims table (for `npm run paper` and the README).
 */
import type { Claim, ResultsAnalysis } from './claims.ts';
import { escapeHtml } from '../report/escape.ts';
import { TARGET_LABELS } from './gaps.ts';

export { escapeHtml };

const verdict = (p: boolean | null): string => (p === null ? 'reported' : p ? 'PASS' : 'FAIL');
const dbCell = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x.toFixed(2));

/** The claims as an HTML table. */
export function renderClaimsTable(claims: readonly Claim[]): string {
  const rows = claims
    .map((c) => {
      const cls = c.pass === null ? 'reported' : c.pass ? 'pass' : 'fail';
      return `<tr class="claim-${cls}"><td>${escapeHtml(c.claim)}${c.note ? `<div class="note">${escapeHtml(c.note)}</div>` : ''}</td><td>${escapeHtml(c.measuredText)}</td><td>${escapeHtml(c.bound)}</td><td>${verdict(c.pass)}</td></tr>`;
    })
    .join('\n');
  return `<table class="claims">\n<thead><tr><th>claim</th><th>measured</th><th>bound</th><th>result</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
}

/** Eb/N0 at the BLER targets per curve, and the compare-pair gaps, as two HTML tables. */
export function renderAnalysisTable(a: ResultsAnalysis, labels: Record<string, string> = {}): string {
  const name = (id: string) => escapeHtml(labels[id] ?? id);
  const head = TARGET_LABELS.map((t) => `<th>Eb/N0 at BLER ${t} (dB)</th>`).join('');
  const ebnoRows = Object.entries(a.ebnoAtBler)
    .map(([id, r]) => {
      const an = a.analyticEbnoAtBler[id];
      const cells = TARGET_LABELS.map((t) => `<td>${dbCell(r[t])}${an ? ` <span class="analytic">(closed form ${dbCell(an[t])})</span>` : ''}</td>`).join('');
      return `<tr><td>${name(id)}</td>${cells}</tr>`;
    })
    .join('\n');
  const ebnoTable = `<table class="ebno-at-bler">\n<thead><tr><th>curve</th>${head}</tr></thead>\n<tbody>\n${ebnoRows}\n</tbody>\n</table>`;
  if (!a.gaps.length) return ebnoTable;
  const pairs = [...new Map(a.gaps.map((g) => [`${g.a}\u0000${g.b}`, [g.a, g.b] as const])).values()];
  const gapRows = pairs
    .map(([x, y]) => {
      const cells = TARGET_LABELS.map((t) => {
        const g = a.gaps.find((g) => g.a === x && g.b === y && g.target === t);
        return g?.db === null || g === undefined
          ? `<td title="${escapeHtml(g?.reason ?? '')}">—</td>`
          : `<td>${g.db >= 0 ? '+' : ''}${g.db.toFixed(2)}</td>`;
      }).join('');
      return `<tr><td>${name(x)} − ${name(y)}</td>${cells}</tr>`;
    })
    .join('\n');
  const gapHead = TARGET_LABELS.map((t) => `<th>gap at ${t} (dB)</th>`).join('');
  return `${ebnoTable}\n<table class="gaps">\n<thead><tr><th>pair (positive: first needs more Eb/N0)</th>${gapHead}</tr></thead>\n<tbody>\n${gapRows}\n</tbody>\n</table>`;
}

/** The claims as a Markdown table (also readable as plain text). */
export function claimsMarkdown(claims: readonly Claim[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = ['| claim | measured | bound | result |', '| --- | --- | --- | --- |'];
  for (const c of claims) lines.push(`| ${cell(c.claim)} | ${cell(c.measuredText)} | ${cell(c.bound)} | ${verdict(c.pass)} |`);
  return lines.join('\n');
}
