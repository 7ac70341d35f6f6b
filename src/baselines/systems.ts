/** Classical block systems, run by the Monte Carlo engine exactly like a trained autoencoder. */
import { channelTypesWhere, hasIntersymbolInterference, withKnownGains, type ChannelSpec } from '../channels/registry.ts';
import type { BlockSystem } from '../system.ts';
import { dbpskHammingCodebook } from './dbpsk-mlse.ts';
import { hammingCodebook } from './hamming.ts';
import { modulationCodebook } from '../modulations/map.ts';
import { modulationKind, type Modulation } from '../modulations/registry.ts';

/**
 * Uncoded transmission of k bits with a registered modulation (src/modulations/): BPSK on k real channel
 * uses, or k / q symbols of a complex constellation (QPSK, Gray 16-QAM, 64-QAM, …) with unit average energy
 * per complex symbol (so E‖x‖² = n). Decoder: hard decision per symbol (symbolwise-hard).
 */
export function uncodedSystem(opts: { id: string; modulation: Modulation; k: number; channel: ChannelSpec }): BlockSystem {
  const kind = modulationKind(opts.modulation);
  const q = kind.bitsPerSymbol;
  if (!(Number.isInteger(opts.k) && opts.k >= 1 && opts.k % q === 0)) {
    throw new Error(`uncodedSystem: k = ${opts.k} must be a positive multiple of ${q} for ${opts.modulation}`);
  }
  return {
    id: opts.id,
    k: opts.k,
    n: opts.k / q,
    signalling: kind.signalling,
    codebook: modulationCodebook(kind, opts.k),
    decoder: { kind: 'symbolwise-hard', modulation: kind.name },
    channel: opts.channel,
  };
}

/** Hamming (7,4) with BPSK on 7 real channel uses; hard (syndrome) or ML (nearest codeword) decoding. */
export function hamming74System(opts: { id: string; decoding: 'hard' | 'ml'; channel: ChannelSpec }): BlockSystem {
  return {
    id: opts.id,
    k: 4,
    n: 7,
    signalling: 'real',
    codebook: hammingCodebook(),
    decoder: opts.decoding === 'hard' ? { kind: 'hamming74-hard' } : { kind: 'nearest-codeword' },
    channel: opts.channel,
  };
}

/**
 * The same codebook and channel with the nearest-codeword decoder: ML for AWGN with equal priors, and for
 * Rayleigh block fading after perfect-CSI zero forcing. Run it with the same `streamId` as the original to
 * compare both decoders on identical messages and noise.
 */
export function mlDecoderFor(system: BlockSystem, id = `${system.id}+ml`): BlockSystem {
  // Intersymbol interference (multipath): the genie (ML with the taps known); knowing the gains only hands the taps
  // over, the draws are the same.
  if (hasIntersymbolInterference(system.channel)) return { ...system, id, channel: withKnownGains(system.channel), decoder: { kind: 'genie-ml' } };
  return { ...system, id, decoder: { kind: 'nearest-codeword' } };
}

/**
 * The paper's classical scheme over multipath (dbpsk-mlse.ts): Hamming (7,4) + DBPSK on 8 complex uses, MLSE
 * with the taps known (the channel is given csi: perfect whatever the scenario says), differential and
 * syndrome decoding. `decoding: genie` decodes the same codebook by ML with the taps known instead.
 */
export function hamming74DbpskSystem(opts: { id: string; channel: ChannelSpec; decoding?: 'mlse' | 'genie' }): BlockSystem {
  if (!hasIntersymbolInterference(opts.channel))
    throw new Error(`system ${opts.id}: Hamming (7,4) + DBPSK with MLSE needs a ${channelTypesWhere((k) => k.intersymbol)} channel, not ${opts.channel.type}`);
  return {
    id: opts.id,
    k: 4,
    n: 8,
    signalling: 'complex',
    codebook: dbpskHammingCodebook(),
    decoder: opts.decoding === 'genie' ? { kind: 'genie-ml' } : { kind: 'mlse-dbpsk-hamming74' },
    channel: withKnownGains(opts.channel),
  };
}
