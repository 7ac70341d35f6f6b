/**
 * Every user-facing error and log text of the command line, scenarios and reports, in one place, so wording
 * stays consistent and can be reviewed (or translated) without reading the code that emits it.
 */
import type { PointReason } from './vocabulary.ts';

// ---------------------------------------------------------------------------------------------------------
// Scenario validation
// ---------------------------------------------------------------------------------------------------------

export const scenarioMsg = {
  /** One problem: `file:line:col: path: expected …, found …`. */
  problem: (where: string, path: string, expected: string, found: string): string => `${where}: ${path}: expected ${expected}, found ${found}`,
  header: (file: string, count: number): string => `${file}: invalid scenario (${count} problem${count === 1 ? '' : 's'}):`,
  topLevel: '(top level)',
  unreadable: (file: string, reason: string): string => `${file}: cannot read the scenario file: ${reason}`,
  tooLarge: (file: string, bytes: number, limit: number): string =>
    `${file}: the scenario file is ${bytes.toLocaleString('en-US')} bytes; scenario files may be at most ${limit.toLocaleString('en-US')} bytes (${limit / 1024 / 1024} MiB)`,
  tooManyAliases: (file: string, limit: number): string =>
    `${file}: YAML aliases expand to too much data (more than ${limit} alias uses); write the values out or use fewer aliases`,
  syntax: (where: string, kind: 'YAML' | 'JSON', reason: string): string => `${where}: ${kind} syntax error: ${reason}`,
  notAnObject: 'a mapping of scenario fields (name, sweep, systems, ...)',
  missing: 'nothing (the field is missing)',
  unknownKeys: (keys: string[]): string => `unknown key${keys.length === 1 ? '' : 's'} ${keys.map((k) => JSON.stringify(k)).join(', ')}`,
  noUnknownKeys: (allowed: string[]): string => (allowed.length > 0 ? `one of the keys ${allowed.join(', ')}` : 'no other keys here'),
  duplicateId: (id: string, firstPath: string): string => `"${id}" again (already used by ${firstPath})`,
  uniqueId: 'a curve id not used by another system',
  searchedIdClash: (id: string, owner: string): string => `"${id}", the id of the searched-labelling curve of ${owner} (rename one)`,
  mlIdClash: (id: string, owner: string): string => `"${id}", the id of the ML-reference curve of ${owner} (rename one, or set mlReference: false in ${owner})`,
  maxK: 'k ≤ 16 (M = 2^k ≤ 65536 messages)',
  networkTooLarge: (limit: number): string =>
    `a network of at most ${limit.toLocaleString('en-US')} weights (${(limit * 4) / 2 ** 20} MiB per float32 copy; training holds several copies: the weights, ` +
    'the gradients, the optimizer state). The default layers grow as M² = 4^k: use a smaller k, or give smaller encoder and decoder layers',
  networkWeights: (k: number, weights: number): string =>
    `k = ${k}: a network of ${weights.toLocaleString('en-US')} weights (${((weights * 4) / 2 ** 30).toFixed(1)} GiB per copy)`,
  labellingSearchK: (max: number): string => `k ≤ ${max} for labelling: search (the search costs O(M³); M = 2^k ≤ ${2 ** max})`,
  labellingSearchBits: 'labelling: natural with output: bits (a bit-wise decoder decides the bits itself: its labelling is learned, not searched)',
  labellingEbnoWithoutSearch: 'labellingEbnoDb only with labelling: search',
  kMultiple: (modulation: string, bits: number): string => `a k that is a multiple of ${bits} (${modulation} carries ${bits} bits per symbol)`,
  fromTo: (from: number): string => `a value ≥ from (${from})`,
  stepPositive: 'a step > 0',
  distinctEbno: (first: number): string => `Eb/N0 values that differ (this one is already at position ${first}, sweep.ebnoDb[${first}])`,
  ebnoSorted: (file: string, sorted: number[]): string =>
    `warning: ${file}: sweep.ebnoDb is not in increasing order; measuring it sorted: [${sorted.join(', ')}] (the stopping rules end a curve at its first point past them)`,
  labelRepeated: (file: string, label: string): string =>
    `warning: ${file}: the label "${label}" is written for more than one system; their curves cannot be told apart in the legends (give each its own label)`,
  claimNeeds: (name: string, needs: string): string => `a claim that applies to this scenario's systems (${name} needs ${needs})`,
  claimMissing: (name: string): string => `${name}, but none of the systems it reads (it could only report "not measured"; add them or remove the claim)`,
  tooManyPoints: (count: number, max: number): string => `at most ${max} sweep points (this range gives ${count})`,
  compareKnown: (ids: string[]): string => `one of the curve ids ${ids.join(', ')}`,
  compareDistinct: 'two different curve ids',
  mlReferenceK: 'mlReference only for k ≤ 16',
  /** Importance sampling (src/montecarlo/importance.ts) is implemented for AWGN only. */
  importanceNotTwoUser: 'method: plain for a two-user system (its receivers see interference the importance-sampling proposal does not model)',
  importanceAwgnOnly: (channelPath: string, types: string) =>
    `method: plain for this system, or an ${types} channel (importance sampling is implemented for AWGN only, additive Gaussian noise with no gain; the channel comes from ${channelPath})`,
} as const;

