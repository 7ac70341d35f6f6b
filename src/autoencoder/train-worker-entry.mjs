// Worker-thread entry of data-parallel training (see gradient-workers.ts). Compiled (dist/), train-worker.js
// sits beside this file; in the sources, tsx's ESM loader is registered first (a development dependency)
// and train-worker.ts is loaded.
import { existsSync } from 'node:fs';

const compiled = new URL('./train-worker.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./train-worker.ts');
}
