// Worker-thread entry of the two-user step's second receiver (see decoder-thread.ts). Compiled (dist/),
// decoder-worker.js sits beside this file; in the sources, tsx's ESM loader is registered first (a
// development dependency) and decoder-worker.ts is loaded.
import { existsSync } from 'node:fs';

const compiled = new URL('./decoder-worker.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./decoder-worker.ts');
}