// ---------------------------------------------------------------------------------------------------------
// Results files
// ---------------------------------------------------------------------------------------------------------

export const resultsMsg = {
  invalid: (file: string, problems: string[]): string => `${file}: not a results file of this simulator:\n  ${problems.join('\n  ')}`,
  unreadable: (file: string, reason: string): string => `${file}: cannot read: ${reason}`,
  badFormat: (file: string, found: unknown, current: number): string =>
    `${file}: field "format": expected a results format version (1 … ${current}), found ${JSON.stringify(found)}`,
  newerFormat: (file: string, found: number, current: number): string =>
    `${file}: results format ${found} was written by a newer version of this simulator (this one reads formats 1 … ${current}); update the simulator to read it`,
  pointEstimateVerdict: 'verdict of an older version of the simulator, judged on the point estimate and not on its interval',
  noShards: (dir: string): string => `${dir}: no results.shard-*-of-*.json files to merge`,
  shardMismatch: (file: string, what: string): string =>
    `${file}: this shard does not belong with the others (${what} differs); shards must come from the same scenario, seed, --quick setting and simulator version`,
  shardCountMismatch: (dir: string, found: number[], total: number): string =>
    `${dir}: found shards ${found.join(', ')} of ${total}; all ${total} are needed to merge`,
  shardChunksDisagree: (dir: string, id: string, detail: string): string =>
    `${dir}: curve ${id}: the shards disagree (${detail}); they did not measure the same system (run every shard with the same --models and the same version of the simulator)`,
  shardCodebookMismatch: (id: string): string =>
    `autoencoder ${id} has a different codebook in different shards (each shard trained its own model). ` +
    `Train once, then run every shard with --models <run>/models so all shards measure the same model.`,
} as const;

// ---------------------------------------------------------------------------------------------------------
// Saved models (autoencoder folders)
// ---------------------------------------------------------------------------------------------------------

const MODEL_FOLDER = 'a model folder written by sim run (autoencoder.json, encoder.weights.bin, decoder.weights.bin)';

export const modelMsg = {
  missingFile: (file: string): string => `${file}: no such file; expected ${MODEL_FOLDER}`,
  unreadable: (file: string, reason: string): string => `${file}: cannot read the saved model: ${reason}`,
  notJson: (file: string, reason: string): string => `${file}: not valid JSON (${reason}); expected the autoencoder.json of ${MODEL_FOLDER}`,
  wrongFormat: (file: string, expected: string, found: unknown): string =>
    `${file}: field "format": expected "${expected}", found ${JSON.stringify(found) ?? 'nothing'} (not a saved autoencoder of this simulator)`,
  incomplete: (file: string, fields: string[]): string =>
    `${file}: a saved autoencoder needs the fields ${fields.join(', ')} (missing or malformed); the file is damaged`,
  weightSize: (file: string, found: number, expected: number): string =>
    `${file}: ${found.toLocaleString('en-US')} bytes, expected ${expected.toLocaleString('en-US')} (the weights autoencoder.json describes); the file is truncated or from another model`,
  nonFinite: (file: string, weight: string, index: number, value: number): string =>
    `${file}: weight ${weight}[${index}] is ${value}; expected finite numbers (the model diverged in training or the file is damaged: train it again)`,
  topology: (file: string, reason: string): string => `${file}: the saved weights do not fit the saved model topology (${reason})`,
} as const;

// ---------------------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------------------

/** The job-array variables of the environment, for messages. */
const arrayVars = (env: NodeJS.ProcessEnv): string =>
  ['SLURM_ARRAY_TASK_ID', 'SLURM_ARRAY_TASK_MIN', 'SLURM_ARRAY_TASK_MAX', 'SLURM_ARRAY_TASK_STEP', 'SLURM_ARRAY_TASK_COUNT', 'JOB_COMPLETION_INDEX']
    .filter((k) => env[k] !== undefined)
    .map((k) => `${k}=${env[k]}`)
    .join(', ') || 'none set';

