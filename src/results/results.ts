/**
 * results.json: everything a run measured, with the scenario it ran (defaults filled in), so a report can
 * be re-rendered (`sim report`) or shards merged (`sim merge`) without simulating again. The contract between
 * the run that writes it, the analysis that annotates it and the report that renders it, below all three.
 */
import { isObj } from '../data/is-object.ts';
import { readFile } from 'node:fs/promises';
import type { RtnExamples } from '../autoencoder/rtn-examples.ts';
import type { ChannelSpec } from '../channels/registry.ts';
import type { TrainingSummary } from '../systems/records.ts';
import type { CurveType } from '../systems/registry.ts';
import type { Signalling } from '../conventions.ts';
import type { PointResult } from '../montecarlo/types.ts';
import { UserError } from '../errors.ts';
import { CLAIM_VERDICTS, isFinalStatus, POINT_STATUSES, type BerTarget, type BlerTarget, type ClaimVerdict, type PointReason } from '../vocabulary.ts';
import { resultsMsg } from '../messages.ts';
import { pointCountProblems } from './check-points.ts';
import type { CompiledAutoencoder, CompiledScenario, PowerMode } from '../scenario/compiled.ts';

/**
 * The format version written into every results.json. Readers accept this one and upgrade older ones
 * (upgradeResults); a newer version is refused with a clear message (it was written by a newer simulator).
 * 2: point `reason` codes, codebooks as rows of real values (complex: interleaved I, Q), training Eb/N0 as
 *    a number or { from, to }, hidden layers with `layerNorm`.
 * 3: findings carry `verdict` (PASS, FAIL, INCONCLUSIVE, reported: decided by the figure's interval) and
 *    `interval` instead of `pass` (true, false, null: decided by the point estimate).
 */
export const RESULTS_FORMAT = 3;

export type { TrainingSummary } from '../systems/records.ts';

/** The uncertainty of an Eb/N0 at target: [low, high] dB (null: open on that side) and the errors it rests on. */
export interface EbnoInterval {
  low: number | null;
  high: number | null;
  /** Fewest block errors of the points it was interpolated between. */
  errors: number;
  /** errors < the few-errors threshold (DEFAULTS.analysis.fewErrors). */
  fewErrors: boolean;
}

/** The uncertainty of a gap: [low, high] dB from the crossings' intervals, and the fewest errors of both. */
export interface GapInterval {
  low: number | null;
  high: number | null;
  errors: number;
  fewErrors: boolean;
}

/**
 * One curve of a run: a system's (or a closed form's) measured points against Eb/N0 (dB), with what defines it (k, n,
 * rate k/n, signalling, power constraint, channel, decoder), its closed forms, and for autoencoders the learned
 * codebook and training summary; annotateResults adds the crossings and the codebook's geometry.
 */
