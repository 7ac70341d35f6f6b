#!/usr/bin/env node
// The `sim` executable: registers tsx (the project runs TypeScript directly, no build step), then runs sim/cli.ts.
import { register } from 'tsx/esm/api';

register();
const { runAsProcess } = await import('./cli.ts');
await runAsProcess(process.argv);
