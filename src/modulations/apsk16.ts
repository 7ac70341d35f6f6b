/**
 * 16-APSK as DVB-S2 defines it (ETSI EN 302 307, 4+12 APSK): 4 points on an inner ring of radius R1 at
 * phases π/4 + kπ/2, 12 on an outer ring of radius R2 = γ·R1 at phases π/12 + kπ/6, with the standard's
 * bit mapping (labels y0y1y2y3, y0 most significant: neighbours on a ring differ in one bit). Unit average
 * energy per complex symbol: (4·R1² + 12·R2²)/16 = 1, so R1 = √(4/(1 + 3γ²)).
 *
 * Ring ratio γ = 2.5: over AWGN with uncoded symbol-wise decisions, the γ that minimizes the Eb/N0 needed is
 * 2.47 / 2.49 / 2.51 at SER 1e-3 / 1e-4 / 1e-5, and 2.5 costs at most 0.001 dB anywhere in 12–15 dB, where the
 * power-constraint study's 16-point systems reach BLER 1e-4 (test/fixtures/make_apsk16_reference.py, which
 * also records DVB-S2's own ratios, 2.57–3.15, tuned for coded operation and nonlinear amplifiers).
 * Decisions: the nearest point (symbol-wise ML over AWGN). No closed form: the reference values are in
 * test/fixtures/apsk16-reference.json (exact Voronoi-cell integration).
 */
import type { ModulationKind } from './kind.ts';

/** γ = R2/R1. */
export const APSK16_RING_RATIO = 2.5;

const R1 = Math.sqrt(4 / (1 + 3 * APSK16_RING_RATIO ** 2));
const R2 = APSK16_RING_RATIO * R1;
const PI = Math.PI;
/** Ring radius and phase of labels 0 … 15 (the standard's table: labels 0–11 outer, 12–15 inner). */
const RINGS: readonly [number, number][] = [
  [R2, PI / 4],
  [R2, -PI / 4],
  [R2, (3 * PI) / 4],
  [R2, (-3 * PI) / 4],
  [R2, PI / 12],
  [R2, -PI / 12],
  [R2, (11 * PI) / 12],
  [R2, (-11 * PI) / 12],
  [R2, (5 * PI) / 12],
  [R2, (-5 * PI) / 12],
  [R2, (7 * PI) / 12],
  [R2, (-7 * PI) / 12],
  [R1, PI / 4],
  [R1, -PI / 4],
  [R1, (3 * PI) / 4],
  [R1, (-3 * PI) / 4],
];

export const apsk16: ModulationKind = {
  name: 'apsk16',
  label: '16-APSK',
  bitsPerSymbol: 4,
  signalling: 'complex',
  description: `16-APSK (DVB-S2 4+12 rings, ring ratio ${APSK16_RING_RATIO}), 4 bits per complex channel use`,
  point: (label, out, offset) => {
    const [r, phase] = RINGS[label];
    out[offset] = r * Math.cos(phase);
    out[offset + 1] = r * Math.sin(phase);
  },
};
