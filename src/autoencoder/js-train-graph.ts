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
 *   before the encoder's backward pass. For average-power normalization the batch mean ‖x‖² is the
 *   message-count-weighted mean over the rows, with its gradient.
 * - Softmax and cross-entropy are one pass: dL/dz = (softmax(z) − onehot)/B.
 *
 * Supported layers: Dense (any activation), WeightNormDense, LayerNorm, Activation, PowerNormalization,
 * RadioTransformer (its estimator as dense ops on the op's input, then the transform and its vector–Jacobian
 * product, rtn-transform-arrays.ts) — everything buildAutoencoder makes. Tests compare loss
 * and gradient with TrainGraph (tf.grad) on every layer kind and channel.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ChannelModel } from '../channels/types.ts';
import { LayerNorm } from '../layers/layer-norm.ts';
import { PowerNormalization, type PowerMode } from '../layers/power-normalization.ts';
import { WeightNormDense } from '../layers/weight-norm-dense.ts';
import type { Activation } from '../vocabulary.ts';
import type { AutoencoderModels } from './build.ts';
import { activationOf } from './compile.ts';
import { applyActivation, SELU_ALPHA, SELU_SCALE } from '../mlp.ts';
import { backendGemm, jsGemm, type Gemm } from './gemm.ts';
import { wasmGemm } from '../wasm/kernels/gemm.ts';
import { wasmScaledSoftmax, type ScaledSoftmax } from '../wasm/kernels/softmax.ts';
import { wasmLayerNorm, type LayerNormKernels } from '../wasm/kernels/layer-norm.ts';
import { BackendDecoderPass, type PassLayer } from './backend-decoder-pass.ts';
import type { GradientGraph, StepResult } from './gradient-graph-contract.ts';
import { FlatParameters } from './param-slots.ts';
import { isRadioTransformer } from '../layers/radio-transformer.ts';
import { rtnTransformArrays, rtnTransformVjp, type RtnShape } from '../layers/rtn-transform-arrays.ts';

/** Added under the square roots of the power normalization and weight normalization, as their layers do. */
const POWER_EPS = 1e-12;
const WN_EPS = 1e-12;

type Op =
  | { kind: 'dense'; w: number; b: number; in: number; out: number }
  | { kind: 'weightNormDense'; v: number; g: number; b: number; in: number; out: number }
  | { kind: 'layerNorm'; gamma: number; beta: number; dim: number; epsilon: number; wasm: LayerNormKernels | undefined }
  | { kind: 'activation'; activation: Activation; dim: number }
  | { kind: 'power'; mode: PowerMode; n: number; dim: number }
  /** A radio transformer network: the estimator's ops on the op's input r give ω, then ȳ = t(y, ω). */
  | ({ kind: 'rtn'; est: Op[] } & RtnShape);

/** What a forward pass keeps for the backward pass of one op. */
interface Tape {
  /** The op's input (null: the identity, i.e. the encoder's one-hot rows). */
  input: Float32Array | null;
  output: Float32Array;
  /** LayerNorm: x̂; weight norm: the kernel; power: per-row scale. */
  a?: Float32Array;
  /** LayerNorm: 1/σ per row; weight norm: column norms; power: per-row ‖e‖² + ε (or the batch mean's). */
  b?: Float32Array;
  /** RTN: the estimator's tapes (a: ω). */
  sub?: Tape[];
}

export class UnsupportedLayerError extends Error {}

