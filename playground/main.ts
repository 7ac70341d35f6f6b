/**
 * The playground page: the form, the shareable URL, the live plots (training curves, the constellation and
 * its PCA view, BLER and BER with intervals against the baselines) and the export/import of models. The
 * simulator itself runs in the worker (worker.ts); this file only draws and talks to it.
 */
import type { PointResult } from '../src/montecarlo/types.ts';
import { pca2 } from './pca.ts';
import type { FromPage, ToPage } from './protocol.ts';
import { AE_ID, DEFAULT_SETTINGS, scenarioYaml, settingsFromQuery, settingsToQuery, type Settings } from './settings.ts';
import { zipStored } from './zip.ts';

/** plotly.js (basic bundle), loaded by its own script tag from this origin. */
declare const Plotly: {
  react(el: HTMLElement, data: unknown[], layout: unknown, config?: unknown): Promise<unknown>;
};

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const CONFIG = { displaylogo: false, responsive: true };
const LABELS: Record<string, string> = {
  [AE_ID]: 'Autoencoder (learned decoder)',
  [`${AE_ID}-ml`]: 'Autoencoder codebook, ML decoding',
  'hamming-ml': 'Hamming (7,4), ML (Monte Carlo)',
  'hamming-hard': 'Hamming (7,4), hard decision (closed form)',
  uncoded: 'Uncoded BPSK, same k bits (closed form)',
};

/** What the page knows; exposed as window.playground for the browser test and the curious. */
const state = {
  backend: '',
  settings: { ...DEFAULT_SETTINGS } as Settings,
  dims: 0,
  M: 0,
  steps: 0,
  training: { step: [] as number[], loss: [] as number[], accuracy: [] as number[] },
  /** Every codebook snapshot's step and its first values (the test checks they move). */
  snapshots: [] as { step: number; head: number[] }[],
  codebook: undefined as Float32Array | undefined,
  trainSeconds: 0,
  trained: false,
  paused: false,
  curves: {} as Record<string, { ebnoDb: number[]; bler: (number | null)[]; ber: (number | null)[]; low?: (number | null)[]; high?: (number | null)[] }>,
  points: {} as Record<string, PointResult[]>,
  sweepDone: false,
  error: '',
};
(window as unknown as { playground: typeof state }).playground = state;

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (m: FromPage, transfer: Transferable[] = []) => worker.postMessage(m, transfer);

// ---------- the form and the URL ----------

const FIELDS = ['k', 'n', 'signalling', 'power', 'channel', 'kFactor', 'trainEbno', 'hidden', 'sweepFrom', 'sweepTo', 'sweepStep', 'seed', 'quick'] as const;

function readForm(): Settings {
  const v = (id: string) => $<HTMLInputElement>(`f-${id}`).value;
  const ebno = v('trainEbno').trim();
  return {
    k: Number(v('k')),
    n: Number(v('n')),
    signalling: v('signalling') as Settings['signalling'],
    power: v('power') as Settings['power'],
    channel: v('channel') as Settings['channel'],
    kFactor: Number(v('kFactor')),
    trainEbno: ebno === '' || ebno === 'auto' ? 'auto' : Number(ebno),
    hidden: v('hidden')
      .split(',')
      .map((x) => Number(x.trim()))
      .filter((x) => Number.isInteger(x) && x > 0),
    sweepFrom: Number(v('sweepFrom')),
    sweepTo: Number(v('sweepTo')),
    sweepStep: Number(v('sweepStep')),
    seed: Number(v('seed')),
    quick: $<HTMLInputElement>('f-quick').checked,
  };
}

function writeForm(s: Settings): void {
  for (const f of FIELDS) {
    const el = $<HTMLInputElement>(`f-${f}`);
    if (f === 'quick') el.checked = s.quick;
    else if (f === 'hidden') el.value = s.hidden.join(', ');
    else el.value = String(s[f]);
  }
  $('f-kFactor').closest('label')!.style.display = s.channel === 'rician' ? '' : 'none';
}

function shareLink(s: Settings): string {
  const q = settingsToQuery(s);
  return `${location.origin}${location.pathname}${q ? `?${q}` : ''}`;
}

// ---------- plots ----------

const axisDark = { gridcolor: '#ddd', zeroline: false };

