/**
 * HTML reports: the run page (html.ts) assembled from figures, tables and the analysis in the results; the
 * index of runs, constellation projection, results files, atomic writes.
 */
export * from './analysis-tables.ts';
export { writeFileAtomic, type Content } from '../io/atomic.ts';
export * from './completeness.ts';
export * from './escape.ts';
// The Plotly style helpers (curveColor, baseLayout, axis) stay inside the report.
export {
  berFigure,
  blerFigure,
  constellationPanels,
  spectrumFigure,
  trainingFigure,
  type BlerFigureInfo,
  type ConstellationPanel,
  type Figure,
} from './figures.ts';
export * from './format.ts';
export * from './html.ts';
export * from './index-page.ts';
export * from './mds.ts';
export * from './pca.ts';
export * from './plotly.ts';
export * from '../results/results.ts';
export * from './run-tables.ts';
export * from './tables.ts';
