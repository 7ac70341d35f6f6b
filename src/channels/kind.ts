/**
 * What a channel kind is: everything the simulator asks of one channel type, in one object that its module
 * exports and src/channels/registry.ts lists. Nothing outside src/channels/ switches on a channel's `type`
 * for these questions; it asks the kind.
 *
 * A kind owns:
 * - its scenario fragment: the zod object of `channel: { type: <type>, … }` (strict, with descriptions; the
 *   scenario schema is the discriminated union of the registered fragments) and its defaults;
 * - its compile step: the scenario's object → the compiled spec with every default filled (what
 *   results.json records);
 * - its checks against the rest of the scenario (a system's signalling and n), with positions;
 * - its label in reports;
 * - its model: the Float32Array sampler, the tfjs form and the vector–Jacobian product (src/channels/types.ts);
 * - what the decoders and references need: whether nearest-codeword decoding is ML, what the `-ml`
 *   reference curve decodes with;
 * - its closed forms, as the law of the power gain g = |h|² one symbol sees after coherent detection
 *   (AWGN: g = 1; Rayleigh: g ~ Exp(1); Rician: noncentral χ²). The baselines' BLER/BER formulas and the
 *   training recipe are written once over that law (src/baselines/analytic.ts, src/autoencoder/recipe.ts);
 * - its capabilities, the questions Monte Carlo, the decoders, the trainers and the system kinds ask of it:
 *   its memory (taps), the fading gains a block draws and what the receiver knows of them, whether it is
 *   noise only (importance sampling, the fused kernel), what a radio transformer network can estimate over
 *   it, and its two-user links. src/channels/registry.ts answers them for a spec; each is tested against the
 *   kind's own model in test/unit/channel-registry.test.ts.
 */
import type { z } from 'zod';
import type { Signalling } from '../conventions.ts';
import type { CsiKind, FadingCoherence, RtnTransform } from '../vocabulary.ts';
import type { TwoUserChannelModel } from './two-user-model.ts';
import type { ChannelModel, ChannelSpecBase } from './types.ts';

export type { ChannelSpecBase } from './types.ts';

/**
 * The law of the power gain g that one symbol sees after coherent detection (zero forcing with the gain
 * known, or, for real BPSK, the sign decision, which needs no CSI). Conditional on g the symbol's errors are
 * the AWGN ones at SNR g·γ.
 */
export interface GainLaw {
  /** `block`: one g for the whole block; `symbol`: an independent g per channel use. */
  readonly coherence: 'block' | 'symbol';
  /** What the receiver knows of the gain (closed forms of QAM need `perfect`; BPSK's sign does not). */
  readonly csi: 'perfect' | 'none';
  /**
   * True when the closed forms over this law are the channel's own error rates; false when the law is
   * only the training recipe's approximation (multipath: one Exp(1) gain per block stands in for the taps).
   */
  readonly exact: boolean;
  /** E_g[f(g)]; `scale` is where f changes (about 1/SNR), to place the quadrature's nodes. */
  expect(f: (g: number) => number, scale: number): number;
  /** E_g[Q(√(2gγ))], the mean BPSK bit error at mean SNR γ, where a closed form exists. */
  bpskBer?(gamma: number): number;
}

/** Reports a problem at a path of the scenario file (as src/scenario/load.ts prints it). */
export type ChannelReport = (path: (string | number)[], expected: string, value: unknown, found?: string) => void;

/** The system a channel is checked against: its fields as written in the scenario (not yet validated). */
export interface ChannelCheckContext {
  /** systems[i] as written. */
  readonly system: Record<string, unknown>;
  /** i. */
  readonly index: number;
  /** The system's signalling, with the default applied (undefined for systems without one). */
  readonly signalling: unknown;
  /** Where the channel object stands in the file (the system's own, or the scenario-level one). */
  readonly at: (string | number)[];
  /** What the system's kind (src/systems/kind.ts) says of its receiver over intersymbol interference; absent: it has none. */
  readonly isiReceiver?: IsiReceiver;
}

/**
 * A system's receiver for intersymbol interference: `learned`, trained end to end on the block's n channel uses
 * (the system's default signalling given for messages); `fixed`, a classical receiver of a fixed block of n uses.
 */