export const cliMsg = {
  valid: (file: string, name: string, curves: number, points: number): string =>
    `${file}: ok (${name}: ${curves} curve${curves === 1 ? '' : 's'}, ${points} Eb/N0 point${points === 1 ? '' : 's'})`,
  badShard: (value: string): string => `--shard ${value}: expected i/N with 1 ≤ i ≤ N (e.g. --shard 2/4), or auto (from a job array's environment)`,
  shardEnvMissing:
    '--shard auto: no job-array variables in the environment (SLURM_ARRAY_TASK_ID for a Slurm job array, JOB_COMPLETION_INDEX for a Kubernetes Indexed Job); give the shard as --shard i/N',
  shardEnvBad: (what: string, env: NodeJS.ProcessEnv): string => `--shard auto: ${what} is missing or not a whole number in range (${arrayVars(env)})`,
  shardEnvGaps: (env: NodeJS.ProcessEnv): string =>
    `--shard auto: this job array is not one evenly spaced range (${arrayVars(env)}), so a task has no shard position; submit it as --array=1-N (sim slurm does)`,
  shardCountDisagrees: (given: number, found: number): string => `--shard-count ${given}: the job array has ${found} tasks`,
  shardCountNeeded: "--shard auto with JOB_COMPLETION_INDEX (Kubernetes Indexed Job) needs --shard-count N (the Job's completions)",
  shardCountWithoutAuto: '--shard-count only goes with --shard auto',
  trainOnlyWithShard: '--train-only and --shard cannot be combined (train once, then run the shards with --models)',
  badCount: (option: string, value: string): string => `${option} ${value}: expected a whole number ≥ 1`,
  mergeIncomplete: (dir: string, points: number, command: string): string =>
    `${dir}: ${points} point${points === 1 ? '' : 's'} left short by the shards' plans (the chunks counted so far are kept); complete ${points === 1 ? 'it' : 'them'} with: ${command}`,
  badWorkers: (value: string): string => `--workers ${value}: expected a whole number ≥ 1`,
  workersCapped: (requested: number, cores: number): string =>
    `--workers ${requested}: this machine has ${cores} core${cores === 1 ? '' : 's'}; using ${cores} worker${cores === 1 ? '' : 's'} (more threads than cores only cost memory)`,
  badEbno: (value: string, why: string): string =>
    `--ebno ${value}: expected FROM:TO:STEP (e.g. 0:10:0.5) or a list of values separated by commas (e.g. 0,2,4); ${why}`,
  overridesDiffer: (previous: string, now: string): string =>
    `--resume: the run was made with the budgets ${previous} from the command line, this command gives ${now}; give the same --target-errors, --max-blocks and --ebno to continue it, or start over with --force`,
  badSeed: (value: string): string => `--seed ${value}: expected an integer or a string`,
  cannotWrite: (file: string, why: string): string => `${file}: cannot write it (${why}); the output must go to a writable folder with free space`,
  runLocked: (dir: string, file: string, pid: number | undefined, host: string | undefined, since: string | undefined, sameHost: boolean): string =>
    `${dir}: another sim run is writing this folder` +
    (pid !== undefined ? ` (process ${pid} on ${host}, since ${since})` : '') +
    `; wait for it to finish or use another --out` +
    (sameHost ? '' : ` (if that run is gone, delete ${file})`),
  staleLock: (file: string, pid: number | undefined, host: string | undefined): string =>
    `note: ${file} was left by a run that is gone${pid !== undefined ? ` (process ${pid} on ${host})` : ' (unreadable)'}; taking it over`,
  damagedResults: (file: string, why: string): string =>
    `${file} exists but cannot be read as results (${why}); not replacing it: move it away, or use another --out, or --force to replace it`,
  resumeWithShard: '--resume and --shard cannot be combined (re-run an interrupted shard without --resume: its points are measured again)',
  backend: (name: string, reason: string): string => `backend: ${name} (${reason})`,
  runStart: (name: string, dir: string, quick: boolean): string => `scenario ${name}${quick ? ' (QUICK RUN)' : ''} → ${dir}`,
  training: (id: string, steps: number, ebno: string): string => `training ${id}: ${steps} steps at Eb/N0 ${ebno} dB`,
  trainingProgress: (
    id: string,
    step: number,
    steps: number,
    loss: number,
    accuracy: number,
    left?: string,
    validation?: { loss: number; bler: number },
  ): string =>
    `training ${id}: step ${step}/${steps} loss ${loss.toFixed(4)} accuracy ${(accuracy * 100).toFixed(2)}%` +
    (validation ? `, validation loss ${validation.loss.toFixed(4)} BLER ${validation.bler.toExponential(2)}` : '') +
    (left ? `, ${left} left` : ''),
  /** The training bar's text after the step count. */
  trainBarInfo: (loss: number, accuracy: number, left?: string, validation?: { loss: number; bler: number }): string =>
    `loss ${loss.toFixed(4)} acc ${(accuracy * 100).toFixed(1)}%` +
    (validation ? ` · val loss ${validation.loss.toFixed(4)} BLER ${validation.bler.toExponential(1)}` : '') +
    (left ? ` · ${left} left` : ''),
  /** Appended to the sweep bar's text: time left of the point and of the curve's sweep (src/run/eta.ts). */
  sweepBarEta: (point: string, sweep?: string): string => ` · point ${point}${sweep ? `, sweep ${sweep}` : ''}`,
  /** Appended to a finished point's line when the curve's sweep goes on. */
  sweepLeft: (points: number, eta: string): string => `; ${points} more point${points === 1 ? '' : 's'} on this curve: ${eta}`,
  trained: (id: string, seconds: number, accuracy: number, restarts: number, extensions = 0, refinement?: { steps: number; ebnoDb: number }): string =>
    `trained ${id} in ${seconds.toFixed(1)} s, final accuracy ${(accuracy * 100).toFixed(2)}%` +
    (refinement ? `, decoder refined ${refinement.steps} steps at ${refinement.ebnoDb} dB` : '') +
    (restarts > 0 ? `, ${restarts} restart${restarts === 1 ? '' : 's'}` : '') +
    (extensions > 0 ? `, ${extensions} extension${extensions === 1 ? '' : 's'} (the decoder lagged ML decoding of its own codebook)` : ''),
  trainingFailed: (id: string, reasons: string[], suspects: string[]): string =>
    `training ${id} failed: ${reasons.join('; ')}.\n` +
    (suspects.length
      ? `  likely responsible (system ${id}): ${suspects.join('; ')}`
      : `  no training setting of ${id} is out of the usual range; try another seed, a smaller train.learningRate or a higher train.ebnoDb`),
  partialReport: (file: string): string => `the report of what was measured: ${file}`,
  decoderMayLag: (id: string, extensions: number): string =>
    `warning: ${id}: the learned decoder still lagged ML decoding of its own codebook after ${extensions} extensions of training; ` +
    `compare the ${id} and ${id}-ml curves (the gap comes from the decoder, not the code)`,
  decoderLags: (id: string, mlId: string, ebnoDb: number, ratio: number): string =>
    `warning: ${id} ends far from ML decoding of its own codebook: at ${ebnoDb} dB its BLER is ${ratio.toFixed(1)}× that of ${mlId} ` +
    `(95% intervals apart); train longer or at another Eb/N0`,
  modelLoaded: (id: string, dir: string): string => `loaded model ${id} from ${dir}`,
  modelMissing: (id: string, dir: string, runFolder = false): string =>
    `--models: no saved model for ${id} in ${dir}` +
    (runFolder ? ` (${dir} is a run folder: its models are in --models ${dir.replace(/[\\/]+$/, '')}/models)` : ''),
  modelMismatch: (id: string, dir: string, what: string): string => `--models: the saved model ${id} in ${dir} does not match the scenario (${what})`,
  sweepStart: (id: string, points: number): string => `measuring ${id}: ${points} Eb/N0 point${points === 1 ? '' : 's'}`,
  pointDone: (id: string, ebno: number, blocks: number, errors: number, bler: number, status: string, ber?: number): string =>
    `${id} @ ${ebno} dB: ${errors} errors in ${blocks} blocks, BLER ${bler.toExponential(3)}${ber === undefined ? '' : `, BER ${ber.toExponential(3)}`} (${status})`,
  /** An importance-sampled point (src/montecarlo/importance.ts): the weighted estimate, its precision and diagnostics. */
  isPointDone: (
    id: string,
    r: {
      ebnoDb: number;
      blocks: number;
      bler: number;
      ber?: number;
      status: string;
      importance?: { relativeHalfWidth: number; ess: number; trusted: boolean; why?: string };
    },
  ): string =>
    `${id} @ ${r.ebnoDb} dB: BLER ${r.bler.toExponential(3)} ± ${r.importance ? (100 * r.importance.relativeHalfWidth).toFixed(1) : '?'}%` +
    `${r.ber === undefined ? '' : `, BER ${r.ber.toExponential(3)}`} by importance sampling (${r.blocks} samples, ESS ${r.importance?.ess.toFixed(0) ?? '?'}; ${r.status})` +
    (r.importance && !r.importance.trusted ? ` — NOT TRUSTED: ${r.importance.why}` : ''),
  pointKept: (id: string, count: number): string => `${id}: kept ${count} finished point${count === 1 ? '' : 's'} from the previous run`,
  interrupted: 'interrupted: stopping after the current chunk and saving (press Ctrl-C again after a moment to quit at once, without saving)',
  quitNow: 'interrupted twice: quitting without saving the running point',
  interruptedSaved: (file: string, command: string): string => `interrupted: finished points saved to ${file}; continue with: ${command}`,
  sameScenarioName: (name: string, files: string[], out: string): string =>
    `${files.join(' and ')} are both scenario "${name}": their runs would write the same folder ${out}/${name}; give each its own name, or run them with different --out`,
  resumeNothing: (file: string): string => `--resume: no previous results at ${file}; starting from scratch`,
  /** One message for --resume and a plain run alike: the way out is the same (a different run can be neither continued nor silently replaced). */
  differentRun: (file: string, what: string): string =>
    `${file} holds measured points of a different run (${what}): it cannot be continued and is not replaced without --force; start over with --force (without --resume), or use another --out`,
  /** The same run written by another version: a plain run replaces it (a re-run after an upgrade is that run). */
  resumeOtherVersion: (file: string, what: string): string =>
    `--resume: ${file} holds this run ${what}; its chunks cannot be continued: run without --resume to measure it again (the file is replaced), or use another --out`,
  compareNeedsTwo: 'sim compare: give at least two runs (run folders or results.json files)',
  compareNoResults: (dir: string): string => `${dir}: no results.json in this folder (expected a run folder written by sim run, or a results.json file)`,
  compareBadNames: (names: string[], runs: number): string =>
    `--names ${names.join(',')}: expected ${runs} different names of letters, digits, "-" and "_", one per run, separated by commas`,
  compareDescription: (runs: { name: string; scenario: string; seed: number | string; file: string; quick: boolean }[], differentRules?: string[]): string =>
    `Comparison of ${runs.length} runs: ` +
    runs.map((r) => `${r.name} = ${r.scenario}, seed ${r.seed}${r.quick ? ', QUICK RUN' : ''} (${r.file})`).join('; ') +
    `. Curve ids and labels are prefixed by the run; gaps compare each run's curves with the same curve of ${runs[0]?.name ?? 'the first run'}.` +
    (differentRules ? ` The runs used different stopping rules (the table below shows the first run's): ${differentRules.join('; ')}.` : ''),
  wrote: (file: string): string => `wrote ${file}`,
  done: (name: string, seconds: number): string => `done: ${name} in ${seconds.toFixed(1)} s`,
  unknownScenario: (name: string, known: string[]): string => `no scenario file ${name} (shipped scenarios: ${known.join(', ')})`,
  schemaWritten: (file: string): string => `wrote ${file}`,
  schemaStale: (file: string): string => `${file} is out of date: run npm run schema`,
  internalError: (where: string): string =>
    `This is a bug of the simulator, not something you did wrong. Please report it at ${where} with the command you ran, the scenario file and the output above.`,
  missingModule: (what: string): string => `${what} is not available in this checkout yet (its module failed to load)`,
} as const;

