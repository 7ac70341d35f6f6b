/**
 * The command that continues an interrupted run, as the user can paste it. npm consumes options written
 * after `npm start` or `npm run sim` without a `--` ("npm start --resume" restarts the run and replaces it),
 * so under npm the hint repeats the npm form with `--`; otherwise the arguments as typed plus --resume.
 */
import { basename, isAbsolute, relative } from 'node:path';

/** Quotes an argument for a POSIX shell when it holds anything but plain characters. */
const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`);

/**
 * `argv` is process.argv (node, the script, then the arguments), `env` process.env, `cwd` the working folder.
 * Under an npm script, npm_lifecycle_script holds the script's own command: its arguments after the script
 * file are the script's, the rest were the user's (after `--`).
 */
export function resumeCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const args = argv.slice(2);
  const event = env.npm_lifecycle_event;
  const script = env.npm_lifecycle_script;
  if (event && event !== 'npx' && script) {
    const words = script.trim().split(/\s+/);
    const at = words.findIndex((w) => /(^|\/)bin\.js$|(^|\/)cli\.ts$|^sim$/.test(w));
    const own = at < 0 ? [] : words.slice(at + 1);
    const mine = own.every((w, i) => args[i] === w) ? args.slice(own.length) : args;
    const npm = event === 'start' || event === 'test' ? `npm ${event}` : `npm run ${event}`;
    return [npm, '--', ...mine.map(quote), '--resume'].join(' ');
  }
  const file = argv[1] ?? 'sim';
  const name = basename(file);
  const path = quote(isAbsolute(file) ? relative(cwd, file) || file : file);
  // sim/cli.ts runs under the tsx command line (sim/tsx-relay.ts); sim/bin.js and dist/ under node.
  const program = name.endsWith('.ts') ? `npx tsx ${path}` : /\.m?js$/.test(name) ? `node ${path}` : name;
  const npx = env.npm_command === 'exec' || event === 'npx' ? 'npx ' : '';
  return `${npx}${program} ${[...args.map(quote), '--resume'].join(' ')}`;
}
