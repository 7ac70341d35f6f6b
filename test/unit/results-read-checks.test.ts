import assert from 'node:assert/strict';
import { UserError } from '../../src/errors.ts';
import { parseResults } from '../../src/results/results.ts';
import { fixtureResults } from '../browser/fixture.ts';

/** The fixture with its first curve's last point unfinished and carrying the counts of two chunks. */
function withChunks(): Record<string, any> {
  const r = JSON.parse(JSON.stringify(fixtureResults())) as Record<string, any>;
  const c = r.curves[0];
  const p = c.points[c.points.length - 1];
  Object.assign(p, { status: 'not-simulated', reason: 'interrupted', blocks: 1536, errors: 30, bitErrors: 40, bitErrorsSq: 60 });
  p.chunks = [
    { errors: 20, bitErrors: 26, bitErrorsSq: 40 },
    { errors: 10, bitErrors: 14, bitErrorsSq: 20 },
  ];
  return r;
}

const rejects = (r: unknown, field: RegExp): void => {
  assert.throws(
    () => parseResults(r, 'runs/x/results.json'),
    (e: unknown) => e instanceof UserError && /^runs\/x\/results\.json: /.test(e.message) && field.test(e.message),
  );
};

describe('results files: counts checked on read', () => {
  it('reads the chunks of an unfinished point as written', () => {
    const r = parseResults(withChunks(), 'runs/x/results.json');
    assert.equal(r.curves[0].points.at(-1)?.chunks?.length, 2);
  });

  it('a hand-edited chunk is one message naming the file and the field', () => {
    const at = (edit: (chunks: any[], r: Record<string, any>) => void) => {
      const r = withChunks();
      edit(r.curves[0].points.at(-1).chunks, r);
      return r;
    };
    const last = `curves\\[0\\]\\.points\\[${fixtureResults().curves[0].points.length - 1}\\]`;
    rejects(
      at((ch) => (ch[1].errors = 'ten')),
      new RegExp(`${last}\\.chunks\\[1\\]\\.errors: expected a whole number ≥ 0, found "ten"`),
    );
    rejects(
      at((ch) => delete ch[0].bitErrors),
      new RegExp(`${last}\\.chunks\\[0\\]\\.bitErrors: expected a whole number`),
    );
    // Chunk 0 has 512 blocks (the default schedule).
    rejects(
      at((ch) => (ch[0].errors = 513)),
      new RegExp(`${last}\\.chunks\\[0\\]\\.errors: expected at most the chunk's 512 blocks, found 513`),
    );
    rejects(
      at((ch) => (ch[0].bitErrorsSq = 3)),
      new RegExp(`${last}\\.chunks\\[0\\]\\.bitErrorsSq: expected between bitErrors`),
    );
    rejects(
      at((ch) => ch.push(5)),
      new RegExp(`${last}\\.chunks\\[2\\]: expected null or`),
    );
    rejects(
      at((_ch, r) => (r.curves[0].points.at(-1).chunks = 'x')),
      new RegExp(`${last}\\.chunks: expected a list`),
    );
  });
});
