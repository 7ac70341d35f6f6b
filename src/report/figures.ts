/**
 * The report's figures as plain Plotly specs (data and layout), pure functions of a results object: the BLER curves, the learned
 * constellations, the training loss. The page embeds them as JSON for a few lines of inline script to draw; the browser test reads
 * the same JSON to check each plot drew all its traces.
 */
import { DEFAULTS } from '../defaults.ts';
import { IMPORTANCE_LEGEND_NOTE, importanceTraces } from './importance-traces.ts';
import { cumulativeSpectrum, energyNormalized, hamming74Rows, isHamming74Shaped } from '../analysis/geometry.ts';
import { reportMsg } from '../messages.ts';
import { escapeHtml } from './escape.ts';
import { mds2, MDS_MAX_M } from './mds.ts';
import { pca2 } from './pca.ts';
import type { PointResult } from '../montecarlo/types.ts';
import { isFinished, type Curve, type ResultsFile } from '../results/results.ts';
import { isLearnedCodebookCurve, kindOfCurveType } from '../systems/registry.ts';

/** A Plotly figure as the page embeds it (plain JSON): the element id, the traces and the layout. */
export interface Figure {
  id: string;
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
export const curveColor = (i: number): string => (i < PALETTE.length ? PALETTE[i] : `hsl(${Math.round((i * 137.508) % 360)}, 60%, 45%)`);

const FONT = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 13 };

export const baseLayout = (extra: Record<string, unknown>): Record<string, unknown> => ({
  font: FONT,
  margin: { l: 70, r: 20, t: 30, b: 55 },
  paper_bgcolor: '#fff',
  plot_bgcolor: '#fff',
  ...extra,
});

export const axis = (title: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: { text: title },
  showline: true,
  mirror: true,
  linecolor: '#444',
  gridcolor: '#e5e5e5',
  zeroline: false,
  ticks: 'outside',
  ...extra,
});

/** Measured curves: thin lines, markers, a dash and marker shape per kind (apart in grey-scale prints); closed forms: wide pale lines. */
const styleFor = (c: Curve): { dash: string; symbol: string } => kindOfCurveType(c.type)?.curveStyle?.(c) ?? { dash: 'dashdot', symbol: 'square' };
const dashFor = (c: Curve): string => styleFor(c).dash;
const symbolFor = (c: Curve): string => styleFor(c).symbol;
const closedFormStyle = (color: string) => ({ line: { color, width: 7, dash: 'solid' }, opacity: 0.28 });

/** The plot's lowest decade: importance sampling measures BLERs far below plain Monte Carlo's reach. */
const LOWEST_DECADE = -15;

/** An error-rate figure, with the number of zero-error points (drawn as 95% upper bounds) and of unfinished points left out. */
export interface BlerFigureInfo {
  figure: Figure;
  zeroErrorPoints: number;
  leftOut: number;
}

/** What an error-rate figure plots: BLER (block errors) or BER (bit errors, points without bit counts left out). */
interface ErrorMetric {
  id: string;
  name: string;
  axisTitle: string;
  /** The point's rate, interval and error count, or undefined when the point has none (BER of an old file). */
  of(p: PointResult): { v: number; low: number; high: number; errors: number; trials: number; unit: string } | undefined;
  closedForm(c: Curve): { ebnoDb: number; v: number }[];
}

const BLER_METRIC: ErrorMetric = {
  id: 'fig-bler',
  name: 'BLER',
  axisTitle: 'Block error rate',
  of: (p) => ({ v: p.bler, low: p.ciLow, high: p.ciHigh, errors: p.errors, trials: p.blocks, unit: 'blocks' }),
  closedForm: (c) => (c.analytic ?? []).map((a) => ({ ebnoDb: a.ebnoDb, v: a.bler })),
};

const BER_METRIC: ErrorMetric = {
  id: 'fig-ber',
  name: 'BER',
  axisTitle: 'Bit error rate',
  of: (p) =>
    p.ber === undefined || p.bitErrors === undefined || p.berCiLow === undefined || p.berCiHigh === undefined
      ? undefined
      : { v: p.ber, low: p.berCiLow, high: p.berCiHigh, errors: p.bitErrors, trials: p.blocks, unit: 'blocks' },
  closedForm: (c) => (c.analyticBer ?? []).map((a) => ({ ebnoDb: a.ebnoDb, v: a.ber })),
};

/** The BLER plot: measured points with 95% Clopper–Pearson intervals, zero-error points as upper bounds, closed forms as pale lines. */
export const blerFigure = (results: ResultsFile): BlerFigureInfo => errorRateFigure(results, BLER_METRIC);
/** The BER plot (drawn beside the BLER plot): the same curves, intervals and closed-form style, on bit errors. */
export const berFigure = (results: ResultsFile): BlerFigureInfo => errorRateFigure(results, BER_METRIC);

