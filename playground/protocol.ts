/** The messages between the page (main.ts) and its worker (worker.ts). */
import type { ModelFiles } from '../src/autoencoder/trained.ts';
import type { PointResult } from '../src/montecarlo/types.ts';
import type { TrainProgress } from '../src/autoencoder/train.ts';
import type { TrainingRecord } from '../src/training/record.ts';
import type { ChannelSpec } from '../src/channels/registry.ts';

export type FromPage =
  | { type: 'init'; backend: string }
  | { type: 'train'; yaml: string; quick: boolean; snapshotEvery: number; logEvery: number }
  | { type: 'pause' }
  | { type: 'continue' }
  | { type: 'abort' }
  | { type: 'sweep' }
  | { type: 'export' }
  | { type: 'import'; yaml: string; quick: boolean; files: Partial<Record<keyof ModelFiles, Uint8Array>> };

export type ToPage =
  | { type: 'ready'; backend: string; tfBackend: string }
  | { type: 'plan'; steps: number; ebnoDb: unknown; dims: number; M: number }
  | ({ type: 'progress'; seconds: number } & TrainProgress)
  | { type: 'codebook'; codebook: Float32Array; step: number }
  | { type: 'trained'; codebook: Float32Array; seconds: number; record: TrainingRecord }
  | { type: 'aborted' }
  | { type: 'closed'; curve: string; ebnoDb: number[]; bler: (number | null)[]; ber: (number | null)[] }
  | { type: 'point'; curve: string; index: number; point: PointResult }
  | { type: 'sweepDone' }
  | { type: 'files'; files: ModelFiles }
  | {
      type: 'imported';
      spec: { k: number; n: number; signalling: string; normalization: string; channel: ChannelSpec };
      codebook: Float32Array;
    }
  | { type: 'error'; message: string };
