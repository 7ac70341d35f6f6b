export * from './spec.ts';
export { buildAutoencoder, trainableParameterCount, decoderLogits, powerLayer } from './build.ts';
export { compileDecoder } from './compile.ts';
export { trainAutoencoder, TrainingAbortedError, type TrainOptions, type TrainProgress } from './train.ts';
export { TrainedAutoencoder, type TrainingRecord } from './trained.ts';
export { PowerNormalization } from '../layers/power-normalization.ts';
export { WeightNormDense } from '../layers/weight-norm-dense.ts';
