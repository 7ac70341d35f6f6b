/** The resume hint after Ctrl-C: a command that, pasted, continues the run (npm would eat a bare --resume). */
import assert from 'node:assert/strict';
import { resumeCommand } from '../../src/run/resume-command.ts';

describe('resume command after an interrupt', () => {
  const cwd = '/home/u/learned-phy-sim';
  const node = '/usr/bin/node';
  const bin = `${cwd}/sim/bin.js`;

  it('npm start: the npm form with --, the user arguments after the script own ones kept', () => {
    const env = { npm_lifecycle_event: 'start', npm_lifecycle_script: 'node sim/bin.js run scenarios/quick.yaml', npm_command: 'start' };
    assert.equal(resumeCommand([node, bin, 'run', 'scenarios/quick.yaml'], env, cwd), 'npm start -- --resume');
    assert.equal(resumeCommand([node, bin, 'run', 'scenarios/quick.yaml', '--seed', '7'], env, cwd), 'npm start -- --seed 7 --resume');
  });

  it('npm run sim -- run …: npm run sim -- with the same arguments plus --resume', () => {
    const env = { npm_lifecycle_event: 'sim', npm_lifecycle_script: 'node sim/bin.js', npm_command: 'run-script' };
    assert.equal(resumeCommand([node, bin, 'run', 'my scenario.yaml', '--out', 'runs'], env, cwd), "npm run sim -- run 'my scenario.yaml' --out runs --resume");
  });

  it('outside npm: the program and arguments as typed plus --resume', () => {
    assert.equal(resumeCommand([node, '/usr/lib/node_modules/.bin/sim', 'run', 'a.yaml'], {}, cwd), 'sim run a.yaml --resume');
    assert.equal(resumeCommand([node, bin, 'run', 'a.yaml', '--workers', '2'], {}, cwd), 'node sim/bin.js run a.yaml --workers 2 --resume');
    assert.equal(resumeCommand([node, `${cwd}/sim/cli.ts`, 'run', 'a.yaml'], {}, cwd), 'npx tsx sim/cli.ts run a.yaml --resume');
    assert.equal(
      resumeCommand([node, '/x/node_modules/.bin/sim', 'run', 'a.yaml'], { npm_command: 'exec', npm_lifecycle_event: 'npx' }, cwd),
      'npx sim run a.yaml --resume',
    );
  });
});