export class JsTrainGraph extends FlatParameters implements GradientGraph {
  readonly size: number;
  readonly theta: Float32Array;
  private readonly grad: Float32Array;
  private readonly views: Float32Array[] = [];
  private readonly gradViews: Float32Array[] = [];
  private readonly encoderOps: Op[];
  private readonly decoderOps: Op[];
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
    if (channel.outDims !== channel.dims && !allowSideInformation) throw new UnsupportedLayerError('JsTrainGraph: the receiver gets more than y (channel side information)');
    this.dims = channel.dims;
    this.outDims = channel.outDims;
    this.encoderOps = this.compile(models.encoder.layers, messages);
    // The decoder's final softmax is folded into the cross-entropy.
    const dec = models.decoder.layers;
    if (dec[dec.length - 1].getClassName() !== 'Activation' || activationOf(dec[dec.length - 1]) !== 'softmax') {
      throw new UnsupportedLayerError('JsTrainGraph: the decoder must end in a softmax activation');
    }
    this.decoderOps = this.compile(dec.slice(0, -1), this.outDims);
    const first = this.encoderOps[0];
    if (!first || (first.kind !== 'dense' && first.kind !== 'weightNormDense')) {
      throw new UnsupportedLayerError('JsTrainGraph: the encoder must start with a dense layer');
    }
    const last = this.encoderOps[this.encoderOps.length - 1];
    if (last.kind !== 'power' || last.dim !== this.dims) throw new UnsupportedLayerError('JsTrainGraph: the encoder must end in power normalization');
    this.size = this.slots.reduce((s, p) => s + p.size, 0);
    this.theta = new Float32Array(this.size);
    this.grad = new Float32Array(this.size);
    for (const s of this.slots) {
      this.views.push(this.theta.subarray(s.offset, s.offset + s.size));
      this.gradViews.push(this.grad.subarray(s.offset, s.offset + s.size));
    }
    this.counts = new Float64Array(messages);
    this.decoderMacs = this.decoderOps.reduce((s, op) => s + (op.kind === 'dense' || op.kind === 'weightNormDense' ? op.in * op.out : 0), 0);
    this.decoderPass = this.passLayers();
    this.readFrom();
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

  /** The decoder as BackendDecoderPass layers (dense, then optionally layer norm, then optionally an activation), or undefined for other ops. */
  private passLayers(): BackendDecoderPass | undefined {
    const layers: PassLayer[] = [];
    for (const op of this.decoderOps) {
      if (op.kind === 'dense') {
        layers.push({
          inDim: op.in,
          outDim: op.out,
          kernel: this.views[op.w],
          bias: this.views[op.b],
          dKernel: this.gradViews[op.w],
          dBias: this.gradViews[op.b],
          activation: 'linear',
        });
      } else if (op.kind === 'activation' && layers.length > 0 && layers[layers.length - 1].activation === 'linear' && op.activation !== 'softmax') {
        layers[layers.length - 1].activation = op.activation;
      } else if (op.kind === 'layerNorm' && layers.length > 0 && layers[layers.length - 1].activation === 'linear' && !layers[layers.length - 1].layerNorm) {
        layers[layers.length - 1].layerNorm = {
          gamma: this.views[op.gamma],
          beta: this.views[op.beta],
          dGamma: this.gradViews[op.gamma],
          dBeta: this.gradViews[op.beta],
          epsilon: op.epsilon,
        };
      } else return undefined;
    }
    return layers.length > 0 ? new BackendDecoderPass(layers) : undefined;
  }

