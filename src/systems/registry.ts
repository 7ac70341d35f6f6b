/**
 * The system kinds: the one list of them, and the questions the rest of the simulator asks of a compiled
 * system, answered by its kind. Adding a system = its module (src/systems/kind.ts says what it owns) + one
 * entry here; a test checks every entry (test/unit/system-registry.test.ts).
 */
import type { z } from 'zod';
import type { ChannelSpec } from '../channels/registry.ts';
import { autoencoder } from './autoencoder.ts';
import { hamming74Dbpsk } from './hamming74-dbpsk.ts';
import { hamming74 } from './hamming74.ts';
import type { CurvePlanOf, SystemKind, SystemSpecBase } from './kind.ts';
import { timeSharing } from './time-sharing.ts';
import { twoUser } from './two-user.ts';
import { uncoded } from './uncoded.ts';

/** Every system kind, in the order the schema and the documentation list them. */
export const SYSTEM_KINDS = [autoencoder, hamming74, uncoded, hamming74Dbpsk, twoUser, timeSharing] as const;

type Kinds = (typeof SYSTEM_KINDS)[number];
type SpecOf<K> = K extends SystemKind<infer S, infer _Saved, infer _T> ? S : never;
/** A compiled system of any registered kind (a union discriminated by `type`; results.json records it). */
export type CompiledSystem = SpecOf<Kinds>;
/** One measured curve of a compiled system. */
export type CurvePlan = CurvePlanOf<CompiledSystem>;
export type SystemType = CompiledSystem['type'];
/** The results.json curve types the registered kinds write. */
export type CurveType = Kinds['curveTypes'][number];

/** The shipped type names. */
export const SYSTEM_TYPES: readonly SystemType[] = SYSTEM_KINDS.map((k) => k.type);

// The registry erases each kind's own compiled type; every call passes a system of the kind's type.
const byType = new Map<string, SystemKind<CompiledSystem, unknown>>(SYSTEM_KINDS.map((k) => [k.type, k as unknown as SystemKind<CompiledSystem, unknown>]));

const byKindOfCurve = new Map<string, SystemKind<CompiledSystem, unknown>>(
  SYSTEM_KINDS.flatMap((k) => (k.curveTypes as readonly string[]).map((t) => [t, byType.get(k.type)!] as const)),
);

let version = 0;

/**
 * Adds a system kind from outside the package (a user's module): from then on scenarios may name its type, and
 * the run, the results and the report treat it as the shipped kinds. Its curve types must be new too. For
 * worker threads to know kinds it uses (a decoder, a channel), load the module with `useKindModule`
 * (src/kind-modules.ts). Throws when the type or a curve type is taken, or the schema does not name the type.
 */
export function registerSystemKind<S extends SystemSpecBase, Saved, T extends string>(kind: SystemKind<S, Saved, T>): void {
  const k = kind as unknown as SystemKind<CompiledSystem, unknown>;
  const type: string = kind.type;
  const existing = byType.get(type);
  if (existing === k) return;
  if (existing) throw new Error(`registerSystemKind: system type ${type} is already registered`);
  const literal = (kind.schema.shape as Record<string, z.ZodType | undefined>).type;
  if (!literal?.safeParse(type).success) throw new Error(`registerSystemKind: ${type}: its schema's \`type\` field must be z.literal('${type}')`);
  const taken = (kind.curveTypes as readonly string[]).filter((t) => byKindOfCurve.has(t));
  if (taken.length) throw new Error(`registerSystemKind: ${type}: curve types already written by another kind: ${taken.join(', ')}`);
  byType.set(type, k);
  for (const t of kind.curveTypes as readonly string[]) byKindOfCurve.set(t, k);
  version++;
}

/** Every registered kind: the shipped ones, then those registered from user code. */
export const systemKinds = (): readonly SystemKind<CompiledSystem, unknown>[] => [...byType.values()];

/** Changes whenever a kind is registered (the scenario schema is rebuilt when it has). */
export const systemRegistryVersion = (): number => version;

/** Whether a raw value names a registered system type. */
export const isSystemType = (type: unknown): type is SystemType => typeof type === 'string' && byType.has(type);

/** The kind of a type (throws on an unregistered one: validated scenarios never reach that). */
export function systemKind(type: string): SystemKind<CompiledSystem, unknown> {
  const kind = byType.get(type);
  if (!kind) throw new Error(`unknown system type ${type} (registered: ${[...byType.keys()].join(', ')})`);
  return kind;
}

/** The kind of a compiled system. */
export const kindOf = (s: CompiledSystem): SystemKind<CompiledSystem, unknown> => systemKind(s.type);

/** A scenario's system entry (valid against its kind's schema) with its channel compiled → the compiled system. */
export const compileSystemEntry = (input: Record<string, unknown>, channel: ChannelSpec): CompiledSystem =>
  systemKind(String(input.type)).compile(input, channel);

/** The curves of a system, in the order results.json lists them. */
export const curvePlansOf = (s: CompiledSystem): CurvePlan[] => kindOf(s).curvePlans(s);

/** A results.json curve that measures a single learned link's own codebook (its geometry is analysed, its constellation drawn). */
export const isLearnedCodebookCurve = (c: { type: string }): boolean => kindOfCurveType(c.type)?.learnedCodebookCurve === c.type;

/** The kind whose curves have this results.json curve type (undefined for a type no kind writes). */
export const kindOfCurveType = (type: string): SystemKind<CompiledSystem, unknown> | undefined => byKindOfCurve.get(type);
