#!/usr/bin/env node
// The `sim` executable. Compiled (dist/sim/bin.js, what the package's `bin` points at), cli.js sits beside
// it and runs as plain JavaScript. In the sources (`node sim/bin.js`, `npm start`), tsx (a development
// dependency) is registered first and cli.ts runs.
import { existsSync } from 'node:fs';

const compiled = new URL('./cli.js', import.meta.url);
let cli;
if (existsSync(compiled)) {
  cli = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('./cli.ts');
}
await cli.runAsProcess(process.argv);