export type IsiReceiver = { readonly kind: 'learned'; readonly defaultSignalling: Signalling } | { readonly kind: 'fixed'; readonly n: number };

/** The fading of a block: the complex gains it draws and what the receiver knows of them. */
export interface BlockFading {
  /**
   * Independent complex gains a block of n channel uses draws (2 standard normals each, after the noise):
   * 0 without fading, 1 or n for flat fading (per block or per use), L for L multipath taps.
   */
  readonly gains: number;
  /** `block`: the gains hold for the whole block; `symbol`: one per channel use. */
  readonly coherence: FadingCoherence;
  /** `perfect`: the receiver gets the gains (undone by zero forcing, or handed over after y); `none`: y only. */
  readonly csi: CsiKind;
}

/**
 * A channel kind: everything the simulator knows about one `channel: { type: … }` of a scenario, in one module. Its
 * zod schema and defaults validate and fill the scenario's object, `compile` gives the spec, `make` the model for a
 * block of n uses, `nearestCodewordIsMl` and `gainLaw` tell the reference decoders and closed forms what they may assume,
 * and its capabilities (taps, fading and CSI, noise only, RTN transforms, two-user links) what the rest may do with it. Register one with registerChannelKind (learned-phy-sim/kinds); defineChannelKind keeps `S` typed.
 */
export interface ChannelKind<S extends ChannelSpecBase = ChannelSpecBase> {
  readonly type: S['type'];
  /** `channel: { type: <type>, … }` in a scenario: a strict zod object with descriptions. */
  readonly schema: z.ZodObject;
  /** A `channel:` object a scenario may write for this kind (documentation and the registry's tests). */
  readonly example: Readonly<Record<string, unknown>>;
  /** The defaults of the fields a scenario may leave out (listed in docs/defaults.md). */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** The scenario's object (already valid against `schema`) → the compiled spec, every default filled. */
  compile(input: Record<string, unknown>): S;
  /** Checks that involve the system the channel carries (signalling, n, system type). */
  check?(channel: Record<string, unknown>, ctx: ChannelCheckContext, report: ChannelReport): void;
  /** The channel in a report's tables and legends. */
  label(spec: S): string;
  /** The model for a block of n channel uses. */
  make(spec: S, n: number, signalling: Signalling): ChannelModel;
  /** Nearest-codeword decoding of the (equalized) received block is maximum likelihood. */
  nearestCodewordIsMl(spec: S): boolean;
  /** What the `<id>-ml` reference curve decodes with, in the words labels and findings use. */
  referenceDecoding?(spec: S): string;
  /** The gain law behind the closed forms and the training recipe (see GainLaw). */
  gainLaw(spec: S): GainLaw;
  /**
   * y = x + σ·z exactly: white Gaussian noise, no gain, no side information, for every spec of the kind.
   * Importance sampling (its proposal shifts the noise) and the fused Monte Carlo kernel (distances to the
   * codewords without forming y) are built on that structure.
   */
  readonly noiseOnly: boolean;
  /**
   * Intersymbol interference: a block's channel uses mix (taps > 1 are possible). Such a kind checks the
   * systems it carries itself (their signalling and receivers, `check`); its `-ml` reference is the genie
   * with the taps known, and a learned receiver over it refines over the scenario's training range too.
   */
  readonly intersymbol: boolean;
  /** Channel uses one sent symbol reaches: 1 without memory, L for L taps. */
  taps(spec: S): number;
  /** The block's fading gains and the receiver's knowledge of them, for blocks of n channel uses. */
  fading(spec: S, n: number): BlockFading;
  /** The same channel with the receiver knowing its gains (the same draws; only what the receiver is given changes). */
  withKnownGains(spec: S): S;
  /** What a radio transformer network in front of the decoder can estimate over it (empty: an RTN is refused). */
  readonly rtnTransforms: readonly RtnTransform[];
  /** The two-user interference channel with this channel on each of its four links; absent where there is none. */
  twoUser?(spec: S, n: number, crossGain: number): TwoUserChannelModel;
}

/** Identity helper that keeps a kind's spec type while checking it against ChannelKind. */
export const defineChannelKind = <S extends ChannelSpecBase>(kind: ChannelKind<S>): ChannelKind<S> => kind;