// ---------------------------------------------------------------------------------------------------------
// Report texts
// ---------------------------------------------------------------------------------------------------------

/** A missing curve as the report's banner names it (src/report/completeness.ts computes these). */
export interface IncompleteCurve {
  label: string;
  finished: number;
  total: number;
  missing: Partial<Record<PointReason, number>>;
}

/** Why points are missing, after their count ("3 interrupted"). */
const POINT_REASON_WORDS: Record<PointReason, string> = {
  'not-run-yet': 'not run yet',
  'not-in-shard': 'in other shards',
  'not-in-any-shard': 'in no shard',
  'sweep-stopped': 'after the sweep stopped',
  interrupted: 'interrupted',
  'worker-failed': 'lost to a failed worker',
  'shard-part': 'in part here, in part in other shards',
  'shards-short': 'left short by the shards',
};

export const reportMsg = {
  quickBanner: (details: string): string => `QUICK RUN — budgets scaled down for a smoke test (${details}). Curves are rough; do not use them for conclusions.`,
  /**
   * What an incomplete run is missing, curve by curve (src/report/completeness.ts): curves never simulated,
   * curves that stopped part way and why, points left to other shards.
   */
  incompleteBanner: (curves: readonly IncompleteCurve[]): string => {
    const quote = (c: IncompleteCurve) => `"${c.label}"`;
    const only = (c: IncompleteCurve, reasons: PointReason[]) => Object.keys(c.missing).every((r) => reasons.includes(r as PointReason));
    const shardOnly = (c: IncompleteCurve) => only(c, ['not-in-shard', 'not-in-any-shard', 'shard-part']);
    const never = curves.filter((c) => c.finished === 0 && only(c, ['not-run-yet']));
    const parts: string[] = [];
    if (never.length)
      parts.push(`${never.length === 1 ? 'curve' : 'curves'} ${never.map(quote).join(', ')} ${never.length === 1 ? 'was' : 'were'} not simulated`);
    for (const c of curves) {
      if (never.includes(c)) continue;
      const why = (Object.entries(c.missing) as [PointReason, number][]).map(([r, k]) => `${k} ${POINT_REASON_WORDS[r]}`).join(', ');
      parts.push(
        shardOnly(c)
          ? `curve ${quote(c)} has ${c.finished} of ${c.total} points here (${why})`
          : `curve ${quote(c)} stopped after ${c.finished} of ${c.total} points (${why})`,
      );
    }
    const shards = curves.length > 0 && curves.every(shardOnly);
    return `INCOMPLETE RUN — ${parts.length ? parts.join('; ') : 'the run did not finish'}. ${shards ? 'Merge the shards with sim merge.' : 'Resume with sim run … --resume.'}`;
  },
  blerCaption: (decades: number, db: number): string =>
    'Block error rate against Eb/N0. Measured curves: thin lines with markers and 95% Clopper–Pearson error bars (learned ' +
    'autoencoders solid with circles, ML decoding of a learned codebook dotted with diamonds, classical baselines dash-dot with squares). ' +
    'Closed-form results, where they exist: wide pale lines without markers, drawn over the measured range plus a margin ' +
    `(${decades} decade${decades === 1 ? '' : 's'} below the lowest measured BLER, ${db} dB beyond the last measured Eb/N0).`,
  berCaption:
    'Bit error rate against Eb/N0, from the same blocks: the bits of a message are its labelling (natural binary for autoencoders, ' +
    'Gray for uncoded QAM/PSK, the 4 systematic bits for Hamming (7,4); a searched or learned labelling is said in the label; ' +
    "a searched-labelling curve has its autoencoder's blocks and decisions, so it appears in this plot only). " +
    'Error bars: 95% Clopper–Pearson intervals with blocks as the independent unit (an effective number of bits from the spread of ' +
    'bit errors between blocks, between N blocks and k·N bits; README "BER"). Closed forms as in the BLER plot.',
  labellingNote: (label: string, of: string, s: { ebnoDb: number; startCost: number; cost: number; swaps: number }, labels: number[]): string =>
    `${label}: binary switching search at ${s.ebnoDb} dB from the natural labelling of ${of}, ${s.swaps} swap${s.swaps === 1 ? '' : 's'}, ` +
    `union bound on the BER ${s.startCost.toExponential(2)} (natural) → ${s.cost.toExponential(2)} (searched); bits of message m = labels[m]: ${labels.join(', ')}`,
  fewBitErrorsTitle: (errors: number, threshold: number): string => `interpolated from a point with ${errors} bit errors (fewer than ${threshold})`,
  zeroErrorCaption: (count: number): string =>
    ` ${count} point${count === 1 ? '' : 's'} counted no errors: drawn as ▼ at the upper end of the 95% interval (an upper bound, not a measurement).`,
  notSimulatedCaption: (count: number): string =>
    ` ${count} point${count === 1 ? ' was' : 's were'} not simulated or not finished and ${count === 1 ? 'is' : 'are'} left out (see the table).`,
  constellationCaption:
    'Learned codebooks. n = 1 or 2 real dimensions and complex signalling are drawn as they are (one I/Q plane per ' +
    'complex channel use); larger n is projected on its first two principal components (PCA), with the share of ' +
    'energy each axis captures, and beside it by metric multidimensional scaling (MDS: the 2-D layout whose distances best ' +
    "match the codewords' true distances, least squares, started from the PCA layout; classical MDS would equal PCA). " +
    "Stress: the relative error of the layout's distances (0 is exact).",
  /** Said under a complex n = 1 panel when the dotted circle is drawn. */
  unitCircle: (mode: string | undefined): string =>
    mode === 'energy-max'
      ? 'dotted circle: ‖x‖² = n = 1, the most a codeword may spend (energy-max: on or inside it)'
      : 'dotted circle: ‖x‖² = n = 1, the energy every codeword spends',
  geometryCaption: (tolerance: number): string =>
    `Geometry of each learned codebook, scaled to a mean ‖x‖² of n per codeword (the energy every system spends). d²min: smallest squared ` +
    `distance between two codewords. Kissing number: codewords at squared distance ≤ d²min·(1 + ${tolerance}) of a codeword, mean over the ` +
    `codewords (the factor of the high-SNR union bound K·Q(√(d²min/2σ²))) and the most any codeword has. A real (7,4) codebook is compared ` +
    `with Hamming (7,4) as BPSK (d² = 4·w for codeword distances w = 3, 4, 7: d²min 12, kissing number 7).`,
  spectrumCaption:
    'Cumulative distance spectrum: the mean number of other codewords within squared distance d² of a codeword (energy-normalized ' +
    'as in the table). A code with a larger d²min and fewer near neighbours sits lower and further right. Hamming (7,4) as BPSK, ' +
    'where a codebook is (7,4)-shaped: 7 at d² = 12, 14 at 16, 15 at 28.',
  fewErrorsTitle: (errors: number, threshold: number): string =>
    `rests on a point with only ${errors} block error${errors === 1 ? '' : 's'} (fewer than ${threshold}): a rough figure`,
  powerCompare: 'Power constraints side by side',
  analysisCaption: (fewErrors: number): string =>
    'Eb/N0 where each measured curve reaches the BLER target, interpolated linearly in log10(BLER) between measured points ' +
    '("—": not reached within the sweep; hover for the reason), and the gaps between compared curves: the scenario\'s compare pairs ' +
    'and every autoencoder against ML decoding of its own codebook (nearest-codeword decoding where that is not ML: no CSI, or ' +
    "per-symbol fading; the curve's label says which). A gap there comes from the decoder, not the code. " +
    "In brackets: the interval the points' own 95% Clopper–Pearson intervals allow (the Eb/N0 where the curve of their lower ends " +
    'and the curve of their upper ends reach the target; for a gap A − B, [A low − B high, A high − B low]; "…": open on that side). ' +
    'These are pointwise intervals joined up, a spread rather than an exact confidence level. † marks a figure interpolated from a point ' +
    `with fewer than ${fewErrors} block errors (hover for the count). ` +
    'The findings below are decided by these intervals: PASS when the whole interval meets the bound, FAIL when none of it does, ' +
    'INCONCLUSIVE when it straddles the bound (more blocks at the points that decide it would settle it).',
  findingsCaption: (quick: boolean): string =>
    `The claim checks this scenario lists under "claims", computed from the measured curves and codebooks above when results.json was written${quick ? ' (quick run: looser bounds, fewer targets)' : ''}. ` +
    'Each figure is shown with its interval and the bound: PASS when the whole interval meets the bound, FAIL when none of it does, ' +
    'INCONCLUSIVE when it straddles the bound. A figure read from a codebook is exact; a claim whose curves are missing fails.',
  noAnalysis: 'This results.json carries no Eb/N0-at-target analysis (it was written by an older version). Re-run the scenario to get it.',
  trainingCaption:
    'Training loss (cross-entropy, left axis, solid) and accuracy on the training batches (right axis, dotted) per logged step. Every run is checked: a non-finite loss, accuracy still at chance a quarter of the way in, ' +
    'or two messages sharing a codeword (closer than 0.1σ at the training Eb/N0) restart training from a new seed derived from the scenario seed; ' +
    'a learned decoder clearly worse than maximum-likelihood decoding of its own codebook (AWGN, training Eb/N0, 20,000 fresh blocks) ' +
    'is trained half the steps again, at most twice. Restarts and extensions are listed below with their reasons.',
  noAutoencoders: 'No autoencoder in this scenario.',
} as const;

