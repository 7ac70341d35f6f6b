/**
 * A trained autoencoder: the encoder and decoder models, the learned codebook and the training record.
 * Saved as a folder: autoencoder.json (spec, training record, both model topologies and weight manifests)
 * plus encoder.weights.bin and decoder.weights.bin. Uses tf.io.withSaveHandler / tf.io.fromMemory, which
 * work on every backend (file:// saving needs tfjs-node). Every file is written atomically, the index last.
 */
import { isObj } from '../data/is-object.ts';
import * as tf from '@tensorflow/tfjs';
import { realDims } from '../conventions.ts';
import { initBackend } from '../backend.ts';
import { UserError } from '../errors.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { requireNodeBuiltin } from '../platform.ts';
import { modelMsg } from '../messages.ts';
import type { BlockSystem } from '../system.ts';
import { powerLayer } from './build.ts';
import { compileDecoder, compileRtnDecoder } from './compile.ts';
import { messageCount, withDefaults, type AutoencoderSpec, type FullAutoencoderSpec, type HiddenLayerSpec } from './spec.ts';
import type { TrainingRecord } from '../training/record.ts';
// Registers the custom layer classes for deserialization.
import '../layers/power-normalization.ts';
import { learnedDecoderSpec } from '../decoders/learned.ts';
import '../layers/weight-norm-dense.ts';
import '../layers/layer-norm.ts';
import '../layers/batch-norm.ts';

export type { DecoderErrors, TrainingRecord } from '../training/record.ts';

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
  return { saved: { modelTopology: a.modelTopology, weightSpecs: a.weightSpecs ?? [] }, weights: concatBytes(Array.isArray(data) ? data : [data]) };
}

/** The buffers one after another (Buffer.concat without Node). */
function concatBytes(parts: ArrayBuffer[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return out;
}

async function modelFrom(saved: SavedModel, weights: Uint8Array, file = 'the saved model'): Promise<tf.LayersModel> {
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: saved.modelTopology, weightSpecs: saved.weightSpecs, weightData }));
  } catch (err) {
    // A topology tfjs cannot build, or weights that do not fit it: the folder is damaged, not the program.
    throw new UserError(modelMsg.topology(file, (err as Error).message.split('\n')[0]), { cause: err });
  }
}

/**
 * A trained autoencoder: the encoder and decoder models, the spec with its defaults, and the training record. It
 * gives the learned codebook and the BlockSystem the Monte Carlo engine measures, and saves to or loads from a folder
 * (autoencoder.json plus encoder.weights.bin and decoder.weights.bin). With average-power normalization the
 * constructor calibrates the inference normalization to the exact mean energy of the M codewords.
 */
export class TrainedAutoencoder {
  readonly spec: FullAutoencoderSpec;
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
    const decoder = this.spec.receiver ? compileRtnDecoder(this.decoder) : learnedDecoderSpec(compileDecoder(this.decoder));
    return { id, k, n, signalling, channel, codebook: this.codebook(), decoder };
  }

  /** The saved folder's files, name → content, the index last (a browser offers them for download). */
  async files(): Promise<ModelFiles> {
    const enc = await artifactsOf(this.encoder);
    const dec = await artifactsOf(this.decoder);
    const index = { format: FORMAT, spec: this.spec, training: this.training, encoder: enc.saved, decoder: dec.saved };
    return { 'encoder.weights.bin': enc.weights, 'decoder.weights.bin': dec.weights, 'autoencoder.json': JSON.stringify(index) };
  }

  /**
   * Writes the folder `dir` (created if missing): both weight files, then autoencoder.json (spec, training record,
   * topologies and weight manifests), each atomically, so an interrupted save never leaves an index that points at
   * missing weights. A file-system error the user can fix (permissions, a full disk) rejects with a UserError that
   * names the file.
   */
  async save(dir: string): Promise<void> {
    const { join } = requireNodeBuiltin('node:path', 'saving a model');
    // In files()' order: the index is written last, so a folder with an index is complete.
    for (const [name, content] of Object.entries(await this.files())) await writeFileAtomic(join(dir, name), content);
  }

  /**
   * Loads a folder written by save(). Everything a user can get wrong (a missing or damaged file, a folder
   * of another program, weights that do not fit the saved topology) is a UserError naming the file and
   * what was expected.
   */
  static async load(dir: string): Promise<TrainedAutoencoder> {
    const { join } = requireNodeBuiltin('node:path', 'loading a model');
    return TrainedAutoencoder.fromFiles(
      (name) => readModelFile(join(dir, name)),
      (name) => join(dir, name),
    );
  }

  /**
   * Loads the files save() writes, each read by `read` (a browser: files the user picked); `pathOf` names a
   * file in the errors. The same checks as load().
   */
  static async fromFiles(
    read: (name: keyof ModelFiles) => Promise<Uint8Array>,
    pathOf: (name: string) => string = (name) => name,
  ): Promise<TrainedAutoencoder> {
    // Library use: the models are built on the project's backend, not on the one tfjs would fall back to.
    await initBackend();
    const indexPath = pathOf('autoencoder.json');
    const index = parseIndex(indexPath, new TextDecoder().decode(await read('autoencoder.json')));
    const encoder = await modelFrom(index.encoder, checkWeights(pathOf('encoder.weights.bin'), await read('encoder.weights.bin'), index.encoder), indexPath);
    const decoder = await modelFrom(index.decoder, checkWeights(pathOf('decoder.weights.bin'), await read('decoder.weights.bin'), index.decoder), indexPath);
    // The saved power weight already holds the calibration.
    return new TrainedAutoencoder(upgradeSpec(index.spec), encoder, decoder, index.training, false);
  }

  /** Frees the tensors of both models; the object cannot be used afterwards. */
  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }
}

