import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/errors.ts';
import { writeFileAtomic } from '../../src/io/atomic.ts';
import { makeDir } from '../../src/io/make-dir.ts';
import { checkWritable, lockFileFor, lockRunFolder } from '../../src/run/run-folder.ts';

describe('run folders: writable, locked, and every write failure a message', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'run-folder-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('makeDir creates missing parents, and fails (does not hang) where the system refuses new folders', async function () {
    await makeDir(join(dir, 'a', 'b', 'c'));
    assert.ok(existsSync(join(dir, 'a', 'b', 'c')));
    await makeDir(join(dir, 'a', 'b', 'c')); // exists: nothing to do
    await writeFile(join(dir, 'file'), 'x');
    await assert.rejects(makeDir(join(dir, 'file', 'sub')), (e: NodeJS.ErrnoException) => e.code === 'ENOTDIR');
    if (!existsSync('/proc/1')) this.skip();
    // Node's mkdir(…, { recursive: true }) never returns here (Node 20); this must end within the test's timeout.
    await assert.rejects(makeDir('/proc/1/x/y'), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
  }).timeout(10_000);

  it('a write that fails for a reason of the file system is a UserError naming the file', async function () {
    await assert.rejects(
      writeFileAtomic(join(dir, 'file', 'results.json'), '{}'),
      (e: unknown) => e instanceof UserError && /file\/results\.json: cannot write it/.test(e.message),
    );
    await assert.rejects(checkWritable(join(dir, 'file', 'run')), (e: unknown) => e instanceof UserError && /file\/run: cannot write it/.test(e.message));
    if (!existsSync('/proc/1')) this.skip();
    await assert.rejects(
      writeFileAtomic('/proc/1/x/results.json', '{}'),
      (e: unknown) => e instanceof UserError && /^\/proc\/1\/x\/results\.json: cannot write it/.test(e.message),
    );
  }).timeout(10_000);

  it('one lock per results file: a second run of the same file is refused, a shard beside it is not; released at the end', async () => {
    const run = join(dir, 'run');
    await checkWritable(run);
    const notes: string[] = [];
    const release = await lockRunFolder(run, (l) => notes.push(l));
    const owner = JSON.parse(await readFile(join(run, lockFileFor()), 'utf8'));
    assert.deepEqual([owner.pid, owner.host], [process.pid, os.hostname()]);
    await assert.rejects(
      lockRunFolder(run, () => {}),
      (e: unknown) => e instanceof UserError && /another sim run is writing this folder/.test(e.message),
    );
    const shard = await lockRunFolder(run, () => {}, 'results.shard-2-of-4.json');
    assert.ok(existsSync(join(run, '.sim-run.shard-2-of-4.lock')));
    await shard();
    await release();
    assert.equal(existsSync(join(run, lockFileFor())), false);
    assert.deepEqual(notes, []);
  });

  it('a lock of another host is refused with the way out; a damaged lock is stale', async () => {
    const run = join(dir, 'other-host');
    await checkWritable(run);
    await writeFile(join(run, lockFileFor()), JSON.stringify({ pid: 1, host: `not-${os.hostname()}`, startedAt: 'x' }));
    await assert.rejects(
      lockRunFolder(run, () => {}),
      (e: unknown) => e instanceof UserError && /on not-.*if that run is gone, delete .*\.sim-run\.lock/.test(e.message),
    );
    await writeFile(join(run, lockFileFor()), '{"pid": ');
    const notes: string[] = [];
    const release = await lockRunFolder(run, (l) => notes.push(l));
    assert.match(notes.join(), /was left by a run that is gone \(unreadable\); taking it over/);
    await release();
  });
});
