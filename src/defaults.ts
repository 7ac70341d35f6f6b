/**
 * Every default, in one place. The scenario compiler, the Monte Carlo engine (`resolveRules`, the chunk
 * schedule), the autoencoder spec, the trainer and the schema's descriptions all read from here, and a test
 * checks the defaults table of docs/defaults.md against it. Changing a default is one edit, here.
 */
import type { AutoencoderOutput, HiddenActivation, Labelling, PowerConstraint, RtnTransform, Signalling, TwoUserAlpha } from './vocabulary.ts';

export const DEFAULTS = {
  /** Root seed of every random stream. */
  seed: 1,
  /** A system's channel when neither it nor the scenario names one. */
  channel: { type: 'awgn' } as const,
  // A channel kind's own defaults live in its module (src/channels/*.ts, `defaults` of the kind).
  /**
   * The radio transformer network receiver (`receiver: { rtn: {} }`), the paper's Fig. 9: an estimator of two
   * dense tanh layers (then a linear output of the transform's parameters), and inverse filtering.
   */
  rtn: {
    estimator: [
      { units: 64, activation: 'tanh' as HiddenActivation },
      { units: 64, activation: 'tanh' as HiddenActivation },
    ],
    transform: 'filter' as RtnTransform,
    /**
     * The decoder after an RTN when the system gives none (without an RTN: one Dense(M, relu), the paper's).
     * Why: without channel knowledge the best receiver of a code is a quadratic form in y per message
     * (y | m is Gaussian, bench/noncoherent_ml.py); the paper's Dense(16) after the RTN cannot come close. Measured
     * on fig9-rtn (seed 1, 400 k blocks per point, docs/measurements.md): BLER
     * 1e-2 at 15.0 dB with Dense(16), 14.3 dB with Dense(128), Dense(64), where the noncoherent ML decoder of
     * either code needs 13.9 dB. The paper's decoder: `decoder: [{ units: 16 }]`.
     */
    decoder: [{ units: 128 }, { units: 64 }],
  },
  autoencoder: {
    signalling: 'real' as Signalling,
    powerConstraint: 'energy' as PowerConstraint,
    /** mlReference defaults to true up to this k (ML decoding costs M distance evaluations per block). */
    mlReferenceMaxK: 8,
    /** The decoder's output: `symbols` (softmax over M, the paper's) or `bits` (k sigmoids, binary cross-entropy). */
    output: 'symbols' as AutoencoderOutput,
    /** Bit labelling of the messages for the BER: natural binary; `search` also measures a searched labelling. */
    labelling: 'natural' as Labelling,
  },
  /** A hidden layer's options; without any hidden layers, one Dense(M, relu) (the paper's). */
  hiddenLayer: { activation: 'relu' as HiddenActivation, layerNorm: false, weightNorm: false },
  backend: {
    /**
     * The `sim` commands run on tfjs-node (when it loads) from this many multiply-adds per example in the
     * largest network, on wasm below (src/backend.ts). Measured by `npm run bench` on the 2-core machine:
     * (7,4) (736) trains faster on wasm, (8,8) (135k) on tfjs-node.
     */
    tensorflowMinMacs: 20000,
  },
  train: {
    /** "auto": chosen from k and n (src/autoencoder/recipe.ts); the paper's 7 dB is `ebnoDb: 7`. */
    ebnoDb: 'auto',
    /** The auto training Eb/N0 is where the uncoded reference of the same k and dimensions has this BLER. */
    autoReferenceBler: 0.1,
    batchSize: 1000,
    /** Adam's initial learning rate (it decays on validation plateaus unless `steps` fixes the length). */
    learningRate: 0.01,
    /** Upper bound on training steps when training stops on convergence (the default). */
    maxSteps: 20000,
    /** Stop on convergence (src/training/plateau.ts). */
    convergence: { validateEvery: 200, patience: 3, minImprovement: 0.005, decays: 2, decayFactor: 3 },
    /** Restarts after a divergent, stuck or collapsed run. */
    maxRestarts: 3,
    /** Extensions while the learned decoder lags ML decoding of its own code. */
    maxExtensions: 2,
    /**
     * Data-parallel gradients over worker threads for networks of at least this many multiply-adds per
     * example (the (8,8) network: 135k; the (7,4) one, 736, is dominated by per-op overhead and stays on one
     * thread). Measured on the 2-core machine (wasm, batch 1000, steps/s on one thread → two): fig9's RTN
     * receiver (17.9k) 108 → 162, its plain decoder of the same size (17.9k) 211 → 249, a (8,4) complex
     * decoder of Dense(128), Dense(64) (11.8k) 527 → 638.
     */
    dataParallelMinMacs: 10000,
    /**
     * In the JavaScript training step (js-train-graph.ts), matrix products of at least this many
     * multiply-adds (rows × inputs × outputs) run on the tfjs backend, smaller ones as WebAssembly SIMD
     * (src/wasm/kernels/gemm.ts), per backend. Measured on the 2-core machine, ms forward / backward: 256×256·256×8
     * (the (8,8) encoder) WebAssembly 0.04 / 0.10, tfjs-node 0.56 / 0.50; 500×256·256×256 WebAssembly
     * 1.8 / 4.3, tfjs-node 2.5 / 2.6; 1000×256·256×256 WebAssembly 3.4 / 9.3, tfjs-node 2.2 / 3.4. On wasm
     * the backend's products (XNNPACK, one thread) gain nothing over the module. null: never.
     */
    backendGemmMinMacs: { wasm: null, tensorflow: 32_000_000 } as Record<string, number | null>,
    /**
     * A decoder of dense layers and activations runs its whole training pass (forward, softmax cross-entropy,
     * backward) as one program on the tfjs backend (backend-decoder-pass.ts) from this many multiply-adds per
     * batch, per backend; below, the step's own loops and WebAssembly products run it. Measured on the 2-core
     * machine, ms per step without / with it: wasm (7,4) B = 1000 0.75 / 1.94, (8,8) B = 500 13.7 / 17.5;
     * tfjs-node (7,4) 0.64 / 1.67, (8,8) B = 500 10.8 / 6.2, B = 1000 20.8 / 9.2 (tfjs-node's products
     * use both cores and fused kernels; on wasm the pass never pays). null: never.
     */
    decoderPassMinMacs: { wasm: null, tensorflow: 4_000_000 } as Record<string, number | null>,
    /**
     * Decoder refinement, the last stage of the default recipe (auto training Eb/N0, stop on convergence): the
     * encoder is frozen and the decoder alone trains on, with a fresh Adam at learningRate × learningRateFactor,
     * at the Eb/N0 where the uncoded reference has BLER `referenceBler` (about 1 dB above the training Eb/N0),
     * until its validation loss there converges (at most maxSteps). Why: training at BLER 0.1 shapes the code,
     * but leaves the (8,8) decoder 0.14–0.17 dB behind ML decoding of its own codebook at BLER 1e-4; errors at
     * a higher Eb/N0 are the pairwise confusions that matter there (docs/concepts.md, "Training").
     */
    refine: {
      referenceBler: 0.05,
      learningRateFactor: 0.03,
      maxSteps: 1600,
      convergence: { validateEvery: 200, patience: 3, minImprovement: 0.005, decays: 1, decayFactor: 3 },
    },
    /** Shards of each batch in data-parallel training (fixed, so results do not depend on the worker count). */
    dataParallelShards: 2,
    /** Blocks of the validation set (convergence checks) and of the end-of-training decoder check. */
    validationBlocks: 20000,
  },
  /** Monte Carlo stopping rules. */
  montecarlo: { targetErrors: 100, targetBitErrors: 0, maxBlocks: 10_000_000, minBler: 0, minBer: 0, stopOnZeroErrors: true },
  /** Monte Carlo chunk schedule (part of the reproducibility contract): chunk j has min(base·2^j, max) blocks. */
  chunks: { base: 512, max: 65536 },
  /**
   * Balanced shards (`sim run --shard`): a shard stops its part of a point when its own error count, scaled
   * to all chunks before its next one and lowered by this many standard deviations (√errors), reaches targetErrors
   * (src/montecarlo/chunks.ts shardPlanDone). More: fewer points left short for --resume, more wasted chunks.
   */
  shards: { planSigmas: 1 },
  /** The analysis written into results.json (src/analysis/) and how the report draws it. */
  analysis: {
    /** An Eb/N0 at target or a gap interpolated from a point with fewer block errors than this is marked as resting on few errors. */
    fewErrors: 10,
    /** Kissing number of a codebook: neighbours at squared distance ≤ d²min · (1 + this). */
    kissingTolerance: 0.05,
    /** Closed-form curves are drawn down to this many decades below the lowest measured BLER … */
    closedFormDecades: 1,
    /** … and up to this many dB beyond the highest measured Eb/N0. */
    closedFormDb: 1,
  },
  /**
   * Importance sampling (`montecarlo: { method: importance }`, src/montecarlo/importance.ts). A point ends
   * when the half-width of its 95% interval is ≤ targetRelativeHalfWidth × the estimate (or at maxBlocks).
   * alpha: the defensive component (weights ≤ 1/alpha); a point is marked untrusted below minEss effective
   * error samples or when one sample carries more than maxWeightShare of the estimate; competitors whose
   * pairwise-error probability is below pruneBelow × the largest get no component; the precision target is
   * checked from minSamples samples on (test/unit/importance.test.ts measures the intervals' coverage).
   */
  importance: {
    method: 'plain' as 'plain' | 'importance',
    targetRelativeHalfWidth: 0.1,
    alpha: 0.1,
    minEss: 30,
    maxWeightShare: 0.1,
    pruneBelow: 1e-6,
    minSamples: 10_000,
  },
  /** `--quick` smoke runs. */
  quick: { stepsDivisor: 10, minSteps: 100, targetErrors: 20, targetBitErrors: 20, maxBlocks: 200_000 },
  /** Two-user interference channel systems (`type: two-user`, src/twouser/). */
  twoUser: {
    /** The paper's choice for the two-user case. */
    powerConstraint: 'average-power' as PowerConstraint,
    /** Cross gain of the interfering links (the paper's). */
    crossGain: 1,
    /** The paper's dynamic weight α_{t+1} = L1/(L1+L2); a number fixes α. */
    alpha: 'dynamic' as TwoUserAlpha,
    /** α of the first batch. */
    alpha0: 0.5,
    /**
     * The joint-ML reference curves (`<id>-u1-ml`, `<id>-u2-ml`: nearest pair over M² candidates) are on by
     * default up to this k (M² = 256 pairs per block); they are allowed up to LIMITS.twoUserMlPairs.
     */
    mlReferenceMaxK: 4,
    /**
     * Over Rayleigh links (src/channels/two-user-rayleigh.ts), where the scenario leaves them unset: the decoder's
     * hidden layers are `decoderLayers` Dense(max(M, decoderUnits), relu) (with CSI it must combine y with the
     * gains, products the paper's single Dense(M) cannot form), and the auto training Eb/N0 is the range over
     * which coherent time sharing goes from BLER trainBlers[0] to trainBlers[1] (one gain per block: every
     * Eb/N0 of a sweep sees deep fades). Measured for (2,2) with CSI (docs/measurements.md, "Two users over Rayleigh links"): the paper's layout
     * at the BLER-0.1 point floors at BLER 0.17; two Dense(64) at that point floor at 7e-3; two Dense(128)
     * trained over 5–25 dB follow joint ML within the sampling error down to 1e-3. Up to the BLER-1e-4 point
     * rather than 1e-3: (1,1) and (2,2) at 33 dB 4e-4 instead of 7–8e-4 (joint ML: 2e-4).
     */
    fading: { decoderLayers: 2, decoderUnits: 128, trainBlers: [0.1, 1e-4] as const },
  },
} as const;

