/**
 * report.html: one self-contained page (Plotly inlined, data inlined, no network references) with the BLER
 * curves, learned constellations, training curves, a table of every point and the run's provenance.
 *
 * The figures are built here as plain Plotly specs and embedded as JSON (`<script type="application/json"
 * id="report-figures">`); a few lines of inline script draw them. The browser test reads the same JSON to
 * check that each plot rendered all its traces.
 */
import { analysisOf } from '../analysis/annotate.ts';
import { allClaims, PAPER_BOUNDS, QUICK_BOUNDS } from '../analysis/claims.ts';
import { renderAnalysisTable, renderClaimsTable } from '../analysis/table.ts';
import { escapeHtml } from './escape.ts';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { channelLabel } from '../../channels/index.ts';
import type { PointResult } from '../montecarlo/types.ts';
import { reportMsg } from '../messages.ts';
import { QUICK } from '../scenario/compile.ts';
import { pca2 } from './pca.ts';
import { isFinished, type Curve, type ResultsFile } from './results.ts';

// ---------------------------------------------------------------------------------------------------------
// Escaping
// ---------------------------------------------------------------------------------------------------------

export { escapeHtml };

/** JSON safe to place inside a <script> element (no `</script>`, `<!--`, or JS line separators). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

// ---------------------------------------------------------------------------------------------------------
// Plotly bundle
// ---------------------------------------------------------------------------------------------------------

let plotlySource: string | undefined;

/** The plotly.js-basic-dist-min bundle (scatter traces, log axes, error bars, shapes), read once. */
export function plotlyBundle(): string {
  if (plotlySource === undefined) {
    const require = createRequire(import.meta.url);
    const src = readFileSync(require.resolve('plotly.js-basic-dist-min'), 'utf8');
    // Inline <script> content must not close the element early.
    plotlySource = src.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
  }
  return plotlySource;
}

// ---------------------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------------------

export interface Figure {
  id: string;
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
export const curveColor = (i: number): string =>
  i < PALETTE.length ? PALETTE[i] : `hsl(${Math.round((i * 137.508) % 360)}, 60%, 45%)`;

const FONT = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 13 };

const baseLayout = (extra: Record<string, unknown>): Record<string, unknown> => ({
  font: FONT,
  margin: { l: 70, r: 20, t: 30, b: 55 },
  paper_bgcolor: '#fff',
  plot_bgcolor: '#fff',
  ...extra,
});

const axis = (title: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: { text: title },
  showline: true,
  mirror: true,
  linecolor: '#444',
  gridcolor: '#e5e5e5',
  zeroline: false,
  ticks: 'outside',
  ...extra,
});

/** Curves drawn with a dash pattern so they stay distinguishable in grey-scale prints. */
const dashFor = (c: Curve): string => (c.type === 'autoencoder-ml' ? 'dot' : c.type === 'autoencoder' ? 'solid' : 'dashdot');

export interface BlerFigureInfo {
  figure: Figure;
  zeroErrorPoints: number;
  leftOut: number;
}

