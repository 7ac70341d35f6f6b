/**
 * The training step of TrainGraph (train-graph.ts) — loss, decisions and the gradient of the mean
 * cross-entropy with respect to the flat parameters θ — with the backward pass written out by hand, in
 * JavaScript on Float32Arrays, instead of tfjs's automatic differentiation.
 *
 * Why: a tfjs step of the (7,4) autoencoder is about 150 backend ops, and each costs 12 µs (wasm) to 21 µs
 * (tfjs-node) whatever its size, so the step was mostly fixed cost (≈3–6 ms for ≈1 M multiply-adds). Here the
 * arithmetic runs in WebAssembly SIMD modules (src/wasm/kernels/: gemm.ts products, softmax.ts,
 * layer-norm.ts) and plain loops, with no per-op cost; on tfjs-node only very large products and a large decoder's whole pass
 * (backend-decoder-pass.ts) go to the backend (DEFAULTS.train.backendGemmMinMacs, decoderPassMinMacs).
 *
 * Two further savings, both exact:
 * - The encoder sees only M distinct inputs, so it runs once on the M one-hot rows (its first layer is its
 *   weight matrix: X = I), the batch gathers its rows, and the batch's gradients are summed per message
 *   before the encoder's backward pass. A statistic of the batch (average power's mean ‖x‖², batch
 *   normalization's mean and variance) is the message-count-weighted one over the rows, with its gradient.
 * - Softmax and cross-entropy are one pass: dL/dz = (softmax(z) − onehot)/B.
 *
 * The layers' ops come from their layer kinds (src/network/registry.ts: one module per kind holding its
 * forward and backward pass); this class is the driver: the encoder's one-hot rows and gather, the channel,
 * the softmax cross-entropy, the backend decoder pass and θ. A layer of no registered kind is an error
 * (UnknownLayerError). Tests compare loss and gradient with TrainGraph (tf.grad) on every layer kind and channel.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ChannelModel } from '../channels/types.ts';
import { UnsupportedLayerError } from '../network/errors.ts';
import { activationOf } from '../network/kinds/activation.ts';
import { backwardOps, forwardOps, type PassContext, type Tape, type TrainOp } from '../network/op.ts';
import { trainOps } from '../network/registry.ts';
import type { AutoencoderModels } from './build.ts';
import { backendGemm, jsGemm, type Gemm } from './gemm.ts';
import { wasmGemm } from '../wasm/kernels/gemm.ts';
import { BackendDecoderPass, type PassLayer } from './backend-decoder-pass.ts';
import type { GradientGraph, StepResult } from './gradient-graph-contract.ts';
import { FlatParameters } from './param-slots.ts';
import { RowStats, softmaxCrossEntropy } from './softmax-cross-entropy.ts';

export { UnsupportedLayerError } from '../network/errors.ts';

export class JsTrainGraph extends FlatParameters implements GradientGraph {
  readonly size: number;
  readonly theta: Float32Array;
  private readonly grad: Float32Array;
  private readonly views: Float32Array[] = [];
  private readonly gradViews: Float32Array[] = [];
  private readonly encoderOps: TrainOp[];
  private readonly decoderOps: TrainOp[];
  private readonly dims: number;
  /** Real values per block the decoder gets (dims, or more with side information). */
  private readonly outDims: number;
  /** The encoder's tapes of the current step (encodeBatch → backpropEncoder). */
  private encTapes: Tape[] = [];
  private readonly buffers = new Map<string, Float32Array>();
  private readonly counts: Float64Array;
  /** The decoder's pass as one backend program (backend-decoder-pass.ts), where the decoder qualifies. */
  private readonly decoderPass: BackendDecoderPass | undefined;
  /** Multiply-adds of the decoder per example. */
  private readonly decoderMacs: number;
  /** The encoder is frozen (decoder refinement): no encoder gradient, its codebook reused where it is fixed. */
  private encoderFrozen = false;
  private frozenCodebook: Float32Array | undefined;
  /** Products below backendMinMacs: WebAssembly SIMD (src/wasm/kernels/gemm.ts), or JavaScript loops without it. */
  private readonly localGemm: Gemm = wasmGemm() ?? jsGemm;
  /** The softmax's exponentials as WebAssembly SIMD (src/wasm/kernels/softmax.ts), where it runs. */
  private readonly rowStats = RowStats.create();
  /** What the ops of the encoder's and the decoder's passes get (batch and counts set per step). */
  private readonly encoderPass: { -readonly [K in keyof PassContext]: PassContext[K] };
  private readonly decoderContext: { -readonly [K in keyof PassContext]: PassContext[K] };

  /**
   * @param backendMinMacs products of at least this many multiply-adds run on the tfjs backend
   *   (backendGemm), smaller ones in JavaScript. Infinity: all in JavaScript (no backend needed).
   * @param decoderPassMinMacs a decoder of dense layers, layer norms and activations runs its whole training pass on
   *   the backend (BackendDecoderPass) when a batch costs it at least this many multiply-adds.
   */
  constructor(
    readonly models: AutoencoderModels,
    private readonly channel: ChannelModel,
    readonly messages: number,
    private readonly backendMinMacs = Infinity,
    private readonly decoderPassMinMacs = Infinity,
    allowSideInformation = false,
  ) {
    super();
    // A receiver handed side information (multipath taps with perfect CSI) has a wider input than x. The
    // pieces below handle it (decoder input outDims wide), but the single-link step is only held to tfjs
    // autodiff without it, so single-link training keeps TrainGraph there unless a caller opts in (the
    // two-user step, whose tests cover the side information: src/twouser/js-step.ts).
    if (channel.outDims !== channel.dims && !allowSideInformation)
      throw new UnsupportedLayerError('JsTrainGraph: the receiver gets more than y (channel side information)');
    this.dims = channel.dims;
    this.outDims = channel.outDims;
    const slots = { slot: (layer: tf.layers.Layer, i: number) => this.slot(layer, i), shape: (i: number) => this.slots[i].shape };
    this.encoderOps = trainOps(models.encoder.layers, slots, messages);
    // The decoder's final softmax is folded into the cross-entropy.
    const dec = models.decoder.layers;
    if (dec[dec.length - 1].getClassName() !== 'Activation' || activationOf(dec[dec.length - 1]) !== 'softmax') {
      throw new UnsupportedLayerError('JsTrainGraph: the decoder must end in a softmax activation');
    }
    this.decoderOps = trainOps(dec.slice(0, -1), slots, this.outDims);
    const first = this.encoderOps[0];
    if (!first?.acceptsIdentity) throw new UnsupportedLayerError('JsTrainGraph: the encoder must start with a dense layer');
    const last = this.encoderOps[this.encoderOps.length - 1];
    if (last.kind !== 'power' || last.outDim !== this.dims) throw new UnsupportedLayerError('JsTrainGraph: the encoder must end in power normalization');
    this.size = this.slots.reduce((s, p) => s + p.size, 0);
    this.theta = new Float32Array(this.size);
    this.grad = new Float32Array(this.size);
    for (const s of this.slots) {
      this.views.push(this.theta.subarray(s.offset, s.offset + s.size));
      this.gradViews.push(this.grad.subarray(s.offset, s.offset + s.size));
    }
    this.counts = new Float64Array(messages);
    const context = (counts: Float64Array | null) => ({
      views: this.views,
      gradViews: this.gradViews,
      buf: (name: string, size: number) => this.buf(name, size),
      gemm: (macs: number) => this.gemm(macs),
      counts,
      batch: 0,
      training: true,
    });
    this.encoderPass = context(this.counts);
    this.decoderContext = context(null);
    this.decoderMacs = this.decoderOps.reduce((s, op) => s + op.macs, 0);
    this.decoderPass = this.passLayers();
    this.readFrom();
  }

  /** θ and the ops' state outside θ (running statistics) ← the layers' current weights. */
  override readFrom(): void {
    super.readFrom();
    for (const op of this.allOps()) op.readState?.();
  }

  /** The layers' weights ← θ and the ops' state outside θ. */
  override writeTo(): void {
    super.writeTo();
    for (const op of this.allOps()) op.writeState?.();
  }

  /**
   * Whether ops keep state outside θ (running statistics): a pass on another thread would move its own copy,
   * so such a graph runs its passes here.
   */
  get keepsState(): boolean {
    return this.allOps().some((op) => op.readState);
  }

  private allOps(): TrainOp[] {
    return [...(this.encoderOps ?? []), ...(this.decoderOps ?? [])];
  }

  freezeEncoder(frozen: boolean): void {
    if (frozen === this.encoderFrozen) return;
    this.encoderFrozen = frozen;
    this.frozenCodebook = undefined;
  }

  /** Whether a batch of this many blocks runs the decoder's pass on the backend (BackendDecoderPass). */
  decoderOnBackend(batch: number): boolean {
    return this.decoderPass !== undefined && batch * this.decoderMacs >= this.decoderPassMinMacs;
  }

  /** The decoder as BackendDecoderPass layers, or undefined when one of its ops cannot join the pass. */
  private passLayers(): BackendDecoderPass | undefined {
    const layers: PassLayer[] = [];
    for (const op of this.decoderOps) if (!op.toPass?.(layers, this.decoderContext)) return undefined;
    return layers.length > 0 ? new BackendDecoderPass(layers) : undefined;
  }

  /** A scratch array of at least `size` floats, one per name (reused across steps). */
  private buf(name: string, size: number): Float32Array {
    let b = this.buffers.get(name);
    if (!b || b.length < size) {
      b = new Float32Array(size);
      this.buffers.set(name, b);
    }
    return b.length === size ? b : b.subarray(0, size);
  }

  private gemm(macs: number): Gemm {
    return macs >= this.backendMinMacs ? backendGemm : this.localGemm;
  }

  step(messages: Int32Array, draws: Float32Array, sigma: number): StepResult & { gradient: Float32Array } {
    const B = messages.length;
    const x = this.encodeBatch(messages);
    const y = this.buf('y', B * this.outDims);
    this.channel.applyArrays(x, draws, sigma, y, B);
    const { loss, correct, dy } = this.decodeBatch(y, messages);
    if (this.encoderFrozen) return { loss, correct, gradient: this.grad };
    const dx = this.buf('dx', B * this.dims);
    this.channel.vjpArrays(draws, dy, dx, B);
    this.backpropEncoder(messages, dx);
    return { loss, correct, gradient: this.grad };
  }

  /**
   * The first piece of a step (step() is encodeBatch → channel → decodeBatch → channel VJP → backpropEncoder;
   * the two-user step, src/twouser/js-step.ts, puts its own channel between the pieces of two graphs):
   * clears the gradient, runs the encoder and returns the batch's codewords (B × dims, valid until the next call).
   */
  encodeBatch(messages: Int32Array): Float32Array {
    const B = messages.length;
    const M = this.messages;
    const { dims, counts } = this;
    this.grad.fill(0);
    counts.fill(0);
    for (let i = 0; i < B; i++) counts[messages[i]]++;

    // Encoder on the M one-hot rows, then the batch gathers its rows. A frozen encoder runs in inference
    // mode, and its codebook is fixed unless an op depends on the batch's message counts (average power).
    const encTapes: Tape[] = (this.encTapes = []);
    let codebook = this.frozenCodebook;
    if (!codebook) {
      const c = this.encoderPass;
      c.batch = B;
      c.training = !this.encoderFrozen;
      codebook = forwardOps(c, this.encoderOps, null, M, encTapes, 'e');
      if (this.encoderFrozen && !this.encoderOps.some((op) => op.batchDependent?.(false))) this.frozenCodebook = Float32Array.from(codebook);
    }
    const x = this.buf('x', B * dims);
    for (let i = 0; i < B; i++) {
      const o = messages[i] * dims;
      for (let j = 0; j < dims; j++) x[i * dims + j] = codebook[o + j];
    }
    return x;
  }

  /**
   * The decoder's forward and backward pass on the received blocks y (B × outDims): the mean cross-entropy,
   * correct decisions, the decoder's gradient added to θ's, and dL/dy (B × outDims, valid until the next call).
   */
  decodeBatch(y: Float32Array, messages: Int32Array): StepResult & { dy: Float32Array } {
    const B = messages.length;
    if (this.decoderOnBackend(B)) {
      const dy = this.buf('dy', B * this.outDims);
      const { loss, correct } = this.decoderPass!.run(y, messages, B, dy);
      return { loss, correct, dy };
    }
    const c = this.decoderContext;
    c.batch = B;
    const decTapes: Tape[] = [];
    const logits = forwardOps(c, this.decoderOps, y, B, decTapes, 'd');
    const dLogits = this.buf('dlogits', B * this.messages);
    const { loss, correct } = softmaxCrossEntropy(logits, messages, B, this.messages, dLogits, this.rowStats);
    const dy = backwardOps(c, this.decoderOps, decTapes, dLogits, B, 'd')!;
    return { loss, correct, dy };
  }

  /** The last piece: dL/dx of the batch's codewords (B × dims) summed per message, back through the encoder into θ's gradient. */
  backpropEncoder(messages: Int32Array, dx: Float32Array): void {
    if (this.encoderFrozen) return;
    const B = messages.length;
    const { dims } = this;
    const dCodebook = this.buf('dcodebook', this.messages * dims);
    dCodebook.fill(0);
    for (let i = 0; i < B; i++) {
      const o = messages[i] * dims;
      for (let j = 0; j < dims; j++) dCodebook[o + j] += dx[i * dims + j];
    }
    backwardOps(this.encoderPass, this.encoderOps, this.encTapes, dCodebook, this.messages, 'e');
  }

  /** Clears θ's gradient, as encodeBatch does: for a decoder pass on its own (the two-user step's worker, src/twouser/decoder-worker.ts). */
  clearGradient(): void {
    this.grad.fill(0);
  }

  /** θ's gradient as the pieces leave it (valid until the next encodeBatch). */
  get gradient(): Float32Array {
    return this.grad;
  }
}
