/**
 * `npm run build`: the package as JavaScript in dist/ (no TypeScript at run time).
 *
 * tsc (tsconfig.build.json) compiles src/ and sim/ to dist/src/ and dist/sim/ with declaration files,
 * rewriting the sources' `.ts` import specifiers to `.js`. The JavaScript entry files that are not compiled
 * (sim/bin.js, the worker-thread entries src/**\/*.mjs) are copied beside their compiled neighbours: each
 * loads the compiled module next to it when there is one, else registers tsx and loads the TypeScript
 * source (so the same files work in both trees). Files read at run time (scenarios/, package.json) stay at
 * the package root and are found from there (src/package-root.ts).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const OUT = 'dist';
rmSync(OUT, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

/** The files under `dir` whose names end in `ext` (fs.globSync needs Node 22). */
const filesUnder = (dir, ext) =>
  readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith(ext))
    .map((f) => join(dir, f));

for (const file of ['sim/bin.js', ...filesUnder('src', '.mjs')]) {
  const to = join(OUT, file);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(file, to);
}
chmodSync(join(OUT, 'sim/bin.js'), 0o755);