// ---------------------------------------------------------------------------------------------------------
// sim slurm
// ---------------------------------------------------------------------------------------------------------

export const slurmMsg = {
  written: (dir: string): string => `wrote the batch scripts into ${dir}`,
  scriptHeader: (file: string): string => `# ---- ${file}`,
  commandsHeader: '# ---- submit them in this order (each job starts only after the previous one succeeded):',
  sbatchMissing: (submitted: string): string =>
    `sbatch was not found on PATH: --submit needs Slurm's client commands on this machine (without --submit, sim slurm writes the scripts and prints the sbatch commands)${submitted}`,
  sbatchFailed: (file: string, how: string, output: string, submitted: string): string =>
    `sbatch ${file} failed (${how})${output.trim() ? `: ${output.trim()}` : ''}${submitted}`,
  sbatchOutput: (file: string, output: string, submitted: string): string =>
    `sbatch ${file} printed ${JSON.stringify(output.trim())}, not a job id${submitted}`,
  /** Appended to a failure: the jobs of this command already in the queue, and how to cancel them. */
  alreadySubmitted: (jobs: { name: string; id: string }[]): string =>
    jobs.length ? `; already submitted: ${jobs.map((j) => `${j.name} job ${j.id}`).join(', ')} (cancel with: scancel ${jobs.map((j) => j.id).join(' ')})` : '',
  submitted: (name: string, jobs: { name: string; id: string }[], shards: number, runDir: string): string =>
    `${name}: submitted ${jobs.map((j) => (j.name === 'shards' ? `shards job array ${j.id} (${shards} tasks)` : `${j.name} job ${j.id}`)).join(', ')}; ` +
    `follow with: squeue -j ${jobs.map((j) => j.id).join(',')}; results and report in ${runDir}`,
};

