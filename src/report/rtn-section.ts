/**
 * The report's "What the RTN learned" part: for autoencoders with an RTN receiver, a few blocks' channel
 * taps h next to the estimated filter ω and the overall response h ∗ ω (ideally a delayed impulse), and the
 * mean share of the response's energy in its largest tap over many blocks (src/autoencoder/rtn-examples.ts).
 */
import { rtnMsg } from '../messages.ts';
import { escapeHtml } from './escape.ts';
import type { Figure } from './figures.ts';
import type { ResultsFile } from '../results/results.ts';
import { htmlTable } from './tables.ts';

/** A complex value as magnitude∠phase (degrees). */
const polar = ([re, im]: number[]): string => `${Math.hypot(re, im).toFixed(2)}∠${Math.round((Math.atan2(im, re) * 180) / Math.PI)}°`;

/** Share of the energy in each tap of a complex sequence ([re, im] pairs). */
const shares = (v: number[][]): number[] => {
  const e = v.map(([re, im]) => re * re + im * im);
  const total = e.reduce((a, b) => a + b, 0) || 1;
  return e.map((x) => Math.round((x / total) * 1e4) / 1e4);
};

/** One panel per shown block: the energy share per tap of h and of h ∗ ω, side by side (an impulse is one full bar). */
function rtnFigure(id: string, r: NonNullable<ResultsFile['curves'][number]['rtn']>): Figure {
  const data: Record<string, unknown>[] = [];
  const layout: Record<string, unknown> = {
    font: { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 13 },
    margin: { l: 60, r: 20, t: 45, b: 50 },
    barmode: 'group',
    grid: { rows: 1, columns: r.blocks.length, pattern: 'independent' },
    legend: { orientation: 'h', x: 0, y: 1.18 },
    height: 300,
  };
  r.blocks.forEach((b, i) => {
    const axis = i === 0 ? '' : String(i + 1);
    data.push({
      type: 'bar',
      name: 'h',
      x: b.h.map((_, k) => k),
      y: shares(b.h),
      xaxis: `x${axis}`,
      yaxis: `y${axis}`,
      marker: { color: '#7f7f7f' },
      showlegend: i === 0,
      legendgroup: 'h',
    });
    data.push({
      type: 'bar',
      name: 'h ∗ ω',
      x: b.response.map((_, k) => k),
      y: shares(b.response),
      xaxis: `x${axis}`,
      yaxis: `y${axis}`,
      marker: { color: '#1f77b4' },
      showlegend: i === 0,
      legendgroup: 'hw',
    });
    layout[`xaxis${axis}`] = { title: { text: `block ${i + 1}: tap` }, dtick: 1 };
    layout[`yaxis${axis}`] = { range: [0, 1], ...(i === 0 ? { title: { text: 'share of energy' } } : {}) };
  });
  return { id, data, layout };
}

export function rtnSection(results: ResultsFile, figures: Figure[] = []): string {
  const curves = results.curves.filter((c) => c.rtn);
  if (!curves.length) return '';
  const parts = curves.map((c, ci) => {
    const r = c.rtn!;
    const figure = rtnFigure(`fig-rtn-${ci}`, r);
    figures.push(figure);
    const table = htmlTable({
      columns: [
        { header: 'block', cell: (_row, i) => i + 1, className: 'num' },
        { header: 'channel taps h', cell: (b) => b.h.map(polar).join('  ') },
        { header: 'estimated filter ω', cell: (b) => b.omega.map(polar).join('  ') },
        { header: 'overall response h ∗ ω', cell: (b) => b.response.map(polar).join('  ') },
      ],
      rows: r.blocks,
    });
    return `<h3>${escapeHtml(c.label)}</h3>
<p class="caption">${escapeHtml(rtnMsg.caption(r.ebnoDb, r.peakShare.blocks, r.peakShare.channel, r.peakShare.equalized))}</p>
<div class="plot" id="${escapeHtml(figure.id)}"></div>
${table}`;
  });
  return `<h2>What the RTN learned</h2>
<section class="card" id="rtn">
${parts.join('\n')}
</section>`;
}
