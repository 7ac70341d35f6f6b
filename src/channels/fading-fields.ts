/**
 * The scenario fields and gain laws every flat-fading kind shares (Rayleigh, Rician): coherence (one gain per
 * block or per channel use) and CSI (the receiver equalizes with the true gain, or sees y as it is).
 */
import { z } from 'zod';
import { expectationOverExp1, qfunc } from '../math/special.ts';
import { CSI_KINDS, FADING_COHERENCES, type CsiKind, type FadingCoherence } from '../vocabulary.ts';
import type { BlockFading, GainLaw } from './kind.ts';

export type FadingDefaults = {
  readonly coherence: FadingCoherence;
  readonly csi: CsiKind;
};

/** The zod fields `coherence` and `csi`, described with the kind's defaults. */
export const fadingFields = (d: FadingDefaults) => ({
  coherence: z
    .enum(FADING_COHERENCES)
    .optional()
    .meta({ description: `block: one fading gain per block; symbol: one per channel use. Default ${d.coherence}.` }),
  csi: z
    .enum(CSI_KINDS)
    .optional()
    .meta({
      description: `perfect: the receiver equalizes with the true gain (two-user systems: each receiver gets its two links' gains after y); none: it sees y as is. Default ${d.csi}.`,
    }),
});

/** A flat-fading block of n uses: one gain per block, or one per use (flat-fading.ts draws them so). */
export const flatFading = (s: FadingDefaults, n: number): BlockFading => ({ gains: s.coherence === 'block' ? 1 : n, coherence: s.coherence, csi: s.csi });

/** No fading: no gains to know. */
export const noFading: BlockFading = { gains: 0, coherence: 'block', csi: 'perfect' };

/**
 * The capabilities of a channel without memory and without fading (AWGN and kinds like it): one tap, no
 * gains, nothing for the receiver to know or an RTN to estimate. A kind spreads it and adds `noiseOnly`.
 */
export const memorylessUnfaded = {
  intersymbol: false,
  /** One tap: the channel has no memory. */
  taps: (): number => 1,
  /** No fading gains. */
  fading: (): BlockFading => noFading,
  /** Nothing to know: the spec itself. */
  withKnownGains: <S>(s: S): S => s,
  rtnTransforms: [] as const,
} as const;

/** g = 1: no fading. */
export const unitGain: GainLaw = {
  coherence: 'block',
  csi: 'perfect',
  exact: true,
  expect: (f) => f(1),
  bpskBer: (gamma) => qfunc(Math.sqrt(2 * gamma)),
};

/** Average BPSK bit error over Rayleigh at mean SNR γ: ½(1 − √(γ/(1+γ))). */
export const rayleighBpskBer = (gamma: number): number => 0.5 * (1 - Math.sqrt(gamma / (1 + gamma)));

/** g ~ Exp(1): Rayleigh fading (|h|² of h ~ CN(0, 1)). */
export const exponentialGain = (coherence: FadingCoherence, csi: CsiKind, exact = true): GainLaw => ({
  coherence,
  csi,
  exact,
  expect: expectationOverExp1,
  bpskBer: rayleighBpskBer,
});

/** E_g[Q(√(2gγ))] under `law`: its closed form where it has one, else the quadrature. */
export const meanBpskBer = (law: GainLaw, gamma: number): number =>
  law.bpskBer ? law.bpskBer(gamma) : law.expect((g) => qfunc(Math.sqrt(2 * g * gamma)), 1 / gamma);