/** What a channel kind cannot do (src/channels/registry.ts, asked of its kind's capabilities). */
export const channelMsg = {
  needsNoiseOnly: (systemId: string, what: string, types: string, type: string): string =>
    `system ${systemId}: ${what} is implemented for AWGN only (a channel of additive Gaussian noise alone, no gain: ${types}), the channel is ${type}`,
  noTwoUserLinks: (type: string, types: string): string => `the two-user channel has ${types} links, not ${type}`,
} as const;

// ---------------------------------------------------------------------------------------------------------
// Multipath fading and radio transformer networks (scenario checks, src/scenario/multipath-checks.ts)
// ---------------------------------------------------------------------------------------------------------

export const multipathMsg = {
  complexOnly: 'signalling: complex with a multipath channel (its taps are complex; real signalling has no I/Q pairs to convolve)',
  systemType: (type: string): string =>
    `a system that runs over multipath (autoencoder with signalling: complex, or hamming74-dbpsk); ${type} has no receiver for intersymbol interference`,
  tapsFit: (n: number): string => `taps ≤ n = ${n} (the block's complex channel uses; the convolution is cut to n)`,
  profileLength: (taps: number): string => `a profile of ${taps} tap powers (one per tap), or uniform`,
  profilePositive: 'tap powers with a positive sum',
  rtnChannel: (choices: string): string =>
    `a channel whose parameters a radio transformer network estimates (${choices}; the filter transform estimates the channel taps)`,
  rtnComplex: 'signalling: complex with a radio transformer network (its transforms act on I/Q pairs)',
  dbpskChannel: (types: string): string => `a ${types} channel for hamming74-dbpsk (its MLSE equalizes the taps)`,
} as const;

