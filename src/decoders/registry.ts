/**
 * Every decoder the Monte Carlo engine can run, keyed by its spec's `kind`. This object is the one
 * declaration of the decoder kinds: `DecoderKind` and `DecoderSpec` are derived from it. To add a decoder,
 * write its module (see decoder.ts) and add one line here.
 */
import type { BlockLink } from '../block-link.ts';
import type { DecoderModule } from './decoder.ts';
import { hamming74HardDecoder } from './hamming74-hard.ts';
import { jointNearestPairDecoder } from './joint-nearest-pair.ts';
import { mlpJsDecoder } from './mlp-js.ts';
import { mlpTfDecoder } from './mlp-tf.ts';
import { nearestCodewordDecoder } from './nearest-codeword.ts';
import { symbolwiseHardDecoder } from './symbolwise-hard.ts';
import { genieMlDecoder } from './genie-ml.ts';
import { mlseDbpskDecoder } from './mlse-dbpsk.ts';
import { rtnDecoder } from './rtn.ts';

/**
 * The shipped decoder kinds, keyed by the `kind` of their spec: the one declaration DecoderKind and DecoderSpec are
 * derived from. Kinds registered from user code are not in it (decoderKinds lists them all).
 */
export const DECODERS = {
  'nearest-codeword': nearestCodewordDecoder,
  'hamming74-hard': hamming74HardDecoder,
  'symbolwise-hard': symbolwiseHardDecoder,
  'mlp-js': mlpJsDecoder,
  'mlp-tf': mlpTfDecoder,
  'genie-ml': genieMlDecoder,
  'mlse-dbpsk-hamming74': mlseDbpskDecoder,
  rtn: rtnDecoder,
  'joint-nearest-pair': jointNearestPairDecoder,
} as const;

/** The `kind` of a shipped decoder (a key of DECODERS). */
export type DecoderKind = keyof typeof DECODERS;
type SpecOf<M> = M extends DecoderModule<infer S> ? S : never;
/** A decoder as plain data (posted to worker threads inside a BlockSystem). */
export type DecoderSpec = { [K in DecoderKind]: SpecOf<(typeof DECODERS)[K]> }[DecoderKind];
/** The shipped decoder kinds, in DECODERS' order. */
export const DECODER_KINDS = Object.keys(DECODERS) as DecoderKind[];

const byKind = new Map<string, DecoderModule<DecoderSpec>>(Object.entries(DECODERS) as [string, DecoderModule<DecoderSpec>][]);

/**
 * Adds a decoder from outside the package (a user's module): a system whose `decoder` names its kind is then
 * decoded by it in every thread that loaded the module (load it with `useKindModule`, src/kind-modules.ts, so
 * the Monte Carlo workers do). Throws when the kind is taken.
 */
export function registerDecoder<S extends { kind: string }>(mod: DecoderModule<S>): void {
  const kind: string = mod.kind;
  const existing = byKind.get(kind);
  if (existing === (mod as unknown as DecoderModule<DecoderSpec>)) return;
  if (existing) throw new Error(`registerDecoder: decoder kind ${kind} is already registered`);
  if (typeof kind !== 'string' || kind === '') throw new Error('registerDecoder: expected a module with a non-empty `kind`');
  byKind.set(kind, mod as unknown as DecoderModule<DecoderSpec>);
}

/** Every registered decoder kind: the shipped ones, then those registered from user code. */
export const decoderKinds = (): string[] => [...byKind.keys()];

/** The module of a spec. */
export function decoderModule(spec: DecoderSpec): DecoderModule<DecoderSpec> {
  const mod = byKind.get(spec.kind);
  if (!mod) throw new Error(`unknown decoder kind ${JSON.stringify(spec.kind)} (known: ${decoderKinds().join(', ')})`);
  return mod;
}

/** Which decoder measured a curve, for results.json and the report: its kind, what it is, what it costs. */
export function decoderSummary(system: BlockLink & { decoder: DecoderSpec }): { kind: DecoderKind; description: string; costPerBlock: number } {
  const mod = decoderModule(system.decoder);
  return { kind: system.decoder.kind, description: mod.describe(system.decoder), costPerBlock: mod.costPerBlock(system, system.decoder) };
}
