/**
 * The playground's settings: what the form shows, the shareable URL (query string) that restores them, and
 * the scenario file they amount to. The scenario text is what the worker compiles with the CLI's own
 * compile step (parseScenario) and what the export writes beside the model, so `sim run` reads the same thing.
 */

export type Channel = 'awgn' | 'rayleigh' | 'rician';

export interface Settings {
  k: number;
  n: number;
  signalling: 'real' | 'complex';
  power: 'energy' | 'average-power';
  channel: Channel;
  /** Rician K factor (linear). */
  kFactor: number;
  /** 'auto' (the default recipe) or a fixed training Eb/N0 in dB. */
  trainEbno: 'auto' | number;
  /** Hidden layer widths of encoder and decoder alike; empty: the default (one Dense(M, relu)). */
  hidden: number[];
  sweepFrom: number;
  sweepTo: number;
  sweepStep: number;
  seed: number;
  /** The CLI's --quick budgets (training steps ÷ 10, fewer errors per point). */
  quick: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  k: 4,
  n: 7,
  signalling: 'real',
  power: 'energy',
  channel: 'awgn',
  kFactor: 4,
  trainEbno: 'auto',
  hidden: [],
  sweepFrom: 0,
  sweepTo: 8,
  sweepStep: 1,
  seed: 1,
  quick: false,
};

/** The id of the autoencoder in the scenario and the name of its model folder (`sim run --models DIR` reads DIR/ae/). */
export const AE_ID = 'ae';

const num = (v: string | null, fallback: number): number => {
  const x = v === null || v.trim() === '' ? Number.NaN : Number(v);
  return Number.isFinite(x) ? x : fallback;
};

/** Settings from a query string (the shareable URL); anything missing or malformed keeps its default. */
export function settingsFromQuery(query: string): Settings {
  const q = new URLSearchParams(query);
  const d = DEFAULT_SETTINGS;
  const pick = <T extends string>(v: string | null, allowed: readonly T[], fallback: T): T => (allowed.includes(v as T) ? (v as T) : fallback);
  const ebno = q.get('ebno');
  return {
    k: num(q.get('k'), d.k),
    n: num(q.get('n'), d.n),
    signalling: pick(q.get('signalling'), ['real', 'complex'], d.signalling),
    power: pick(q.get('power'), ['energy', 'average-power'], d.power),
    channel: pick(q.get('channel'), ['awgn', 'rayleigh', 'rician'], d.channel),
    kFactor: num(q.get('K'), d.kFactor),
    trainEbno: ebno === null || ebno === 'auto' ? 'auto' : num(ebno, 7),
    hidden: (q.get('hidden') ?? '')
      .split(',')
      .map((x) => Number(x))
      .filter((x) => Number.isInteger(x) && x > 0),
    sweepFrom: num(q.get('from'), d.sweepFrom),
    sweepTo: num(q.get('to'), d.sweepTo),
    sweepStep: num(q.get('step'), d.sweepStep),
    seed: num(q.get('seed'), d.seed),
    quick: q.get('quick') === '1',
  };
}

/** The query string of the settings (only what differs from the defaults). */
export function settingsToQuery(s: Settings): string {
  const q = new URLSearchParams();
  const d = DEFAULT_SETTINGS;
  const put = (key: string, v: string | number, dv: string | number) => {
    if (String(v) !== String(dv)) q.set(key, String(v));
  };
  put('k', s.k, d.k);
  put('n', s.n, d.n);
  put('signalling', s.signalling, d.signalling);
  put('power', s.power, d.power);
  put('channel', s.channel, d.channel);
  if (s.channel === 'rician') put('K', s.kFactor, Number.NaN);
  put('ebno', s.trainEbno, d.trainEbno);
  put('hidden', s.hidden.join(','), '');
  put('from', s.sweepFrom, d.sweepFrom);
  put('to', s.sweepTo, d.sweepTo);
  put('step', s.sweepStep, d.sweepStep);
  put('seed', s.seed, d.seed);
  if (s.quick) q.set('quick', '1');
  return q.toString();
}

/** Whether the classical (7,4) Hamming code is the natural baseline. */
export const isHamming74 = (s: Settings): boolean => s.k === 4 && s.n === 7 && s.signalling === 'real';

function channelYaml(s: Settings): string {
  if (s.channel === 'rician') return `{ type: rician, kFactor: ${s.kFactor} }`;
  return `{ type: ${s.channel} }`;
}

/** The scenario file of these settings: the autoencoder and its classical baselines, as `sim run` reads it. */
export function scenarioYaml(s: Settings): string {
  const layers = s.hidden.length ? `[${s.hidden.map((u) => `{ units: ${u} }`).join(', ')}]` : undefined;
  const ae = [
    `  - id: ${AE_ID}`,
    '    type: autoencoder',
    `    label: Autoencoder (${s.n},${s.k})`,
    `    k: ${s.k}`,
    `    n: ${s.n}`,
    `    signalling: ${s.signalling}`,
    `    normalization: ${s.power}`,
    ...(layers ? [`    encoder: ${layers}`, `    decoder: ${layers}`] : []),
    ...(s.trainEbno === 'auto' ? [] : [`    train: { ebnoDb: ${s.trainEbno} }`]),
  ];
  const baselines = [
    ...(isHamming74(s) ? ['  - { id: hamming-ml, type: hamming74, decoding: ml }'] : []),
    `  - { id: uncoded, type: uncoded, modulation: bpsk, k: ${s.k} }`,
  ];
  return [
    '# Written by the learned-phy-sim playground. Run it with the exported model:',
    '#   sim run scenario.yaml --models models',
    'name: playground',
    `description: Autoencoder (${s.n},${s.k}), ${s.signalling} signalling, ${s.power}, ${s.channel} channel`,
    `seed: ${s.seed}`,
    `channel: ${channelYaml(s)}`,
    `sweep: { ebnoDb: { from: ${s.sweepFrom}, to: ${s.sweepTo}, step: ${s.sweepStep} } }`,
    'montecarlo: { targetErrors: 100, maxBlocks: 1000000 }',
    'systems:',
    ...ae,
    ...baselines,
    '',
  ].join('\n');
}
