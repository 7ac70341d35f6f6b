/**
 * The analysis as the report shows it: Eb/N0 at each BLER target, the gaps of compared pairs and the
 * findings of the claim checks the scenario opted into.
 *
 * These only READ what annotateResults (src/analysis/annotate.ts) wrote into the results: `curve.ebnoAtBler`,
 * `curve.analyticEbnoAtBler`, `results.gaps` and `results.findings`. Nothing is recomputed here, so the page
 * always shows the numbers results.json holds.
 */
import { claimColumns } from '../analysis/claims-markdown.ts';
import { TARGET_LABELS, type BlerTarget } from '../analysis/gaps.ts';
import { DEFAULTS } from '../defaults.ts';
import { BER_TARGETS } from '../vocabulary.ts';
import { reportMsg } from '../messages.ts';
import { escapeHtml } from './escape.ts';
import { fmtDb, fmtDbSigned } from './format.ts';
import type { Claim, Curve, ResultsFile } from '../results/results.ts';
import { html, htmlTable, type Column } from './tables.ts';

type Gap = NonNullable<ResultsFile['gaps']>[number];

/** " [low, high]" after a figure ("…": open on that side), and a dagger when it rests on few errors. */
function intervalHtml(iv: { low: number | null; high: number | null; fewErrors: boolean }, signed = false): string {
  const end = (x: number | null) => (x === null ? '…' : signed ? fmtDbSigned(x) : fmtDb(x));
  return ` <span class="ci">[${escapeHtml(end(iv.low))}, ${escapeHtml(end(iv.high))}]</span>${iv.fewErrors ? '<sup class="few">†</sup>' : ''}`;
}

const ebnoHeader = (t: BlerTarget) => html(`E<sub>b</sub>/N<sub>0</sub> at BLER ${escapeHtml(t)} (dB)`);

/** Eb/N0 at the BER targets (1e-3 … 1e-6): one row per curve with BER points, the closed form beside it. */
export function ebnoAtBerTable(curves: readonly Curve[]): string {
  const columns: Column<Curve>[] = [
    { header: 'curve', cell: (c) => `${c.label}${c.labelling === 'learned' ? ' (bit-wise: labelling learned)' : ''}` },
    ...BER_TARGETS.map(
      (t): Column<Curve> => ({
        header: html(`E<sub>b</sub>/N<sub>0</sub> at BER ${escapeHtml(t)} (dB)`),
        className: 'num',
        cell: (c) => {
          const closed = c.analyticEbnoAtBer;
          const x = c.ebnoAtBer?.[t];
          const iv = x === null || x === undefined ? undefined : (c.ebnoAtBerCi?.[t] ?? undefined);
          return {
            content: html(`${fmtDb(x)}${iv ? intervalHtml(iv) : ''}${closed ? ` <span class="analytic">(closed form ${fmtDb(closed[t])})</span>` : ''}`),
            ...(iv?.fewErrors ? { className: 'few-errors', title: reportMsg.fewBitErrorsTitle(iv.errors, DEFAULTS.analysis.fewErrors) } : {}),
          };
        },
      }),
    ),
  ];
  return htmlTable({ className: 'ebno-at-ber', columns, rows: curves.filter((c) => c.ebnoAtBer) });
}

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
          const x = c.ebnoAtBler?.[t];
          const iv = x === null || x === undefined ? undefined : (c.ebnoAtBlerCi?.[t] ?? undefined);
          return {
            content: html(`${fmtDb(x)}${iv ? intervalHtml(iv) : ''}${closed ? ` <span class="analytic">(closed form ${fmtDb(closed[t])})</span>` : ''}`),
            ...(iv?.fewErrors ? { className: 'few-errors', title: reportMsg.fewErrorsTitle(iv.errors, DEFAULTS.analysis.fewErrors) } : {}),
          };
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
          if (g?.db === null || g?.db === undefined) return { content: '—', title: g?.reason ?? '' };
          const iv =
            g.low !== undefined || g.high !== undefined
              ? intervalHtml({ low: g.low ?? null, high: g.high ?? null, fewErrors: Boolean(g.fewErrors) }, true)
              : '';
          return {
            content: html(`${escapeHtml(fmtDbSigned(g.db))}${iv}`),
            ...(g.fewErrors && g.errors !== undefined
              ? { className: 'few-errors', title: reportMsg.fewErrorsTitle(g.errors, DEFAULTS.analysis.fewErrors) }
              : {}),
          };
        },
      }),
    ),
  ];
  return htmlTable({ className: 'gaps', columns, rows: pairs });
}

/** The findings: claim (with its note), how it was measured, figure, interval and bound side by side, verdict. */
export function findingsTable(claims: readonly Claim[]): string {
  return htmlTable({
    className: 'claims',
    rowClass: (c) => `claim-${c.verdict.toLowerCase()}`,
    columns: [
      { header: 'claim', cell: (c) => html(`${escapeHtml(c.claim)}${c.note ? `<div class="note">${escapeHtml(c.note)}</div>` : ''}`) },
      { header: 'measured', cell: (c) => c.measuredText },
      { header: 'figure', className: 'num', cell: (c) => claimColumns(c).figure },
      { header: 'interval', className: 'num', cell: (c) => claimColumns(c).interval },
      { header: 'bound', cell: (c) => c.bound },
      { header: 'verdict', cell: (c) => c.verdict },
    ],
    rows: claims,
  });
}

/** One row per learned codebook with a geometry (annotateResults wrote it), and its classical reference. */
export function geometryTable(curves: readonly Curve[]): string {
  const rows = curves.filter((c) => c.geometry);
  if (!rows.length) return '';
  const g = (c: Curve) => c.geometry!;
  const ref = (c: Curve, f: (r: NonNullable<NonNullable<Curve['geometry']>['reference']>) => string) => {
    const r = g(c).reference;
    return r ? html(` <span class="note">(${escapeHtml(r.name)}: ${escapeHtml(f(r))})</span>`) : '';
  };
  return htmlTable({
    className: 'geometry',
    columns: [
      { header: 'codebook', cell: (c: Curve) => c.label },
      { header: html('mean ‖x‖² (scaled to n)'), className: 'num', cell: (c) => g(c).normalizedTo },
      { header: html('d<sup>2</sup><sub>min</sub>'), className: 'num', cell: (c) => html(`${g(c).d2min.toFixed(3)}${ref(c, (r) => r.d2min.toFixed(2))}`) },
      {
        header: 'kissing number: mean / max',
        className: 'num',
        cell: (c) => html(`${g(c).kissingMean.toFixed(2)} / ${g(c).kissingMax}${ref(c, (r) => `${r.kissingMean.toFixed(2)} / ${r.kissingMax}`)}`),
      },
    ],
    rows,
  });
}
