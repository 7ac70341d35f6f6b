/**
 * Geometry of a codebook as error rates see it: the squared minimum distance d²min and the kissing number
 * (how many codewords sit at d²min), after scaling the codebook to the energy every system spends, a mean
 * ‖x‖² of n per codeword (n channel uses, real or complex; src/conventions.ts). At high Eb/N0 the block
 * error rate of ML decoding is about K̄ · Q(√(d²min / (2σ²))), so d²min and the mean kissing number K̄ are
 * the two numbers that rank codes of the same k and n.
 *
 * A codebook is M rows of real values (complex rows interleaved I, Q), as results.json stores it. The
 * distance spectrum (every pairwise squared distance) is for the report's figure; annotateResults writes
 * `codebookGeometry` into results.json.
 */
import { hammingCodebook } from '../baselines/hamming.ts';
import { DEFAULTS } from '../defaults.ts';
import type { CodebookGeometry } from '../results/results.ts';
import type { Codebook } from './constellation.ts';

/** Codebooks larger than this get no geometry (M² distance evaluations). */
export const GEOMETRY_MAX_M = 4096;

/** The rows scaled so the mean ‖x‖² over the codewords is `energy` (unchanged when all are zero). */
export function energyNormalized(rows: Codebook, energy: number): number[][] {
  const mean = rows.reduce((s, r) => s + r.reduce((t, v) => t + v * v, 0), 0) / rows.length;
  const scale = mean > 0 ? Math.sqrt(energy / mean) : 1;
  return rows.map((r) => r.map((v) => v * scale));
}

/** Every pairwise squared distance, i < j, in row-major pair order (M(M−1)/2 values). */
export function pairwiseSquaredDistances(rows: Codebook): Float64Array {
  const M = rows.length;
  const out = new Float64Array((M * (M - 1)) / 2);
  let k = 0;
  for (let i = 0; i < M; i++)
    for (let j = i + 1; j < M; j++) {
      let d = 0;
      const a = rows[i];
      const b = rows[j];
      for (let t = 0; t < a.length; t++) d += (a[t] - b[t]) ** 2;
      out[k++] = d;
    }
  return out;
}

/** d²min and kissing numbers of the rows as they are (no scaling). */
export function distanceProfile(rows: Codebook, tolerance: number = DEFAULTS.analysis.kissingTolerance): Omit<CodebookGeometry, 'normalizedTo' | 'reference'> {
  const M = rows.length;
  if (M < 2) throw new RangeError('a codebook needs at least 2 codewords');
  const d2 = pairwiseSquaredDistances(rows);
  let d2min = Infinity;
  for (const d of d2) d2min = Math.min(d2min, d);
  const limit = d2min * (1 + tolerance);
  const kiss = new Array<number>(M).fill(0);
  let k = 0;
  for (let i = 0; i < M; i++)
    for (let j = i + 1; j < M; j++)
      if (d2[k++] <= limit) {
        kiss[i]++;
        kiss[j]++;
      }
  return { d2min, kissingMean: kiss.reduce((s, x) => s + x, 0) / M, kissingMax: Math.max(...kiss), tolerance };
}

/** Hamming (7,4) as BPSK (±1, ‖x‖² = 7): d² = 4·w for codeword distances w = 3, 4, 7. */
export function hamming74Rows(): number[][] {
  const cb = hammingCodebook();
  return Array.from({ length: 16 }, (_, m) => Array.from(cb.subarray(m * 7, m * 7 + 7)));
}

/** Whether a codebook is comparable with Hamming (7,4) as BPSK: 16 codewords on 7 real channel uses. */
export const isHamming74Shaped = (c: { k: number; n: number; signalling: string }): boolean => c.k === 4 && c.n === 7 && c.signalling === 'real';

/** The geometry annotateResults writes for a learned codebook; undefined when there is none (or it is too big). */
export function codebookGeometry(
  c: { codebook?: number[][]; k: number; n: number; signalling: string },
  tolerance: number = DEFAULTS.analysis.kissingTolerance,
): CodebookGeometry | undefined {
  const rows = c.codebook;
  if (!rows || rows.length < 2 || rows.length > GEOMETRY_MAX_M) return undefined;
  const g: CodebookGeometry = { normalizedTo: c.n, ...distanceProfile(energyNormalized(rows, c.n), tolerance) };
  if (isHamming74Shaped(c)) g.reference = { name: 'Hamming (7,4) as BPSK', ...distanceProfile(hamming74Rows(), tolerance) };
  return g;
}

/**
 * The cumulative distance spectrum: for each distinct squared distance d² (sorted), the mean number of other
 * codewords within d² of a codeword. Hamming (7,4) as BPSK: 7 at d² = 12, 14 at 16, 15 at 28. Distances
 * closer than `merge` (relative) are one step.
 */
export function cumulativeSpectrum(rows: Codebook, merge = 1e-9): { d2: number[]; neighbours: number[] } {
  const M = rows.length;
  const d2 = pairwiseSquaredDistances(rows).sort();
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < d2.length; i++) {
    // Each pair is a neighbour of both its codewords: 2 per pair, over M codewords.
    const y = (2 * (i + 1)) / M;
    if (xs.length && d2[i] - xs[xs.length - 1] <= merge * Math.max(1, d2[i])) ys[ys.length - 1] = y;
    else {
      xs.push(d2[i]);
      ys.push(y);
    }
  }
  return { d2: xs, neighbours: ys };
}
