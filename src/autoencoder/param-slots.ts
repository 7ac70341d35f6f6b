/**
 * θ as one flat Float32Array mirroring the models' trainable variables (in layer order), shared by both
 * training-step implementations (gradient-graph.ts).
 */
import * as tf from '@tensorflow/tfjs';

/** One layer variable mirrored in θ. */
export interface ParamSlot {
  variable: tf.LayerVariable;
  shape: number[];
  offset: number;
  size: number;
}

/** Appends the slot of `layer.trainableWeights[index]` after the existing ones; returns its index. */
export function mirrorSlot(slots: ParamSlot[], layer: tf.layers.Layer, index: number): number {
  const variable = layer.trainableWeights[index];
  const shape = variable.shape as number[];
  const size = shape.reduce((a, b) => a * b, 1);
  const offset = slots.reduce((s, p) => s + p.size, 0);
  slots.push({ variable, shape, offset, size });
  return slots.length - 1;
}

/** θ ← the variables' values. */
export function readSlots(slots: ParamSlot[], theta: Float32Array): void {
  for (const s of slots) theta.set(s.variable.read().dataSync() as Float32Array, s.offset);
}

/** The variables ← θ. */
export function writeSlots(slots: ParamSlot[], theta: Float32Array): void {
  for (const s of slots) {
    const t = tf.tensor(theta.subarray(s.offset, s.offset + s.size), s.shape);
    s.variable.write(t); // assigns a copy
    t.dispose();
  }
}

/** The parameter mirror both training-step implementations share: slots in layer order, θ, and copying. */
export abstract class FlatParameters {
  protected readonly slots: ParamSlot[] = [];
  abstract readonly theta: Float32Array;

  /** Appends the slot of `layer.trainableWeights[index]`; returns its index. */
  protected slot(layer: tf.layers.Layer, index: number): number {
    return mirrorSlot(this.slots, layer, index);
  }

  /** Where each layer variable lives in θ (by the variable's unique name). */
  layout(): { name: string; offset: number; size: number }[] {
    return this.slots.map((s) => ({ name: s.variable.name, offset: s.offset, size: s.size }));
  }

  /** θ ← the layers' current weights. */
  readFrom(): void {
    readSlots(this.slots, this.theta);
  }

  /** The layers' weights ← θ (before using the tfjs models for anything else). */
  writeTo(): void {
    writeSlots(this.slots, this.theta);
  }
}