function errorRateFigure(results: ResultsFile, metric: ErrorMetric): BlerFigureInfo {
  const data: Record<string, unknown>[] = [];
  let zero = 0;
  let leftOut = 0;
  let yMin = 1;
  let xMax = -Infinity;
  for (const c of results.curves)
    for (const p of c.points) {
      const m = isFinished(p) ? metric.of(p) : undefined;
      if (m) {
        yMin = Math.min(yMin, m.errors > 0 ? (m.low > 0 ? m.low : m.v) : m.high);
        xMax = Math.max(xMax, p.ebnoDb);
      }
    }
  // Closed forms are drawn over the measured range plus a margin, not decades below it.
  const measuredAny = xMax > -Infinity;
  const { closedFormDecades, closedFormDb } = DEFAULTS.analysis;
  const analyticFloor = measuredAny ? yMin / 10 ** closedFormDecades : 0;
  const analyticXMax = measuredAny ? xMax + closedFormDb : Infinity;
  let analyticMin = 1;
  results.curves.forEach((c, i) => {
    // A searched-labelling curve has its autoencoder's blocks and decisions: its BLER is that curve's, drawn once.
    if (metric === BLER_METRIC && c.labelledOf) return;
    const color = curveColor(i);
    const withRate = c.points.filter(isFinished).flatMap((p) => {
      const m = metric.of(p);
      return m ? [{ p, m }] : [];
    });
    // Importance-sampled points are drawn apart (importance-traces.ts): other markers, their own legend entry.
    const sampled = withRate.filter(({ p }) => p.method === 'importance');
    const measured = withRate.filter(({ m, p }) => m.errors > 0 && p.method !== 'importance');
    const bounds = withRate.filter(({ m, p }) => m.errors === 0 && p.method !== 'importance');
    zero += bounds.length;
    leftOut += c.points.filter((p) => !isFinished(p)).length;
    if (measured.length) {
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: escapeHtml(c.label),
        legendgroup: c.id,
        x: measured.map(({ p }) => p.ebnoDb),
        y: measured.map(({ m }) => m.v),
        error_y: {
          type: 'data',
          symmetric: false,
          array: measured.map(({ m }) => Math.max(m.high - m.v, 0)),
          arrayminus: measured.map(({ m }) => Math.max(m.v - m.low, 0)),
          thickness: 1,
          width: 3,
          color,
        },
        line: { color, width: 2, dash: dashFor(c) },
        marker: { color, size: 7, symbol: symbolFor(c) },
        customdata: measured.map(({ m }) => [m.errors, m.trials, m.low, m.high]),
        hovertemplate: `${escapeHtml(c.label)}<br>Eb/N0 %{x} dB<br>${metric.name} %{y:.3e}<br>95% CI [%{customdata[2]:.2e}, %{customdata[3]:.2e}]<br>%{customdata[0]} ${metric === BER_METRIC ? 'bit errors' : 'errors'} / %{customdata[1]} blocks<extra></extra>`,
      });
    }
    data.push(...importanceTraces(c.label, c.id, color, dashFor(c), sampled, metric.name));
    if (bounds.length) {
      data.push({
        type: 'scatter',
        mode: 'markers',
        name: escapeHtml(`${c.label}: no errors (95% upper bound)`),
        legendgroup: c.id,
        showlegend: !measured.length,
        x: bounds.map(({ p }) => p.ebnoDb),
        y: bounds.map(({ m }) => m.high),
        marker: { color, size: 10, symbol: 'triangle-down-open', line: { width: 2, color } },
        customdata: bounds.map(({ p }) => [p.blocks]),
        hovertemplate: `${escapeHtml(c.label)}<br>Eb/N0 %{x} dB<br>0 errors in %{customdata[0]} blocks<br>${metric.name} < %{y:.2e} (95%)<extra></extra>`,
      });
    }
    const analytic = metric.closedForm(c).filter((a) => a.v > 0 && Number.isFinite(a.v) && a.v >= analyticFloor && a.ebnoDb <= analyticXMax);
    if (analytic.length) {
      for (const a of analytic) analyticMin = Math.min(analyticMin, a.v);
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: escapeHtml(`${c.label} — closed form`),
        legendgroup: c.id,
        x: analytic.map((a) => a.ebnoDb),
        y: analytic.map((a) => a.v),
        ...closedFormStyle(color),
        hovertemplate: `${escapeHtml(c.label)} (closed form)<br>Eb/N0 %{x} dB<br>${metric.name} %{y:.3e}<extra></extra>`,
      });
    }
  });
  const floor = measuredAny ? Math.min(yMin, analyticMin) : analyticMin;
  const lo = Math.max(Math.floor(Math.log10(Math.max(floor, 10 ** LOWEST_DECADE))), LOWEST_DECADE);
  return {
    figure: {
      id: metric.id,
      data,
      layout: baseLayout({
        // BLER and BER plots stand side by side: the legend goes below each plot (one entry a line), not beside it.
        height: 820,
        xaxis: axis('E<sub>b</sub>/N<sub>0</sub> (dB)'),
        yaxis: axis(metric.axisTitle, { type: 'log', exponentformat: 'power', range: [lo - 0.05, 0.05], dtick: 1 }),
        legend: {
          orientation: 'v',
          x: 0,
          y: -0.16,
          xanchor: 'left',
          yanchor: 'top',
          bgcolor: 'rgba(255,255,255,0.9)',
          bordercolor: '#ccc',
          borderwidth: 1,
          font: { size: 12 },
          title: { text: 'measured: thin line, markers, 95% CI<br>closed form: wide pale line' + IMPORTANCE_LEGEND_NOTE(results), font: { size: 11 } },
        },
        margin: { l: 70, r: 10, t: 20, b: 55 },
        hovermode: 'closest',
      }),
    },
    zeroErrorPoints: zero,
    leftOut,
  };
}

