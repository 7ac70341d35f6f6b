/** A small, hand-made results object covering every report feature (no simulation needed). */
import { annotateResults } from '../../src/analysis/annotate.ts';
import { berFields } from '../../src/montecarlo/ber.ts';
import type { PointResult } from '../../src/montecarlo/types.ts';
import { RESULTS_FORMAT, type Curve, type ResultsFile } from '../../src/results/results.ts';
import { parseScenario } from '../../src/scenario/load.ts';

const SCENARIO = `
name: fixture
description: 'Report fixture <b>with</b> "markup" & symbols'
seed: 7
sweep: { ebnoDb: [0, 2, 4, 6, 8] }
montecarlo: { targetErrors: 100, maxBlocks: 100000, minBler: 1.0e-5 }
compare: [[ae74, hml]]
systems:
  - { id: ae74, type: autoencoder, k: 4, n: 7, label: "AE (7,4) <script>alert(1)</script>", train: { steps: 300 } }
  - { id: psk, type: autoencoder, k: 4, n: 1, signalling: complex, normalization: energy, mlReference: false }
  - { id: qam, type: autoencoder, k: 4, n: 1, signalling: complex, normalization: average-power, mlReference: false }
  - { id: hml, type: hamming74, decoding: ml }
  - { id: bpsk4, type: uncoded, modulation: bpsk, k: 4 }
`;

/** Q(x) via erfc (Abramowitz–Stegun 7.1.26, plenty for a fixture). */
function qfunc(x: number): number {
  const z = x / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * Math.abs(z));
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return 0.5 * (z >= 0 ? erfc : 2 - erfc);
}

function point(ebnoDb: number, bler: number, blocks: number): PointResult {
  const errors = Math.round(bler * blocks);
  const p = errors / blocks;
  const half = errors ? 1.96 * Math.sqrt((p * (1 - p)) / blocks) : 0;
  return {
    ebnoDb,
    blocks,
    errors,
    bler: p,
    ciLow: errors ? Math.max(p - half, p / 3) : 0,
    ciHigh: errors ? p + half : 3.689 / blocks,
    seconds: 0.4,
    status: errors >= 100 ? 'target-errors' : 'max-blocks',
    // Bit counts as for a code whose block errors flip 1 or 2 of the 4 bits.
    ...berFields(blocks, 4, { bitErrors: errors + (errors >> 1), bitErrorsSq: errors + 3 * (errors >> 1) }),
  };
}

/**
 * The fixture as sim run saves it: annotated (Eb/N0 at target, gaps, findings of the `claims` checks).
 * `claims` adds checks to the scenario (none by default).
 */
