/**
 * Writes that never leave a half-written file: write a temp file beside the target, flush it, then rename.
 * The content may be given as a producer: it is computed first, so if rendering throws, nothing is written and
 * the previous file stays as it was.
 */
import { UserError } from '../errors.ts';
import { cliMsg } from '../messages.ts';
import { requireNodeBuiltin } from '../platform.ts';

/** Errors of the file system the user can fix (permissions, a full or read-only disk, a file where a folder should be). */
const USER_FS_ERRORS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EISDIR', 'EEXIST', 'ENAMETOOLONG']);

export type Content = string | Uint8Array;

export async function writeFileAtomic(path: string, content: Content | (() => Content | Promise<Content>)): Promise<void> {
  const data = typeof content === 'function' ? await content() : content;
  // Files are Node's (platform.ts): the core bundled for a browser writes none.
  const { mkdir, open, rename, rm } = requireNodeBuiltin('node:fs/promises', 'writing a file');
  const { basename, dirname, join } = requireNodeBuiltin('node:path', 'writing a file');
  const { randomBytes } = requireNodeBuiltin('node:crypto', 'writing a file');
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
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
    const code = (err as NodeJS.ErrnoException).code;
    if (code && USER_FS_ERRORS.has(code)) throw new UserError(cliMsg.cannotWrite(path, (err as Error).message), { cause: err });
    throw err;
  }
}
