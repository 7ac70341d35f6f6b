/** The report page's style sheet and its drawing script, both inlined (the page loads nothing). */

export const CSS = `
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
.ci { color: #666; font-size: 0.9em; } td.few-errors { background: #fff8e1; } sup.few { color: #b26a00; font-weight: 600; }
tr.claim-pass td:last-child { color: #275d27; font-weight: 600; } tr.claim-fail td:last-child { color: #a33; font-weight: 600; }
tr.claim-inconclusive td:last-child { color: #b26a00; font-weight: 600; }
table.info th { background: #f6f6f6; white-space: nowrap; }
.panels { display: flex; flex-wrap: wrap; gap: 12px; }
.rates { display: grid; grid-template-columns: repeat(auto-fit, minmax(500px, 1fr)); gap: 12px; }
figure.panel { margin: 0; background: #fff; border: 1px solid #e3e3e3; border-radius: 8px; padding: 6px; }
figure.panel figcaption { font-size: 0.88em; padding: 2px 6px; max-width: 320px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
pre { background: #fff; border: 1px solid #e3e3e3; padding: 10px; overflow: auto; font-size: 0.85em; }
footer { color: #777; font-size: 0.85em; margin-top: 32px; }
`;

/** Inline script: draws every figure from the embedded JSON; failures show on the page and the console. */
export const DRAW = `
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
