/**
 * Every closed set of names the simulator knows, declared once. The zod schema (src/scenario/schema.ts)
 * builds its enums from these lists and the TypeScript types are derived from them, so a new power
 * constraint, activation or channel type is added here and nowhere else spells it.
 */

const closed = <const T extends readonly string[]>(values: T): T => values;
type Of<T extends readonly string[]> = T[number];

/** How the transmitter's power is constrained (see src/layers/power-normalization.ts). */
export const POWER_CONSTRAINTS = closed(['energy', 'energy-max', 'average-power']);
export type PowerConstraint = Of<typeof POWER_CONSTRAINTS>;
/** Short labels for curve names. */
export const POWER_CONSTRAINT_LABELS: Record<PowerConstraint, string> = {
  energy: 'energy',
  'energy-max': 'energy ≤ n',
  'average-power': 'avg. power',
};

/** Real channel uses, or complex ones (I/Q pairs). See src/conventions.ts. */
export const SIGNALLINGS = closed(['real', 'complex']);
export type Signalling = Of<typeof SIGNALLINGS>;

/** Uncoded modulations are the registered modulation kinds (src/modulations/registry.ts). */

/**
 * What an autoencoder's decoder outputs: a softmax over the M messages (`symbols`, the paper's), or k sigmoid
 * bit estimates trained with binary cross-entropy (`bits`, src/autoencoder/bit-output.ts).
 */
export const AUTOENCODER_OUTPUTS = closed(['symbols', 'bits']);
export type AutoencoderOutput = Of<typeof AUTOENCODER_OUTPUTS>;
/** The bit labelling of a symbol-wise autoencoder's messages: natural binary, or searched (src/autoencoder/labelling.ts). */
export const LABELLINGS = closed(['natural', 'search']);
export type Labelling = Of<typeof LABELLINGS>;

/** Activations a user may give a hidden layer. */
export const HIDDEN_ACTIVATIONS = closed(['linear', 'relu', 'elu', 'selu', 'tanh', 'sigmoid']);
/** An activation a hidden layer may have (HIDDEN_ACTIVATIONS). */
export type HiddenActivation = Of<typeof HIDDEN_ACTIVATIONS>;
/** Activations a compiled network may contain (the decoder's output layer is a softmax). */
export const ACTIVATIONS = closed([...HIDDEN_ACTIVATIONS, 'softmax']);
export type Activation = Of<typeof ACTIVATIONS>;

/** Channel types are the registered channel kinds (src/channels/registry.ts). */
/** Flat fading (Rayleigh, Rician): one gain per block, or one per channel use. */
export const FADING_COHERENCES = closed(['block', 'symbol']);
export type FadingCoherence = Of<typeof FADING_COHERENCES>;
/** What the receiver knows of the fading gain. */
export const CSI_KINDS = closed(['perfect', 'none']);
export type CsiKind = Of<typeof CSI_KINDS>;

/** Decoding of the Hamming (7,4) baseline. */
export const HAMMING_DECODINGS = closed(['hard', 'ml']);
export type HammingDecoding = Of<typeof HAMMING_DECODINGS>;

// Decoder kinds are declared by the decoder registry (src/decoders/registry.ts): one module and one line each.

/**
 * How a Monte Carlo point ended: by its own stopping rule (final: its block-error target, its bit-error
 * target, or its block budget), or not (see POINT_REASONS).
 */
export const POINT_STATUSES = closed(['target-errors', 'target-bit-errors', 'max-blocks', 'not-simulated', 'interrupted', 'target-precision']);
/** How a Monte Carlo point ended (POINT_STATUSES); isFinalStatus tells the ones that carry a measurement. */
export type PointStatus = Of<typeof POINT_STATUSES>;
export const FINAL_STATUSES = closed(['target-errors', 'target-bit-errors', 'max-blocks', 'target-precision']);
export type FinalStatus = Of<typeof FINAL_STATUSES>;
/**
 * Whether a point ended by its own stopping rule (error target, block budget or precision target), so its counts are
 * a measurement; otherwise it was not simulated or was interrupted.
 */
