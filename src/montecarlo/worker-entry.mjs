// Piscina worker entry. Compiled (dist/, the installed package), worker.js sits beside this file and is
// loaded as is. In the sources (tests, development) only worker.ts does: the worker thread registers tsx's
// ESM loader first (tsx is a development dependency; when the parent already runs under `node --import
// tsx`, the thread inherits that loader and registering again is harmless).
import { existsSync } from 'node:fs';

const compiled = new URL('./worker.js', import.meta.url);
let mod;
if (existsSync(compiled)) {
  mod = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import('./worker.ts');
}

export default mod.default;
