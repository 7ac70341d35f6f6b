#!/usr/bin/env node
// The `sim` executable. Compiled (dist/sim/bin.js, what the package's `bin` points at), cli.js sits beside
// it and runs as plain JavaScript. In the sources (`node sim/bin.js`, `npm start`), tsx (a development
// dependency) is registered first and cli.ts runs.
import { existsSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // The version alone needs none of the program (loading it all takes about a second): package.json's,
  // as sim/cli.ts's --version prints it. The package root holds package.json; this file is one folder
  // below it in the sources (sim/) and two when compiled (dist/sim/).
  const root = existsSync(new URL('./cli.js', import.meta.url)) ? '../../' : '../';
  process.stdout.write(JSON.parse(readFileSync(new URL(`${root}package.json`, import.meta.url), 'utf8')).version + '\n');
} else {
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
}
