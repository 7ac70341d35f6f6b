/** Analysis of results: the paper's claims checked against measurements, gaps between curves, codebook geometry. */
export * from './annotate.ts';
export * from './ber-crossings.ts';
export * from './claim-registry.ts';
export * from './claims-markdown.ts';
export * from './claims.ts';
export * from './constellation.ts';
export * from './gaps.ts';
export * from './geometry.ts';
export * from './rtn-claims.ts';
export * from './two-user-claims.ts';
export * from './verdict.ts';
