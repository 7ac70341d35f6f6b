/**
 * The channel kinds: the one list of them, and the questions the rest of the simulator asks of a compiled
 * channel spec, answered by its kind. Adding a channel = its module (src/channels/kind.ts says what it
 * owns) + one entry here; a test checks every entry (test/unit/channel-registry.test.ts).
 */
import type { z } from 'zod';
import type { Signalling } from '../conventions.ts';
import { channelMsg } from '../messages.ts';
import type { RtnTransform } from '../vocabulary.ts';
import { awgn } from './awgn.ts';
import type { BlockFading, ChannelKind, GainLaw } from './kind.ts';
import { multipath } from './multipath.ts';
import { rayleigh } from './rayleigh.ts';
import { rician } from './rician.ts';
import type { TwoUserChannelModel } from './two-user-model.ts';
import type { ChannelModel } from './types.ts';

/** The channel kinds the package ships, in the order the schema and the documentation list them. */
export const CHANNEL_KINDS = [awgn, rayleigh, multipath, rician] as const;

type SpecOf<K> = K extends ChannelKind<infer S> ? S : never;
/** A compiled channel spec of any registered kind (a union discriminated by `type`). */
export type ChannelSpec = SpecOf<(typeof CHANNEL_KINDS)[number]>;
/**
 * The `type` of a shipped channel kind (`awgn`, `rayleigh`, `multipath`, `rician`). Kinds registered from user code
 * have other names; channelKinds() lists them all.
 */
export type ChannelType = ChannelSpec['type'];

/** The shipped type names. */
export const CHANNEL_TYPES: readonly ChannelType[] = CHANNEL_KINDS.map((k) => k.type);

const byType = new Map<string, ChannelKind>(CHANNEL_KINDS.map((k) => [k.type, k as unknown as ChannelKind]));
let version = 0;

const REQUIRED_MEMBERS = [
  'schema',
  'example',
  'defaults',
  'compile',
  'label',
  'make',
  'nearestCodewordIsMl',
  'gainLaw',
  'noiseOnly',
  'intersymbol',
  'taps',
  'fading',
  'withKnownGains',
  'rtnTransforms',
] as const satisfies readonly (keyof ChannelKind)[];

/**
 * Adds a channel kind from outside the package (a user's module): from then on scenarios may name its type
 * and every part of the simulator asks it what it asks the shipped kinds. Monte Carlo and training worker
 * threads know it too when the module that registers it was loaded through `useKindModule`
 * (src/kind-modules.ts). Throws when the type is taken or the kind's scenario fragment does not name it.
 */
export function registerChannelKind<S extends { readonly type: string }>(kind: ChannelKind<S>): void {
  const type: string = kind.type;
  if (typeof type !== 'string' || !/^[a-z][a-z0-9-]*$/.test(type)) {
    throw new Error(`registerChannelKind: type ${JSON.stringify(type)}: expected lowercase letters, digits and "-", starting with a letter`);
  }
  // What a kind must have (JavaScript callers get no type check): every member ChannelKind does not mark optional.
  const missing = REQUIRED_MEMBERS.filter((m) => (kind as unknown as Record<string, unknown>)[m] === undefined);
  if (missing.length) throw new Error(`registerChannelKind: ${type}: missing ${missing.join(', ')} (src/channels/kind.ts says what each is)`);
  const existing = byType.get(type);
  if (existing === (kind as unknown as ChannelKind)) return; // the same module loaded twice (main thread, then a worker's import)
  if (existing) throw new Error(`registerChannelKind: channel type ${type} is already registered`);
  const literal = (kind.schema.shape as Record<string, z.ZodType | undefined>).type;
  if (!literal?.safeParse(type).success) throw new Error(`registerChannelKind: ${type}: its schema's \`type\` field must be z.literal('${type}')`);
  byType.set(type, kind as unknown as ChannelKind);
  version++;
}

/** Every registered kind: the shipped ones, then those registered from user code, in registration order. */
export const channelKinds = (): readonly ChannelKind[] => [...byType.values()];

/** Changes whenever a kind is registered (the scenario schema is rebuilt when it has). */
export const channelRegistryVersion = (): number => version;

/** The kind of a type (throws on an unregistered one: validated scenarios never reach that). */
export function channelKind(type: string): ChannelKind {
  const kind = byType.get(type);
  if (!kind) throw new Error(`unknown channel type ${type} (registered: ${[...byType.keys()].join(', ')})`);
  return kind;
}

/** The channel model of a compiled spec, for blocks of n channel uses. */
export const makeChannel = (spec: ChannelSpec, n: number, signalling: Signalling): ChannelModel => channelKind(spec.type).make(spec, n, signalling);

/** Human-readable channel name for reports. */
export const channelLabel = (spec: ChannelSpec): string => channelKind(spec.type).label(spec);

/** A scenario's channel object (valid against its kind's schema) → the compiled spec, defaults filled. */
export const compileChannelSpec = (input: Record<string, unknown>): ChannelSpec => channelKind(String(input.type)).compile(input) as ChannelSpec;

/** Nearest-codeword decoding of the received (equalized) block is maximum likelihood. */
export const nearestCodewordIsMl = (spec: ChannelSpec): boolean => channelKind(spec.type).nearestCodewordIsMl(spec);