const bits = (m: number, k: number): string => m.toString(2).padStart(k, '0');

/** One constellation plot of a learned codebook, with its title and subtitle. */
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
    // The circle ‖x‖² = n means something only for n = 1 under a per-codeword constraint (not average power).
    const circle = c.n === 1 && (c.normalization === 'energy' || c.normalization === 'energy-max');
    for (let j = 0; j < c.n; j++)
      planes.push({
        x: rows.map((r) => r[2 * j]),
        y: rows.map((r) => r[2 * j + 1]),
        xTitle: 'I',
        yTitle: 'Q',
        subtitle: (c.n === 1 ? 'I/Q plane' : `channel use ${j + 1} of ${c.n} (I/Q)`) + (circle ? `; ${reportMsg.unitCircle(c.normalization)}` : ''),
        circle,
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
    const dims = c.signalling === 'complex' ? 2 * c.n : c.n;
    const p = pca2(rows);
    const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
    planes.push({
      x: p.points.map((q) => q[0]),
      y: p.points.map((q) => q[1]),
      xTitle: `PC1 (${pct(p.explained[0])})`,
      yTitle: `PC2 (${pct(p.explained[1])})`,
      subtitle: `PCA of ${dims} dims (${pct(p.explained[0] + p.explained[1])} of the energy)`,
      circle: false,
    });
    if (M <= MDS_MAX_M) {
      const m = mds2(rows);
      planes.push({
        x: m.points.map((q) => q[0]),
        y: m.points.map((q) => q[1]),
        xTitle: 'MDS 1',
        yTitle: 'MDS 2',
        subtitle: `metric MDS of ${dims} dims (stress ${m.stress.toFixed(2)}; PCA layout ${m.pcaStress.toFixed(2)})`,
        circle: false,
      });
    }
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
          shapes: pl.circle ? [{ type: 'circle', xref: 'x', yref: 'y', x0: -1, y0: -1, x1: 1, y1: 1, line: { color: '#999', width: 1, dash: 'dot' } }] : [],
          hovermode: 'closest',
        }),
      },
    };
  });
}