export interface Curve {
  id: string;
  label: string;
  /** Which of its system kind's curves it is (src/systems/: `autoencoder`, `autoencoder-ml`, `two-user`, …). */
  type: CurveType;
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
  /** Closed-form BER where one exists (src/baselines/analytic-ber.ts). */
  analyticBer?: { ebnoDb: number; ber: number }[];
  /**
   * How the bits of a message are labelled for its BER: `natural` (message m carries the bits of m; uncoded
   * modulations are Gray-mapped and Hamming (7,4) is systematic under it), `searched` (a labelling search,
   * src/autoencoder/labelling.ts: `labels` holds it) or `learned` (a bit-wise autoencoder's decoder outputs bits).
   */
  labelling?: 'natural' | 'searched' | 'learned';
  /** For `searched`: the bit label of each message. */
  labels?: number[];
  /** For `searched`: where the search ran and what it achieved (union-bound BER of the natural start and of the result). */
  labellingSearch?: { ebnoDb: number; startCost: number; cost: number; swaps: number };
  /** Autoencoders: M rows of the codeword's real values (complex signalling: interleaved I, Q, I, Q, …). */
  codebook?: number[][];
  training?: TrainingSummary;
  /** Autoencoders with an RTN receiver: what its estimator learned (src/autoencoder/rtn-examples.ts). */
  rtn?: RtnExamples;
  /** The decoder that measured the curve (src/decoders/): kind, description, multiply-adds (or comparisons) per block. */
  decoder?: { kind: string; description: string; costPerBlock: number };
  /** For `<id>-ml`: the autoencoder whose codebook is ML-decoded. */
  mlOf?: string;
  /** Two-user curves (`<id>-u1`, `<id>-u2`, their `-ml`): the two-user system's id and the receiver measured. */
  twoUser?: { of: string; user: 1 | 2; crossGain: number; alpha: 'dynamic' | number };
  /** Two-user curves: the other user's codebook (the one interfering), rows as `codebook`. */
  otherCodebook?: number[][];
  /** Two-user training: the weight α and both users' losses per logged step (the same `steps` as `training`). */
  twoUserTraining?: { alpha: number[]; loss1: number[]; loss2: number[] };
  /** For `<id>-searched`: the autoencoder measured again under its searched labelling (`labels`). */
  labelledOf?: string;
  /** Eb/N0 (dB) where the measured curve reaches BLER 1e-3, 1e-4, 1e-5 (log-linear interpolation); null: not reached. */
  ebnoAtBler?: Record<BlerTarget, number | null>;
  /** The same for the closed form (`analytic`), where the curve has one. Written by annotateResults. */
  analyticEbnoAtBler?: Record<BlerTarget, number | null>;
  /**
   * The interval of each `ebnoAtBler` value (src/analysis/gaps.ts crossingInterval: the crossings of the curves
   * of the points' 95% interval ends) and the fewest errors it rests on; null where there is no crossing.
   */
  ebnoAtBlerCi?: Record<BlerTarget, EbnoInterval | null>;
  /** Eb/N0 (dB) where the measured BER reaches 1e-3 … 1e-6 (as ebnoAtBler, on the BER points); written by annotateResults. */
  ebnoAtBer?: Record<BerTarget, number | null>;
  /** The same for the closed-form BER (`analyticBer`). */
  analyticEbnoAtBer?: Record<BerTarget, number | null>;
  /** The interval of each `ebnoAtBer` (from the points' BER intervals); `errors` counts bit errors here. */
  ebnoAtBerCi?: Record<BerTarget, EbnoInterval | null>;
  /** Geometry of the learned codebook, energy-normalized (src/analysis/geometry.ts). Written by annotateResults. */
  geometry?: CodebookGeometry;
}

/** Geometry of a learned codebook, energy-normalized (computed by src/analysis/geometry.ts). */
export interface CodebookGeometry {
  /** The mean ‖x‖² the codebook was scaled to (its n). */
  normalizedTo: number;
  /** Smallest squared Euclidean distance between two codewords, after scaling. */
  d2min: number;
  /** Neighbours at squared distance ≤ d²min · (1 + tolerance), averaged over the codewords … */
  kissingMean: number;
  /** … and the most any codeword has. */
  kissingMax: number;
  tolerance: number;
  /** A classical code of the same shape, for comparison (Hamming (7,4) as BPSK for a real (7,4) codebook). */
  reference?: { name: string; d2min: number; kissingMean: number; kissingMax: number };
}

/** One row of a claim check (src/analysis/claim-registry.ts): results.json `findings`, claims.json. */
export interface Claim {
  /** Stable key, e.g. "fig3a/ae-vs-hamming-ml@1e-4". */
  id: string;
  /** Scenario the claim is read from. */
  scenario: string;
  claim: string;
  /** The measured figure (dB, or a ratio), null when it could not be measured (e.g. target not reached). */
  measured: number | null;
  unit: 'dB' | 'ratio' | '';
  /**
   * The interval of the figure (src/analysis/verdict.ts): for a crossing or a gap at a BLER target, from the
   * points' 95% Clopper–Pearson intervals; null ends are open. Absent: the figure is exact (read from a
   * codebook) or was not measured.
   */
  interval?: { low: number | null; high: number | null };
  /** How the figure was measured (the crossings it rests on), or why it is missing. */
  measuredText: string;
  bound: string;
  /** PASS: the whole interval meets the bound; FAIL: none of it does; INCONCLUSIVE: it straddles the bound; `reported`: no bound. */
  verdict: ClaimVerdict;
  note?: string;
}

/**
 * A results.json: the compiled scenario the run measured (defaults filled in), its seed, backend and versions, when
 * it started and how long it took, whether it is quick, a shard or complete, and the curves; the analysis adds gaps
 * and findings. Read one with readResults, which checks it and upgrades older formats.
 */
