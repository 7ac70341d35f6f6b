import assert from 'node:assert/strict';
import { compileScenario, curvePlan, parseScenario } from '../../src/scenario/index.ts';
import { problemsOf } from './scenario-problems.ts';

const sc = (channel: string, systems: string) => `name: x\nsweep: { ebnoDb: [0] }\n${channel ? `channel: ${channel}\n` : ''}systems:\n${systems}`;

describe('scenarios with multipath fading and RTN receivers', () => {
  it('compiles the defaults: 3 taps, uniform profile, no CSI; receiver { rtn: {} } is the paper RTN; the DBPSK baseline gets the taps', () => {
    const s = parseScenario(
      sc(
        '{ type: multipath }',
        '  - { id: a, type: autoencoder, k: 4, n: 8, signalling: complex, receiver: { rtn: {} } }\n  - { id: p, type: autoencoder, k: 4, n: 8, signalling: complex }\n  - { id: d, type: hamming74-dbpsk }\n',
      ),
      'ok.yaml',
    );
    assert.deepEqual(s.channel, { type: 'multipath', taps: 3, profile: 'uniform', csi: 'none' });
    const [a, p, d] = s.systems;
    assert.ok(a.type === 'autoencoder' && a.receiver);
    assert.deepEqual(a.receiver, {
      rtn: {
        estimator: [
          { units: 64, activation: 'tanh', layerNorm: false, weightNorm: false },
          { units: 64, activation: 'tanh', layerNorm: false, weightNorm: false },
        ],
        transform: 'filter',
      },
    });
    assert.ok(p.type === 'autoencoder' && !('receiver' in p), 'a plain autoencoder compiles without a receiver field (older results stay identical)');
    // After an RTN the default decoder is rtn.decoder (Dense 128, Dense 64); a plain one keeps the paper's Dense(M).
    const relu = (units: number) => ({ units, activation: 'relu', layerNorm: false, weightNorm: false });
    assert.deepEqual(a.decoder, [relu(128), relu(64)]);
    assert.deepEqual(p.decoder, [relu(16)]);
    const paper = parseScenario(
      sc('{ type: multipath }', '  - { id: a, type: autoencoder, k: 4, n: 8, signalling: complex, receiver: { rtn: {} }, decoder: [{ units: 16 }] }\n'),
      'ok.yaml',
    ).systems[0];
    assert.ok(paper.type === 'autoencoder');
    assert.deepEqual(paper.decoder, [relu(16)], "the paper's RTN decoder, written out");
    assert.deepEqual(d.channel, { type: 'multipath', taps: 3, profile: 'uniform', csi: 'perfect' });
    assert.equal(d.n, 8);
    const plan = curvePlan(s);
    const ml = plan.find((c) => c.id === 'a-ml');
    assert.ok(ml && /genie/.test(ml.label), `the -ml curve is the genie: ${ml?.label}`);
  });

  it('real signalling over multipath is an error naming the field', () => {
    assert.match(
      problemsOf(sc('{ type: multipath }', '  - { id: a, type: autoencoder, k: 4, n: 7 }\n')),
      /bad\.yaml:\d+:\d+: systems\[0\]\.signalling: expected signalling: complex with a multipath channel.*found signalling: real/,
    );
  });

  it('more taps than channel uses is an error at the taps field', () => {
    assert.match(
      problemsOf(sc('{ type: multipath, taps: 5 }', '  - { id: a, type: autoencoder, k: 2, n: 4, signalling: complex }\n')),
      /bad\.yaml:3:\d+: channel\.taps: expected taps ≤ n = 4/,
    );
    assert.match(
      problemsOf(sc('', '  - { id: a, type: autoencoder, k: 2, n: 2, signalling: complex, channel: { type: multipath, taps: 3 } }\n')),
      /systems\[0\]\.channel\.taps: expected taps ≤ n = 2/,
    );
  });

  it('a profile must list one power per tap with a positive sum', () => {
    const ae = '  - { id: a, type: autoencoder, k: 2, n: 4, signalling: complex }\n';
    assert.match(problemsOf(sc('{ type: multipath, taps: 3, profile: [1, 1] }', ae)), /channel\.profile: expected a profile of 3 tap powers/);
    assert.match(problemsOf(sc('{ type: multipath, taps: 2, profile: [0, 0] }', ae)), /channel\.profile: expected tap powers with a positive sum/);
    assert.match(problemsOf(sc('{ type: multipath, taps: 2, profile: [1, -1] }', ae)), /channel\.profile\[1\]/);
  });

  it('classical systems without an ISI receiver are refused over multipath; the DBPSK baseline needs multipath', () => {
    assert.match(
      problemsOf(sc('{ type: multipath }', '  - { id: h, type: hamming74, decoding: ml }\n')),
      /systems\[0\]\.type: expected a system that runs over multipath/,
    );
    assert.match(
      problemsOf(sc('{ type: multipath }', '  - { id: q, type: uncoded, modulation: qpsk, k: 8 }\n')),
      /systems\[0\]\.type: expected a system that runs over multipath/,
    );
    assert.match(problemsOf(sc('', '  - { id: d, type: hamming74-dbpsk }\n')), /systems\[0\]\.channel: expected a multipath channel for hamming74-dbpsk/);
  });

  it('an RTN needs channel parameters to estimate: multipath (or a phase over Rayleigh fading)', () => {
    assert.match(
      problemsOf(sc('', '  - { id: a, type: autoencoder, k: 4, n: 8, signalling: complex, receiver: { rtn: {} } }\n')),
      /systems\[0\]\.receiver\.rtn: expected a channel whose parameters a radio transformer network estimates \(rayleigh with transform phase, multipath with transform filter or phase;.*found an RTN with transform filter over channel awgn/,
    );
    assert.doesNotThrow(() =>
      parseScenario(
        sc('{ type: rayleigh, csi: none }', '  - { id: a, type: autoencoder, k: 4, n: 2, signalling: complex, receiver: { rtn: { transform: phase } } }\n'),
        'ok.yaml',
      ),
    );
    assert.match(
      problemsOf(sc('{ type: multipath }', '  - { id: a, type: autoencoder, k: 4, n: 8, signalling: complex, receiver: { rtn: { transform: rotate } } }\n')),
      /receiver\.rtn\.transform/,
    );
  });

  it('compileScenario keeps an explicit profile and CSI', () => {
    const s = compileScenario({
      name: 'x',
      sweep: { ebnoDb: [0] },
      channel: { type: 'multipath', taps: 2, profile: [2, 1], csi: 'perfect' },
      systems: [{ id: 'a', type: 'autoencoder', k: 2, n: 4, signalling: 'complex' }],
    });
    assert.deepEqual(s.channel, { type: 'multipath', taps: 2, profile: [2, 1], csi: 'perfect' });
  });

  it("over multipath the decoder refinement follows a training Eb/N0 range the scenario gives (at the auto rule's refinement Eb/N0); over AWGN it does not; refine: false turns it off", async () => {
    const { autoTrainingEbno } = await import('../../src/autoencoder/recipe.ts');
    const { DEFAULTS } = await import('../../src/defaults.ts');
    const ae = (extra: string) =>
      `  - { id: a, type: autoencoder, k: 4, n: 8, signalling: complex, receiver: { rtn: {} }, train: { ebnoDb: { from: 5, to: 15 }${extra} } }\n`;
    const mp = parseScenario(sc('{ type: multipath }', ae('')), 'ok.yaml').systems[0];
    assert.ok(mp.type === 'autoencoder' && mp.train.refine);
    assert.equal(mp.train.refine.ebnoDb, autoTrainingEbno(4, 8, 'complex', mp.channel, DEFAULTS.train.refine.referenceBler));
    assert.ok(mp.train.refine.ebnoDb > 10 && mp.train.refine.ebnoDb < 13, `refinement Eb/N0 ${mp.train.refine.ebnoDb}`);
    const off = parseScenario(sc('{ type: multipath }', ae(', refine: false')), 'ok.yaml').systems[0];
    assert.ok(off.type === 'autoencoder' && !off.train.refine);
    const awgn = parseScenario(sc('', '  - { id: a, type: autoencoder, k: 4, n: 7, train: { ebnoDb: { from: 5, to: 15 } } }\n'), 'ok.yaml').systems[0];
    assert.ok(awgn.type === 'autoencoder' && !awgn.train.refine);
  });

  it('a saved plain model cannot stand in for an RTN system (and the other way round)', async () => {
    const { modelDifferences } = await import('../../src/systems/autoencoder.ts');
    const { withDefaults } = await import('../../src/autoencoder/spec.ts');
    const { autoencoderSpecOf } = await import('../../src/scenario/compile.ts');
    const s = parseScenario(sc('{ type: multipath }', '  - { id: a, type: autoencoder, k: 4, n: 8, signalling: complex, receiver: { rtn: {} } }\n'), 'ok.yaml')
      .systems[0];
    assert.ok(s.type === 'autoencoder');
    const saved = withDefaults(autoencoderSpecOf(s));
    // The library fills the same default decoder after an RTN as the scenario compiler.
    const { decoder: _d, ...noDecoder } = autoencoderSpecOf(s);
    assert.deepEqual(withDefaults(noDecoder).decoder, saved.decoder);
    assert.deepEqual(modelDifferences(saved, s), []);
    const { receiver: _dropped, ...plain } = saved;
    assert.deepEqual(modelDifferences(plain, s), ['receiver plain ≠ RTN (filter, estimator [64 tanh, 64 tanh])']);
  });
});
