/**
 * Writes that never leave a half-written file: write a temp file beside the target, flush it, then rename.
 * The content may be given as a producer: it is computed first, so if rendering throws, nothing is written and
 * the previous file stays as it was.
 */
import { UserError } from '../errors.ts';
import { cliMsg } from '../messages.ts';
import { requireNodeBuiltin } from '../platform.ts';
import { makeDir } from './make-dir.ts';

/**
 * An error of the operating system (EACCES, EROFS, ENOSPC, ENOENT under a folder that refuses new entries, EIO,
 * …): the output's place, not the simulator, is at fault, and the run ends with that message.
 */
const isSystemError = (err: unknown): boolean => /^E[A-Z0-9]+$/.test(String((err as NodeJS.ErrnoException | undefined)?.code ?? ''));

/** What writeFileAtomic writes: text (written as UTF-8) or bytes. */
export type Content = string | Uint8Array;

/**
 * Writes `path` so that it is never seen half-written: the content goes to a temporary file beside it, is flushed and
 * then renamed over the target; missing folders are created. A producer function is run first, so if it throws
 * nothing is written and the old file stays. File-system errors the user can fix (permissions, a full or read-only
 * disk, a file where a folder should be) reject with a UserError naming the path; the temporary file is removed.
 */
export async function writeFileAtomic(path: string, content: Content | (() => Content | Promise<Content>)): Promise<void> {
  const data = typeof content === 'function' ? await content() : content;
  // Files are Node's (platform.ts): the core bundled for a browser writes none.
  const { open, rename, rm } = requireNodeBuiltin('node:fs/promises', 'writing a file');
  const { basename, dirname, join } = requireNodeBuiltin('node:path', 'writing a file');
  const { randomBytes } = requireNodeBuiltin('node:crypto', 'writing a file');
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await makeDir(dirname(path));
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    if (isSystemError(err)) throw new UserError(cliMsg.cannotWrite(path, (err as Error).message), { cause: err });
    throw err;
  }
}