export interface ResultsFile {
  format: number;
  scenario: CompiledScenario;
  seed: number | string;
  backend: string;
  /** Why that backend (src/backend.ts chooseBackend); absent in files written before it was recorded. */
  backendReason?: string;
  versions: { node: string; tfjs: string; project: string };
  startedAt: string;
  seconds: number;
  quick: boolean;
  /** Set on shard files: which points this file simulated. */
  shard?: { index: number; count: number };
  /** The budgets given on the command line (sim run --target-errors, --max-blocks, --ebno); `scenario` holds them applied. */
  overrides?: { targetErrors?: number; maxBlocks?: number; ebnoDb?: number[] };
  /** False while a run is in progress or after an interruption. */
  complete: boolean;
  workers?: number;
  curves: Curve[];
  /** Set (not enumerable) when read from an older format and upgraded in memory; never written. */
  upgradedFrom?: number;
  /** Gaps in dB (a − b; positive: a needs more Eb/N0) for the compared pairs at each BLER target. */
  gaps?: ({ a: string; b: string; target: BlerTarget; db: number | null; reason?: string } & Partial<GapInterval>)[];
  /** Rows of the claim checks the scenario lists under `claims` (src/analysis/claim-registry.ts); written by annotateResults. */
  findings?: Claim[];
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Structural check of parsed JSON (enough to render and analyze it); returns the problems found. */
export function checkResults(data: unknown): string[] {
  const problems: string[] = [];
  if (!isObj(data)) return ['the top level is not a JSON object'];
  if (!isObj(data.scenario) || typeof data.scenario.name !== 'string') problems.push('scenario: missing or without a name');
  if (isObj(data.scenario) && (!isObj(data.scenario.sweep) || !Array.isArray(data.scenario.sweep.ebnoDb)))
    problems.push('scenario.sweep.ebnoDb: missing (not a compiled scenario)');
  const maxBlocks = isObj(data.scenario) && isObj(data.scenario.montecarlo) ? data.scenario.montecarlo.maxBlocks : undefined;
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
          else if (!isCount(p.blocks) || !isCount(p.errors) || p.errors > p.blocks)
            problems.push(`curves[${i}].points[${j}]: expected whole counts with 0 ≤ errors ≤ blocks, found errors ${p.errors}, blocks ${p.blocks}`);
          else if (!(POINT_STATUSES as readonly string[]).includes(p.status))
            problems.push(`curves[${i}].points[${j}].status: expected one of ${POINT_STATUSES.join(', ')}, found ${JSON.stringify(p.status)}`);
          else problems.push(...pointCountProblems(p, `curves[${i}].points[${j}]`, c.k, maxBlocks));
        });
    });
  if (data.findings !== undefined) {
    if (!Array.isArray(data.findings)) problems.push('findings: not a list');
    else
      data.findings.forEach((f, i) => {
        if (!isObj(f)) return problems.push(`findings[${i}]: not an object`);
        const word = f.verdict;
        // Formats 1 and 2 wrote `pass` (true, false or null); upgradeResults maps it to a verdict.
        const oldWord = ((data.format as number) ?? 1) < 3 && word === undefined && (f.pass === true || f.pass === false || f.pass === null);
        if (!oldWord && !(CLAIM_VERDICTS as readonly unknown[]).includes(word))
          problems.push(`findings[${i}].verdict: expected one of ${CLAIM_VERDICTS.join(', ')}, found ${JSON.stringify(word)}`);
      });
  }
  return problems.slice(0, 20);
}

/**
 * Reads and checks a results.json, upgrading an older format in memory. A missing or unreadable file, invalid JSON, a
 * newer or unknown format, or content without what a report needs is a UserError naming the file and the problem.
 */
export async function readResults(file: string): Promise<ResultsFile> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UserError(resultsMsg.unreadable(file, err.code === 'ENOENT' ? 'no such file' : err.message));
  }
  return parseResults(data, file);
}

