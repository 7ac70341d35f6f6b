/**
 * What the Monte Carlo engine measures: a block system = a codebook (what the transmitter sends for each
 * of the M = 2^k messages), a channel, and a decoder. Everything here is plain data (typed arrays and
 * strings) so a system can be posted to worker threads and rebuilt there.
 */
import type { BlockLink } from './block-link.ts';
import type { DecoderSpec } from './decoders/registry.ts';

/** How the system decides: a spec of one of the registered decoders (src/decoders/registry.ts). */
export type { DecoderSpec } from './decoders/registry.ts';

/** A block system: a link and the decoder that decides at its receiver. */
export interface BlockSystem extends BlockLink {
  decoder: DecoderSpec;
}
