/**
 * The single-link autoencoder spec of one user of a two-user system (complex signalling). Its channel is the
 * links' spec (AWGN, or Rayleigh fading per link: src/channels/two-user.ts makeTwoUserChannel); with perfect CSI
 * the receiver also gets its two links' gains after y (`sideInputs`, src/channels/two-user-rayleigh.ts).
 */
import type { ChannelSpec } from '../channels/registry.ts';
import type { AutoencoderSpec } from '../autoencoder/spec.ts';

export function userSpec(s: Pick<AutoencoderSpec, 'k' | 'n' | 'normalization' | 'encoder' | 'decoder'> & { channel?: ChannelSpec }): AutoencoderSpec {
  const channel: ChannelSpec = s.channel ?? { type: 'awgn' };
  const gains = channel.type === 'rayleigh' && channel.csi === 'perfect' ? (channel.coherence === 'block' ? 1 : s.n) : 0;
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