export function fixtureResults(opts: { quick?: boolean; claims?: string } = {}): ResultsFile {
  const scenario = parseScenario(opts.claims ? `${SCENARIO}claims: ${opts.claims}\n` : SCENARIO, 'fixture.yaml');
  const ebno = scenario.sweep.ebnoDb;
  const bpskBler = (e: number) => 1 - (1 - qfunc(Math.sqrt(2 * 10 ** (e / 10)))) ** 4;
  const codedBler = (e: number, gain: number) => Math.min(1, 7 * qfunc(Math.sqrt(2 * (4 / 7) * 3 * 10 ** ((e + gain) / 10))));
  const psk = Array.from({ length: 16 }, (_, m) => [Math.cos((2 * Math.PI * m) / 16), Math.sin((2 * Math.PI * m) / 16)]);
  const lv = [-3, -1, 1, 3].map((v) => v / Math.sqrt(10));
  const qam = Array.from({ length: 16 }, (_, m) => [lv[m % 4], lv[m >> 2]]);
  // A (7,4) "learned" codebook: Hamming codewords with a little rotation, energy 7.
  const ham = Array.from({ length: 16 }, (_, m) => {
    const b = [(m >> 3) & 1, (m >> 2) & 1, (m >> 1) & 1, m & 1];
    const c = [...b, b[0] ^ b[1] ^ b[3], b[0] ^ b[2] ^ b[3], b[1] ^ b[2] ^ b[3]];
    return c.map((x, j) => (x ? 1 : -1) * (1 + 0.05 * Math.sin(m + j)));
  });
  const training = {
    steps: Array.from({ length: 30 }, (_, i) => (i + 1) * 10),
    loss: Array.from({ length: 30 }, (_, i) => 2.7 * Math.exp(-i / 6) + 0.01),
    accuracy: Array.from({ length: 30 }, (_, i) => 1 - Math.exp(-i / 5)),
    finalAccuracy: 0.9931,
    seconds: 3.2,
    ebnoDb: 7,
    restarts: 1,
    restartReasons: ['stuck at chance <after 75 steps>'],
    source: 'trained' as const,
  };
  const base = (id: string): Omit<Curve, 'points'> => {
    const s = scenario.systems.find((x) => x.id === id || `${x.id}-ml` === id)!;
    return {
      id,
      label: id.endsWith('-ml') ? `${s.label} + ML decoding` : s.label,
      type: id.endsWith('-ml') ? 'autoencoder-ml' : s.type,
      k: s.k,
      n: s.n,
      rate: s.k / s.n,
      signalling: s.signalling,
      ...(s.type === 'autoencoder' ? { normalization: s.normalization } : {}),
      channel: s.channel,
    };
  };
  const curves: Curve[] = [
    { ...base('ae74'), points: ebno.map((e) => point(e, codedBler(e, 0), 200000)), codebook: ham, training },
    { ...base('ae74-ml'), mlOf: 'ae74', points: ebno.map((e) => point(e, codedBler(e, 0.2), 200000)), codebook: ham },
    {
      ...base('psk'),
      points: ebno.map((e) => point(e, Math.min(1, 2 * qfunc(Math.sqrt(8 * 10 ** (e / 10)) * Math.sin(Math.PI / 16))), 100000)),
      codebook: psk,
      training: { ...training, finalAccuracy: 0.95, restarts: 0, restartReasons: [], loss: training.loss.map((l) => l * 1.3) },
    },
    {
      ...base('qam'),
      points: ebno.map((e) => point(e, Math.min(1, 3 * qfunc(Math.sqrt((4 / 5) * 10 ** (e / 10)))), 100000)),
      codebook: qam,
      training: { ...training, finalAccuracy: 0.97, restarts: 0, restartReasons: [], loss: training.loss.map((l) => l * 1.1) },
    },
    {
      ...base('hml'),
      points: [...ebno.slice(0, 4).map((e) => point(e, codedBler(e, 0.2), 300000)), { ...point(8, 0, 300000) }],
      analytic: ebno.map((e) => ({ ebnoDb: e, bler: codedBler(e, 0.25) })),
    },
    {
      ...base('bpsk4'),
      points: [
        ...ebno.slice(0, 4).map((e) => point(e, bpskBler(e), 100000)),
        {
          ebnoDb: 8,
          blocks: 0,
          errors: 0,
          bler: 0,
          ciLow: 0,
          ciHigh: 1,
          seconds: 0,
          status: 'not-simulated',
          reason: 'sweep-stopped',
          note: 'previous point below minBler',
        },
      ],
      analytic: ebno.map((e) => ({ ebnoDb: e, bler: bpskBler(e) })),
      analyticBer: ebno.map((e) => ({ ebnoDb: e, ber: qfunc(Math.sqrt(2 * 10 ** (e / 10))) })),
    },
  ];
  const results: ResultsFile = {
    format: 1,
    scenario,
    seed: scenario.seed,
    backend: 'wasm',
    versions: { node: process.versions.node, tfjs: '4.22.0', project: '0.1.0' },
    startedAt: '2025-01-01T12:00:00.000Z',
    seconds: 42.5,
    quick: opts.quick ?? false,
    complete: true,
    workers: 2,
    curves,
  };
  annotateResults(results);
  return results;
}

/** A results object around a scenario and curves, with neutral provenance (for tests that build their own curves). */
export function bareResults(scenario: ResultsFile['scenario'], curves: Curve[]): ResultsFile {
  return {
    format: RESULTS_FORMAT,
    scenario,
    seed: 1,
    backend: 'cpu',
    versions: { node: '', tfjs: '', project: '' },
    startedAt: '',
    seconds: 0,
    quick: false,
    complete: true,
    curves,
  };
}