  private compile(layers: tf.layers.Layer[], inputDim: number): Op[] {
    const ops: Op[] = [];
    let dim = inputDim;
    for (const layer of layers) {
      const cls = layer.getClassName();
      if (layer instanceof WeightNormDense) {
        const out = layer.units;
        ops.push({ kind: 'weightNormDense', v: this.slot(layer, 0), g: this.slot(layer, 1), b: this.slot(layer, 2), in: dim, out });
        dim = out;
      } else if (layer instanceof LayerNorm) {
        ops.push({ kind: 'layerNorm', gamma: this.slot(layer, 0), beta: this.slot(layer, 1), dim, epsilon: layer.epsilon, wasm: wasmLayerNorm(dim) });
      } else if (layer instanceof PowerNormalization) {
        ops.push({ kind: 'power', mode: layer.mode, n: layer.n, dim });
      } else if (cls === 'Dense') {
        const w = this.slot(layer, 0);
        const out = this.slots[w].shape[1];
        if (layer.trainableWeights.length !== 2) throw new UnsupportedLayerError(`JsTrainGraph: dense layer ${layer.name} without a bias`);
        ops.push({ kind: 'dense', w, b: this.slot(layer, 1), in: dim, out });
        dim = out;
        const a = activationOf(layer);
        if (a !== 'linear') ops.push({ kind: 'activation', activation: a, dim });
      } else if (cls === 'Activation') {
        ops.push({ kind: 'activation', activation: activationOf(layer), dim });
      } else if (isRadioTransformer(layer)) {
        // The estimator: its dense layers (kernel, bias in the layer's weight order) and activations.
        const est: Op[] = [];
        let d = layer.received;
        const dense = (i: number, out: number, activation: Activation) => {
          est.push({ kind: 'dense', w: this.slot(layer, 2 * i), b: this.slot(layer, 2 * i + 1), in: d, out });
          if (activation !== 'linear') est.push({ kind: 'activation', activation, dim: out });
          d = out;
        };
        layer.estimator.forEach((l, i) => dense(i, l.units, l.activation));
        dense(layer.estimator.length, layer.parameterCount, 'linear');
        ops.push({ kind: 'rtn', est, transform: layer.transform, n: layer.n, taps: layer.taps, received: layer.received, params: layer.parameterCount, outDim: layer.outputDim });
        dim = layer.outputDim;
      } else {
        throw new UnsupportedLayerError(`JsTrainGraph: layer ${layer.name} (${cls}) is not supported`);
      }
    }
    for (const op of ops) if (op.kind === 'activation' && op.activation === 'softmax') throw new UnsupportedLayerError('JsTrainGraph: softmax inside a network');
    return ops;
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

    // Encoder on the M one-hot rows, then the batch gathers its rows. A frozen encoder's codebook is fixed
    // unless average-power normalization makes it depend on the batch's message counts.
    const encTapes: Tape[] = (this.encTapes = []);
    let codebook = this.frozenCodebook;
    if (!codebook) {
      codebook = this.forward(this.encoderOps, null, M, encTapes, 'e', B);
      const last = this.encoderOps[this.encoderOps.length - 1];
      if (this.encoderFrozen && last.kind === 'power' && last.mode !== 'average-power') this.frozenCodebook = Float32Array.from(codebook);
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
    const decTapes: Tape[] = [];
    const logits = this.forward(this.decoderOps, y, B, decTapes, 'd', B);
    const dLogits = this.buf('dlogits', B * this.messages);
    const { loss, correct } = softmaxCrossEntropy(logits, messages, B, this.messages, dLogits, this.rowStats);
    const dy = this.backward(this.decoderOps, decTapes, dLogits, B, 'd', B)!;
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
    this.backward(this.encoderOps, this.encTapes, dCodebook, this.messages, 'e', B);
  }

  /** Clears θ's gradient, as encodeBatch does: for a decoder pass on its own (the two-user step's worker, src/twouser/decoder-worker.ts). */
  clearGradient(): void {
    this.grad.fill(0);
  }

  /** θ's gradient as the pieces leave it (valid until the next encodeBatch). */
  get gradient(): Float32Array {
    return this.grad;
  }

  /** Runs `ops` on `rows` rows (input null: the identity), recording tapes; returns the output. */
  private forward(ops: Op[], input: Float32Array | null, rows: number, tapes: Tape[], tag: string, batch: number): Float32Array {
    const { views } = this;
    let h = input;
    for (let k = 0; k < ops.length; k++) {
      const op = ops[k];
      const name = `${tag}${k}`;
      switch (op.kind) {
        case 'dense':
        case 'weightNormDense': {
          const out = this.buf(name, rows * op.out);
          let W: Float32Array;
          const tape: Tape = { input: h, output: out };
          if (op.kind === 'dense') W = views[op.w];
          else {
            W = tape.a = this.buf(`${name}K`, op.in * op.out);
            const norms = (tape.b = this.buf(`${name}N`, op.out));
            const v = views[op.v];
            const g = views[op.g];
            norms.fill(0);
            for (let p = 0; p < op.in; p++) for (let j = 0; j < op.out; j++) norms[j] += v[p * op.out + j] ** 2;
            for (let j = 0; j < op.out; j++) norms[j] = Math.sqrt(norms[j] + WN_EPS);
            for (let p = 0; p < op.in; p++) for (let j = 0; j < op.out; j++) W[p * op.out + j] = (g[j] * v[p * op.out + j]) / norms[j];
          }
          const b = views[op.b];
          // One-hot rows (h null): row m of the product is row m of the kernel.
          if (h === null) addRowVector(W, rows, op.out, b, out);
          else this.gemm(rows * op.in * op.out).forward(h, rows, op.in, W, op.out, b, out);
          tapes.push(tape);
          h = out;
          break;
        }
        case 'layerNorm': {
          const x = h!;
          const d = op.dim;
          const out = this.buf(name, rows * d);
          const xhat = this.buf(`${name}X`, rows * d);
          const inv = this.buf(`${name}R`, rows);
          (op.wasm?.forward ?? layerNormForward)(x, rows, d, views[op.gamma], views[op.beta], op.epsilon, out, xhat, inv);
          tapes.push({ input: x, output: out, a: xhat, b: inv });
          h = out;
          break;
        }
        case 'activation': {
          // In place: every derivative below is a function of the output, and no earlier op's backward
          // pass reads its own output.
          const v = h!;
          if (op.activation === 'relu') reluInPlace(v, rows * op.dim);
          else applyActivation(op.activation, v, 0, rows * op.dim);
          tapes.push({ input: v, output: v });
          break;
        }
        case 'rtn': {
          const r = h!;
          const sub: Tape[] = [];
          const omega = this.forward(op.est, r, rows, sub, `${name}e`, batch);
          const out = this.buf(name, rows * op.outDim);
          rtnTransformArrays(op, r, omega, rows, out);
          tapes.push({ input: r, output: out, a: omega, sub });
          h = out;
          break;
        }
        case 'power': {
          const e = h!;
          const d = op.dim;
          const out = this.buf(name, rows * d);
          const scale = this.buf(`${name}S`, rows);
          const energyEps = this.buf(`${name}E`, rows);
          for (let r = 0; r < rows; r++) {
            let s = 0;
            for (let j = 0; j < d; j++) s += e[r * d + j] ** 2;
            energyEps[r] = s + POWER_EPS;
          }
          if (op.mode === 'average-power') {
            // The batch mean of ‖x‖² when the batch holds counts[m] copies of row m.
            let mean = 0;
            for (let r = 0; r < rows; r++) mean += this.counts[r] * (energyEps[r] - POWER_EPS);
            const pe = mean / batch + POWER_EPS;
            const s = Math.sqrt(op.n / pe);
            scale.fill(s);
            energyEps.fill(pe);
          } else {
            for (let r = 0; r < rows; r++) {
              const s = Math.sqrt(op.n / energyEps[r]);
              scale[r] = op.mode === 'energy-max' ? Math.min(1, s) : s;
            }
          }
          for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) out[r * d + j] = e[r * d + j] * scale[r];
          tapes.push({ input: e, output: out, a: scale, b: energyEps });
          h = out;
          break;
        }
      }
    }
    return h!;
  }

