/**
 * The report's tables about the run itself: the curves, every measured point, the training records and the
 * run's provenance. Each is one htmlTable (src/report/tables.ts), so every user string is escaped there.
 */
import { channelLabel } from '../channels/index.ts';
import type { PointResult } from '../montecarlo/types.ts';
import { DEFAULTS } from '../defaults.ts';
import { QUICK, type CompiledTrain } from '../scenario/compile.ts';
import { escapeHtml } from './escape.ts';
import { curveColor } from './figures.ts';
import { ebnoText, fmtInt, fmtSci, fmtSeconds } from './format.ts';
import { isFinished, type Curve, type ResultsFile } from '../results/results.ts';
import { html, htmlTable, SPANNED, type CellContent } from './tables.ts';
import { kindOf } from '../systems/registry.ts';

const note = (text: string): string => ` <span class="note">(${escapeHtml(text)})</span>`;
const code = (text: string | number): string => `<code>${escapeHtml(text)}</code>`;

/** One row per curve: what it is and how many of its points are measured. */
export function curvesTable(results: ResultsFile): string {
  return htmlTable({
    columns: [
      { header: 'Curve', cell: (c: Curve, i) => html(`<span class="swatch" style="background:${curveColor(i)}"></span>${escapeHtml(c.label)}`) },
      { header: 'Id', cell: (c) => html(code(c.id)) },
      { header: 'Type', cell: (c) => c.type },
      { header: 'Channel uses n', className: 'num', cell: (c) => `${c.n}${c.signalling === 'complex' ? ' complex' : ''}` },
      { header: 'Bits k', className: 'num', cell: (c) => c.k },
      { header: 'Rate k/n (bits/use)', className: 'num', cell: (c) => Number(c.rate.toFixed(4)) },
      { header: 'Signalling', cell: (c) => c.signalling },
      { header: 'Power constraint', cell: (c) => c.normalization ?? '—' },
      { header: 'Channel', cell: (c) => channelLabel(c.channel) },
      {
        header: 'Decoder',
        cell: (c) =>
          c.decoder ? html(`${escapeHtml(c.decoder.description)}${note(`${c.decoder.kind}, ${fmtInt(c.decoder.costPerBlock)} operations per block`)}`) : '—',
      },
      { header: 'Points measured', className: 'num', cell: (c) => `${c.points.filter(isFinished).length}/${c.points.length}` },
    ],
    rows: results.curves,
  });
}

interface PointRow {
  curve: Curve;
  point: PointResult;
  /** Index of the point in its curve (the first one carries the curve's header cell). */
  j: number;
}

/** Every point of every curve, grouped by curve; unfinished points say why. */
export function pointsTable(results: ResultsFile): string {
  const rows: PointRow[] = results.curves.flatMap((curve) => curve.points.map((point, j) => ({ curve, point, j })));
  const done = (p: PointResult) => isFinished(p);
  const counted = (p: PointResult) => done(p) || p.blocks > 0;
  return htmlTable({
    className: 'points',
    columns: [
      {
        header: 'Curve',
        cell: ({ curve, j }) =>
          j === 0 ? { scope: 'rowgroup', rowSpan: curve.points.length, content: html(`${escapeHtml(curve.label)}<br>${code(curve.id)}`) } : SPANNED,
      },
      { header: html('E<sub>b</sub>/N<sub>0</sub> (dB)'), className: 'num', cell: ({ point: p }) => p.ebnoDb },
      { header: 'Blocks', className: 'num', cell: ({ point: p }) => (counted(p) ? fmtInt(p.blocks) : '') },
      { header: 'Errors', className: 'num', cell: ({ point: p }) => (counted(p) ? fmtInt(p.errors) : '') },
      { header: 'BLER', className: 'num', cell: ({ point: p }) => (done(p) ? (p.errors === 0 ? `< ${fmtSci(p.ciHigh)}` : fmtSci(p.bler)) : '') },
      { header: '95% CI', className: 'num', cell: ({ point: p }) => (done(p) ? `[${fmtSci(p.ciLow)}, ${fmtSci(p.ciHigh)}]` : '') },
      { header: 'Bit errors', className: 'num', cell: ({ point: p }) => (counted(p) && p.bitErrors !== undefined ? fmtInt(p.bitErrors) : '') },
      {
        header: 'BER',
        className: 'num',
        cell: ({ point: p }) => (done(p) && p.ber !== undefined ? (p.bitErrors === 0 ? `< ${fmtSci(p.berCiHigh ?? 1)}` : fmtSci(p.ber)) : ''),
      },
      {
        header: 'BER 95% CI',
        className: 'num',
        cell: ({ point: p }) => (done(p) && p.berCiLow !== undefined && p.berCiHigh !== undefined ? `[${fmtSci(p.berCiLow)}, ${fmtSci(p.berCiHigh)}]` : ''),
      },
      { header: 'Seconds', className: 'num', cell: ({ point: p }) => (p.seconds ? p.seconds.toFixed(1) : '') },
      {
        header: 'Status',
        cell: ({ point: p }) => ({ className: done(p) ? 'ok' : 'missing', content: html(`${escapeHtml(p.status)}${p.note ? note(p.note) : ''}`) }),
      },
      {
        // Importance-sampled points: blocks are samples, errors unweighted; the effective sample size says how much the estimate rests on.
        header: 'Method',
        cell: ({ point: p }) =>
          p.method !== 'importance'
            ? done(p)
              ? 'Monte Carlo'
              : ''
            : !p.importance
              ? 'importance sampling'
              : {
                  className: p.importance.trusted ? 'ok' : 'missing',
                  content: `importance sampling, ESS ${p.importance.ess.toFixed(0)}${p.importance.trusted ? '' : ', NOT TRUSTED'}`,
                },
      },
    ],
    rows,
  });
}

