/**
 * What a system kind is: everything the simulator asks of one system type, in one object that its module
 * exports and src/systems/registry.ts lists. Nothing outside src/systems/ switches on a system's `type`
 * for these questions; it asks the kind.
 *
 * A kind owns:
 * - its scenario fragment: the zod object of `systems: [{ type: <type>, … }]` (strict, with descriptions; the
 *   scenario schema's system union is built from the registered fragments), an example and its defaults;
 * - its compiled shape and compile step: the scenario's entry → the compiled system with every default filled
 *   (what results.json records), its default label, and what `--quick` scales down (the registry derives the
 *   union of compiled systems and of curve types from the kinds);
 * - its checks that involve several fields, with positions (called from src/scenario/load.ts crossChecks);
 * - its curve plans: the curves it contributes (`<id>`, `<id>-ml`, `<id>-searched`, `<id>-u1`, …) and what
 *   each empty curve of results.json says about itself;
 * - how its curves are obtained: trained or loaded and measured by Monte Carlo, or a classical block system
 *   with closed forms (`obtain`), and what the run checks afterwards;
 * - the questions the run, the backend choice, Slurm and the report ask of it (does it train, its largest
 *   network, its training recipe, which curve types it writes).
 */
import type { z } from 'zod';
import type { IsiReceiver } from '../channels/kind.ts';
import type { ChannelSpec } from '../channels/registry.ts';
import type { AutoencoderSpec } from '../autoencoder/spec.ts';
import type { TrainProgress } from '../autoencoder/train.ts';
import type { RtnExamples } from '../autoencoder/rtn-examples.ts';
import type { PointResult } from '../montecarlo/types.ts';
import type { SeedPart } from '../random.ts';
import type { BlockSystem } from '../system.ts';
import type { CompiledCommon, CompiledTrain } from '../scenario/compiled-parts.ts';
import type { Signalling } from '../vocabulary.ts';
import type { TrainingSummary } from './records.ts';

/** What every compiled system has, its type included (its kind's compiled shape extends it; results.json records it). */
export type SystemSpecBase = CompiledCommon & { type: string };

/** One measured curve of a system: its own, and the references it adds (`<id>-ml`, `<id>-searched`, `<id>-u1`, …). */
export interface CurvePlanOf<S> {
  id: string;
  label: string;
  system: S;
  /** For `<id>-ml`: the curve measures ML decoding of the system's learned codebook. */
  mlOf?: string;
  /** For `<id>-searched`: the curve measures the system with its searched bit labelling. */
  labelledOf?: string;
  /** Two-user systems: the receiver this curve measures (`<id>-u1`, `<id>-u2` and their `-ml` curves). */
  user?: 1 | 2;
}

/** Reports a problem at a path of the scenario file (as src/scenario/load.ts prints it). */
export type SystemReport = (path: (string | number)[], expected: string, value: unknown, found?: string) => void;

/** A system entry of the scenario as written (not yet validated), where it stands and what it gets from around it. */
export interface SystemCheckContext {
  /** systems[i]. */
  readonly index: number;
  /** Every systems[…] entry as written. */
  readonly systems: readonly unknown[];
  /** The channel object the system ends up with (its own, else the scenario's), if it is an object. */
  readonly channel: Record<string, unknown> | undefined;
  /** Where that channel object stands: the system's own, or the scenario-level one. */
  readonly channelAt: (string | number)[];
  /** The system gives its own channel. */
  readonly ownChannel: boolean;
  /** The scenario-level `channel` as written. */
  readonly scenarioChannel: unknown;
  /** `systems[i]` (or any path) as the loader prints it, for messages that name a place. */
  readonly where: (path: (string | number)[]) => string;
}

/** The curves of results.json a kind's obtain step writes to (results/results.ts `Curve` is one). */
export interface CurveRecord {
  readonly id: string;
  mlOf?: string;
  twoUser?: { of: string; user: 1 | 2 };
  points: PointResult[];
  codebook?: number[][];
  otherCodebook?: number[][];
  training?: TrainingSummary;
  twoUserTraining?: { alpha: number[]; loss1: number[]; loss2: number[] };
  rtn?: RtnExamples;
  labels?: number[];
  labellingSearch?: { ebnoDb: number; startCost: number; cost: number; swaps: number };
  analytic?: { ebnoDb: number; bler: number }[];
  analyticBer?: { ebnoDb: number; ber: number }[];
}

/** What a kind reports while it trains or loads (sim/progress.ts Progress is one). */
export interface ObtainProgress {
  log(line: string): void;
  trainStart(id: string, steps: number, ebno: string): void;
  trainTick(id: string, t: TrainProgress): void;
  trainEnd(id: string, seconds: number, accuracy: number, restarts: number, extensions?: number, refinement?: { steps: number; ebnoDb: number }): void;
  sweepEnd(curveId: string): void;
}

/** What a run gives a kind to obtain its systems with. */
export interface ObtainContext {
  /** The scenario's seed (training: seed path (seed, 'train', id)). */
  readonly seed: SeedPart;
  readonly ebno: readonly number[];
  readonly signal?: AbortSignal;
  readonly progress: ObtainProgress;
  /** The run's models/ folder. */
  readonly modelsDir: string;
  /** --resume: the run's own models/ are loaded where present. */
  readonly resume: boolean;
  /** --models DIR: saved models to load instead of training. */
  readonly models?: string;
  /** Whether this run writes models/ (shards > 1 do not). */
  readonly writesModels: boolean;
  /** The curves of results.json (codebooks, training records and closed forms are written into them). */
  readonly curves: readonly CurveRecord[];
}

