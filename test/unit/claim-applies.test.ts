/** A claim that cannot apply to the scenario's systems is refused by validation, with what the claim needs. */
import assert from 'node:assert/strict';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';

const scenario = (claims: string, systems: string) => `name: c
sweep: { ebnoDb: [0, 2] }
claims: ${claims}
systems:
${systems}`;

describe('claims that cannot apply', () => {
  it('fig6 without a two-user system: refused, naming the file, the field and what fig6 needs', () => {
    assert.throws(
      () => parseScenario(scenario('[fig6]', '  - { id: ae, type: autoencoder, k: 2, n: 2 }\n'), 'mine.yaml'),
      (e: unknown) => {
        assert.ok(e instanceof ScenarioError);
        assert.match(e.message, /mine\.yaml:3:\d+: claims\[0\]: expected a claim that applies to this scenario's systems \(fig6 needs two-user systems/);
        assert.match(e.message, /found fig6, but none of the systems it reads/);
        return true;
      },
    );
  });

  it('ml-reference with every ML reference turned off, fig3a without Hamming: refused; with them: accepted', () => {
    assert.throws(
      () => parseScenario(scenario('[ml-reference]', '  - { id: ae, type: autoencoder, k: 4, n: 7, mlReference: false }\n'), 'a.yaml'),
      /claims\[0\]/,
    );
    assert.throws(() => parseScenario(scenario('[fig3a]', '  - { id: ae, type: autoencoder, k: 4, n: 7 }\n'), 'b.yaml'), /claims\[0\].*fig3a needs/);
    const ok = parseScenario(
      scenario('[fig3a, ml-reference]', '  - { id: ae, type: autoencoder, k: 4, n: 7 }\n  - { id: h, type: hamming74, decoding: ml }\n'),
      'c.yaml',
    );
    assert.deepEqual(ok.claims, ['fig3a', 'ml-reference']);
    const twoUser = parseScenario(scenario('[fig6]', '  - { id: tu, type: two-user, k: 2, n: 2 }\n'), 'd.yaml');
    assert.deepEqual(twoUser.claims, ['fig6']);
  });
});