/** The report's RTN part (src/report/rtn-section.ts). */
export const rtnMsg = {
  caption: (ebnoDb: number, blocks: number, channel: number, equalized: number): string =>
    `Fresh blocks at ${ebnoDb} dB through the system's channel: the taps h, the filter ω the estimator returns for the ` +
    `received block, and the overall response h ∗ ω (magnitude∠phase per tap). Inverse filtering works where h ∗ ω is ` +
    `close to a (possibly delayed) impulse. Share of the energy in the largest tap, mean over ${blocks} blocks: ` +
    `${channel.toFixed(3)} for h, ${equalized.toFixed(3)} for h ∗ ω (1 = a perfect impulse).`,
} as const;

/** Scenario problems of two-user and time-sharing systems (src/systems/two-user.ts, time-sharing.ts). */
export const twoUserMsg = {
  complexOnly: 'signalling: complex (the two users share n complex channel uses; real signalling is not supported for two-user systems)',
  linkKinds: (types: string): string => `channel ${types} (the two-user links that exist: src/channels/two-user.ts)`,
  mlNeedsCsi:
    "mlReference: false, or channel csi: perfect (the joint-ML reference searches the nearest pair h_own·c_a + g·h_cross·d_b with the block's gains known; without CSI a nearest-pair search is not ML and the true ML decision integrates over the unknown gains, which is not implemented)",
  timeSharingFading: (plain: string, fading: string): string =>
    `channel ${plain}, or ${fading} with coherence: block and csi: perfect (time sharing over fading is measured as coherent uncoded QAM with one gain per block; without CSI uncoded QAM has no phase reference, and per-use fading would need the two real dimensions of a use to share one gain)`,
  maxK: (maxK: number): string => `k ≤ ${maxK} for a two-user system (M = 2^k ≤ ${2 ** maxK} messages per user)`,
  mlPairs: (limit: number): string =>
    `mlReference: false, or k ≤ ${Math.floor(Math.log2(limit) / 2)} (joint ML decoding searches M² pairs of codewords per block, at most ${limit})`,
  timeSharingRate: 'k/n equal to 1, 2 or 3 bits per real dimension (time sharing sends 2k/n bits per active complex use with square QAM: QPSK, 16-QAM, 64-QAM)',
  timeSharingEven: (perDim: number): string =>
    `an even n with k/n = ${perDim} (each user sends ${2 * perDim}-bit QAM symbols on n/2 complex uses; k must fill whole symbols)`,
  curveIdClash: (id: string, owner: string): string => `${id} is already the id of a curve of ${owner}`,
} as const;