interface SavedIndex {
  format: string;
  spec: AutoencoderSpec;
  training: TrainingRecord;
  encoder: SavedModel;
  decoder: SavedModel;
}

/** The files of a saved model folder. */
export interface ModelFiles {
  'encoder.weights.bin': Uint8Array;
  'decoder.weights.bin': Uint8Array;
  'autoencoder.json': string;
}

async function readModelFile(file: string): Promise<Uint8Array> {
  const { readFile } = requireNodeBuiltin('node:fs/promises', 'loading a model');
  try {
    return new Uint8Array(await readFile(file));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UserError(e.code === 'ENOENT' ? modelMsg.missingFile(file) : modelMsg.unreadable(file, e.message));
  }
}

const isSavedModel = (v: unknown): v is SavedModel => isObj(v) && isObj(v.modelTopology) && Array.isArray(v.weightSpecs);

/** autoencoder.json: JSON, our format tag, and the fields load() needs. */
function parseIndex(file: string, text: string): SavedIndex {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(modelMsg.notJson(file, (err as Error).message));
  }
  if (!isObj(data) || data.format !== FORMAT) throw new UserError(modelMsg.wrongFormat(file, FORMAT, isObj(data) ? data.format : data));
  const missing = (['spec', 'training', 'encoder', 'decoder'] as const).filter((k) => !isObj(data[k]));
  if (!isSavedModel(data.encoder) && !missing.includes('encoder')) missing.push('encoder');
  if (!isSavedModel(data.decoder) && !missing.includes('decoder')) missing.push('decoder');
  if (missing.length) throw new UserError(modelMsg.incomplete(file, missing));
  return data as unknown as SavedIndex;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** A weight file, checked against the byte count its manifest implies (a truncated file fails here, by name). */
function checkWeights(file: string, bytes: Uint8Array, saved: SavedModel): Uint8Array {
  const expected = saved.weightSpecs.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[w.dtype ?? 'float32'] ?? 4), 0);
  if (bytes.byteLength !== expected) throw new UserError(modelMsg.weightSize(file, bytes.byteLength, expected));
  // A file of the right size may still hold NaN or ±Infinity (a diverged training, a damaged copy): such an
  // encoder gives a codebook of NaN and BLER at chance, reported as a result; refused here, by name.
  let offset = 0;
  for (const w of saved.weightSpecs) {
    const count = w.shape.reduce((a, b) => a * b, 1);
    const width = DTYPE_BYTES[w.dtype ?? 'float32'] ?? 4;
    if ((w.dtype ?? 'float32') === 'float32') {
      const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + count * width));
      const bad = values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new UserError(modelMsg.nonFinite(file, w.name, bad, values[bad]));
    }
    offset += count * width;
  }
  return bytes;
}

/** Models saved before the hidden-layer option was renamed wrote `normalization: 'layer'` for `layerNorm: true`. */
function upgradeSpec(spec: AutoencoderSpec): AutoencoderSpec {
  type OldLayer = HiddenLayerSpec & { normalization?: 'none' | 'layer' };
  const upgrade = (layers?: OldLayer[]): HiddenLayerSpec[] | undefined =>
    layers?.map(({ normalization, ...l }) => (normalization === undefined ? l : { ...l, layerNorm: normalization === 'layer' }));
  return { ...spec, encoder: upgrade(spec.encoder), decoder: upgrade(spec.decoder) };
}
