/** Classical baselines and their closed-form BLER curves. */
export { uncodedSystem, hamming74System, mlDecoderFor, hamming74DbpskSystem } from './systems.ts';
export {
  analyticCurve,
  uncodedBler,
  hammingHardBler,
  erfc,
  qfunc,
  serAwgn,
  rayleighBpskBer,
  expectationOverExp1,
  type BaselineDescription,
} from './analytic.ts';
export { analyticBerCurve, uncodedBer, hammingHardBer, berAwgn, grayPamBer, HAMMING_HARD_INFO_ERRORS } from './analytic-ber.ts';
export { BITS_PER_SYMBOL, MODULATION_KINDS, modulationKind, type Modulation } from '../modulations/registry.ts';
export { modulationCodebook } from '../modulations/map.ts';
export { hammingCodebook, hammingHardTable, hammingDecodeWord, hammingEncodeBits } from './hamming.ts';
