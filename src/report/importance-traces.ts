/**
 * How the error-rate figures draw importance-sampled points (src/montecarlo/importance.ts): star markers on
 * the curve's colour and dash, a legend entry of their own ("…, importance sampling"), the effective sample
 * size and the samples in the hover text; points whose diagnostics failed are drawn as open crosses in a
 * separate "not trusted" entry, so they are never mistaken for measured ones.
 */
import type { PointResult } from '../montecarlo/types.ts';
import { escapeHtml } from './escape.ts';
import type { ResultsFile } from '../results/results.ts';

interface Rated {
  p: PointResult;
  m: { v: number; low: number; high: number };
}

/** The legend title's extra line when the results hold importance-sampled points. */
export const IMPORTANCE_LEGEND_NOTE = (results: ResultsFile): string =>
  results.curves.some((c) => c.points.some((p) => p.method === 'importance')) ? '<br>importance sampling: stars (ESS in the hover text)' : '';

export function importanceTraces(label: string, group: string, color: string, dash: string, pts: Rated[], metricName: string): Record<string, unknown>[] {
  const trusted = pts.filter(({ p, m }) => p.importance?.trusted && m.v > 0);
  const doubtful = pts.filter(({ p, m }) => !(p.importance?.trusted && m.v > 0));
  const out: Record<string, unknown>[] = [];
  const hover = (what: string) =>
    `${escapeHtml(label)} (${what})<br>Eb/N0 %{x} dB<br>${metricName} %{y:.3e}<br>95% CLT CI [%{customdata[0]:.2e}, %{customdata[1]:.2e}]<br>%{customdata[2]} samples, %{customdata[3]} in error, ESS %{customdata[4]:.0f}<br>%{customdata[5]}<extra></extra>`;
  const custom = (rs: Rated[]) =>
    rs.map(({ p, m }) => [m.low, m.high, p.blocks, p.errors, p.importance?.ess ?? 0, escapeHtml(p.importance?.why ?? 'diagnostics passed')]);
  if (trusted.length) {
    out.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: escapeHtml(`${label}, importance sampling`),
      legendgroup: group,
      showlegend: true,
      x: trusted.map(({ p }) => p.ebnoDb),
      y: trusted.map(({ m }) => m.v),
      error_y: {
        type: 'data',
        symmetric: false,
        array: trusted.map(({ m }) => Math.max(m.high - m.v, 0)),
        arrayminus: trusted.map(({ m }) => Math.max(m.v - m.low, 0)),
        thickness: 1,
        width: 3,
        color,
      },
      line: { color, width: 1.5, dash },
      marker: { color, size: 10, symbol: 'star', line: { width: 1, color: '#222' } },
      customdata: custom(trusted),
      hovertemplate: hover('importance sampling'),
    });
  }
  if (doubtful.length) {
    out.push({
      type: 'scatter',
      mode: 'markers',
      name: escapeHtml(`${label}, importance sampling: not trusted`),
      legendgroup: group,
      showlegend: true,
      x: doubtful.map(({ p }) => p.ebnoDb),
      // A zero estimate has no place on a log axis: its interval's upper end stands in.
      y: doubtful.map(({ m }) => (m.v > 0 ? m.v : m.high)),
      marker: { color, size: 11, symbol: 'x-open', line: { width: 2, color } },
      customdata: custom(doubtful),
      hovertemplate: hover('importance sampling, NOT TRUSTED'),
    });
  }
  return out;
}