  /**
   * Back through `ops` from dOut (rows × output dim), adding parameter gradients to θ's gradient; returns
   * the gradient of the input (undefined when the input is the identity).
   */
  private backward(ops: Op[], tapes: Tape[], dOut: Float32Array, rows: number, tag: string, batch: number): Float32Array | undefined {
    const { views, gradViews } = this;
    let d = dOut;
    for (let k = ops.length - 1; k >= 0; k--) {
      const op = ops[k];
      const tape = tapes[k];
      const name = `${tag}${k}`;
      switch (op.kind) {
        case 'dense':
        case 'weightNormDense': {
          const dW = op.kind === 'dense' ? gradViews[op.w] : this.buf(`${name}dK`, op.in * op.out);
          if (op.kind === 'weightNormDense') dW.fill(0);
          const W = op.kind === 'dense' ? views[op.w] : tape.a!;
          let dIn: Float32Array | undefined;
          if (tape.input === null) {
            addColumnSums(d, rows, op.out, gradViews[op.b]);
            addInto(dW, d, rows * op.out);
          } else {
            dIn = this.buf(`${name}dX`, rows * op.in);
            this.gemm(rows * op.in * op.out).backward(tape.input, rows, op.in, d, op.out, W, dW, dIn, gradViews[op.b]);
          }
          if (op.kind === 'weightNormDense') {
            // K = g·v/‖v‖ per column: dg = Σ_p dK·v/‖v‖, dv = (g/‖v‖)·(dK − v·dg/‖v‖).
            const v = views[op.v];
            const g = views[op.g];
            const norms = tape.b!;
            const dv = gradViews[op.v];
            const dg = gradViews[op.g];
            for (let j = 0; j < op.out; j++) {
              let s = 0;
              for (let p = 0; p < op.in; p++) s += dW[p * op.out + j] * v[p * op.out + j];
              const dgj = s / norms[j];
              dg[j] += dgj;
              const c = g[j] / norms[j];
              for (let p = 0; p < op.in; p++) dv[p * op.out + j] += c * (dW[p * op.out + j] - (v[p * op.out + j] * dgj) / norms[j]);
            }
          }
          if (!dIn) return undefined;
          d = dIn;
          break;
        }
        case 'layerNorm': {
          const dim = op.dim;
          const xhat = tape.a!;
          const inv = tape.b!;
          const gamma = views[op.gamma];
          const dGamma = gradViews[op.gamma];
          const dBeta = gradViews[op.beta];
          const dIn = this.buf(`${name}dX`, rows * dim);
          (op.wasm?.backward ?? layerNormBackward)(d, rows, dim, xhat, inv, gamma, dGamma, dBeta, dIn);
          d = dIn;
          break;
        }
        case 'activation':
          activationBackward(op.activation, tape.output, d, rows * op.dim);
          break;
        case 'rtn': {
          // dω from the transform, back through the estimator to dr; then the transform's dy added to
          // dr's first 2n columns (y is part of the estimator's input r too).
          const dOmega = this.buf(`${name}dW`, rows * op.params);
          const dySide = this.buf(`${name}dY`, rows * op.received);
          dySide.fill(0);
          rtnTransformVjp(op, tape.input!, tape.a!, d, rows, dOmega, dySide);
          const dr = this.backward(op.est, tape.sub!, dOmega, rows, `${name}e`, batch)!;
          for (let i = 0; i < rows * op.received; i++) dr[i] += dySide[i];
          d = dr;
          break;
        }
        case 'power': {
          const dim = op.dim;
          const e = tape.input!;
          const scale = tape.a!;
          const energyEps = tape.b!;
          const dIn = this.buf(`${name}dX`, rows * dim);
          if (op.mode === 'average-power') {
            // x_m = s·e_m, s = √(n/P), P = Σ_m c_m‖e_m‖²/B (+ε): de_m = s·g_m − (s/P)(c_m/B)·e_m·Σ_m'⟨g_m', e_m'⟩.
            const s = scale[0];
            const pe = energyEps[0];
            let dot = 0;
            for (let i = 0; i < rows * dim; i++) dot += d[i] * e[i];
            for (let r = 0; r < rows; r++) {
              const c = ((s / pe) * (this.counts[r] / batch)) * dot;
              for (let j = 0; j < dim; j++) dIn[r * dim + j] = s * d[r * dim + j] - c * e[r * dim + j];
            }
          } else {
            // x = s·e with s = √(n/(‖e‖²+ε)) (capped at 1 for energy-max): de = s·g − (s/(‖e‖²+ε))·e·⟨g, e⟩.
            for (let r = 0; r < rows; r++) {
              const o = r * dim;
              const s = scale[r];
              if (op.mode === 'energy-max' && Math.sqrt(op.n / energyEps[r]) >= 1) {
                for (let j = 0; j < dim; j++) dIn[o + j] = d[o + j];
                continue;
              }
              let dot = 0;
              for (let j = 0; j < dim; j++) dot += d[o + j] * e[o + j];
              const c = (s / energyEps[r]) * dot;
              for (let j = 0; j < dim; j++) dIn[o + j] = s * d[o + j] - c * e[o + j];
            }
          }
          d = dIn;
          break;
        }
      }
    }
    return d;
  }
}