/** Limits of what a scenario may ask for (validated in src/scenario/). */
export const LIMITS = {
  maxK: 16,
  /**
   * Weights of one autoencoder (encoder + decoder dense maps): 2^26, 256 MiB per float32 copy, of which
   * training holds several (weights, each data-parallel shard's gradients, Adam's two moments). The default
   * layers (one Dense(M) on each side) reach it between k = 12 (2^25 weights) and k = 13 (2^27).
   */
  maxNetworkWeights: 2 ** 26,
  /** The labelling search costs O(M³) per pass (src/autoencoder/labelling.ts): up to M = 256. */
  maxLabellingSearchK: 8,
  maxSweepPoints: 1000,
  /** Joint ML decoding of a two-user system searches M² pairs per block: at most this many. */
  twoUserMlPairs: 65536,
  /** Two-user systems: k at most (M = 256, the paper's largest). */
  twoUserMaxK: 8,
} as const;

/** Limits and timings of the command line. */
export const CLI_LIMITS = {
  /** Scenario files are read whole and parsed in memory, so larger ones are refused before reading. */
  maxScenarioBytes: 1024 * 1024,
  /** YAML alias uses per scenario file: an alias bomb stops here with a message, not in an out-of-memory abort. */
  maxYamlAliases: 100,
  /**
   * A second SIGINT/SIGTERM within this many ms of the first is the same Ctrl-C relayed by a wrapper (npm,
   * npx, tsx each pass it on to their child, which also got it from the terminal), not a request to quit.
   */
  interruptGraceMs: 1500,
} as const;