export function blerFigure(results: ResultsFile): BlerFigureInfo {
  const data: Record<string, unknown>[] = [];
  let zero = 0;
  let leftOut = 0;
  let yMin = 1;
  // Closed forms may reach far below anything measured; they extend the axis by at most two decades.
  let analyticMin = 1;
  results.curves.forEach((c, i) => {
    const color = curveColor(i);
    const measured = c.points.filter((p) => isFinished(p) && p.errors > 0);
    const bounds = c.points.filter((p) => isFinished(p) && p.errors === 0);
    zero += bounds.length;
    leftOut += c.points.filter((p) => !isFinished(p)).length;
    for (const p of measured) yMin = Math.min(yMin, p.ciLow > 0 ? p.ciLow : p.bler);
    for (const p of bounds) yMin = Math.min(yMin, p.ciHigh);
    if (measured.length) {
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: escapeHtml(c.label),
        legendgroup: c.id,
        x: measured.map((p) => p.ebnoDb),
        y: measured.map((p) => p.bler),
        error_y: {
          type: 'data',
          symmetric: false,
          array: measured.map((p) => Math.max(p.ciHigh - p.bler, 0)),
          arrayminus: measured.map((p) => Math.max(p.bler - p.ciLow, 0)),
          thickness: 1,
          width: 3,
          color,
        },
        line: { color, width: 2, dash: dashFor(c) },
        marker: { color, size: 6 },
        customdata: measured.map((p) => [p.errors, p.blocks, p.ciLow, p.ciHigh]),
        hovertemplate: `${escapeHtml(c.label)}<br>Eb/N0 %{x} dB<br>BLER %{y:.3e}<br>95% CI [%{customdata[2]:.2e}, %{customdata[3]:.2e}]<br>%{customdata[0]} errors / %{customdata[1]} blocks<extra></extra>`,
      });
    }
    if (bounds.length) {
      data.push({
        type: 'scatter',
        mode: 'markers',
        name: escapeHtml(`${c.label}: no errors (95% upper bound)`),
        legendgroup: c.id,
        showlegend: !measured.length,
        x: bounds.map((p) => p.ebnoDb),
        y: bounds.map((p) => p.ciHigh),
        marker: { color, size: 10, symbol: 'triangle-down-open', line: { width: 2, color } },
        customdata: bounds.map((p) => [p.blocks]),
        hovertemplate: `${escapeHtml(c.label)}<br>Eb/N0 %{x} dB<br>0 errors in %{customdata[0]} blocks<br>BLER < %{y:.2e} (95%)<extra></extra>`,
      });
    }
    const analytic = (c.analytic ?? []).filter((a) => a.bler > 0 && Number.isFinite(a.bler));
    if (analytic.length) {
      for (const a of analytic) if (a.bler > 0) analyticMin = Math.min(analyticMin, a.bler);
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: escapeHtml(`${c.label} (closed form)`),
        legendgroup: c.id,
        x: analytic.map((a) => a.ebnoDb),
        y: analytic.map((a) => a.bler),
        line: { color, width: 1.5, dash: 'dash' },
        opacity: 0.8,
        hovertemplate: `${escapeHtml(c.label)} (closed form)<br>Eb/N0 %{x} dB<br>BLER %{y:.3e}<extra></extra>`,
      });
    }
  });
  const floor = yMin < 1 ? Math.min(yMin, Math.max(analyticMin, yMin / 100)) : analyticMin;
  const lo = Math.max(Math.floor(Math.log10(Math.max(floor, 1e-12))), -12);
  return {
    figure: {
      id: 'fig-bler',
      data,
      layout: baseLayout({
        height: 560,
        xaxis: axis('E<sub>b</sub>/N<sub>0</sub> (dB)'),
        yaxis: axis('Block error rate', { type: 'log', exponentformat: 'power', range: [lo - 0.05, 0.05], dtick: 1 }),
        legend: { x: 1.02, y: 1, xanchor: 'left', yanchor: 'top', bgcolor: 'rgba(255,255,255,0.9)', bordercolor: '#ccc', borderwidth: 1, font: { size: 12 } },
        margin: { l: 70, r: 10, t: 20, b: 55 },
        hovermode: 'closest',
      }),
    },
    zeroErrorPoints: zero,
    leftOut,
  };
}

const bits = (m: number, k: number): string => m.toString(2).padStart(k, '0');

export interface ConstellationPanel {
  figure: Figure;
  title: string;
  subtitle: string;
}

