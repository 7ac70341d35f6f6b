/**
 * The run folder before any work starts: it must be writable (checked by writing and removing a probe file,
 * so a read-only or missing parent fails in the first second, not after training), and one `sim run` at a time
 * may write it (a lock file holding the process id and host; one whose process is gone is taken over).
 */
import { open, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { makeDir } from '../io/make-dir.ts';
import { cliMsg } from '../messages.ts';

/**
 * The lock of the run writing `resultsName` in a folder: one per results file, so the shards of a job array,
 * which write their own results.shard-i-of-N.json side by side, run at once; two runs of one file do not.
 */
export const lockFileFor = (resultsName = 'results.json'): string =>
  resultsName === 'results.json' ? '.sim-run.lock' : `.sim-run.${resultsName.replace(/^results\./, '').replace(/\.json$/, '')}.lock`;

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Creates the folder and writes and removes a probe file; a UserError naming the folder if it cannot. */
export async function checkWritable(dir: string): Promise<void> {
  const probe = join(dir, `.sim-write-probe.${process.pid}`);
  try {
    await makeDir(dir);
    const handle = await open(probe, 'w');
    try {
      await handle.writeFile('probe');
    } finally {
      await handle.close();
    }
    await rm(probe, { force: true });
  } catch (e) {
    await rm(probe, { force: true }).catch(() => {});
    throw new UserError(cliMsg.cannotWrite(dir, reason(e)), { cause: e });
  }
}

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/** True when a process of this id runs on this machine (EPERM: it runs under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the run folder's lock; returns the function that releases it. A lock of a live process (or of another
 * host, whose processes cannot be checked from here) refuses the run; a stale one is taken over with a note.
 */
export async function lockRunFolder(dir: string, note: (line: string) => void, resultsName?: string): Promise<() => Promise<void>> {
  const file = join(dir, lockFileFor(resultsName));
  const me: LockOwner = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      try {
        await handle.writeFile(JSON.stringify(me) + '\n');
      } finally {
        await handle.close();
      }
      return async () => {
        // Only our own lock: a run that took over a lock it judged stale must keep it.
        const now = await readOwner(file);
        if (now?.pid === me.pid && now.host === me.host) await rm(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new UserError(cliMsg.cannotWrite(file, reason(e)), { cause: e });
    }
    const owner = await readOwner(file);
    if (owner && (owner.host !== me.host || alive(owner.pid)))
      throw new UserError(cliMsg.runLocked(dir, file, owner.pid, owner.host, owner.startedAt, owner.host === me.host));
    note(cliMsg.staleLock(file, owner?.pid, owner?.host));
    await rm(file, { force: true });
  }
  throw new UserError(cliMsg.runLocked(dir, file, undefined, undefined, undefined, true));
}

/** The lock's owner, or undefined when the file is gone or unreadable (a damaged lock is stale). */
async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as Partial<LockOwner>;
    return typeof v.pid === 'number' && typeof v.host === 'string' ? { pid: v.pid, host: v.host, startedAt: String(v.startedAt ?? '?') } : undefined;
  } catch {
    return undefined;
  }
}
