/**
 * What a modulation kind is (the `modulation` of an uncoded baseline, `type: uncoded`): a labelled
 * constellation of 2^q points and what the rest of the simulator asks of it. Its module exports one object;
 * src/modulations/registry.ts lists them.
 *
 * Conventions (src/baselines/modulation.ts): message m carries bits b_0 … b_{k−1}, most significant first;
 * symbol s of a block carries bits b_{s·q} … b_{s·q+q−1}, read as its label (most significant first).
 * Unit average energy per symbol: per real channel use (real signalling) or per complex use (complex).
 */
import type { Signalling } from '../vocabulary.ts';

export interface ModulationKind {
  /** The scenario's name (`modulation: <name>`). */
  readonly name: string;
  /** In labels and reports (e.g. `16-QAM`). */
  readonly label: string;
  /** q, bits per symbol. */
  readonly bitsPerSymbol: number;
  /** `real`: a symbol is one real value (one real channel use); `complex`: an I/Q pair (one complex use). */
  readonly signalling: Signalling;
  /** One line for the scenario schema. */
  readonly description: string;
  /** Writes the point of the symbol with label `label` at out[offset …] (1 value, or I then Q). */
  point(label: number, out: Float32Array, offset: number): void;
  /**
   * The hard decision of a block of k bits (y at y[off …]) to its message, symbol by symbol. Absent: the
   * nearest point of each symbol (src/modulations/map.ts), which is symbol-wise ML over AWGN for any
   * constellation; a kind gives its own where a slicer is faster and decides the same.
   */
  demapper?(k: number): (y: Float32Array, off: number) => number;
  /** Symbol error over AWGN at Es/N0 = esno (linear), where a closed form exists. */
  serAwgn?(esno: number): number;
  /** Bit error over AWGN at Es/N0 = esno (linear) with this labelling, where a closed form exists. */
  berAwgn?(esno: number): number;
}