/** The panels of one autoencoder: I/Q planes, a direct 1-D/2-D plot, or a PCA projection. */
export function constellationPanels(c: Curve, color: string, idPrefix: string): ConstellationPanel[] {
  const rows = c.codebook ?? [];
  if (!rows.length) return [];
  const M = rows.length;
  const text = rows.map((_, m) => (M <= 32 ? String(m) : ''));
  const hover = rows.map((_, m) => `message ${m} (${bits(m, c.k)})`);
  const planes: { x: number[]; y: number[]; xTitle: string; yTitle: string; subtitle: string; circle: boolean }[] = [];
  if (c.signalling === 'complex' && c.n <= 4) {
    for (let j = 0; j < c.n; j++)
      planes.push({
        x: rows.map((r) => r[2 * j]),
        y: rows.map((r) => r[2 * j + 1]),
        xTitle: 'I',
        yTitle: 'Q',
        subtitle: c.n === 1 ? 'I/Q plane' : `channel use ${j + 1} of ${c.n} (I/Q)`,
        circle: true,
      });
  } else if (c.signalling === 'real' && c.n <= 2) {
    planes.push({
      x: rows.map((r) => r[0]),
      y: rows.map((r) => (c.n === 2 ? r[1] : 0)),
      xTitle: 'x<sub>1</sub>',
      yTitle: c.n === 2 ? 'x<sub>2</sub>' : '',
      subtitle: c.n === 2 ? 'both real dimensions' : 'one real dimension',
      circle: false,
    });
  } else {
    const p = pca2(rows);
    const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
    planes.push({
      x: p.points.map((q) => q[0]),
      y: p.points.map((q) => q[1]),
      xTitle: `PC1 (${pct(p.explained[0])})`,
      yTitle: `PC2 (${pct(p.explained[1])})`,
      subtitle: `PCA of ${c.signalling === 'complex' ? 2 * c.n : c.n} dims (${pct(p.explained[0] + p.explained[1])} of the energy)`,
      circle: false,
    });
  }
  return planes.map((pl, j) => {
    const r = Math.max(1.05, ...pl.x.map(Math.abs), ...pl.y.map(Math.abs)) * 1.15;
    return {
      title: c.label,
      subtitle: pl.subtitle,
      figure: {
        id: `${idPrefix}-${j}`,
        data: [
          {
            type: 'scatter',
            mode: M <= 32 ? 'markers+text' : 'markers',
            x: pl.x,
            y: pl.y,
            text,
            textposition: 'top center',
            textfont: { size: 9, color: '#555' },
            hovertext: hover,
            hovertemplate: '%{hovertext}<br>(%{x:.3f}, %{y:.3f})<extra></extra>',
            marker: { color, size: M <= 64 ? 8 : 5, line: { width: 0.5, color: '#222' } },
            showlegend: false,
          },
        ],
        layout: baseLayout({
          width: 330,
          height: 330,
          margin: { l: 50, r: 15, t: 15, b: 45 },
          xaxis: axis(pl.xTitle, { range: [-r, r], zeroline: true, zerolinecolor: '#bbb' }),
          yaxis: axis(pl.yTitle, { range: [-r, r], scaleanchor: 'x', scaleratio: 1, zeroline: true, zerolinecolor: '#bbb' }),
          shapes: pl.circle
            ? [{ type: 'circle', xref: 'x', yref: 'y', x0: -1, y0: -1, x1: 1, y1: 1, line: { color: '#999', width: 1, dash: 'dot' } }]
            : [],
          hovermode: 'closest',
        }),
      },
    };
  });
}

