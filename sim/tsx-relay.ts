/**
 * `npx tsx sim/cli.ts` (and any script that runs sim/cli.ts through the tsx command line) runs the simulator
 * as the child of tsx; `npm start`, `npm run sim` and the `sim` bin run `node sim/bin.js` and need none of this. When tsx gets a SIGINT it waits only ~30 ms for its child to acknowledge the signal (from the
 * child's event loop), relays it, waits another ~30 ms, and then kills the child with SIGKILL. A training
 * step or a Monte Carlo chunk on the main thread easily takes longer, so a Ctrl-C would kill the run
 * before it could save anything.
 *
 * So under tsx, `sim run` keeps this process as an idle relay (it always answers tsx at once) and does the
 * work in a child process of its own, which tsx never kills. Signals this relay gets are passed on; the
 * child also gets the terminal's Ctrl-C directly and treats the duplicate as one (sim/interrupts.ts).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** Set in the child, so it does the work instead of relaying again. */
const CHILD_ENV = 'LEARNED_PHY_SIM_RELAYED';

/** True in the process the tsx command line started (its preflight module is in our node options). */
export function underTsxCommandLine(): boolean {
  return !process.env[CHILD_ENV] && process.execArgv.some((a) => /tsx[\\/]dist[\\/]preflight\.cjs$/.test(a));
}

/** Runs this same command line in a child process and relays SIGINT/SIGTERM to it; resolves to its exit code. */
export function runInRelayedChild(argv: string[] = process.argv): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, [CHILD_ENV]: '1' },
  });
  const relay = (signal: NodeJS.Signals) => () => void child.kill(signal);
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((s) => [s, relay(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const [s, h] of handlers) process.off(s, h);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 1));
    });
  });
}
