/** The plain description of an autoencoder, with the paper's defaults (O'Shea & Hoydis 2017, Fig. 2). */
import type { ChannelSpec } from '../channels/registry.ts';
import { DEFAULTS } from '../defaults.ts';
import type { PowerMode } from '../layers/power-normalization.ts';
import type { HiddenOptions } from '../network/hidden-options.ts';
import type { Activation, AutoencoderOutput, HiddenActivation, RtnTransform, Signalling } from '../vocabulary.ts';

export type { PowerMode } from '../layers/power-normalization.ts';

/**
 * A hidden layer: a dense map of `units`, then its activation; the options (one per layer kind that has one,
 * src/network/registry.ts) replace the map or add a normalization before the activation: `weightNorm`
 * (w = g·v/‖v‖), `layerNorm`, `batchNorm` (not both). Each defaults to false.
 */
export interface HiddenLayerSpec extends HiddenOptions {
  units: number;
  /** Default relu. */
  activation?: Activation;
}

/**
 * An autoencoder as plain data: k information bits per block (M = 2^k messages) over n channel uses, the
 * transmitter's power constraint, the channel, and optionally the hidden stacks, the decoder's output, an RTN
 * receiver front end and side inputs; see withDefaults for the defaults.
 */
export interface AutoencoderSpec {
  k: number;
  /** Channel uses per block: real uses, or complex uses when signalling is complex. */
  n: number;
  signalling: Signalling;
  normalization: PowerMode;
  channel: ChannelSpec;
  /** Encoder hidden layers; default one Dense(M, relu). */
  encoder?: HiddenLayerSpec[];
  /** Decoder hidden layers; default one Dense(M, relu). */
  decoder?: HiddenLayerSpec[];
  /** The decoder's output (src/autoencoder/bit-output.ts); default `symbols`. */
  output?: AutoencoderOutput;
  /** A radio transformer network before the decoder (src/layers/radio-transformer.ts); absent: none. */
  receiver?: ReceiverSpec;
  /**
   * Real values the receiver gets after the channel's output (absent: 0): a two-user receiver's channel state
   * information with per-link Rayleigh fading and perfect CSI (src/channels/two-user-rayleigh.ts, src/twouser/spec.ts).
   */
  sideInputs?: number;
}

/** The receiver front end: a radio transformer network, every field given (compile.ts fills the defaults). */
export interface ReceiverSpec {
  rtn: { estimator: HiddenLayerSpec[]; transform: RtnTransform };
}

export type { TrainEbno } from '../training/record.ts';

/** The number of messages M = 2^k. */
export const messageCount = (spec: { k: number }): number => 2 ** spec.k;

/** The paper's hidden stack: one Dense(M, relu). */
export function defaultHidden(spec: { k: number }): HiddenLayerSpec[] {
  return [{ units: messageCount(spec), activation: DEFAULTS.hiddenLayer.activation }];
}

/** The decoder's hidden stack when a system gives none: the paper's after a plain receiver, DEFAULTS.rtn.decoder after an RTN. */
export function defaultDecoder(spec: { k: number; receiver?: unknown }): { units: number; activation: HiddenActivation }[] {
  const layers = spec.receiver ? DEFAULTS.rtn.decoder : defaultHidden(spec);
  return layers.map((l) => ({ units: l.units, activation: DEFAULTS.hiddenLayer.activation }));
}

/** A spec with every default filled in (a receiver front end stays optional: absent means none). */
export type FullAutoencoderSpec = Required<Omit<AutoencoderSpec, 'receiver' | 'sideInputs'>> & Pick<AutoencoderSpec, 'receiver' | 'sideInputs'>;

/**
 * The spec with every default of the paper filled in (O'Shea & Hoydis 2017, Fig. 2): output `symbols`, one Dense(M,
 * relu) hidden layer in the encoder and in the decoder (DEFAULTS.rtn.decoder after an RTN receiver), and each hidden
 * layer's activation and options. Pure: the argument is not changed.
 */
export function withDefaults(spec: AutoencoderSpec): FullAutoencoderSpec {
  const fill = (l: HiddenLayerSpec): HiddenLayerSpec => ({
    units: l.units,
    activation: l.activation ?? DEFAULTS.hiddenLayer.activation,
    layerNorm: l.layerNorm ?? DEFAULTS.hiddenLayer.layerNorm,
    weightNorm: l.weightNorm ?? DEFAULTS.hiddenLayer.weightNorm,
    // Only when set, so the specs of models saved before it existed read the same.
    ...(l.batchNorm ? { batchNorm: true } : {}),
  });
  return {
    ...spec,
    output: spec.output ?? DEFAULTS.autoencoder.output,
    encoder: (spec.encoder ?? defaultHidden(spec)).map(fill),
    decoder: (spec.decoder ?? defaultDecoder(spec)).map(fill),
  };
}
