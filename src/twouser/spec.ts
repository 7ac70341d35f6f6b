/** The single-link autoencoder spec of one user of a two-user system (complex signalling, AWGN per link). */
import type { AutoencoderSpec } from '../autoencoder/spec.ts';

export function userSpec(s: Pick<AutoencoderSpec, 'k' | 'n' | 'normalization' | 'encoder' | 'decoder'>): AutoencoderSpec {
  return { k: s.k, n: s.n, signalling: 'complex', normalization: s.normalization, channel: { type: 'awgn' }, encoder: s.encoder, decoder: s.decoder };
}