/** Checks parsed results.json content (any accepted format version) and returns it in the current format. */
export function parseResults(data: unknown, file: string): ResultsFile {
  if (isObj(data)) {
    const format = data.format ?? 1;
    if (typeof format !== 'number' || !Number.isInteger(format) || format < 1) throw new UserError(resultsMsg.badFormat(file, format, RESULTS_FORMAT));
    if (format > RESULTS_FORMAT) throw new UserError(resultsMsg.newerFormat(file, format, RESULTS_FORMAT));
  }
  const problems = checkResults(data);
  if (problems.length) throw new UserError(resultsMsg.invalid(file, problems));
  const r = upgradeResults(data as ResultsFile);
  // Tolerate files from before optional fields existed.
  r.versions ??= { node: '?', tfjs: '?', project: '?' };
  r.backend ??= '?';
  r.seed ??= r.scenario.seed;
  r.quick ??= false;
  r.complete ??= true;
  r.scenario.claims ??= [];
  r.scenario.compare ??= [];
  // Bit-error rules came later (off when absent), so a run from before them still resumes as the same run.
  if (r.scenario.montecarlo) {
    r.scenario.montecarlo.targetBitErrors ??= 0;
    r.scenario.montecarlo.minBer ??= 0;
  }
  for (const s of r.scenario.systems ?? []) {
    if (s.type !== 'autoencoder') continue;
    s.output ??= 'symbols';
    s.labelling ??= 'natural';
  }
  return r;
}

/** Points that carry a measurement (final status). */
export const isFinished = (p: PointResult): boolean => isFinalStatus(p.status);

/**
 * The one adapter from older results.json shapes to the current one (in place). Format 1 wrote complex
 * codebooks as rows of [I, Q] pairs, training ranges as [low, high], hidden layers with
 * `normalization: 'layer' | 'none'`, and said why a point was not finished only in its note.
 */
export function upgradeResults(r: ResultsFile): ResultsFile {
  const format = (r as { format?: number }).format ?? 1;
  if (format >= RESULTS_FORMAT) return r;
  if (format < 2) upgradeFromOne(r);
  for (const f of r.findings ?? []) upgradeFinding(f);
  r.format = RESULTS_FORMAT;
  // Not enumerable: JSON.stringify and object spreads (merge, compare) never write it back.
  Object.defineProperty(r, 'upgradedFrom', { value: format, enumerable: false });
  return r;
}

/**
 * Formats 1 and 2 judged a finding on its point estimate and wrote `pass`: true, false or null (reported). The
 * words map one to one (true → PASS, false → FAIL, null → reported) and the note says how the verdict was
 * reached; `sim report` re-judges the curves by their intervals when it annotates them again.
 */
function upgradeFinding(f: Claim): void {
  const old = f as Claim & { pass?: boolean | null };
  if (old.verdict !== undefined || !('pass' in old)) return;
  old.verdict = old.pass === true ? 'PASS' : old.pass === false ? 'FAIL' : 'reported';
  if (old.pass !== null) old.note = [old.note, resultsMsg.pointEstimateVerdict].filter(Boolean).join('; ');
  delete old.pass;
}

function upgradeFromOne(r: ResultsFile): void {
  for (const c of r.curves) {
    if (c.codebook) c.codebook = (c.codebook as unknown as (number | number[])[][]).map((row) => row.flat());
    const t = c.training as { ebnoDb?: unknown } | undefined;
    if (t && Array.isArray(t.ebnoDb)) t.ebnoDb = { from: t.ebnoDb[0], to: t.ebnoDb[1] };
    for (const p of c.points) if (!isFinalStatus(p.status) && p.reason === undefined) p.reason = reasonOfV1Note(p);
  }
  for (const s of r.scenario.systems ?? []) {
    if (s.type !== 'autoencoder') continue;
    // Format 1 trained every autoencoder for exactly `steps` steps at the Eb/N0 the scenario (or the default) gave.
    const t = s.train as Partial<CompiledAutoencoder['train']> & { ebnoDb: unknown };
    if (t && t.stop === undefined) Object.assign(t, { ebnoDbChoice: 'scenario', stop: 'fixed' });
    for (const layers of [s.encoder, s.decoder]) {
      for (const l of layers ?? []) {
        const old = l as typeof l & { normalization?: string };
        if (old.normalization !== undefined) {
          old.layerNorm = old.normalization === 'layer';
          delete old.normalization;
        }
      }
    }
  }
}

/** Format 1 kept the reason in the note's words (the only place that reads a note). */
function reasonOfV1Note(p: PointResult): PointReason {
  const note = p.note ?? '';
  if (p.status === 'interrupted') return /worker failed/.test(note) ? 'worker-failed' : 'interrupted';
  if (/not run yet/.test(note)) return 'not-run-yet';
  if (/any shard/.test(note)) return 'not-in-any-shard';
  if (/shard/.test(note)) return 'not-in-shard';
  if (/interrupted/.test(note)) return 'interrupted';
  if (/worker/.test(note)) return 'worker-failed';
  return 'sweep-stopped';
}
