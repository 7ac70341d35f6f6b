/** Test helper: the error message of parsing `text` as `file`; fails the test if it parses or fails otherwise. */
import assert from 'node:assert/strict';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';

export function problemsOf(text: string, file = 'bad.yaml'): string {
  try {
    parseScenario(text, file);
  } catch (e) {
    assert.ok(e instanceof ScenarioError, `expected a ScenarioError, got ${e}`);
    return e.message;
  }
  assert.fail('the scenario was accepted');
}
