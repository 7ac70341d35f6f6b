/**
 * `mkdir -p` that always ends. Node's own `mkdir(dir, { recursive: true })` never returns for a path under a
 * folder that refuses new entries with ENOENT although it exists (`/proc/1/x`: measured 2026-12-08, Node 20.20,
 * a libuv thread at 100% CPU for good), which hung `sim run --out /proc/1/x` after training. This one finds the
 * first missing ancestor and creates each folder below it once, so every failure is an error.
 */
import { requireNodeBuiltin } from '../platform.ts';

/** Creates `dir` and its missing ancestors; rejects with the file system's error (never hangs). */
export async function makeDir(dir: string): Promise<void> {
  // Files are Node's (platform.ts): the core bundled for a browser makes no folders.
  const { mkdir, stat } = requireNodeBuiltin('node:fs/promises', 'making a folder');
  const { dirname, resolve } = requireNodeBuiltin('node:path', 'making a folder');
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      await stat(d);
      break; // exists (a file where a folder should be fails below, with ENOTDIR or EEXIST)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      missing.push(d);
      if (dirname(d) === d) break;
    }
  }
  for (const d of missing.reverse()) {
    try {
      await mkdir(d);
    } catch (e) {
      // Another process may have made it meanwhile; anything else is the caller's error.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
