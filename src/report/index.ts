/** HTML reports: the run page, the index of runs, constellation projection, results files, atomic writes. */
export * from './atomic.ts';
export * from './html.ts';
export * from './index-page.ts';
export * from './pca.ts';
export * from './results.ts';