/** What the empty curve of a plan says about itself (src/run/curves.ts emptyCurve). */
export interface CurveHead<T extends string = string> {
  /** results.json `type` of the curve (one of the kind's `curveTypes`). */
  type: T;
  /** Fields after `signalling` (power constraint, two-user receiver). */
  fields?: Record<string, unknown>;
  labelling: 'natural' | 'searched' | 'learned';
}

/**
 * A system kind: everything the simulator knows about one `systems: [{ type: … }]` entry, in one module: its schema,
 * defaults and checks, how it compiles, which curves it adds and how it trains, loads or builds the block systems
 * they measure. Register one with registerSystemKind (learned-phy-sim/kinds); defineSystemKind keeps its types.
 */
export interface SystemKind<S extends SystemSpecBase = SystemSpecBase, Saved = never, T extends string = string> {
  readonly type: S['type'];
  /** `systems: [{ type: <type>, … }]` in a scenario: a strict zod object with descriptions. */
  readonly schema: z.ZodObject;
  /** A system entry a scenario may write for this kind (documentation and the registry's tests). */
  readonly example: Readonly<Record<string, unknown>>;
  /** The defaults of the fields a scenario may leave out. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** The signalling a system of this kind has when the scenario does not say (for the channel kinds' checks). */
  readonly defaultSignalling?: Signalling;
  /** Its receiver for intersymbol interference (the multipath channel's checks ask); absent: it has none. */
  readonly isiReceiver?: IsiReceiver;
  /** The results.json curve types its curves have (for the report's questions about a curve). */
  readonly curveTypes: readonly T[];
  /** Whether importance sampling can measure its curves (the scenario checks refuse it otherwise). */
  readonly importanceSampling: boolean;
  /** The scenario's entry (valid against `schema`) with its channel compiled → the compiled system, defaults filled. */
  compile(input: Record<string, unknown>, channel: ChannelSpec): S;
  /** The label of a system whose entry gives none. */
  defaultLabel(s: S): string;
  /** The system with `--quick` budgets (training steps scaled down); absent: unchanged. */
  quick?(s: S): S;
  /**
   * Registers the ids of the curves it adds beyond its own id in `ids.owner` (curve id → where it is defined),
   * reporting clashes; `ids.maybe` takes ids it may define although the entry does not tell (never "unknown").
   */
  claimCurveIds?(sys: Record<string, unknown>, ctx: SystemCheckContext, ids: { owner: Map<string, string>; maybe: Set<string> }, report: SystemReport): void;
  /** Checks that involve several fields (sizes, options that do not apply, the channel it needs). */
  check?(sys: Record<string, unknown>, ctx: SystemCheckContext, report: SystemReport): void;
  /** The curves it contributes, in the order results.json lists them. */
  curvePlans(s: S): CurvePlanOf<S>[];
  /** What the empty curve of one of its plans says about itself. */
  curveHead(plan: CurvePlanOf<S>): CurveHead<T>;
  /** Whether a run trains (or loads) a model for it. */
  readonly trains: boolean;
  /** The training recipe the report shows for it. */
  trainingRecipe?(s: S): CompiledTrain | undefined;
  /** The largest network it trains (the backend choice weighs it). */
  network?(s: S): AutoencoderSpec;
  /** Loads a saved model before anything is written (--resume, --models); undefined: none, train it. */
  loadSaved?(s: S, ctx: ObtainContext): Promise<Saved | undefined>;
  /**
   * Obtains the block system of every curve it measures (training or loading models, building classical
   * systems) and records what it learned in `ctx.curves`; undefined: interrupted.
   */
  obtain(s: S, ctx: ObtainContext, saved: Saved | undefined): Promise<[string, BlockSystem][] | undefined>;
  /**
   * How the report draws one of its measured curves: a dash pattern and a marker shape, so curves stay apart
   * in grey-scale prints; absent (or undefined): the classical systems' dash-dot with squares.
   */
  curveStyle?(curve: { type: string; twoUser?: { user: 1 | 2 } }): { dash: string; symbol: string } | undefined;
  /** The curve type whose codebook is a single learned link's (its geometry is analysed, its constellation drawn). */
  readonly learnedCodebookCurve?: string;
  /** Pairs (learned curve, its ML reference) whose gap the run warns about after measuring. */
  decoderLagPairs?(s: S): [string, string][];
}

/**
 * Identity helper that keeps a kind's compiled type (and the literal curve types it writes, so the registry
 * can derive the unions) while checking it against SystemKind: `defineSystemKind<Compiled, Saved>()({ … })`.
 */
export const defineSystemKind =
  <S extends SystemSpecBase, Saved = never>() =>
  <T extends string>(kind: SystemKind<S, Saved, T>): SystemKind<S, Saved, T> =>
    kind;

/** The training Eb/N0 as progress lines print it. */
export const trainEbnoText = (t: CompiledTrain): string => (typeof t.ebnoDb === 'number' ? String(t.ebnoDb) : `${t.ebnoDb.from}…${t.ebnoDb.to}`);
