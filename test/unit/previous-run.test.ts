/**
 * What a run does with the results.json already in its folder: a different run is refused by --resume and by a
 * plain run with the same way out (--force or another --out), never by advice that sends one to the other.
 */
import assert from 'node:assert/strict';
import { previousRunRefusal } from '../../src/run/previous-run.ts';
import { fixtureResults } from '../browser/fixture.ts';

describe('previous run in the folder', () => {
  const file = 'runs/x/results.json';
  const previous = fixtureResults();
  const project = previous.versions.project;
  const edited = { ...previous.scenario, seed: 12345 };

  it('a different run: the same message with or without --resume, naming --force and --out, not --resume as the way out', () => {
    const resumed = previousRunRefusal(file, previous, edited, { resume: true, quick: previous.quick, project });
    const plain = previousRunRefusal(file, previous, edited, { resume: false, quick: previous.quick, project });
    assert.ok(resumed && plain);
    assert.equal(resumed, plain);
    assert.match(plain, /different run \(seed/);
    assert.match(plain, /--force/);
    assert.match(plain, /another --out/);
    assert.doesNotMatch(plain, /--resume to continue|run without --resume/);
  });

  it('the same run: --resume continues it, a plain run replaces it', () => {
    assert.equal(previousRunRefusal(file, previous, previous.scenario, { resume: true, quick: previous.quick, project }), undefined);
    assert.equal(previousRunRefusal(file, previous, previous.scenario, { resume: false, quick: previous.quick, project }), undefined);
  });

  it('the same run of another version: --resume is refused with a plain run as the way out, which replaces it', () => {
    const m = previousRunRefusal(file, previous, previous.scenario, { resume: true, quick: previous.quick, project: `${project}-next` });
    assert.match(m ?? '', /run without --resume/);
    assert.equal(previousRunRefusal(file, previous, previous.scenario, { resume: false, quick: previous.quick, project: `${project}-next` }), undefined);
  });
});
