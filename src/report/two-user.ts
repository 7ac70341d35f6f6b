/**
 * The report's part for two-user systems (src/twouser/): both users' learned constellations drawn together
 * in each complex channel use (one panel per use for n ≤ 4; above, one joint PCA projection of both
 * codebooks), so the paper's Fig. 7 observations can be checked by eye, and the training plot of the loss
 * weight α and both users' losses.
 */
import type { Figure } from './figures.ts';
import { axis, baseLayout } from './figures.ts';
import { escapeHtml } from './escape.ts';
import { pca2 } from './pca.ts';
import type { Curve, ResultsFile } from '../results/results.ts';

const USER_COLORS = ['#1f77b4', '#d62728'];

function scatter(name: string, x: number[], y: number[], color: string, symbol: string, M: number): Record<string, unknown> {
  return {
    type: 'scatter',
    mode: M <= 16 ? 'markers+text' : 'markers',
    name,
    x,
    y,
    text: x.map((_, m) => (M <= 16 ? String(m) : '')),
    textposition: 'top center',
    textfont: { size: 9, color },
    hovertemplate: `${escapeHtml(name)}<br>message %{text}<br>(%{x:.3f}, %{y:.3f})<extra></extra>`,
    marker: { color, symbol, size: M <= 64 ? 9 : 5, line: { width: 0.5, color: '#222' } },
  };
}

function panel(id: string, traces: Record<string, unknown>[], xTitle: string, yTitle: string, r: number): Figure {
  return {
    id,
    data: traces,
    layout: baseLayout({
      width: 360,
      height: 360,
      margin: { l: 50, r: 15, t: 15, b: 45 },
      xaxis: axis(xTitle, { range: [-r, r], zeroline: true, zerolinecolor: '#bbb' }),
      yaxis: axis(yTitle, { range: [-r, r], scaleanchor: 'x', scaleratio: 1, zeroline: true, zerolinecolor: '#bbb' }),
      legend: { orientation: 'h', x: 0, y: 1.12 },
      hovermode: 'closest',
    }),
  };
}

/** Panels of one two-user system: both codebooks per complex channel use, or a joint PCA above n = 4. */
export function twoUserConstellations(u1: Curve, u2: Curve, idPrefix: string): { figure: Figure; subtitle: string }[] {
  const a = u1.codebook ?? [];
  const b = u2.codebook ?? [];
  if (!a.length || !b.length) return [];
  const M = a.length;
  const n = u1.n;
  const out: { figure: Figure; subtitle: string }[] = [];
  const radius = (xs: number[]) => Math.max(1.05, ...xs.map(Math.abs)) * 1.15;
  if (n <= 4) {
    for (let j = 0; j < n; j++) {
      const xs = [a, b].map((rows) => rows.map((r) => r[2 * j]));
      const ys = [a, b].map((rows) => rows.map((r) => r[2 * j + 1]));
      const r = radius([...xs.flat(), ...ys.flat()]);
      out.push({
        subtitle: `channel use ${j + 1} of ${n} (I/Q)`,
        figure: panel(
          `${idPrefix}-${j}`,
          [scatter('user 1', xs[0], ys[0], USER_COLORS[0], 'circle', M), scatter('user 2', xs[1], ys[1], USER_COLORS[1], 'x', M)],
          'I',
          'Q',
          r,
        ),
      });
    }
  } else {
    const p = pca2([...a, ...b]);
    const pts = p.points;
    const r = radius(pts.flat());
    const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
    out.push({
      subtitle: `joint PCA of both codebooks' ${2 * n} dims (${pct(p.explained[0] + p.explained[1])} of the spread)`,
      figure: panel(
        `${idPrefix}-pca`,
        [
          scatter(
            'user 1',
            pts.slice(0, M).map((q) => q[0]),
            pts.slice(0, M).map((q) => q[1]),
            USER_COLORS[0],
            'circle',
            M,
          ),
          scatter(
            'user 2',
            pts.slice(M).map((q) => q[0]),
            pts.slice(M).map((q) => q[1]),
            USER_COLORS[1],
            'x',
            M,
          ),
        ],
        `PC1 (${pct(p.explained[0])})`,
        `PC2 (${pct(p.explained[1])})`,
        r,
      ),
    });
  }
  return out;
}

/** α and both users' training losses against the step. */
export function twoUserTrainingFigure(u1: Curve, id: string): Figure | undefined {
  const t = u1.twoUserTraining;
  const steps = u1.training?.steps;
  if (!t || !steps?.length) return undefined;
  return {
    id,
    data: [
      { type: 'scatter', mode: 'lines', name: 'L1 (user 1)', x: steps, y: t.loss1, line: { color: USER_COLORS[0], width: 1.5 } },
      { type: 'scatter', mode: 'lines', name: 'L2 (user 2)', x: steps, y: t.loss2, line: { color: USER_COLORS[1], width: 1.5 } },
      { type: 'scatter', mode: 'lines', name: 'α (weight of L1)', yaxis: 'y2', x: steps, y: t.alpha, line: { color: '#2ca02c', width: 1.5, dash: 'dot' } },
    ],
    layout: baseLayout({
      height: 360,
      xaxis: axis('Training step'),
      yaxis: axis('Training loss (cross-entropy)', { type: 'log', exponentformat: 'power', mirror: false }),
      yaxis2: axis('α', { overlaying: 'y', side: 'right', range: [0, 1], mirror: false, showgrid: false }),
      margin: { l: 70, r: 60, t: 30, b: 55 },
      legend: { orientation: 'h', x: 0, y: -0.25 },
      hovermode: 'x unified',
    }),
  };
}

/** The section: per two-user system, its constellations and its α/loss plot; '' without two-user systems. */
export function twoUserSection(results: ResultsFile, figures: Figure[]): string {
  const systems = results.scenario.systems.filter((s) => s.type === 'two-user');
  if (!systems.length) return '';
  const html: string[] = [
    '<h2>Two users: constellations and loss weighting</h2>',
    '<section class="card" id="two-user">',
    `<p class="caption">${escapeHtml(
      "Both users' learned codebooks (average-power normalized over their M codewords) drawn together in each complex channel use; the receivers see y1 = x1 + g·x2 + n1 and y2 = x2 + g·x1 + n2. The training plot shows the weight α of L = α·L1 + (1−α)·L2 (dynamic: α = L1/(L1+L2) after every batch) and both users' losses, averaged per logging window.",
    )}</p>`,
  ];
  systems.forEach((s, g) => {
    const u1 = results.curves.find((c) => c.twoUser?.of === s.id && c.twoUser.user === 1 && !c.mlOf);
    const u2 = results.curves.find((c) => c.twoUser?.of === s.id && c.twoUser.user === 2 && !c.mlOf);
    if (!u1 || !u2) return;
    html.push(`<h3>${escapeHtml(s.label)}</h3><div class="panels">`);
    for (const p of twoUserConstellations(u1, u2, `fig-two-user-${g}`)) {
      figures.push(p.figure);
      html.push(
        `<figure class="panel"><figcaption><span class="note">${escapeHtml(p.subtitle)}</span></figcaption><div class="plot" id="${escapeHtml(p.figure.id)}"></div></figure>`,
      );
    }
    html.push('</div>');
    const tf = twoUserTrainingFigure(u1, `fig-two-user-training-${g}`);
    if (tf) {
      figures.push(tf);
      html.push(`<div class="plot" id="${escapeHtml(tf.id)}"></div>`);
    }
  });
  html.push('</section>');
  return html.join('\n');
}
