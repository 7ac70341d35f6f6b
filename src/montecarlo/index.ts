/** Monte Carlo BLER engine: public surface. */
export * from './types.ts';
export { runSweep, mergeShards, pointResult, resolveRules, chunkSize, McWorkerError } from './engine.ts';
export { createPool, type McPool } from './pool.ts';
export { ChunkKernel, validateSystem } from './kernel.ts';
export { decoderSummary } from '../decoders/index.ts';
export { clopperPearson, betaQuantile, regIncBeta, lbeta, lgamma } from './stats.ts';
export { runImportanceSweep, resolveImportance } from './importance-sweep.ts';
export { buildProposal, IsChunkKernel, isPointStats, checkImportanceSystem, type ImportanceSettings, type IsPointFields } from './importance.ts';
