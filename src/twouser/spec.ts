/**
 * The single-link autoencoder spec of one user of a two-user system (complex signalling). Its channel is the
 * links' spec (AWGN, or Rayleigh fading per link: makeTwoUserChannel in src/channels/registry.ts); with perfect CSI
 * the receiver also gets its two links' gains after y (`sideInputs`, src/channels/two-user-rayleigh.ts).
 */
import { blockFading, type ChannelSpec } from '../channels/registry.ts';
import type { AutoencoderSpec } from '../autoencoder/spec.ts';

export function userSpec(s: Pick<AutoencoderSpec, 'k' | 'n' | 'normalization' | 'encoder' | 'decoder'> & { channel?: ChannelSpec }): AutoencoderSpec {
  const channel: ChannelSpec = s.channel ?? { type: 'awgn' };
  // With CSI each receiver gets its two links' gains (4 reals per complex gain); without, or without fading, none.
  const fading = blockFading(channel, s.n);
  const gains = fading.csi === 'perfect' ? fading.gains : 0;
  return {
    k: s.k,
    n: s.n,
    signalling: 'complex',
    normalization: s.normalization,
    channel,
    encoder: s.encoder,
    decoder: s.decoder,
    ...(gains > 0 ? { sideInputs: 4 * gains } : {}),
  };
}
