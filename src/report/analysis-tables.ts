/**
 * The analysis as the report shows it: Eb/N0 at each BLER target, the gaps of compared pairs and the
 * findings of the claim checks the scenario opted into.
 *
 * These only READ what annotateResults (src/analysis/annotate.ts) wrote into the results: `curve.ebnoAtBler`,
 * `curve.analyticEbnoAtBler`, `results.gaps` and `results.findings`. Nothing is recomputed here, so the page
 * always shows the numbers results.json holds.
 */
import { verdictText } from '../analysis/claims-markdown.ts';
import type { Claim } from '../analysis/claims.ts';
import { TARGET_LABELS, type BlerTarget } from '../analysis/gaps.ts';
import { escapeHtml } from './escape.ts';
import { fmtDb, fmtDbSigned } from './format.ts';
import type { Curve, ResultsFile } from './results.ts';
import { html, htmlTable, type Column } from './tables.ts';

type Gap = NonNullable<ResultsFile['gaps']>[number];

const ebnoHeader = (t: BlerTarget) => html(`E<sub>b</sub>/N<sub>0</sub> at BLER ${escapeHtml(t)} (dB)`);

/** One row per curve that has crossings; the closed form's crossing beside the measured one. */
export function ebnoAtBlerTable(curves: readonly Curve[]): string {
  const columns: Column<Curve>[] = [
    { header: 'curve', cell: (c) => c.label },
    ...TARGET_LABELS.map(
      (t): Column<Curve> => ({
        header: ebnoHeader(t),
        className: 'num',
        cell: (c) => {
          const closed = c.analyticEbnoAtBler;
          return html(`${fmtDb(c.ebnoAtBler?.[t])}${closed ? ` <span class="analytic">(closed form ${fmtDb(closed[t])})</span>` : ''}`);
        },
      }),
    ),
  ];
  return htmlTable({ className: 'ebno-at-bler', columns, rows: curves.filter((c) => c.ebnoAtBler) });
}

/** One row per compared pair (in the order the gaps list them), a column per target; "—" says why on hover. */
export function gapsTable(gaps: readonly Gap[], labels: Readonly<Record<string, string>>): string {
  const pairs = [...new Map(gaps.map((g) => [`${g.a}\u0000${g.b}`, [g.a, g.b] as const])).values()];
  const name = (id: string) => labels[id] ?? id;
  const columns: Column<readonly [string, string]>[] = [
    { header: 'pair (positive: first needs more Eb/N0)', cell: ([a, b]) => `${name(a)} − ${name(b)}` },
    ...TARGET_LABELS.map(
      (t): Column<readonly [string, string]> => ({
        header: `gap at ${t} (dB)`,
        className: 'num',
        cell: ([a, b]) => {
          const g = gaps.find((x) => x.a === a && x.b === b && x.target === t);
          return g?.db === null || g?.db === undefined ? { content: '—', title: g?.reason ?? '' } : fmtDbSigned(g.db);
        },
      }),
    ),
  ];
  return htmlTable({ className: 'gaps', columns, rows: pairs });
}

/** The findings: claim (with its note), measured figure, bound, PASS / FAIL / reported. */
export function findingsTable(claims: readonly Claim[]): string {
  return htmlTable({
    className: 'claims',
    rowClass: (c) => `claim-${c.pass === null ? 'reported' : c.pass ? 'pass' : 'fail'}`,
    columns: [
      { header: 'claim', cell: (c) => html(`${escapeHtml(c.claim)}${c.note ? `<div class="note">${escapeHtml(c.note)}</div>` : ''}`) },
      { header: 'measured', cell: (c) => c.measuredText },
      { header: 'bound', cell: (c) => c.bound },
      { header: 'result', cell: (c) => verdictText(c.pass) },
    ],
    rows: claims,
  });
}
