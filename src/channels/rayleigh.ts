/**
 * The Rayleigh channel kind: `channel: { type: rayleigh, coherence, csi }`, h ~ CN(0, 1) per block or per
 * channel use, then AWGN (the model: flat-fading.ts with no line of sight).
 */
import { z } from 'zod';
import type { CsiKind, FadingCoherence } from '../vocabulary.ts';
import { exponentialGain, fadingFields, flatFading, type FadingDefaults } from './fading-fields.ts';
import { FlatFadingChannel } from './flat-fading.ts';
import { defineChannelKind } from './kind.ts';
import { TwoUserRayleighChannel } from './two-user-rayleigh.ts';

/**
 * The compiled spec of Rayleigh flat fading (`channel: { type: rayleigh }`): h ~ CN(0, 1) per block or per channel
 * use (`coherence`), with or without the gain known at the receiver (`csi`); rayleighDefaults fills what a scenario
 * leaves out.
 */
export interface RayleighSpec {
  type: 'rayleigh';
  coherence: FadingCoherence;
  csi: CsiKind;
}

/** What a Rayleigh channel is when the scenario says no more (docs/defaults.md: `rayleigh.*`). */
const defaults: FadingDefaults = { coherence: 'block', csi: 'perfect' };

export const rayleigh = defineChannelKind<RayleighSpec>({
  type: 'rayleigh',
  example: { type: 'rayleigh', coherence: 'symbol', csi: 'perfect' },
  defaults,
  schema: z.strictObject({ type: z.literal('rayleigh'), ...fadingFields(defaults) }).meta({ description: 'Rayleigh fading h ~ CN(0,1), then AWGN.' }),
  compile: (c) => ({
    type: 'rayleigh',
    coherence: (c.coherence as FadingCoherence | undefined) ?? defaults.coherence,
    csi: (c.csi as CsiKind | undefined) ?? defaults.csi,
  }),
  label: (s) => `Rayleigh (${s.coherence} fading, CSI ${s.csi})`,
  make: (s, n, signalling) => new FlatFadingChannel(s, n, signalling),
  // After perfect-CSI zero forcing one gain scales the noise of the whole block alike; per-use gains (or no
  // CSI) weight the dimensions unequally, so nearest-codeword is then only a reference decoder.
  nearestCodewordIsMl: (s) => s.coherence === 'block' && s.csi === 'perfect',
  gainLaw: (s) => exponentialGain(s.coherence, s.csi),
  noiseOnly: false,
  intersymbol: false,
  taps: () => 1,
  fading: flatFading,
  withKnownGains: (s) => ({ ...s, csi: 'perfect' }),
  // One complex gain per block is a phase (and an amplitude the decoder can absorb): the RTN's phase transform.
  rtnTransforms: ['phase'],
  twoUser: (s, n, g) => new TwoUserRayleighChannel(n, g, s.coherence, s.csi),
});