/** Loss and accuracy against step of every trained curve, with validation losses where recorded; undefined when no curve has a training record. */
export function trainingFigure(results: ResultsFile): Figure | undefined {
  const data: Record<string, unknown>[] = [];
  results.curves.forEach((c, i) => {
    if (!c.training?.steps?.length) return;
    const t = c.training;
    const pairs = t.steps.map((s, j) => [s, t.loss[j]] as const).filter(([, l]) => Number.isFinite(l) && l > 0);
    if (!pairs.length) return;
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: escapeHtml(`${c.label}: loss`),
      legendgroup: c.id,
      x: pairs.map((p) => p[0]),
      y: pairs.map((p) => p[1]),
      line: { color: curveColor(i), width: 1.5 },
      hovertemplate: `${escapeHtml(c.label)}<br>step %{x}<br>loss %{y:.4g}<extra></extra>`,
    });
    const acc = t.steps.map((s, j) => [s, t.accuracy?.[j]] as const).filter((q): q is readonly [number, number] => Number.isFinite(q[1]));
    if (acc.length)
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: escapeHtml(`${c.label}: accuracy`),
        legendgroup: c.id,
        yaxis: 'y2',
        x: acc.map((q) => q[0]),
        y: acc.map((q) => q[1]),
        line: { color: curveColor(i), width: 1.5, dash: 'dot' },
        hovertemplate: `${escapeHtml(c.label)}<br>step %{x}<br>accuracy %{y:.2%}<extra></extra>`,
      });
    // The held-out measure that decided when training stopped (convergence mode).
    const v = t.validation;
    if (v?.steps.length)
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: escapeHtml(`${c.label}: validation loss`),
        legendgroup: c.id,
        x: v.steps,
        y: v.loss,
        customdata: v.bler,
        marker: { size: 4, color: curveColor(i) },
        line: { color: curveColor(i), width: 1, dash: 'dash' },
        hovertemplate: `${escapeHtml(c.label)}<br>step %{x}<br>validation loss %{y:.4g}<br>validation BLER %{customdata:.3e}<extra></extra>`,
      });
    // The decoder refinement's own validation set, at its higher Eb/N0 (so a lower loss).
    const r = t.refinement;
    if (r?.validation.steps.length)
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: escapeHtml(`${c.label}: decoder refinement, validation loss at ${r.ebnoDb} dB`),
        legendgroup: c.id,
        x: r.validation.steps,
        y: r.validation.loss,
        customdata: r.validation.bler,
        marker: { size: 5, symbol: 'diamond', color: curveColor(i) },
        line: { color: curveColor(i), width: 1, dash: 'dashdot' },
        hovertemplate: `${escapeHtml(c.label)}: decoder refinement<br>step %{x}<br>validation loss %{y:.4g} at ${r.ebnoDb} dB<br>validation BLER %{customdata:.3e}<extra></extra>`,
      });
  });
  if (!data.length) return undefined;
  return {
    id: 'fig-training',
    data,
    layout: baseLayout({
      height: 440,
      xaxis: axis('Training step'),
      yaxis: axis('Loss (cross-entropy): training solid, validation dashed', { type: 'log', exponentformat: 'power', dtick: 'D2', mirror: false }),
      yaxis2: axis('Accuracy (training batches), dotted', {
        overlaying: 'y',
        side: 'right',
        range: [0, 1.02],
        tickformat: '.0%',
        mirror: false,
        showgrid: false,
      }),
      margin: { l: 70, r: 70, t: 30, b: 55 },
      legend: { orientation: 'h', x: 0, y: -0.2, xanchor: 'left', yanchor: 'top', bgcolor: 'rgba(255,255,255,0.85)', bordercolor: '#ccc', borderwidth: 1 },
      hovermode: 'closest',
    }),
  };
}

/** Spectra beyond this many distinct distances are thinned for drawing (the step shape stays). */
const SPECTRUM_POINTS = 2000;

/**
 * The cumulative distance spectrum of every learned codebook (energy-normalized like its geometry), and Hamming (7,4) as BPSK when
 * one of them is (7,4)-shaped. A plot, not a table: the numbers a reader quotes (d²min, kissing number) are results.json `geometry`.
 */
export function spectrumFigure(results: ResultsFile): Figure | undefined {
  const data: Record<string, unknown>[] = [];
  let hamming = false;
  results.curves.forEach((c, i) => {
    if (!isLearnedCodebookCurve(c) || !c.geometry || !c.codebook) return;
    hamming ||= isHamming74Shaped(c);
    const s = cumulativeSpectrum(energyNormalized(c.codebook, c.n));
    const step = Math.max(1, Math.ceil(s.d2.length / SPECTRUM_POINTS));
    const keep = s.d2.map((_, j) => j).filter((j) => j % step === 0 || j === s.d2.length - 1);
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: escapeHtml(c.label),
      x: [0, ...keep.map((j) => s.d2[j])],
      y: [0, ...keep.map((j) => s.neighbours[j])],
      line: { color: curveColor(i), width: 2, shape: 'hv' },
      hovertemplate: `${escapeHtml(c.label)}<br>d² ≤ %{x:.3f}: %{y:.2f} codewords<extra></extra>`,
    });
  });
  if (!data.length) return undefined;
  if (hamming) {
    const s = cumulativeSpectrum(hamming74Rows());
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: 'Hamming (7,4) as BPSK',
      x: [0, ...s.d2],
      y: [0, ...s.neighbours],
      line: { color: '#222', width: 1.5, dash: 'dash', shape: 'hv' },
      hovertemplate: 'Hamming (7,4) as BPSK<br>d² ≤ %{x}: %{y} codewords<extra></extra>',
    });
  }
  return {
    id: 'fig-spectrum',
    data,
    layout: baseLayout({
      height: 400,
      xaxis: axis('Squared distance d² (codebook scaled to mean ‖x‖² = n)', { rangemode: 'tozero' }),
      yaxis: axis('Codewords within d² of a codeword (mean)', { rangemode: 'tozero' }),
      legend: { x: 0.99, y: 0.03, xanchor: 'right', yanchor: 'bottom', bgcolor: 'rgba(255,255,255,0.85)', bordercolor: '#ccc', borderwidth: 1 },
      hovermode: 'closest',
    }),
  };
}