export function trainingFigure(results: ResultsFile): Figure | undefined {
  const data: Record<string, unknown>[] = [];
  results.curves.forEach((c, i) => {
    if (!c.training || !c.training.steps?.length) return;
    const t = c.training;
    const pairs = t.steps.map((s, j) => [s, t.loss[j]] as const).filter(([, l]) => Number.isFinite(l) && l > 0);
    if (!pairs.length) return;
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: escapeHtml(c.label),
      x: pairs.map((p) => p[0]),
      y: pairs.map((p) => p[1]),
      line: { color: curveColor(i), width: 1.5 },
      hovertemplate: `${escapeHtml(c.label)}<br>step %{x}<br>loss %{y:.4g}<extra></extra>`,
    });
  });
  if (!data.length) return undefined;
  return {
    id: 'fig-training',
    data,
    layout: baseLayout({
      height: 380,
      xaxis: axis('Training step'),
      yaxis: axis('Loss (cross-entropy)', { type: 'log', exponentformat: 'power', dtick: 'D2' }),
      legend: { x: 0.99, y: 0.99, xanchor: 'right', yanchor: 'top', bgcolor: 'rgba(255,255,255,0.85)', bordercolor: '#ccc', borderwidth: 1 },
      hovermode: 'closest',
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Page
// ---------------------------------------------------------------------------------------------------------

const fmtSci = (x: number): string => (x === 0 ? '0' : x.toExponential(3));
const fmtInt = (x: number): string => Math.round(x).toLocaleString('en-US');
const fmtSeconds = (s: number): string =>
  s < 120 ? `${s.toFixed(1)} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(2)} h`;

function ebnoText(e: number | [number, number] | { from: number; to: number } | undefined): string {
  if (e === undefined) return '—';
  if (typeof e === 'number') return `${e} dB`;
  if (Array.isArray(e)) return `${e[0]}…${e[1]} dB (uniform per batch)`;
  return `${e.from}…${e.to} dB (uniform per batch)`;
}

function statusCell(p: PointResult): string {
  const cls = isFinished(p) ? 'ok' : 'missing';
  return `<td class="${cls}">${escapeHtml(p.status)}${p.note ? ` <span class="note">(${escapeHtml(p.note)})</span>` : ''}</td>`;
}

function pointsTable(results: ResultsFile): string {
  const rows: string[] = [];
  for (const c of results.curves) {
    c.points.forEach((p, j) => {
      const done = isFinished(p);
      rows.push(
        `<tr>${j === 0 ? `<th scope="rowgroup" rowspan="${c.points.length}">${escapeHtml(c.label)}<br><code>${escapeHtml(c.id)}</code></th>` : ''}` +
          `<td class="num">${escapeHtml(p.ebnoDb)}</td>` +
          `<td class="num">${done || p.blocks ? fmtInt(p.blocks) : ''}</td>` +
          `<td class="num">${done || p.blocks ? fmtInt(p.errors) : ''}</td>` +
          `<td class="num">${done ? (p.errors === 0 ? `&lt; ${fmtSci(p.ciHigh)}` : fmtSci(p.bler)) : ''}</td>` +
          `<td class="num">${done ? `[${fmtSci(p.ciLow)}, ${fmtSci(p.ciHigh)}]` : ''}</td>` +
          `<td class="num">${p.seconds ? p.seconds.toFixed(1) : ''}</td>` +
          statusCell(p) +
          '</tr>',
      );
    });
  }
  return (
    '<table class="points"><thead><tr><th>Curve</th><th>E<sub>b</sub>/N<sub>0</sub> (dB)</th><th>Blocks</th><th>Errors</th>' +
    '<th>BLER</th><th>95% CI</th><th>Seconds</th><th>Status</th></tr></thead><tbody>' +
    rows.join('') +
    '</tbody></table>'
  );
}

function curvesTable(results: ResultsFile): string {
  const rows = results.curves.map((c, i) => {
    const finished = c.points.filter(isFinished).length;
    return (
      `<tr><td><span class="swatch" style="background:${curveColor(i)}"></span>${escapeHtml(c.label)}</td>` +
      `<td><code>${escapeHtml(c.id)}</code></td><td>${escapeHtml(c.type)}</td>` +
      `<td class="num">${escapeHtml(c.n)}${c.signalling === 'complex' ? ' complex' : ''}</td><td class="num">${escapeHtml(c.k)}</td>` +
      `<td class="num">${escapeHtml(Number(c.rate.toFixed(4)))}</td>` +
      `<td>${escapeHtml(c.signalling)}</td><td>${escapeHtml(c.normalization ?? '—')}</td>` +
      `<td>${escapeHtml(channelLabel(c.channel))}</td><td class="num">${finished}/${c.points.length}</td></tr>`
    );
  });
  return (
    '<table><thead><tr><th>Curve</th><th>Id</th><th>Type</th><th>Channel uses n</th><th>Bits k</th><th>Rate k/n (bits/use)</th><th>Signalling</th>' +
    '<th>Power constraint</th><th>Channel</th><th>Points measured</th></tr></thead><tbody>' +
    rows.join('') +
    '</tbody></table>'
  );
}

/** Eb/N0 at the BLER targets, the dB gaps of compared pairs, and the paper's claims this scenario speaks to. */
function analysisSection(results: ResultsFile): string {
  const labels = Object.fromEntries(results.curves.map((c) => [c.id, c.label]));
  const claims = allClaims([results], results.quick ? QUICK_BOUNDS : PAPER_BOUNDS);
  const findings = claims.length
    ? `<h3>Findings</h3><p class="caption">${escapeHtml(reportMsg.findingsCaption(results.quick))}</p>${renderClaimsTable(claims)}`
    : '';
  return `<h2>E<sub>b</sub>/N<sub>0</sub> at target BLER, and gaps</h2>
<section class="card" id="analysis">
<p class="caption">${escapeHtml(reportMsg.analysisCaption)}</p>
${renderAnalysisTable(analysisOf(results), labels)}
${findings}
</section>`;
}

function trainingTable(results: ResultsFile): string {
  const rows = results.curves
    .filter((c) => c.training)
    .map((c) => {
      const t = c.training!;
      const reasons = t.restartReasons?.length ? ` <span class="note">(${t.restartReasons.map(escapeHtml).join('; ')})</span>` : '';
      const extended = t.extensions?.length ? ` <span class="note">(${t.extensions.map(escapeHtml).join('; ')})</span>` : '';
      return (
        `<tr><td>${escapeHtml(c.label)}</td><td class="num">${fmtInt(t.steps.at(-1) ?? 0)}</td>` +
        `<td>${escapeHtml(ebnoText(t.ebnoDb))}</td><td class="num">${(t.finalAccuracy * 100).toFixed(2)}%</td>` +
        `<td class="num">${fmtSeconds(t.seconds)}</td><td class="num">${escapeHtml(t.restarts)}${reasons}</td>` +
        `<td class="num">${escapeHtml(t.extensions?.length ?? 0)}${extended}</td><td>${escapeHtml(t.source ?? 'trained')}</td></tr>`
      );
    });
  if (!rows.length) return '';
  return (
    '<table><thead><tr><th>Autoencoder</th><th>Steps</th><th>Training E<sub>b</sub>/N<sub>0</sub></th><th>Final accuracy</th>' +
    '<th>Training time</th><th>Restarts</th><th>Extensions</th><th>Model</th></tr></thead><tbody>' +
    rows.join('') +
    '</tbody></table>'
  );
}

/** Autoencoders grouped by (signalling, n, k): a group with several power constraints is shown side by side. */
function constellationSection(results: ResultsFile, figures: Figure[]): string {
  const aes = results.curves.map((c, i) => ({ c, i })).filter(({ c }) => c.type === 'autoencoder' && c.codebook?.length);
  if (!aes.length) return `<p class="caption">${escapeHtml(reportMsg.noAutoencoders)}</p>`;
  const groups = new Map<string, typeof aes>();
  for (const a of aes) {
    const key = `${a.c.signalling}:${a.c.n}:${a.c.k}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const html: string[] = [`<p class="caption">${escapeHtml(reportMsg.constellationCaption)}</p>`];
  let g = 0;
  for (const members of groups.values()) {
    const first = members[0].c;
    const modes = new Set(members.map((m) => m.c.normalization));
    const heading =
      first.signalling === 'complex'
        ? `k = ${first.k}, n = ${first.n} complex channel use${first.n === 1 ? '' : 's'} (${2 * first.n} real dimensions), M = ${2 ** first.k}`
        : `k = ${first.k}, n = ${first.n} real channel use${first.n === 1 ? '' : 's'}, M = ${2 ** first.k}`;
    html.push(`<h3>${escapeHtml(heading)}${modes.size > 1 ? ` — ${escapeHtml(reportMsg.powerCompare)}` : ''}</h3><div class="panels">`);
    for (const { c, i } of members) {
      const panels = constellationPanels(c, curveColor(i), `fig-const-${g}-${i}`);
      for (const p of panels) {
        figures.push(p.figure);
        html.push(
          `<figure class="panel"><figcaption><b>${escapeHtml(p.title)}</b><br><span class="note">${escapeHtml(c.normalization ?? '')} · ${escapeHtml(p.subtitle)}</span></figcaption>` +
            `<div class="plot" id="${escapeHtml(p.figure.id)}"></div></figure>`,
        );
      }
    }
    html.push('</div>');
    g++;
  }
  return html.join('\n');
}

function infoTable(results: ResultsFile): string {
  const sc = results.scenario;
  const mc = sc.montecarlo;
  const rows: [string, string][] = [
    ['Scenario', `<code>${escapeHtml(sc.name)}</code>`],
    ['Description', escapeHtml(sc.description || '—')],
    ['Seed', `<code>${escapeHtml(results.seed)}</code>`],
    ['Backend', escapeHtml(results.backend)],
    ['Versions', `node ${escapeHtml(results.versions.node)} · tfjs ${escapeHtml(results.versions.tfjs)} · learned-phy-sim ${escapeHtml(results.versions.project)}`],
    ['Started', escapeHtml(results.startedAt)],
    ['Run time', escapeHtml(fmtSeconds(results.seconds))],
    ...(results.workers ? ([['Workers', escapeHtml(results.workers)]] as [string, string][]) : []),
    ['Eb/N0 sweep', escapeHtml(`${sc.sweep.ebnoDb.join(', ')} dB`)],
    [
      'Stopping rules',
      escapeHtml(
        `${fmtInt(mc.targetErrors)} block errors or ${fmtInt(mc.maxBlocks)} blocks per point; ` +
          (mc.minBler > 0 ? `a curve stops below BLER ${fmtSci(mc.minBler)}` : 'no BLER floor') +
          (mc.stopOnZeroErrors ? ' or after a point without errors' : ''),
      ),
    ],
    ['Quick run', results.quick ? `<b>yes</b> (${escapeHtml(QUICK.describe())})` : 'no'],
    ...(results.shard ? ([['Shard', escapeHtml(`${results.shard.index} of ${results.shard.count}`)]] as [string, string][]) : []),
    ...(sc.compare.length
      ? ([['Compared pairs', sc.compare.map(([a, b]) => `<code>${escapeHtml(a)}</code> vs <code>${escapeHtml(b)}</code>`).join(', ')]] as [string, string][])
      : []),
  ];
  return `<table class="info"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

const CSS = `
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #222; background: #fafafa; }
main { max-width: 1180px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 1.6em; margin: 0.6em 0 0.1em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { margin: 1.2em 0 0.4em; font-size: 1.05em; }
.sub { color: #555; margin: 0 0 1em; }
.banner { padding: 10px 14px; border-radius: 6px; margin: 12px 0; font-weight: 600; }
.banner.quick { background: #fff3cd; border: 2px solid #e0a800; color: #6d4c00; font-size: 1.1em; }
.banner.incomplete { background: #fde2e1; border: 2px solid #d9534f; color: #7a1f1c; }
.card { background: #fff; border: 1px solid #e3e3e3; border-radius: 8px; padding: 12px 16px; }
.caption { color: #444; font-size: 0.93em; margin: 6px 0 10px; }
.note { color: #666; font-weight: normal; font-size: 0.92em; }
table { border-collapse: collapse; background: #fff; font-size: 0.9em; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.missing { color: #a33; } td.ok { color: #275d27; }
table.info th { background: #f6f6f6; white-space: nowrap; }
.panels { display: flex; flex-wrap: wrap; gap: 12px; }
figure.panel { margin: 0; background: #fff; border: 1px solid #e3e3e3; border-radius: 8px; padding: 6px; }
figure.panel figcaption { font-size: 0.88em; padding: 2px 6px; max-width: 320px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
pre { background: #fff; border: 1px solid #e3e3e3; padding: 10px; overflow: auto; font-size: 0.85em; }
footer { color: #777; font-size: 0.85em; margin-top: 32px; }
`;

/** Inline script: draws every figure from the embedded JSON; failures show on the page and the console. */
const DRAW = `
(function () {
  var figures = JSON.parse(document.getElementById('report-figures').textContent);
  var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['select2d', 'lasso2d'],
    toImageButtonOptions: { format: 'svg' } };
  window.reportFigures = figures;
  window.reportReady = Promise.all(figures.map(function (f) {
    var el = document.getElementById(f.id);
    if (!el) { console.error('report: no element for figure ' + f.id); return null; }
    return Plotly.newPlot(el, f.data, f.layout, config).catch(function (e) {
      el.textContent = 'This plot could not be drawn: ' + e; console.error(e);
    });
  })).then(function () { document.body.setAttribute('data-plots-ready', String(figures.length)); });
})();
`;

/** The whole report page. Pure: no file system access except reading the Plotly bundle once. */
export function renderReport(results: ResultsFile, opts: { plotly?: string } = {}): string {
  const figures: Figure[] = [];
  const bler = blerFigure(results);
  figures.push(bler.figure);
  const constellations = constellationSection(results, figures);
  const training = trainingFigure(results);
  if (training) figures.push(training);
  const missing = results.curves.reduce((s, c) => s + c.points.filter((p) => !isFinished(p) && p.status !== 'not-simulated').length, 0);
  const notSim = results.curves.reduce((s, c) => s + c.points.filter((p) => p.reason === 'not-in-shard' || p.reason === 'not-in-any-shard').length, 0);
  const sc = results.scenario;
  let caption = reportMsg.blerCaption;
  if (bler.zeroErrorPoints) caption += reportMsg.zeroErrorCaption(bler.zeroErrorPoints);
  if (bler.leftOut) caption += reportMsg.notSimulatedCaption(bler.leftOut);
  const title = `${sc.name} — BLER report`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(sc.name)}</h1>
<p class="sub">${escapeHtml(sc.description)}</p>
${results.quick ? `<div class="banner quick" id="quick-banner">${escapeHtml(reportMsg.quickBanner(QUICK.describe()))}</div>` : ''}
${!results.complete || missing + notSim > 0 ? `<div class="banner incomplete">${escapeHtml(reportMsg.incompleteBanner(missing + notSim))}</div>` : ''}
<section class="card">
<h2 style="margin-top:0.2em">BLER vs E<sub>b</sub>/N<sub>0</sub></h2>
<div class="plot" id="fig-bler"></div>
<p class="caption" id="bler-caption">${escapeHtml(caption)}</p>
${curvesTable(results)}
</section>
${analysisSection(results)}
<h2>Learned constellations</h2>
${constellations}
<h2>Training</h2>
${training ? `<div class="card"><div class="plot" id="fig-training"></div><p class="caption">${escapeHtml(reportMsg.trainingCaption)}</p>${trainingTable(results)}</div>` : `<p class="caption">${escapeHtml(reportMsg.noAutoencoders)}</p>`}
<h2>Run</h2>
${infoTable(results)}
<h2>Every point</h2>
${pointsTable(results)}
<h2>Scenario (defaults filled in)</h2>
<pre>${escapeHtml(JSON.stringify(sc, null, 2))}</pre>
<footer>Generated by learned-phy-sim ${escapeHtml(results.versions.project)}. Self-contained page: plotly.js (MIT) is included inline; nothing is loaded from the network.</footer>
</main>
<script type="application/json" id="report-figures">${jsonForScript(figures)}</script>
<script>${opts.plotly ?? plotlyBundle()}</script>
<script>${DRAW}</script>
</body>
</html>
`;
}
