/** Default labels tell the systems of one scenario apart; labels the scenario writes are kept as written. */
import assert from 'node:assert/strict';
import { parseScenario } from '../../src/scenario/index.ts';

const labelsOf = (yaml: string, warn?: (l: string) => void) => Object.fromEntries(parseScenario(yaml, 'labels.yaml', warn).systems.map((s) => [s.id, s.label]));

describe('default labels', () => {
  it('systems whose default labels collide get what differs appended', () => {
    const labels = labelsOf(`name: labels
sweep: { ebnoDb: [0, 2] }
systems:
  - { id: sym, type: autoencoder, k: 4, n: 7 }
  - { id: bits, type: autoencoder, k: 4, n: 7, output: bits }
  - { id: hot, type: autoencoder, k: 4, n: 7, train: { ebnoDb: 8 } }
  - { id: other, type: autoencoder, k: 2, n: 2 }
`);
    assert.equal(labels.other, 'AE (2,2), energy', 'a label that collides with none is unchanged');
    const ae = [labels.sym, labels.bits, labels.hot];
    assert.equal(new Set(ae).size, 3, ae.join(' | '));
    assert.ok(
      ae.every((l) => l?.startsWith('AE (7,4), energy, ')),
      ae.join(' | '),
    );
    assert.match(labels.bits!, /bit-wise/);
    assert.match(labels.sym!, /symbol-wise/);
    assert.match(labels.hot!, /trained at 8 dB/);
  });

  it('CSI perfect and none read "perfect CSI" and "no CSI"', () => {
    const labels = labelsOf(`name: csi
sweep: { ebnoDb: [0, 2] }
channel: { type: rayleigh, coherence: block }
systems:
  - { id: a, type: autoencoder, k: 2, n: 2 }
  - { id: b, type: autoencoder, k: 2, n: 2, channel: { type: rayleigh, coherence: block, csi: none } }
`);
    assert.match(labels.a!, /, perfect CSI$/);
    assert.match(labels.b!, /, no CSI$/);
  });

  it('identical systems are told apart by their ids; written labels are never changed, repeated ones warned about', () => {
    const warnings: string[] = [];
    const labels = labelsOf(
      `name: same
sweep: { ebnoDb: [0, 2] }
systems:
  - { id: a, type: autoencoder, k: 2, n: 2 }
  - { id: b, type: autoencoder, k: 2, n: 2 }
  - { id: c, type: autoencoder, k: 2, n: 2, output: bits, label: Mine }
  - { id: d, type: autoencoder, k: 2, n: 2, label: Mine }
`,
      (l) => warnings.push(l),
    );
    assert.equal(labels.a, 'AE (2,2), energy (a)');
    assert.equal(labels.b, 'AE (2,2), energy (b)');
    assert.equal(labels.c, 'Mine');
    assert.equal(labels.d, 'Mine');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /labels\.yaml: the label "Mine" is written for more than one system/);
  });
});
