/**
 * The channel kinds: the one list of them, and the questions the rest of the simulator asks of a compiled
 * channel spec, answered by its kind. Adding a channel = its module (src/channels/kind.ts says what it
 * owns) + one entry here; a test checks every entry (test/unit/channel-registry.test.ts).
 */
import type { z } from 'zod';
import type { Signalling } from '../conventions.ts';
import { awgn } from './awgn.ts';
import type { ChannelKind, GainLaw } from './kind.ts';
import { multipath } from './multipath.ts';
import { rayleigh } from './rayleigh.ts';
import { rician } from './rician.ts';
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

/** The gain law of the closed forms and the training recipe. */
export const gainLaw = (spec: ChannelSpec): GainLaw => channelKind(spec.type).gainLaw(spec);
