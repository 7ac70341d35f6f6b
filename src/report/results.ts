/**
 * results.json: everything a run measured, with the scenario it ran (defaults filled in), so a report can
 * be re-rendered (`sim report`) or shards merged (`sim merge`) without simulating again.
 */
import { readFile } from 'node:fs/promises';
import type { ChannelSpec } from '../../channels/types.ts';
import type { TrainingRecord } from '../autoencoder/trained.ts';
import type { Signalling } from '../conventions.ts';
import type { PointResult } from '../montecarlo/types.ts';
import { resultsMsg } from '../messages.ts';
import type { CompiledScenario, PowerMode } from '../scenario/compile.ts';

export const RESULTS_FORMAT = 1;

/** The trainer's record as results.json keeps it (older files may lack `extensions`). */
export type TrainingSummary = Pick<
  TrainingRecord,
  'steps' | 'loss' | 'accuracy' | 'finalAccuracy' | 'seconds' | 'ebnoDb' | 'restarts' | 'restartReasons'
> &
  Partial<Pick<TrainingRecord, 'extensions'>> & {
    /** Where the model came from: trained in this run, or loaded (--models / --resume). */
    source?: 'trained' | 'loaded';
  };

export interface Curve {
  id: string;
  label: string;
  type: 'autoencoder' | 'autoencoder-ml' | 'hamming74' | 'uncoded';
  k: number;
  n: number;
  rate: number;
  signalling: Signalling;
  /** Power constraint of autoencoders (and their -ml curves); absent for classical systems. */
  normalization?: PowerMode;
  channel: ChannelSpec;
  points: PointResult[];
  /** Closed-form BLER where one exists. */
  analytic?: { ebnoDb: number; bler: number }[];
  /** Autoencoders: M rows of n reals (real signalling) or of n [I, Q] pairs (complex signalling). */
  codebook?: number[][] | [number, number][][];
  training?: TrainingSummary;
  /** For `<id>-ml`: the autoencoder whose codebook is ML-decoded. */
  mlOf?: string;
  /** Eb/N0 (dB) where the measured curve reaches BLER 1e-3, 1e-4, 1e-5 (log-linear interpolation); null: not reached. */
  ebnoAtBler?: Record<'1e-3' | '1e-4' | '1e-5', number | null>;
}

export interface ResultsFile {
  format: number;
  scenario: CompiledScenario;
  seed: number | string;
  backend: string;
  versions: { node: string; tfjs: string; project: string };
  startedAt: string;
  seconds: number;
  quick: boolean;
  /** Set on shard files: which points this file simulated. */
  shard?: { index: number; count: number };
  /** False while a run is in progress or after an interruption. */
  complete: boolean;
  workers?: number;
  curves: Curve[];
  /** Gaps in dB (a − b; positive: a needs more Eb/N0) for the compared pairs at each BLER target. */
  gaps?: { a: string; b: string; target: '1e-3' | '1e-4' | '1e-5'; db: number | null; reason?: string }[];
}

/** Loose structural check of parsed JSON (enough to render it); returns the problems found. */
export function checkResults(data: unknown): string[] {
  const problems: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObj(data)) return ['the top level is not a JSON object'];
  if (!isObj(data.scenario) || typeof data.scenario.name !== 'string') problems.push('scenario: missing or without a name');
  if (isObj(data.scenario) && (!isObj(data.scenario.sweep) || !Array.isArray(data.scenario.sweep.ebnoDb)))
    problems.push('scenario.sweep.ebnoDb: missing (not a compiled scenario)');
  if (!Array.isArray(data.curves)) problems.push('curves: missing or not a list');
  else
    data.curves.forEach((c, i) => {
      if (!isObj(c)) return problems.push(`curves[${i}]: not an object`);
      if (typeof c.id !== 'string') problems.push(`curves[${i}].id: missing`);
      if (typeof c.k !== 'number' || typeof c.n !== 'number') problems.push(`curves[${i}]: k and n must be numbers`);
      if (!Array.isArray(c.points)) problems.push(`curves[${i}].points: missing or not a list`);
      else
        c.points.forEach((p, j) => {
          if (!isObj(p) || typeof p.ebnoDb !== 'number' || typeof p.bler !== 'number' || typeof p.status !== 'string')
            problems.push(`curves[${i}].points[${j}]: needs ebnoDb, bler and status`);
        });
    });
  return problems.slice(0, 20);
}

export async function readResults(file: string): Promise<ResultsFile> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(resultsMsg.unreadable(file, err.code === 'ENOENT' ? 'no such file' : err.message));
  }
  const problems = checkResults(data);
  if (problems.length) throw new Error(resultsMsg.invalid(file, problems));
  const r = data as ResultsFile;
  // Tolerate files from before optional fields existed.
  r.versions ??= { node: '?', tfjs: '?', project: '?' };
  r.backend ??= '?';
  r.seed ??= r.scenario.seed;
  r.quick ??= false;
  r.complete ??= true;
  return r;
}

/** Points that carry a measurement (final status). */
export const isFinished = (p: PointResult): boolean => p.status === 'target-errors' || p.status === 'max-blocks';
