/** The two ways a network can be outside what the JavaScript training step runs. */

/**
 * The network is built of known layers but arranged in a way the JavaScript step does not handle (a bit-wise
 * decoder, side information, a softmax inside the network): the trainer falls back to tf.grad (TrainGraph).
 */
export class UnsupportedLayerError extends Error {}

/** A layer no registered layer kind (src/network/registry.ts) recognises: always an error, never a fallback. */
export class UnknownLayerError extends Error {
  constructor(layer: { name: string; getClassName(): string }, what: string) {
    super(`layer ${layer.name} (${layer.getClassName()}) has no registered layer kind${what ? ` ${what}` : ''} (src/network/registry.ts)`);
  }
}
