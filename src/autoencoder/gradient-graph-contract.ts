/**
 * What the trainer needs from a training step: loss, decisions and the gradient of the mean cross-entropy
 * with respect to one flat parameter vector θ. Its implementations (js-train-graph.ts, train-graph.ts) and the
 * factory that picks one (gradient-graph.ts) import it from here.
 */
export interface StepResult {
  loss: number;
  /** Blocks of the batch the decoder got right. */
  correct: number;
}

export interface GradientGraph {
  readonly size: number;
  /** θ, in the order of the models' trainable weights. */
  readonly theta: Float32Array;
  /**
   * Loss and correct decisions of one batch, and the gradient of the mean loss w.r.t. θ (in `gradient`,
   * valid until the next call). `draws` holds the channel's standard normals (batch × drawDims).
   */
  step(messages: Int32Array, draws: Float32Array, sigma: number): StepResult & { gradient: Float32Array };
  /** θ ← the layers' current weights. */
  readFrom(): void;
  /** The layers' weights ← θ (before using the tfjs models for anything else). */
  writeTo(): void;
  /**
   * Optional: from now on the encoder's gradient is not needed (decoder refinement), so the step may skip
   * computing it (the entries stay 0). The trainer masks the encoder's gradient either way. Calling it again
   * with the same value changes nothing.
   */
  freezeEncoder?(frozen: boolean): void;
  /** Where each layer variable lives in θ. */
  layout(): { name: string; offset: number; size: number }[];
}