/** d ← d·act'(x), written with the output y = act(x). */
function activationBackward(a: Activation, y: Float32Array, d: Float32Array, len: number): void {
  switch (a) {
    case 'linear':
      return;
    case 'relu':
      // Multiplied by the 0/1 mask instead of a branch: half the signs are random, and a mispredicted
      // branch per value made this loop 4× slower (3.4 against 0.8 ns per value, measured here).
      for (let i = 0; i < len; i++) d[i] *= +(y[i] > 0);
      return;
    case 'elu':
      for (let i = 0; i < len; i++) if (!(y[i] > 0)) d[i] *= y[i] + 1;
      return;
    case 'selu':
      for (let i = 0; i < len; i++) d[i] *= y[i] > 0 ? SELU_SCALE : y[i] + SELU_SCALE * SELU_ALPHA;
      return;
    case 'tanh':
      for (let i = 0; i < len; i++) d[i] *= 1 - y[i] * y[i];
      return;
    case 'sigmoid':
      for (let i = 0; i < len; i++) d[i] *= y[i] * (1 - y[i]);
      return;
    case 'softmax':
      throw new UnsupportedLayerError('softmax inside a network');
  }
}

/**
 * Layer normalization of each row of x (rows × d): x̂ = (x − mean)/√(var + ε), out = γ·x̂ + β; keeps x̂ and
 * 1/√(var + ε) for the backward pass. In doubles; used where src/wasm/kernels/layer-norm.ts does not apply (d not a
 * multiple of 4, no WebAssembly SIMD).
 */