function drawTraining(): void {
  const t = state.training;
  Plotly.react(
    $('plot-training'),
    [
      // Copies: plotly redraws only arrays it has not seen (these grow in place).
      { x: t.step.slice(), y: t.loss.slice(), name: 'loss (cross-entropy)', mode: 'lines' },
      { x: t.step.slice(), y: t.accuracy.slice(), name: 'accuracy', mode: 'lines', yaxis: 'y2' },
    ],
    {
      title: { text: 'Training' },
      margin: { t: 40, r: 60, l: 60, b: 40 },
      xaxis: { title: { text: 'step' }, ...axisDark },
      yaxis: { title: { text: 'loss' }, type: 'log', ...axisDark },
      yaxis2: { title: { text: 'accuracy' }, overlaying: 'y', side: 'right', range: [0, 1] },
      legend: { x: 0.35, y: 0.98, bgcolor: 'rgba(255,255,255,0.7)' },
    },
    CONFIG,
  );
}

function drawConstellation(codebook: Float32Array, step: number | string): void {
  const { M, dims } = state;
  const s = state.settings;
  const labels = Array.from({ length: M }, (_, m) => String(m));
  // I/Q of every channel use (complex), or the first two real dimensions.
  const x: number[] = [];
  const y: number[] = [];
  const text: string[] = [];
  if (s.signalling === 'complex') {
    for (let m = 0; m < M; m++)
      for (let u = 0; u < s.n; u++) {
        x.push(codebook[m * dims + 2 * u]);
        y.push(codebook[m * dims + 2 * u + 1]);
        text.push(s.n > 1 ? `${m}·${u + 1}` : `${m}`);
      }
  } else {
    for (let m = 0; m < M; m++) {
      x.push(codebook[m * dims]);
      y.push(dims > 1 ? codebook[m * dims + 1] : 0);
      text.push(`${m}`);
    }
  }
  const lim = Math.max(1.5, ...x.map(Math.abs), ...y.map(Math.abs)) * 1.1;
  const square = { range: [-lim, lim], ...axisDark };
  const title =
    s.signalling === 'complex'
      ? `Constellation (I/Q of all ${s.n} uses), step ${step}`
      : dims > 2
        ? `Dimensions 1 and 2, step ${step}`
        : `Constellation, step ${step}`;
  Plotly.react(
    $('plot-constellation'),
    [{ x, y, text, mode: M <= 32 ? 'markers+text' : 'markers', textposition: 'top center', marker: { size: 8 } }],
    { title: { text: title }, margin: { t: 40, r: 20, l: 40, b: 30 }, xaxis: square, yaxis: { ...square, scaleanchor: 'x' }, showlegend: false },
    CONFIG,
  );
  const pcaEl = $('plot-pca');
  if (dims > 2) {
    pcaEl.style.display = '';
    const p = pca2(codebook, M, dims);
    Plotly.react(
      pcaEl,
      [{ x: p.x, y: p.y, text: labels, mode: M <= 32 ? 'markers+text' : 'markers', textposition: 'top center', marker: { size: 8, color: '#d62728' } }],
      { title: { text: `PCA of the ${dims}-dimensional codewords` }, margin: { t: 40, r: 20, l: 40, b: 30 }, yaxis: { scaleanchor: 'x' }, showlegend: false },
      CONFIG,
    );
  } else pcaEl.style.display = 'none';
}

function drawRates(): void {
  for (const which of ['bler', 'ber'] as const) {
    const traces: unknown[] = [];
    for (const [curve, c] of Object.entries(state.curves)) {
      const simulated = c.low !== undefined;
      const y = c[which];
      const ys = y.map((v) => (v !== null && v > 0 ? v : null));
      const trace: Record<string, unknown> = {
        x: c.ebnoDb,
        y: ys,
        name: LABELS[curve] ?? curve,
        mode: simulated ? 'lines+markers' : 'lines',
        line: { dash: simulated ? 'solid' : 'dash' },
      };
      if (simulated && which === 'bler') {
        trace.error_y = {
          type: 'data',
          symmetric: false,
          array: ys.map((v, i) => (v === null ? null : (c.high![i] ?? v) - v)),
          arrayminus: ys.map((v, i) => (v === null ? null : v - (c.low![i] ?? v))),
        };
      }
      if (ys.some((v) => v !== null)) traces.push(trace);
    }
    Plotly.react(
      $(`plot-${which}`),
      traces,
      {
        title: { text: which === 'bler' ? 'Block error rate (95% Clopper–Pearson intervals)' : 'Bit error rate' },
        margin: { t: 40, r: 20, l: 60, b: 40 },
        xaxis: { title: { text: 'Eb/N0 (dB)' }, ...axisDark },
        yaxis: { type: 'log', title: { text: which.toUpperCase() }, exponentformat: 'e', ...axisDark },
        legend: { x: 0.01, y: 0.01, bgcolor: 'rgba(255,255,255,0.75)', font: { size: 10 } },
      },
      CONFIG,
    );
  }
}