export const isFinalStatus = (s: PointStatus): s is FinalStatus => (FINAL_STATUSES as readonly string[]).includes(s);

/**
 * Why a point has no final status. Code reads these, never the human `note` beside them.
 * - `not-run-yet`: the run has not reached it (a results.json written mid-run).
 * - `not-in-shard`: another shard simulates it.
 * - `not-in-any-shard`: after a merge, no shard had it.
 * - `sweep-stopped`: an earlier point ended the sweep (zero errors, or below minBler or minBer).
 * - `interrupted`: Ctrl-C (or an abort signal) before it finished.
 * - `worker-failed`: a Monte Carlo worker failed while it ran.
 * - `shard-part`: a balanced shard's file holds its chunks of the point (its `chunks`), for `sim merge`.
 * - `shards-short`: after a merge, the shards' chunks stop before the point's stopping rule; --resume completes it.
 */
export const POINT_REASONS = closed([
  'not-run-yet',
  'not-in-shard',
  'not-in-any-shard',
  'sweep-stopped',
  'interrupted',
  'worker-failed',
  'shard-part',
  'shards-short',
]);
/** Why a point has no final status, as a code (POINT_REASONS lists them with their meaning). */
export type PointReason = Of<typeof POINT_REASONS>;

/** BLER targets of the dB analysis (Eb/N0 at target, gaps). */
export const BLER_TARGETS = closed(['1e-3', '1e-4', '1e-5']);
/** A BLER target of the analysis, as the label results.json keys by ('1e-3', '1e-4', '1e-5'). */
export type BlerTarget = Of<typeof BLER_TARGETS>;
/** BER targets of the dB analysis (Eb/N0 at target BER). */
export const BER_TARGETS = closed(['1e-3', '1e-4', '1e-5', '1e-6']);
export type BerTarget = Of<typeof BER_TARGETS>;

/** Multipath fading (src/channels/multipath.ts): named power-delay profiles (a list of tap powers is also accepted). */
export const MULTIPATH_PROFILES = closed(['uniform']);
export type MultipathProfile = Of<typeof MULTIPATH_PROFILES>;
/**
 * The parametric transform of a radio transformer network receiver (src/layers/radio-transformer.ts):
 * `filter`: complex convolution of y with an estimated L-tap filter ω (inverse filtering, the paper's Fig. 9);
 * `phase`: rotation of y by an estimated phase, y·e^{−jφ} (the paper's eq. 11).
 */
export const RTN_TRANSFORMS = closed(['filter', 'phase']);
export type RtnTransform = Of<typeof RTN_TRANSFORMS>;

/**
 * How a curve's points are measured: plain Monte Carlo (error counting), or importance sampling (AWGN only,
 * src/montecarlo/importance.ts), whose points end at 'target-precision' (the relative half-width of their
 * 95% interval reached its target) or at their sample budget.
 */
export const MC_METHODS = closed(['plain', 'importance']);
export type McMethod = Of<typeof MC_METHODS>;
/**
 * Two-user interference channel (O'Shea & Hoydis 2017, Section III.B): how the weight α of the joint loss
 * L = α·L1 + (1−α)·L2 is chosen. `dynamic`: the paper's α_{t+1} = L1/(L1+L2) after every batch; a number fixes it.
 */
export const TWO_USER_ALPHAS = closed(['dynamic']);
export type TwoUserAlpha = Of<typeof TWO_USER_ALPHAS> | number;
/** The two receivers of a two-user system; their curves are `<id>-u1` and `<id>-u2`. */
export const TWO_USER_USERS = [1, 2] as const;
export type TwoUserIndex = (typeof TWO_USER_USERS)[number];

/**
 * What a claim check says of one row (results.json `findings`, claims.json): PASS when the whole interval of
 * its figure meets the bound, FAIL when none of it does, INCONCLUSIVE when the interval straddles the bound;
 * `reported` for a figure shown without a bound.
 */
export const CLAIM_VERDICTS = closed(['PASS', 'FAIL', 'INCONCLUSIVE', 'reported']);
export type ClaimVerdict = Of<typeof CLAIM_VERDICTS>;
