/** Atomic file writes (src/io/atomic.ts): the file is either the old one or the whole new one, never half of either. */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/errors.ts';
import { writeFileAtomic } from '../../src/io/atomic.ts';

describe('atomic file writes (src/io/atomic.ts)', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes text and bytes, creating missing folders, and leaves no temp file beside the target', async () => {
    const text = join(dir, 'a', 'b', 'results.json');
    await writeFileAtomic(text, '{"x":1}\n');
    assert.equal(await readFile(text, 'utf8'), '{"x":1}\n');
    const bytes = join(dir, 'model.bin');
    await writeFileAtomic(bytes, new Uint8Array([0, 255, 7]));
    assert.deepEqual([...(await readFile(bytes))], [0, 255, 7]);
    assert.deepEqual(await readdir(join(dir, 'a', 'b')), ['results.json']);
    assert.deepEqual((await readdir(dir)).sort(), ['a', 'model.bin']);
  });

  it('a producer runs before anything is written; when it throws, the previous file stays as it was', async () => {
    const file = join(dir, 'report.html');
    await writeFile(file, 'old report');
    await assert.rejects(
      writeFileAtomic(file, () => {
        throw new RangeError('rendering failed');
      }),
      /rendering failed/,
    );
    assert.equal(await readFile(file, 'utf8'), 'old report');
    await writeFileAtomic(file, async () => 'new report');
    assert.equal(await readFile(file, 'utf8'), 'new report');
    assert.deepEqual(await readdir(dir), ['report.html']);
  });

  it('a target the user can fix (a file where a folder should be) is a UserError naming the path; nothing is left behind', async () => {
    const blocker = join(dir, 'out');
    await writeFile(blocker, 'a file, not a folder');
    const target = join(blocker, 'results.json');
    await assert.rejects(writeFileAtomic(target, 'x'), (e: unknown) => {
      assert.ok(e instanceof UserError, `expected a UserError, got ${String(e)}`);
      assert.ok(e.message.startsWith(`${target}: cannot write it (`), e.message);
      assert.match(e.message, /ENOTDIR|EEXIST/);
      return true;
    });
    assert.deepEqual(await readdir(dir), ['out']);
    assert.equal(await readFile(blocker, 'utf8'), 'a file, not a folder');
  });

  it('a target that is a folder is a UserError too, and the folder is untouched', async () => {
    await writeFileAtomic(join(dir, 'sub', 'keep.txt'), 'kept');
    await assert.rejects(writeFileAtomic(join(dir, 'sub'), 'x'), (e: unknown) => e instanceof UserError && /EISDIR|ENOTEMPTY|EEXIST/.test(e.message));
    assert.deepEqual(await readdir(join(dir, 'sub')), ['keep.txt']);
  });
});