/** The compiled training recipe of an autoencoder's curve (from the scenario results.json records). */
function recipeOf(results: ResultsFile, c: Curve): CompiledTrain | undefined {
  const s = results.scenario.systems.find((x) => x.id === c.id);
  return s ? kindOf(s).trainingRecipe?.(s) : undefined;
}

/** "Adam 0.01 → 0.0011 (2 decays), stop on convergence (≤ 20,000 steps)", or the fixed length. */
function recipeText(r: CompiledTrain | undefined, t: NonNullable<Curve['training']>): string {
  if (!r) return '—';
  const decays = t.learningRateDecays ?? [];
  const lr = decays.length
    ? `Adam ${r.learningRate} → ${decays.at(-1)!.learningRate.toPrecision(2)} (${decays.length} decay${decays.length === 1 ? '' : 's'})`
    : `Adam ${r.learningRate}`;
  const stop = r.stop === 'converged' ? `stop on convergence (≤ ${fmtInt(r.steps)} steps)` : `fixed ${fmtInt(r.steps)} steps`;
  return `${lr}, batch ${fmtInt(r.batchSize)}, ${stop}`;
}

/**
 * "1,400 steps at 4.9 dB (Adam 0.0003); learned vs ML decoding of its codebook: 339 vs 311 → 316 vs 311
 * errors on 20,000 blocks; converged: …", or — without one.
 */
function refinementText(r: NonNullable<Curve['training']>['refinement']): string {
  if (!r) return '—';
  const vs = r.vsMl
    ? `; learned vs ML decoding of its codebook: ${fmtInt(r.vsMl.before.learned)} vs ${fmtInt(r.vsMl.before.ml)} → ${fmtInt(r.vsMl.after.learned)} vs ${fmtInt(r.vsMl.after.ml)} errors on ${fmtInt(r.vsMl.blocks)} blocks`
    : '';
  return `${fmtInt(r.steps)} steps at ${r.ebnoDb} dB (Adam ${r.learningRate.toPrecision(2)}, encoder frozen)${vs}; ${r.stopReason}`;
}

/** One row per autoencoder with a training record; empty when there is none. */
export function trainingTable(results: ResultsFile): string {
  const rows = results.curves.filter((c) => c.training);
  if (!rows.length) return '';
  const t = (c: Curve) => c.training!;
  return htmlTable({
    columns: [
      { header: 'Autoencoder', cell: (c: Curve) => c.label },
      { header: 'Steps', className: 'num', cell: (c) => fmtInt(t(c).totalSteps ?? t(c).steps.at(-1) ?? 0) },
      {
        header: html('Training E<sub>b</sub>/N<sub>0</sub>'),
        cell: (c) => ebnoText(t(c).ebnoDb) + (recipeOf(results, c)?.ebnoDbChoice === 'auto' ? ' (auto)' : ''),
      },
      { header: 'Recipe', cell: (c) => recipeText(recipeOf(results, c), t(c)) },
      { header: 'Why training stopped', cell: (c) => t(c).stopReason ?? '—' },
      { header: 'Decoder refinement', cell: (c) => refinementText(t(c).refinement) },
      { header: 'Final accuracy', className: 'num', cell: (c) => `${(t(c).finalAccuracy * 100).toFixed(2)}%` },
      { header: 'Training time', className: 'num', cell: (c) => fmtSeconds(t(c).seconds) + (t(c).backend ? ` (${t(c).backend})` : '') },
      {
        header: 'Restarts',
        className: 'num',
        cell: (c) => html(`${escapeHtml(t(c).restarts)}${t(c).restartReasons?.length ? note(t(c).restartReasons.join('; ')) : ''}`),
      },
      {
        header: 'Extensions',
        className: 'num',
        cell: (c) => html(`${escapeHtml(t(c).extensions?.length ?? 0)}${t(c).extensions?.length ? note(t(c).extensions!.join('; ')) : ''}`),
      },
      { header: 'Model', cell: (c) => t(c).source ?? 'trained' },
    ],
    rows,
  });
}

