/**
 * What the page needs to draw offline: the Plotly bundle, inlined, and the figure data as JSON that is safe
 * inside a <script> element.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** JSON safe to place inside a <script> element (no `</script>`, `<!--`, or JS line separators). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

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