/** What the `<id>-ml` curve decodes with, in the words every label, table and finding uses. */
export const referenceDecoding = (spec: ChannelSpec): string =>
  channelKind(spec.type).referenceDecoding?.(spec) ?? (nearestCodewordIsMl(spec) ? 'ML decoding' : 'nearest-codeword decoding (not ML here)');

/**
 * The `-ml` reference knows the channel the learned receiver does not: the genie over intersymbol
 * interference (its taps known) against a receiver without CSI. No training closes that gap, so a learned
 * curve is not "lagging" it.
 */
export function referenceKnowsMore(spec: ChannelSpec, n: number): boolean {
  const kind = channelKind(spec.type);
  return kind.intersymbol && kind.fading(spec, n).csi !== 'perfect';
}

/** The gain law of the closed forms and the training recipe. */
export const gainLaw = (spec: ChannelSpec): GainLaw => channelKind(spec.type).gainLaw(spec);

/** The kind of a channel object as a scenario writes it; undefined for an unregistered type (the schema reports it). */
export const channelKindOf = (type: unknown): ChannelKind | undefined => (typeof type === 'string' ? byType.get(type) : undefined);

/** The registered types whose kind answers yes, for messages: "awgn", "awgn or rayleigh", "a, b or c". */
export function channelTypesWhere(yes: (kind: ChannelKind) => boolean): string {
  const types = CHANNEL_KINDS.map((k) => k as unknown as ChannelKind)
    .filter(yes)
    .map((k) => k.type);
  return types.length <= 1 ? (types[0] ?? 'none') : `${types.slice(0, -1).join(', ')} or ${types[types.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------------------
// Capabilities (src/channels/kind.ts): what Monte Carlo, the decoders, the trainers and the system kinds ask.
// ---------------------------------------------------------------------------------------------------------

/** y = x + σ·z with nothing else: the structure importance sampling and the fused Monte Carlo kernel need. */
export const isNoiseOnly = (spec: ChannelSpec): boolean => channelKind(spec.type).noiseOnly;

/** Throws, naming the system and what it needs, unless the channel is noise only (`what`: e.g. "importance sampling"). */
export function requireNoiseOnly(spec: ChannelSpec, systemId: string, what: string): void {
  if (!isNoiseOnly(spec))
    throw new Error(
      channelMsg.needsNoiseOnly(
        systemId,
        what,
        channelTypesWhere((k) => k.noiseOnly),
        spec.type,
      ),
    );
}

/** A block's channel uses mix (intersymbol interference): the kind has taps. */
export const hasIntersymbolInterference = (spec: ChannelSpec): boolean => channelKind(spec.type).intersymbol;

/** Channel uses one sent symbol reaches: 1 without memory, L for L taps. */
export const channelTaps = (spec: ChannelSpec): number => channelKind(spec.type).taps(spec);

/** The complex fading gains a block of n uses draws and what the receiver knows of them. */
export const blockFading = (spec: ChannelSpec, n: number): BlockFading => channelKind(spec.type).fading(spec, n);

/**
 * The fading of a channel object as a scenario writes it (its kind's defaults filled), for the checks that run
 * before compiling; undefined for an unregistered type. `gains` is for a block of n uses (n = 1 where the
 * checks only ask whether it fades).
 */
export function writtenFading(channel: { type?: unknown } | undefined, n = 1): BlockFading | undefined {
  const kind = channelKindOf(channel?.type ?? awgn.type);
  return kind?.fading(kind.compile({ ...channel }), n);
}

/** The same channel with the receiver given its gains (the same draws). */
export const withKnownGains = (spec: ChannelSpec): ChannelSpec => channelKind(spec.type).withKnownGains(spec) as ChannelSpec;

/** The receiver gets the taps after y: an intersymbol channel with perfect CSI (what the genie and MLSE decoders read). */
export const receiverGetsTaps = (spec: ChannelSpec, n: number): boolean => hasIntersymbolInterference(spec) && blockFading(spec, n).csi === 'perfect';

/** The RTN transforms that can estimate this kind of channel (empty: none). */
export const rtnTransformsOf = (type: unknown): readonly RtnTransform[] => channelKindOf(type ?? awgn.type)?.rtnTransforms ?? [];

/** The channel types an RTN can run over, with their transforms, for messages. */
export const rtnChannelsText = (): string =>
  CHANNEL_KINDS.filter((k) => k.rtnTransforms.length > 0)
    .map((k) => `${k.type} with transform ${k.rtnTransforms.join(' or ')}`)
    .join(', ');

/** The kind has two-user links (src/channels/two-user.ts). */
export const hasTwoUserLinks = (type: unknown): boolean => channelKindOf(type ?? awgn.type)?.twoUser !== undefined;

/** The two-user interference channel with `spec` on each link, for blocks of n complex uses and cross gain g. */
export function makeTwoUserChannel(spec: ChannelSpec, n: number, g: number): TwoUserChannelModel {
  const kind = channelKind(spec.type);
  if (!kind.twoUser)
    throw new Error(
      channelMsg.noTwoUserLinks(
        spec.type,
        channelTypesWhere((k) => k.twoUser !== undefined),
      ),
    );
  return kind.twoUser(spec, n, g);
}
