/**
 * The package's root folder: where package.json and the shipped scenarios/ are. Modules run from the
 * sources (src/, sim/, under tsx) or compiled (dist/src/, dist/sim/, one level deeper), so a path relative
 * to a module's own URL would differ between the two; this walks up to the nearest package.json instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package (`packagePath('scenarios', 'quick.yaml')`). */
export const packagePath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);

export interface PackageInfo {
  version?: string;
  bugs?: string | { url?: string };
}

/** The package's package.json. */
export const packageInfo = (): PackageInfo => JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as PackageInfo;
