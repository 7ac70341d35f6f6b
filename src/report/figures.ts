/**
 * The report's figures as plain Plotly specs (data and layout), pure functions of a results object: the BLER
 * curves, the learned constellations and the training loss. The page embeds them as JSON and a few lines of
 * inline script draw them; the browser test reads the same JSON to check each plot drew all its traces.
 */
import { escapeHtml } from './escape.ts';
import { pca2 } from './pca.ts';
import { isFinished, type Curve, type ResultsFile } from './results.ts';

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