// ---------- talking to the worker ----------

/**
 * Redraws at most every DRAW_MS (training reports faster than plotly draws, and on a small machine the
 * drawing would take CPU from the worker that trains).
 */
const DRAW_MS = 250;
const pending = new Map<string, () => void>();
function drawSoon(key: string, draw: () => void): void {
  if (!pending.size)
    setTimeout(
      () =>
        requestAnimationFrame(() => {
          const draws = [...pending.values()];
          pending.clear();
          for (const d of draws) d();
        }),
      DRAW_MS,
    );
  pending.set(key, draw);
}

function status(text: string): void {
  $('status').textContent = text;
}

function setBusy(training: boolean): void {
  // A new training or its end leaves nothing paused.
  state.paused = false;
  $('b-pause').textContent = 'Stop';
  $<HTMLButtonElement>('b-train').disabled = training;
  $<HTMLButtonElement>('b-pause').disabled = !training;
  $<HTMLButtonElement>('b-abort').disabled = !training;
  $<HTMLButtonElement>('b-sweep').disabled = training || !state.codebook;
  $<HTMLButtonElement>('b-export').disabled = training || !state.trained;
}

function startTraining(): void {
  const s = readForm();
  state.settings = s;
  history.replaceState(null, '', shareLink(s));
  Object.assign(state, {
    training: { step: [], loss: [], accuracy: [] },
    snapshots: [],
    codebook: undefined,
    trained: false,
    sweepDone: false,
    curves: {},
    points: {},
    error: '',
  });
  document.body.removeAttribute('data-trained');
  document.body.removeAttribute('data-sweep-done');
  drawRates();
  setBusy(true);
  status('compiling the scenario and starting…');
  send({ type: 'train', yaml: scenarioYaml(s), quick: s.quick, snapshotEvery: 25, logEvery: 25 });
}

function onPoint(curve: string, index: number, p: PointResult): void {
  const ebno = state.settings;
  const grid = state.curves[curve] ?? { ebnoDb: [], bler: [], ber: [], low: [], high: [] };
  const points = (state.points[curve] ??= []);
  points[index] = p;
  grid.ebnoDb[index] = p.ebnoDb;
  grid.bler[index] = p.errors > 0 ? p.bler : null;
  grid.ber[index] = p.ber !== undefined && p.ber > 0 ? p.ber : null;
  grid.low![index] = p.ciLow;
  grid.high![index] = p.ciHigh;
  state.curves[curve] = grid;
  status(
    `sweep: ${LABELS[curve] ?? curve} at ${p.ebnoDb} dB: BLER ${p.bler.toExponential(2)} (${p.errors} errors in ${p.blocks} blocks) · Eb/N0 ${ebno.sweepFrom}…${ebno.sweepTo} dB`,
  );
  drawSoon('rates', drawRates);
}

