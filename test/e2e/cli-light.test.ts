/**
 * The commands that only read and write files (`sim validate`, `sim list`, `sim schema`) load neither tfjs
 * nor worker threads (sim/engines.ts loads the trainer and the engine on demand): checked by counting the
 * @tensorflow modules in the require cache of a real `sim` process when it exits.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(process.cwd(), 'sim', 'bin.js');

/** Prints "tfjs modules loaded: N" on exit. */
const HOOK = `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
process.on('exit', () => {
  const n = Object.keys(require.cache).filter((k) => k.includes('@tensorflow')).length;
  process.stderr.write('tfjs modules loaded: ' + n + '\\n');
});
`;

describe('sim: light commands load no tfjs', function () {
  this.timeout(60_000);
  let dir: string;
  let hook: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-light-'));
    hook = join(dir, 'hook.mjs');
    await writeFile(hook, HOOK);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const loaded = (args: string[]): { code: number | null; count: number } => {
    const r = spawnSync(process.execPath, ['--import', hook, BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: '' }, timeout: 60_000 });
    const m = /tfjs modules loaded: (\d+)/.exec(r.stderr);
    assert.ok(m, `no count in: ${r.stderr}`);
    return { code: r.status, count: Number(m[1]) };
  };

  for (const args of [['validate', 'quick'], ['validate', 'fig9-rtn'], ['list'], ['schema']]) {
    it(`sim ${args.join(' ')}`, () => {
      const { code, count } = loaded(args);
      assert.equal(code, 0);
      assert.equal(count, 0, `sim ${args.join(' ')} loaded ${count} tfjs modules`);
    });
  }

  it('the hook itself sees tfjs when a command loads it (the check can fail)', () => {
    const r = spawnSync(process.execPath, ['--import', hook, '-e', "require('@tensorflow/tfjs')"], { encoding: 'utf8', timeout: 60_000 });
    assert.match(r.stderr, /tfjs modules loaded: [1-9]/);
  });
});
