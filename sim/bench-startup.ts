/**
 * Start-up of the `sim` command (`npm run bench`, `startup`): the wall time of `sim --version`, `sim validate`
 * on the default scenario and `sim list`, compiled (dist/sim/bin.js, what an installed package runs) beside
 * the sources under tsx (sim/bin.js in a clone), median of `REPEATS` runs each, one after the other. The
 * target for the compiled command is 0.3 s on the 2-core machine (docs/performance.md). Skipped, with the
 * reason, when dist/ is missing (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../src/package-root.ts';

const REPEATS = 5;
const COMMANDS: Record<string, string[]> = {
  version: ['--version'],
  validate: ['validate', join('scenarios', 'quick.yaml')],
  list: ['list'],
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function seconds(bin: string, args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: packagePath(), stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '' } });
    if (r.status !== 0) throw new Error(`sim ${args.join(' ')} exited with ${r.status}`);
    times.push((performance.now() - t0) / 1000);
  }
  return Number(median(times).toFixed(3));
}

export function startupSeconds(): Record<string, unknown> {
  const compiled = packagePath('dist', 'sim', 'bin.js');
  const sources = packagePath('sim', 'bin.js');
  const out: Record<string, unknown> = { repeats: REPEATS, targetSeconds: 0.3 };
  const of = (bin: string) => Object.fromEntries(Object.entries(COMMANDS).map(([name, args]) => [name, seconds(bin, args)]));
  out.compiled = existsSync(compiled) ? of(compiled) : { skipped: 'dist/ is missing: npm run build' };
  out.sourcesUnderTsx = of(sources);
  return out;
}