function layerNormForward(x: Float32Array, rows: number, d: number, gamma: Float32Array, beta: Float32Array, epsilon: number, out: Float32Array, xhat: Float32Array, inv: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let mean = 0;
    for (let j = 0; j < d; j++) mean += x[o + j];
    mean /= d;
    let variance = 0;
    for (let j = 0; j < d; j++) {
      const c = x[o + j] - mean;
      variance += c * c;
    }
    variance /= d;
    const ri = 1 / Math.sqrt(variance + epsilon);
    inv[r] = ri;
    for (let j = 0; j < d; j++) {
      const xh = (x[o + j] - mean) * ri;
      xhat[o + j] = xh;
      out[o + j] = gamma[j] * xh + beta[j];
    }
  }
}

/** Back through layerNormForward: dγ += Σ d·x̂, dβ += Σ d; with g = d·γ, dx = (1/σ)·(g − mean(g) − x̂·mean(g·x̂)) per row. */
function layerNormBackward(d: Float32Array, rows: number, dim: number, xhat: Float32Array, inv: Float32Array, gamma: Float32Array, dGamma: Float32Array, dBeta: Float32Array, dIn: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let meanG = 0;
    let meanGX = 0;
    for (let j = 0; j < dim; j++) {
      const dy = d[o + j];
      dGamma[j] += dy * xhat[o + j];
      dBeta[j] += dy;
      const g = dy * gamma[j];
      meanG += g;
      meanGX += g * xhat[o + j];
    }
    meanG /= dim;
    meanGX /= dim;
    for (let j = 0; j < dim; j++) dIn[o + j] = inv[r] * (d[o + j] * gamma[j] - meanG - xhat[o + j] * meanGX);
  }
}

