/**
 * The Rician channel kind: `channel: { type: rician, kFactor: K, coherence, csi }`. h = μ + s·CN(0, 1) with
 * a line-of-sight amplitude μ = √(K/(K+1)) of phase 0 and scattered power s² = 1/(K+1), so E|h|² = 1 as
 * for Rayleigh (K = 0 is Rayleigh; K → ∞ tends to AWGN). One gain per block or per channel use, then AWGN;
 * CSI as for Rayleigh (the model: flat-fading.ts).
 *
 * Gain law (closed forms): g = |h|² is noncentral χ² with two degrees of freedom,
 *   f(g) = (K+1)·e^{−K}·e^{−(K+1)g}·I₀(2√(K(K+1)g)),  g ≥ 0,
 * integrated as E[φ(g)] = ∫₀^∞ 2t·f(t²)·φ(t²) dt (t = |h|), with the exponent folded into the scaled Bessel
 * function: e^{−K−(K+1)t²}·I₀(x) = e^{−(√(K+1)·t − √K)²}·I₀ₑ(x), x = 2t√(K(K+1)), I₀ₑ(x) = e^{−x}I₀(x), so
 * nothing overflows at large K. Checked against an independent computation in
 * test/fixtures/rician-closed-forms.json.
 */
import { z } from 'zod';
import { integrateOverEdges } from '../math/special.ts';
import type { CsiKind, FadingCoherence } from '../vocabulary.ts';
import { fadingFields, flatFading, type FadingDefaults } from './fading-fields.ts';
import { FlatFadingChannel } from './flat-fading.ts';
import { defineChannelKind, type GainLaw } from './kind.ts';

export interface RicianSpec {
  type: 'rician';
  /** K = μ²/s², linear (not dB). */
  kFactor: number;
  coherence: FadingCoherence;
  csi: CsiKind;
}

/** The same defaults as Rayleigh's: a Rician channel is a Rayleigh one with a line of sight. */
const defaults: FadingDefaults = { coherence: 'block', csi: 'perfect' };

/**
 * e^{−x}·I₀(x) for x ≥ 0: the power series (positive terms, exact to rounding) below 30, the asymptotic
 * expansion 1/√(2πx)·Σ_k ((2k−1)!!)²/(k!·(8x)^k) from 30 on (its terms shrink below 1e-17 before they turn).
 */
export function besselI0Scaled(x: number): number {
  if (x < 30) {
    const q = (x * x) / 4;
    let term = 1;
    let sum = 1;
    for (let k = 1; k < 500 && term > 1e-17 * sum; k++) {
      term *= q / (k * k);
      sum += term;
    }
    return sum * Math.exp(-x);
  }
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 40; k++) {
    const next = (term * (2 * k - 1) ** 2) / (k * 8 * x);
    if (next >= term) break;
    term = next;
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum / Math.sqrt(2 * Math.PI * x);
}

/** E_g[φ(g)] for the Rician power gain of K-factor K; `scale` is where φ changes (about 1/SNR). */
export function expectationOverRician(K: number, phi: (g: number) => number, scale: number): number {
  const a = Math.sqrt(K + 1);
  const b = Math.sqrt(K);
  const c = 2 * Math.sqrt(K * (K + 1));
  const integrand = (t: number) => 2 * t * (K + 1) * Math.exp(-((a * t - b) ** 2)) * besselI0Scaled(c * t) * phi(t * t);
  // |h| concentrates around μ = b/a with spread 1/a; beyond μ + 9/a the density is below e^{-81}.
  const top = b / a + 9 / a;
  const edges = new Set<number>([0]);
  for (let e = Math.min(scale, 1) / 64; e < top; e *= 2) edges.add(e);
  for (let j = -8; j <= 8; j++) {
    const t = b / a + j / (2 * a);
    if (t > 0 && t < top) edges.add(t);
  }
  edges.add(top);
  return integrateOverEdges(
    integrand,
    [...edges].sort((u, v) => u - v),
  );
}

const ricianGain = (s: RicianSpec): GainLaw => ({
  coherence: s.coherence,
  csi: s.csi,
  exact: true,
  expect: (phi, scale) => expectationOverRician(s.kFactor, phi, scale),
});

export const rician = defineChannelKind<RicianSpec>({
  type: 'rician',
  example: { type: 'rician', kFactor: 4, coherence: 'symbol', csi: 'perfect' },
  defaults,
  schema: z
    .strictObject({
      type: z.literal('rician'),
      kFactor: z
        .number()
        .min(0)
        .max(1e6)
        .meta({ description: 'K, the power of the line of sight over the scattered power, linear (not dB): 0 is Rayleigh, large K tends to AWGN.' }),
      ...fadingFields(defaults),
    })
    .meta({ description: 'Rician fading h = √(K/(K+1)) + CN(0, 1/(K+1)) (E|h|² = 1), then AWGN.' }),
  compile: (c) => ({
    type: 'rician',
    kFactor: c.kFactor as number,
    coherence: (c.coherence as FadingCoherence | undefined) ?? defaults.coherence,
    csi: (c.csi as CsiKind | undefined) ?? defaults.csi,
  }),
  label: (s) => `Rician (K = ${s.kFactor}, ${s.coherence} fading, CSI ${s.csi})`,
  make: (s, n, signalling) => new FlatFadingChannel(s, n, signalling, s.kFactor / (s.kFactor + 1)),
  // As for Rayleigh: one known gain per block scales the whole block's noise alike.
  nearestCodewordIsMl: (s) => s.coherence === 'block' && s.csi === 'perfect',
  gainLaw: ricianGain,
  noiseOnly: false,
  intersymbol: false,
  taps: () => 1,
  fading: flatFading,
  withKnownGains: (s) => ({ ...s, csi: 'perfect' }),
  // Not offered yet (a phase RTN would apply as over Rayleigh; no scenario or test has trained one).
  rtnTransforms: [],
  // No two-user links: src/channels/two-user-rayleigh.ts draws Rayleigh gains only.
});
