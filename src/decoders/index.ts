/** Decoders of the Monte Carlo engine: the contract, the registry and the learned-decoder rule. */
export type { DecodeFn, DecoderModule, Hasher } from './decoder.ts';
export { DECODERS, DECODER_KINDS, decoderModule, decoderSummary, type DecoderKind, type DecoderSpec } from './registry.ts';
export { learnedDecoderSpec, mlpMacs, TF_DECODER_MIN_MACS } from './learned.ts';