/**
 * ReLU for training, v·[v > 0] without a branch (4× faster than `v > 0 ? v : 0` on random signs, see
 * activationBackward). It differs from src/mlp.ts's only where training has already failed: NaN stays NaN
 * (the restart rule sees it) and −∞ gives NaN.
 */
function reluInPlace(v: Float32Array, len: number): void {
  for (let i = 0; i < len; i++) {
    const x = v[i];
    v[i] = x * +(x > 0);
  }
}

/** out[r,j] = A[r,j] + b[j]. */
function addRowVector(A: Float32Array, rows: number, cols: number, b: Float32Array, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) out[o + j] = A[o + j] + b[j];
  }
}

/** acc[i] += d[i] for i < len. */
function addInto(acc: Float32Array, d: Float32Array, len: number): void {
  for (let i = 0; i < len; i++) acc[i] += d[i];
}

/** acc[j] += Σ_r d[r,j]. */
function addColumnSums(d: Float32Array, rows: number, cols: number, acc: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) acc[j] += d[o + j];
  }
}

/**
 * Mean cross-entropy of softmax(z) against the labels, correct argmax decisions, and dL/dz = (softmax(z) −
 * onehot)/B into dz. With WebAssembly SIMD (src/wasm/kernels/softmax.ts) and M a multiple of 4 the exponentials are the
 * module's float32 ones; else one row at a time in doubles. Either way the row maximum is subtracted first.
 */
function softmaxCrossEntropy(z: Float32Array, labels: Int32Array, B: number, M: number, dz: Float32Array, rowStats?: RowStats): { loss: number; correct: number } {
  const invB = 1 / B;
  if (rowStats && M % 4 === 0) {
    const { softmax, max, sum } = rowStats.ensure(B);
    softmax(z, B, M, invB, dz, max, sum);
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < B; i++) {
      const o = i * M;
      const label = labels[i];
      const m = max[i];
      loss += Math.log(sum[i]) + m - z[o + label];
      dz[o + label] -= invB;
      // argmax (the first index of the maximum) is the label when z[label] is the maximum and no earlier one is.
      if (z[o + label] === m) {
        let first = true;
        for (let j = 0; j < label; j++) if (z[o + j] === m) first = false;
        if (first) correct++;
      }
    }
    return { loss: loss * invB, correct };
  }
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < B; i++) {
    const o = i * M;
    let max = z[o];
    let arg = 0;
    for (let j = 1; j < M; j++) {
      const v = z[o + j];
      if (v > max) {
        max = v;
        arg = j;
      }
    }
    const label = labels[i];
    if (arg === label) correct++;
    let sum = 0;
    for (let j = 0; j < M; j++) {
      const e = Math.exp(z[o + j] - max);
      dz[o + j] = e;
      sum += e;
    }
    loss += Math.log(sum) + max - z[o + label];
    const scale = invB / sum;
    for (let j = 0; j < M; j++) dz[o + j] *= scale;
    dz[o + label] -= invB;
  }
  return { loss: loss * invB, correct };
}

/** The WebAssembly softmax and its per-row maximum and sum buffers (grown with the batch). */
class RowStats {
  private max = new Float32Array(0);
  private sum = new Float32Array(0);
  constructor(private readonly softmax: ScaledSoftmax) {}
  static create(): RowStats | undefined {
    const f = wasmScaledSoftmax();
    return f ? new RowStats(f) : undefined;
  }
  ensure(rows: number): { softmax: ScaledSoftmax; max: Float32Array; sum: Float32Array } {
    if (this.max.length < rows) {
      this.max = new Float32Array(rows);
      this.sum = new Float32Array(rows);
    }
    return { softmax: this.softmax, max: this.max, sum: this.sum };
  }
}
