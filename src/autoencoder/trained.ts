/**
 * A trained autoencoder: the encoder and decoder models, the learned codebook and the training record.
 * Saved as a folder: autoencoder.json (spec, training record, both model topologies and weight manifests)
 * plus encoder.weights.bin and decoder.weights.bin. Uses tf.io.withSaveHandler / tf.io.fromMemory, which
 * work on every backend (file:// saving needs tfjs-node). Every file is written atomically, the index last.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { realDims } from '../conventions.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import type { BlockSystem } from '../system.ts';
import { powerLayer } from './build.ts';
import { compileDecoder } from './compile.ts';
import { messageCount, withDefaults, type AutoencoderSpec, type HiddenLayerSpec, type TrainEbno } from './spec.ts';
// Registers the custom layer classes for deserialization.
import '../layers/power-normalization.ts';
import { learnedDecoderSpec } from '../decoders/learned.ts';
import '../layers/weight-norm-dense.ts';

export interface TrainingRecord {
  /** Step at the end of each logging window, and the window's mean loss and accuracy. */
  steps: number[];
  loss: number[];
  accuracy: number[];
  finalAccuracy: number;
  seconds: number;
  ebnoDb: TrainEbno;
  batchSize: number;
  learningRate: number;
  totalSteps: number;
  /** How many times training restarted from a new seed (divergence, stuck at chance, collapsed code), and why. */
  restarts: number;
  restartReasons: string[];
  /** Each time training was extended because the decoder lagged ML decoding of its own code (why, how much). */
  extensions: string[];
  /** The seed path of the attempt that produced these weights. */
  seed: string;
}

const FORMAT = 'learned-phy-sim/autoencoder@1';

interface SavedModel {
  modelTopology: tf.io.ModelArtifacts['modelTopology'];
  weightSpecs: tf.io.WeightsManifestEntry[];
}

async function artifactsOf(model: tf.LayersModel): Promise<{ saved: SavedModel; weights: Uint8Array }> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = captured!;
  const data = a.weightData as ArrayBuffer | ArrayBuffer[];
  const buffer = Array.isArray(data) ? Buffer.concat(data.map((d) => new Uint8Array(d))) : new Uint8Array(data);
  return { saved: { modelTopology: a.modelTopology, weightSpecs: a.weightSpecs ?? [] }, weights: new Uint8Array(buffer) };
}

async function modelFrom(saved: SavedModel, weights: Uint8Array): Promise<tf.LayersModel> {
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: saved.modelTopology, weightSpecs: saved.weightSpecs, weightData }));
}

export class TrainedAutoencoder {
  readonly spec: Required<AutoencoderSpec>;
  private cachedCodebook: Float32Array | undefined;

  constructor(
    spec: AutoencoderSpec,
    readonly encoder: tf.LayersModel,
    readonly decoder: tf.LayersModel,
    readonly training: TrainingRecord,
    calibrate = true,
  ) {
    this.spec = withDefaults(spec);
    if (calibrate) this.calibrate();
  }

  get M(): number {
    return messageCount(this.spec);
  }

  get dims(): number {
    return realDims(this.spec.n, this.spec.signalling);
  }

  /** average-power: set the inference normalization to the exact mean energy of the M codewords. */
  private calibrate(): void {
    const layer = powerLayer(this.encoder);
    if (layer.mode !== 'average-power') return;
    const meanEnergy = tf.tidy(() => {
      let h: tf.Tensor = tf.eye(this.M);
      const layers = this.encoder.layers;
      for (let i = 0; i < layers.length - 1; i++) h = layers[i].apply(h) as tf.Tensor;
      return tf.mean(tf.sum(tf.square(h), 1)).dataSync()[0];
    });
    layer.calibrate(meanEnergy);
  }

  /** M × dims: row m is the normalized codeword of message m (complex: I,Q interleaved per use). */
  codebook(): Float32Array {
    if (!this.cachedCodebook) {
      this.cachedCodebook = tf.tidy(() => Float32Array.from((this.encoder.predict(tf.eye(this.M)) as tf.Tensor).dataSync() as Float32Array));
    }
    return this.cachedCodebook.slice();
  }

  /** The system the Monte Carlo engine measures: learned codebook, learned decoder (compiled), channel. */
  toBlockSystem(id: string): BlockSystem {
    const { k, n, signalling, channel } = this.spec;
    return { id, k, n, signalling, channel, codebook: this.codebook(), decoder: learnedDecoderSpec(compileDecoder(this.decoder)) };
  }

  async save(dir: string): Promise<void> {
    const enc = await artifactsOf(this.encoder);
    const dec = await artifactsOf(this.decoder);
    await writeFileAtomic(join(dir, 'encoder.weights.bin'), enc.weights);
    await writeFileAtomic(join(dir, 'decoder.weights.bin'), dec.weights);
    const index = { format: FORMAT, spec: this.spec, training: this.training, encoder: enc.saved, decoder: dec.saved };
    await writeFileAtomic(join(dir, 'autoencoder.json'), JSON.stringify(index));
  }

  static async load(dir: string): Promise<TrainedAutoencoder> {
    const indexPath = join(dir, 'autoencoder.json');
    let index: { format: string; spec: AutoencoderSpec; training: TrainingRecord; encoder: SavedModel; decoder: SavedModel };
    try {
      index = JSON.parse(await readFile(indexPath, 'utf8'));
    } catch (err) {
      throw new Error(`${indexPath}: cannot read a saved autoencoder (${(err as Error).message})`);
    }
    if (index.format !== FORMAT) throw new Error(`${indexPath}: field "format": expected "${FORMAT}", found ${JSON.stringify(index.format)}`);
    const encoder = await modelFrom(index.encoder, new Uint8Array(await readFile(join(dir, 'encoder.weights.bin'))));
    const decoder = await modelFrom(index.decoder, new Uint8Array(await readFile(join(dir, 'decoder.weights.bin'))));
    // The saved power weight already holds the calibration.
    return new TrainedAutoencoder(upgradeSpec(index.spec), encoder, decoder, index.training, false);
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }
}

/** Models saved before the hidden-layer option was renamed wrote `normalization: 'layer'` for `layerNorm: true`. */
function upgradeSpec(spec: AutoencoderSpec): AutoencoderSpec {
  type OldLayer = HiddenLayerSpec & { normalization?: 'none' | 'layer' };
  const upgrade = (layers?: OldLayer[]): HiddenLayerSpec[] | undefined =>
    layers?.map(({ normalization, ...l }) => (normalization === undefined ? l : { ...l, layerNorm: normalization === 'layer' }));
  return { ...spec, encoder: upgrade(spec.encoder), decoder: upgrade(spec.decoder) };
}
