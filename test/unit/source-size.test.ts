/** Small files with one purpose: no source file of src/ or sim/ over 450 lines (a larger one is split by role). */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const LIMIT = 450;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|mjs|js)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('source files', () => {
  it(`none of src/ and sim/ is over ${LIMIT} lines`, () => {
    const files = [...sources('src'), ...sources('sim')];
    assert.ok(files.length > 100);
    const long = files.map((f) => [f, readFileSync(f, 'utf8').split('\n').length - 1] as const).filter(([, n]) => n > LIMIT);
    assert.deepEqual(long, []);
  });
});