worker.onmessage = (ev: MessageEvent<ToPage>) => {
  const m = ev.data;
  switch (m.type) {
    case 'ready':
      state.backend = m.backend;
      $('backend').textContent = m.backend;
      document.body.dataset.ready = '1';
      status('ready');
      setBusy(false);
      break;
    case 'plan':
      Object.assign(state, { dims: m.dims, M: m.M, steps: m.steps });
      status(`training (${m.steps} steps at most, Eb/N0 ${JSON.stringify(m.ebnoDb)} dB)…`);
      break;
    case 'progress':
      state.training.step.push(m.step);
      state.training.loss.push(m.loss);
      state.training.accuracy.push(m.accuracy);
      drawSoon('training', drawTraining);
      status(`training: step ${m.step} of at most ${m.steps}, loss ${m.loss.toFixed(4)}, accuracy ${m.accuracy.toFixed(4)}, ${m.seconds.toFixed(1)} s`);
      break;
    case 'codebook':
      state.codebook = m.codebook;
      state.snapshots.push({ step: m.step, head: Array.from(m.codebook.slice(0, 4)) });
      drawSoon('constellation', () => drawConstellation(m.codebook, m.step));
      break;
    case 'trained':
      Object.assign(state, { codebook: m.codebook, trainSeconds: m.seconds, trained: true });
      drawTraining();
      drawConstellation(m.codebook, 'final');
      status(`trained in ${m.seconds.toFixed(1)} s (${m.record.totalSteps} steps, final accuracy ${m.record.finalAccuracy.toFixed(4)}); measuring the BLER…`);
      document.body.dataset.trained = '1';
      setBusy(false);
      send({ type: 'sweep' });
      break;
    case 'aborted':
      status('training stopped; change the settings and train again');
      setBusy(false);
      break;
    case 'closed':
      state.curves[m.curve] = { ebnoDb: m.ebnoDb, bler: m.bler, ber: m.ber };
      drawRates();
      break;
    case 'point':
      onPoint(m.curve, m.index, m.point);
      break;
    case 'sweepDone':
      state.sweepDone = true;
      document.body.dataset.sweepDone = '1';
      status(`done: trained in ${state.trainSeconds.toFixed(1)} s; sweep finished`);
      break;
    case 'files': {
      const folder = `models/${AE_ID}`;
      const zip = zipStored({
        'scenario.yaml': scenarioYaml(state.settings),
        [`${folder}/autoencoder.json`]: m.files['autoencoder.json'],
        [`${folder}/encoder.weights.bin`]: m.files['encoder.weights.bin'],
        [`${folder}/decoder.weights.bin`]: m.files['decoder.weights.bin'],
      });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
      a.download = `playground-${state.settings.n}-${state.settings.k}.zip`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      break;
    }
    case 'imported': {
      const s: Settings = {
        ...readForm(),
        k: m.spec.k,
        n: m.spec.n,
        signalling: m.spec.signalling as Settings['signalling'],
        power: (m.spec.normalization === 'average-power' ? 'average-power' : 'energy') as Settings['power'],
        channel: (['awgn', 'rayleigh', 'rician'].includes(m.spec.channel.type) ? m.spec.channel.type : 'awgn') as Settings['channel'],
      };
      writeForm(s);
      state.settings = s;
      Object.assign(state, { dims: m.codebook.length / 2 ** s.k, M: 2 ** s.k, codebook: m.codebook, trained: true, curves: {}, points: {}, sweepDone: false });
      drawConstellation(m.codebook, 'imported');
      status('model imported; measuring the BLER…');
      setBusy(false);
      send({ type: 'sweep' });
      break;
    }
    case 'error':
      state.error = m.message;
      status(`error: ${m.message}`);
      setBusy(false);
      break;
  }
};

async function importModel(files: FileList): Promise<void> {
  const byName: Partial<Record<'autoencoder.json' | 'encoder.weights.bin' | 'decoder.weights.bin', Uint8Array>> = {};
  for (const f of Array.from(files)) {
    if (f.name === 'autoencoder.json' || f.name === 'encoder.weights.bin' || f.name === 'decoder.weights.bin')
      byName[f.name] = new Uint8Array(await f.arrayBuffer());
  }
  const s = readForm();
  // The scenario around the model is compiled again once its spec is known (the sweep and seed come from the form).
  send({ type: 'import', yaml: scenarioYaml(s), quick: s.quick, files: byName });
}

// ---------- wiring ----------

state.settings = settingsFromQuery(location.search);
writeForm(state.settings);
$('f-channel').addEventListener('change', () => writeForm(readForm()));
$('b-train').addEventListener('click', startTraining);
$('b-pause').addEventListener('click', () => {
  state.paused = !state.paused;
  send({ type: state.paused ? 'pause' : 'continue' });
  $('b-pause').textContent = state.paused ? 'Continue' : 'Stop';
  status(state.paused ? 'training paused' : 'training…');
});
$('b-abort').addEventListener('click', () => send({ type: 'abort' }));
$('b-sweep').addEventListener('click', () => {
  Object.assign(state, { curves: {}, points: {}, sweepDone: false });
  document.body.removeAttribute('data-sweep-done');
  send({ type: 'sweep' });
});
$('b-export').addEventListener('click', () => send({ type: 'export' }));
$('b-link').addEventListener('click', () => {
  const link = shareLink(readForm());
  history.replaceState(null, '', link);
  $<HTMLInputElement>('link').value = link;
  void navigator.clipboard?.writeText(link).catch(() => {});
});
$<HTMLInputElement>('f-import').addEventListener('change', (e) => {
  const files = (e.target as HTMLInputElement).files;
  if (files?.length) void importModel(files);
});
drawTraining();
drawRates();
setBusy(true);
$<HTMLButtonElement>('b-train').disabled = true;
send({ type: 'init', backend: new URLSearchParams(location.search).get('backend') ?? 'wasm' });