/** Provenance and settings of the run, one key per row. */
export function infoTable(results: ResultsFile): string {
  const sc = results.scenario;
  const rows: [string, CellContent][] = [
    ['Scenario', html(code(sc.name))],
    ['Description', sc.description || '—'],
    ['Seed', html(code(results.seed))],
    ['Backend', results.backendReason ? `${results.backend} — ${results.backendReason}` : results.backend],
    ['Versions', `node ${results.versions.node} · tfjs ${results.versions.tfjs} · learned-phy-sim ${results.versions.project}`],
    ['Started', results.startedAt],
    ['Run time', fmtSeconds(results.seconds)],
    ...(results.workers ? ([['Workers', results.workers]] as [string, CellContent][]) : []),
    ['Eb/N0 sweep', `${sc.sweep.ebnoDb.join(', ')} dB`],
    ['Stopping rules', stoppingRulesText(sc)],
    ['Quick run', results.quick ? html(`<b>yes</b> (${escapeHtml(QUICK.describe())})`) : 'no'],
    ...(results.shard ? ([['Shard', `${results.shard.index} of ${results.shard.count}`]] as [string, CellContent][]) : []),
    ...(sc.compare.length ? ([['Compared pairs', html(sc.compare.map(([a, b]) => `${code(a)} vs ${code(b)}`).join(', '))]] as [string, CellContent][]) : []),
    ...(sc.claims?.length ? ([['Claim checks', html(sc.claims.map(code).join(', '))]] as [string, CellContent][]) : []),
  ];
  return htmlTable({
    className: 'info',
    noHead: true,
    columns: [
      { header: '', cell: ([key]) => ({ scope: 'row', content: key }) },
      { header: '', cell: ([, value]) => value },
    ],
    rows,
  });
}

/**
 * The rules that governed the points, by method: plain Monte Carlo's error targets and sweep rule for the
 * systems measured by counting, importance sampling's precision target for the others (which measure every
 * point: the sweep rule does not apply to them). A method no system used is not described.
 */
function stoppingRulesText(sc: ResultsFile['scenario']): string {
  const mc = sc.montecarlo;
  const is = sc.systems.filter((s) => 'importance' in s && s.importance);
  const plain = sc.systems.filter((s) => !is.includes(s));
  const whose = (list: typeof sc.systems) => (is.length && plain.length ? ` (${list.map((s) => s.id).join(', ')})` : '');
  const parts: string[] = [];
  if (plain.length)
    parts.push(
      `counting${whose(plain)}: ` +
        [
          ...(mc.targetErrors > 0 ? [`${fmtInt(mc.targetErrors)} block errors`] : []),
          ...((mc.targetBitErrors ?? 0) > 0 ? [`${fmtInt(mc.targetBitErrors)} bit errors`] : []),
          `${fmtInt(mc.maxBlocks)} blocks per point; `,
        ].join(' or ') +
        (mc.minBler > 0 ? `a curve stops after a point below BLER ${fmtSci(mc.minBler)}` : 'no BLER at which a curve stops') +
        ((mc.minBer ?? 0) > 0 ? `, or below BER ${fmtSci(mc.minBer)}` : '') +
        (mc.stopOnZeroErrors ? ', or after a point without errors' : ''),
    );
  if (is.length) {
    const widths = [...new Set(is.map((s) => (s as { importance: { targetRelativeHalfWidth: number } }).importance.targetRelativeHalfWidth))];
    parts.push(
      `importance sampling${whose(is)}: a point ends when its 95% interval's half-width is at most ${widths.map((w) => `${+(100 * w).toPrecision(3)}%`).join(' or ')} ` +
        `of the estimate (with at least ${DEFAULTS.importance.minEss} effective error samples and no sample above ${+(100 * DEFAULTS.importance.maxWeightShare).toPrecision(3)}% of it), ` +
        `or at ${fmtInt(mc.maxBlocks)} samples; every point is measured`,
    );
  }
  return parts.join('. ');
}
