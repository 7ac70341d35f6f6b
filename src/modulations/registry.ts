/**
 * The modulation kinds of the uncoded baselines: the one list. Adding a modulation = its module
 * (src/modulations/kind.ts says what it owns) + one entry here; test/unit/modulation-registry.test.ts holds
 * every entry to the contract.
 */
import { apsk16 } from './apsk16.ts';
import { bpsk } from './bpsk.ts';
import type { ModulationKind } from './kind.ts';
import { qam16, qam64, qpsk } from './square-qam.ts';

/**
 * The modulation kinds of the uncoded baselines (BPSK, QPSK, 16-QAM, 64-QAM, 16-APSK): the one list the scenario's
 * names, bits per symbol and labels are derived from.
 */
export const MODULATION_KINDS = [bpsk, qpsk, qam16, qam64, apsk16] as const satisfies readonly ModulationKind[];

/** The scenario's names, in the registry's order. */
export const MODULATIONS = MODULATION_KINDS.map((k) => k.name) as [string, ...string[]];
/**
 * The name of a registered modulation (`bpsk`, `qpsk`, `qam16`, …; MODULATIONS lists them). A plain string, so that
 * modulationKind can report an unknown one rather than the type system.
 */
export type Modulation = string;

const byName = new Map<string, ModulationKind>(MODULATION_KINDS.map((k) => [k.name, k]));

/** The kind of a name (throws on an unregistered one: validated scenarios never reach that). */
export function modulationKind(name: string): ModulationKind {
  const kind = byName.get(name);
  if (!kind) throw new Error(`unknown modulation ${name} (registered: ${MODULATIONS.join(', ')})`);
  return kind;
}

/** q of every registered modulation. */
export const BITS_PER_SYMBOL: Readonly<Record<string, number>> = Object.fromEntries(MODULATION_KINDS.map((k) => [k.name, k.bitsPerSymbol]));
/** The label of every registered modulation. */
export const MODULATION_NAMES: Readonly<Record<string, string>> = Object.fromEntries(MODULATION_KINDS.map((k) => [k.name, k.label]));
