/**
 * Every registered channel kind keeps the contract of src/channels/kind.ts: its schema fragment accepts its
 * example and is strict, compiling is idempotent (a compiled spec re-compiles to itself, so results.json
 * can be read back), its three forms (Float32Array, tfjs, vector–Jacobian product) agree, and its gain law
 * is a probability law with E[g] = E|h|² = 1 (the project's fading convention) that matches the gains the
 * model actually draws. A new kind is held to all of it by registering it.
 */
import assert from 'node:assert/strict';
import { CHANNEL_KINDS, CHANNEL_TYPES, channelKind, compileChannelSpec, makeChannel, type ChannelSpec } from '../../src/channels/registry.ts';
import { channelSchema } from '../../src/scenario/schema.ts';
import { RandomStream } from '../../src/random.ts';
import type { Signalling } from '../../src/vocabulary.ts';
import { arraysAndLayer, vjpAndGrad } from './channel-forms.ts';

const SIGNALLINGS: Signalling[] = ['real', 'complex'];

/** The signallings a kind's example supports (multipath is complex only: make() refuses real). */
function supported(spec: ChannelSpec, n: number): Signalling[] {
  return SIGNALLINGS.filter((s) => {
    try {
      makeChannel(spec, n, s);
      return true;
    } catch {
      return false;
    }
  });
}

describe('channel registry', () => {
  it('types are unique and each kind is found under its own type', () => {
    assert.equal(new Set(CHANNEL_TYPES).size, CHANNEL_KINDS.length);
    for (const kind of CHANNEL_KINDS) assert.equal(channelKind(kind.type), kind);
    assert.throws(() => channelKind('nonexistent'), /unknown channel type nonexistent \(registered: /);
  });

  for (const kind of CHANNEL_KINDS) {
    describe(`${kind.type}`, () => {
      const spec = compileChannelSpec({ ...kind.example });

      it('the scenario schema accepts its example, refuses an unknown field, and every field is described', () => {
        assert.ok(channelSchema.safeParse(kind.example).success);
        assert.equal(channelSchema.safeParse({ ...kind.example, notAField: 1 }).success, false);
        for (const [field, schema] of Object.entries(kind.schema.shape)) {
          if (field !== 'type')
            assert.ok((schema as { meta(): { description?: string } | undefined }).meta()?.description, `${kind.type}.${field} has no description`);
        }
      });

      it('compiles to plain JSON, idempotently, with every default filled', () => {
        assert.equal(spec.type, kind.type);
        assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec);
        assert.deepEqual(compileChannelSpec({ ...spec }), spec);
        assert.deepEqual(compileChannelSpec({ ...kind.example, ...spec }), spec);
        for (const key of Object.keys(kind.defaults)) assert.ok(key in spec, `${kind.type}: default ${key} missing from the compiled spec`);
        assert.ok(kind.label(spec as never).length > 0);
      });

      it('its Float32Array, tfjs and vector–Jacobian forms agree on the same draws', () => {
        const n = 4;
        const signallings = supported(spec, n);
        assert.ok(signallings.length > 0, `${kind.type}: no signalling accepted`);
        for (const signalling of signallings) {
          const { y, yT } = arraysAndLayer(spec, n, signalling, 64, 0.7, new RandomStream('registry-forms', kind.type, signalling));
          for (let i = 0; i < y.length; i++) assert.ok(Math.abs(y[i] - yT[i]) <= 1e-5 * (1 + Math.abs(y[i])), `${signalling} y[${i}]`);
          const { dx, want } = vjpAndGrad(spec, n, signalling, 64, 0.7, new RandomStream('registry-vjp', kind.type, signalling));
          for (let i = 0; i < dx.length; i++) assert.ok(Math.abs(dx[i] - want[i]) <= 1e-5 * (1 + Math.abs(want[i])), `${signalling} dx[${i}]`);
        }
      });

      it('its gain law is a probability law with E[g] = 1', () => {
        const law = kind.gainLaw(spec as never);
        assert.ok(Math.abs(law.expect(() => 1, 1) - 1) < 1e-9);
        assert.ok(Math.abs(law.expect((g) => g, 1) - 1) < 1e-9);
      });

      it('its exact gain law matches the gains its model draws (complex use, no CSI, no noise: y = h·1)', function () {
        if (!('csi' in kind.schema.shape) && kind.type !== 'awgn') this.skip();
        const noCsi = compileChannelSpec({ ...kind.example, ...('csi' in kind.schema.shape ? { csi: 'none' } : {}) });
        const law = kind.gainLaw(noCsi as never);
        if (!law.exact || !supported(noCsi, 1).includes('complex')) this.skip();
        const model = makeChannel(noCsi, 1, 'complex');
        const blocks = 200_000;
        const x = new Float32Array(blocks * 2);
        for (let b = 0; b < blocks; b++) x[2 * b] = 1;
        const draws = new Float32Array(blocks * model.drawDims);
        new RandomStream('registry-gain', kind.type).fillNormal(draws);
        const y = new Float32Array(blocks * model.outDims);
        model.applyArrays(x, draws, 0, y, blocks);
        // P(g ≤ t) at three thresholds: the law's probability against the drawn frequency, within 5 binomial σ.
        for (const t of [0.25, 1, 2]) {
          const p = law.expect((g) => (g <= t ? 1 : 0), 1 / 64);
          let hits = 0;
          for (let b = 0; b < blocks; b++) if (y[2 * b] ** 2 + y[2 * b + 1] ** 2 <= t) hits++;
          const sd = Math.sqrt((p * (1 - p)) / blocks);
          assert.ok(Math.abs(hits / blocks - p) <= 5 * sd + 1e-4, `${kind.type}: P(g ≤ ${t}) law ${p}, drawn ${hits / blocks}`);
        }
      });
    });
  }
});
