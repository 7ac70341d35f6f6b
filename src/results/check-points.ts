/**
 * The counts a point of results.json carries beyond blocks and errors, checked when the file is read: its bit
 * counts and, on an unfinished point, the counts of every chunk computed so far (`chunks`, which --resume and
 * sim merge continue from). A hand-edited or damaged count would otherwise reach the Monte Carlo engine and
 * fail there, far from the file; here it is one line naming the field.
 */
import { isObj } from '../data/is-object.ts';
import { cappedChunkSize, chunkSize } from '../montecarlo/chunks.ts';
import { DEFAULT_CHUNKS } from '../montecarlo/types.ts';

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Problems of point `at` (a field path) of a curve with `k` bits per block, under the run's block budget. */
export function pointCountProblems(p: Record<string, unknown>, at: string, k: unknown, maxBlocks: unknown): string[] {
  const out: string[] = [];
  const bits = typeof k === 'number' && k > 0 ? k : undefined;
  for (const f of ['bitErrors', 'bitErrorsSq'] as const)
    if (p[f] !== undefined && !isCount(p[f])) out.push(`${at}.${f}: expected a whole number ≥ 0, found ${JSON.stringify(p[f])}`);
  if (p.chunks === undefined || p.method === 'importance') return out;
  if (!Array.isArray(p.chunks))
    return [...out, `${at}.chunks: expected a list of chunk counts (or null for a chunk not computed), found ${JSON.stringify(p.chunks)}`];
  const budget = isCount(maxBlocks) && maxBlocks > 0 ? maxBlocks : Number.MAX_SAFE_INTEGER;
  p.chunks.forEach((c, j) => {
    const where = `${at}.chunks[${j}]`;
    if (c === null) return;
    if (!isObj(c)) return void out.push(`${where}: expected null or { errors, bitErrors, bitErrorsSq }, found ${JSON.stringify(c)}`);
    const blocks = budget === Number.MAX_SAFE_INTEGER ? chunkSize(j, DEFAULT_CHUNKS) : cappedChunkSize(j, DEFAULT_CHUNKS, budget);
    if (blocks === 0) return void out.push(`${where}: a chunk past the block budget (${budget} blocks), expected at most ${j} chunks`);
    for (const f of ['errors', 'bitErrors', 'bitErrorsSq'] as const)
      if (!isCount(c[f])) return void out.push(`${where}.${f}: expected a whole number ≥ 0, found ${JSON.stringify(c[f])}`);
    const { errors, bitErrors, bitErrorsSq } = c as { errors: number; bitErrors: number; bitErrorsSq: number };
    if (errors > blocks) out.push(`${where}.errors: expected at most the chunk's ${blocks} blocks, found ${errors}`);
    // Per block b bit errors, 0 ≤ b ≤ k: Σb ≤ k·blocks and Σb ≤ Σb² ≤ k·Σb.
    else if (bits !== undefined && bitErrors > bits * blocks) out.push(`${where}.bitErrors: expected at most k·blocks = ${bits * blocks}, found ${bitErrors}`);
    else if (bits !== undefined && (bitErrorsSq < bitErrors || bitErrorsSq > bits * bitErrors))
      out.push(`${where}.bitErrorsSq: expected between bitErrors (${bitErrors}) and k·bitErrors (${bits * bitErrors}), found ${bitErrorsSq}`);
  });
  return out;
}
