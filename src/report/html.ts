/**
 * report.html: one self-contained page (Plotly inlined, data inlined, no network references) with the BLER
 * curves, learned constellations, training curves, the dB analysis and findings, a table of every point and
 * the run's provenance.
 *
 * The page is assembled from parts: figures (figures.ts, Plotly specs embedded as JSON and drawn by a few
 * lines of inline script), tables (run-tables.ts, analysis-tables.ts, all built with tables.ts) and the
 * analysis that annotateResults wrote into the results. It computes no analysis of its own.
 */
import { twoUserSection } from './two-user.ts';
import { reportMsg } from '../messages.ts';
import { QUICK } from '../scenario/compile.ts';
import { DEFAULTS } from '../defaults.ts';
import { ebnoAtBerTable, ebnoAtBlerTable, findingsTable, gapsTable, geometryTable } from './analysis-tables.ts';
import { escapeHtml } from './escape.ts';
import { rtnSection } from './rtn-section.ts';
import { berFigure, blerFigure, constellationPanels, curveColor, spectrumFigure, trainingFigure, type Figure } from './figures.ts';
import { CSS, DRAW } from './page-assets.ts';
import { jsonForScript, plotlyBundle } from './plotly.ts';
import { completeness } from './completeness.ts';
import type { ResultsFile } from '../results/results.ts';
import { curvesTable, infoTable, pointsTable, trainingTable } from './run-tables.ts';
import { isLearnedCodebookCurve } from '../systems/registry.ts';

/**
 * Eb/N0 at the BLER targets, the dB gaps of compared pairs, and the findings of the claim checks the
 * scenario lists: all as annotateResults wrote them into the results.
 */
function analysisSection(results: ResultsFile): string {
  const labels = Object.fromEntries(results.curves.map((c) => [c.id, c.label]));
  const analysed = results.curves.some((c) => c.ebnoAtBler);
  const gaps = results.gaps ?? [];
  const findings = results.findings ?? [];
  return `<h2>E<sub>b</sub>/N<sub>0</sub> at target BLER, and gaps</h2>
<section class="card" id="analysis">
<p class="caption">${escapeHtml(analysed ? reportMsg.analysisCaption(DEFAULTS.analysis.fewErrors) : reportMsg.noAnalysis)}</p>
${analysed ? ebnoAtBlerTable(results.curves) : ''}
${results.curves.some((c) => c.ebnoAtBer) ? ebnoAtBerTable(results.curves) : ''}
${labellingNotes(results)}
${gaps.length ? gapsTable(gaps, labels) : ''}
${findings.length ? `<h3>Findings</h3><p class="caption">${escapeHtml(reportMsg.findingsCaption(results.quick))}</p>${findingsTable(findings)}` : ''}
</section>`;
}

/** What each labelling search found, beside the natural labelling it started from (results.json `labellingSearch`). */
function labellingNotes(results: ResultsFile): string {
  const notes = results.curves.filter((c) => c.labellingSearch && c.labels);
  if (!notes.length) return '';
  const items = notes.map((c) => `<li>${escapeHtml(reportMsg.labellingNote(c.label, c.labelledOf ?? c.id, c.labellingSearch!, c.labels!))}</li>`);
  return `<ul class="caption" id="labelling-notes">${items.join('')}</ul>`;
}

/** Autoencoders grouped by (signalling, n, k): a group with several power constraints is shown side by side. */
function constellationSection(results: ResultsFile, figures: Figure[]): string {
  const aes = results.curves.map((c, i) => ({ c, i })).filter(({ c }) => isLearnedCodebookCurve(c) && c.codebook?.length);
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

/** d²min and kissing numbers (as annotateResults wrote them) and the distance spectra; empty without codebooks. */
function geometrySection(results: ResultsFile, figures: Figure[]): string {
  const table = geometryTable(results.curves);
  if (!table) return '';
  const spectrum = spectrumFigure(results);
  if (spectrum) figures.push(spectrum);
  return `<h2>Codebook geometry</h2>
<section class="card" id="geometry">
<p class="caption">${escapeHtml(reportMsg.geometryCaption(results.curves.find((c) => c.geometry)!.geometry!.tolerance))}</p>
${table}
${spectrum ? `<div class="plot" id="fig-spectrum"></div><p class="caption">${escapeHtml(reportMsg.spectrumCaption)}</p>` : ''}
</section>`;
}

/** The whole report page. Pure: no file system access except reading the Plotly bundle once. */
export function renderReport(results: ResultsFile, opts: { plotly?: string } = {}): string {
  const figures: Figure[] = [];
  const bler = blerFigure(results);
  figures.push(bler.figure);
  const ber = berFigure(results);
  const hasBer = ber.figure.data.length > 0;
  if (hasBer) figures.push(ber.figure);
  const constellations = constellationSection(results, figures);
  const training = trainingFigure(results);
  if (training) figures.push(training);
  const geometry = geometrySection(results, figures);
  const twoUser = twoUserSection(results, figures);
  const missing = completeness(results);
  const sc = results.scenario;
  let caption = reportMsg.blerCaption(DEFAULTS.analysis.closedFormDecades, DEFAULTS.analysis.closedFormDb);
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
${!results.complete || missing.missingPoints > 0 ? `<div class="banner incomplete" id="incomplete-banner">${escapeHtml(reportMsg.incompleteBanner(missing.curves))}</div>` : ''}
<section class="card">
<h2 style="margin-top:0.2em">BLER${hasBer ? ' and BER' : ''} vs E<sub>b</sub>/N<sub>0</sub></h2>
<div class="rates"><div class="plot" id="fig-bler"></div>${hasBer ? '<div class="plot" id="fig-ber"></div>' : ''}</div>
<p class="caption" id="bler-caption">${escapeHtml(caption)}</p>
${hasBer ? `<p class="caption" id="ber-caption">${escapeHtml(reportMsg.berCaption)}</p>` : ''}
${curvesTable(results)}
</section>
${analysisSection(results)}
<h2>Learned constellations</h2>
${constellations}
${twoUser}
${geometry}
<h2>Training</h2>
${training ? `<div class="card"><div class="plot" id="fig-training"></div><p class="caption">${escapeHtml(reportMsg.trainingCaption)}</p>${trainingTable(results)}</div>` : `<p class="caption">${escapeHtml(reportMsg.noAutoencoders)}</p>`}
${rtnSection(results, figures)}
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
