/**
 * Every registered channel kind keeps the contract of src/channels/kind.ts: its schema fragment accepts its
 * example and is strict, compiling is idempotent (a compiled spec re-compiles to itself, so results.json
 * can be read back), its three forms (Float32Array, tfjs, vector–Jacobian product) agree, and its gain law
 * is a probability law with E[g] = E|h|² = 1 (the project's fading convention) that matches the gains the
 * model actually draws. Its capabilities (src/channels/kind.ts) are held to its own model: the taps it declares
 * are the reach of its impulse response, the fading gains it declares are the draws its model reads after the
 * noise, CSI says whether the receiver gets them, `noiseOnly` holds exactly where y − x is N(0, σ²) with no gain
 * and nothing appended, and its two-user links draw four links' gains. A new kind is held to all of it by
 * registering it.
 */
import assert from 'node:assert/strict';
import {
  blockFading,
  CHANNEL_KINDS,
  CHANNEL_TYPES,
  channelKind,
  channelTaps,
  compileChannelSpec,
  makeChannel,
  makeTwoUserChannel,
  withKnownGains,
  type ChannelSpec,
} from '../../src/channels/registry.ts';
import { realDims } from '../../src/conventions.ts';
import { channelSchema } from '../../src/scenario/schema.ts';
import { RandomStream } from '../../src/random.ts';
import { RTN_TRANSFORMS, type Signalling } from '../../src/vocabulary.ts';
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

/** The kind's example with each value of `csi` its schema offers (the example alone where it has no csi field). */
function csiVariants(type: string): ChannelSpec[] {
  const kind = channelKind(type);
  if (!('csi' in kind.schema.shape)) return [compileChannelSpec({ ...kind.example })];
  return ['perfect', 'none'].map((csi) => compileChannelSpec({ ...kind.example, csi }));
}

/** y of `blocks` blocks of x through the model, σ given, draws from `stream` (or given). */
function through(spec: ChannelSpec, n: number, signalling: Signalling, x: Float32Array, sigma: number, draws: Float32Array): Float32Array {
  const model = makeChannel(spec, n, signalling);
  const blocks = x.length / model.dims;
  const y = new Float32Array(blocks * model.outDims);
  model.applyArrays(x, draws, sigma, y, blocks);
  return y;
}

/**
 * Whether the model is y = x + σ·z, z ~ N(0, I), and nothing else: the receiver gets dims values, σ = 0 gives
 * y = x exactly (no gain), and (y − x)/σ over 20,000 blocks has the mean, variance and fourth moment of a
 * standard normal (0, 1, 3) within 5 standard errors (√(1/N), √(2/N), √(96/N)). A gain that scales the noise
 * (zero forcing divides it by |h|) fails the moments; a gain on x fails σ = 0.
 */
function behavesNoiseOnly(spec: ChannelSpec, n: number, signalling: Signalling): boolean {
  const model = makeChannel(spec, n, signalling);
  if (model.outDims !== model.dims) return false;
  const blocks = 20_000;
  const s = new RandomStream('registry-noise-only', spec.type, signalling);
  const x = new Float32Array(blocks * model.dims);
  s.fillNormal(x);
  const draws = new Float32Array(blocks * model.drawDims);
  s.fillNormal(draws);
  const y0 = through(spec, n, signalling, x, 0, draws);
  if (y0.some((v, i) => v !== x[i])) return false;
  const sigma = 0.7;
  const y = through(spec, n, signalling, x, sigma, draws);
  let m1 = 0;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < y.length; i++) {
    const z = (y[i] - x[i]) / sigma;
    m1 += z;
    m2 += z * z;
    m4 += z ** 4;
  }
  const N = y.length;
  return Math.abs(m1 / N) <= 5 / Math.sqrt(N) && Math.abs(m2 / N - 1) <= 5 * Math.sqrt(2 / N) && Math.abs(m4 / N - 3) <= 5 * Math.sqrt(96 / N);
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

      it('its declared taps are the reach of its impulse response (complex use, no noise)', () => {
        const n = 6;
        for (const v of csiVariants(kind.type)) {
          const taps = channelTaps(v);
          assert.ok(Number.isInteger(taps) && taps >= 1 && taps <= n, `${kind.type}: taps ${taps}`);
          if (!kind.intersymbol) assert.equal(taps, 1, `${kind.type}: taps > 1 without intersymbol interference`);
          const model = makeChannel(v, n, 'complex');
          const blocks = 500;
          const x = new Float32Array(blocks * model.dims);
          for (let b = 0; b < blocks; b++) x[b * model.dims] = 1; // an impulse on the first use
          const draws = new Float32Array(blocks * model.drawDims);
          new RandomStream('registry-taps', kind.type).fillNormal(draws);
          const y = through(v, n, 'complex', x, 0, draws);
          let lastReached = 0;
          for (let b = 0; b < blocks; b++)
            for (let i = 0; i < n; i++) {
              const o = b * model.outDims + 2 * i;
              if (y[o] !== 0 || y[o + 1] !== 0) lastReached = Math.max(lastReached, i);
            }
          assert.equal(lastReached + 1, taps, `${kind.type} (csi ${String((v as { csi?: string }).csi)}): the impulse reaches ${lastReached + 1} uses`);
        }
      });

      it('its declared fading gains are the draws its model reads after the noise', () => {
        for (const v of csiVariants(kind.type)) {
          for (const n of [1, 4, 6]) {
            const f = blockFading(v, n);
            assert.ok(Number.isInteger(f.gains) && f.gains >= 0, `${kind.type}: gains ${f.gains}`);
            if (f.coherence === 'symbol') assert.equal(f.gains, n, `${kind.type}: per-use fading draws one gain per use`);
            else assert.equal(f.gains, blockFading(v, 1).gains, `${kind.type}: block fading draws the same gains for any n`);
            for (const signalling of supported(v, n)) {
              const model = makeChannel(v, n, signalling);
              assert.equal(model.drawDims, realDims(n, signalling) + 2 * f.gains, `${kind.type} ${signalling} n = ${n}: drawDims`);
            }
          }
        }
        // Without CSI (and no noise, x = 1 on every use), each gain draw changes y and no noise draw does.
        const v = csiVariants(kind.type).at(-1) as ChannelSpec;
        const n = 4;
        const model = makeChannel(v, n, 'complex');
        const x = new Float32Array(model.dims);
        for (let i = 0; i < n; i++) x[2 * i] = 1;
        const draws = new Float32Array(model.drawDims);
        new RandomStream('registry-gain-draws', kind.type).fillNormal(draws);
        const y = through(v, n, 'complex', x, 0, draws);
        for (let j = 0; j < model.drawDims; j++) {
          const moved = Float32Array.from(draws);
          moved[j] += 0.5;
          const changed = through(v, n, 'complex', x, 0, moved).some((u, i) => u !== y[i]);
          assert.equal(changed, j >= model.dims, `${kind.type}: draw ${j} (${j < model.dims ? 'noise' : 'gain'}) ${changed ? 'changes' : 'leaves'} y at σ = 0`);
        }
      });

      it('CSI: with perfect the receiver gets the gains (after y, or undone: y = x at σ = 0), with none y only', () => {
        const n = 4;
        for (const v of csiVariants(kind.type)) {
          const f = blockFading(v, n);
          const known = withKnownGains(v);
          assert.equal(blockFading(known, n).csi, 'perfect');
          assert.equal(makeChannel(known, n, 'complex').drawDims, makeChannel(v, n, 'complex').drawDims, `${kind.type}: knowing the gains changes the draws`);
          if (f.gains === 0) continue;
          const model = makeChannel(v, n, 'complex');
          const blocks = 200;
          const x = new Float32Array(blocks * model.dims);
          const draws = new Float32Array(blocks * model.drawDims);
          const s = new RandomStream('registry-csi', kind.type);
          s.fillNormal(x);
          s.fillNormal(draws);
          const y = through(v, n, 'complex', x, 0, draws);
          const undone = (b: number) => {
            for (let i = 0; i < model.dims; i++)
              if (Math.abs(y[b * model.outDims + i] - x[b * model.dims + i]) > 1e-4 * (1 + Math.abs(x[b * model.dims + i]))) return false;
            return true;
          };
          if (f.csi === 'none') {
            assert.equal(model.outDims, model.dims, `${kind.type}: no CSI hands nothing over`);
            assert.ok(!undone(0) || !undone(1), `${kind.type}: no CSI, yet y = x`);
          } else if (model.outDims === model.dims) {
            for (let b = 0; b < blocks; b++) assert.ok(undone(b), `${kind.type}: perfect CSI, block ${b}: the gains are neither handed over nor undone`);
          } else assert.equal(model.outDims, model.dims + 2 * f.gains, `${kind.type}: perfect CSI hands over its ${f.gains} gains`);
        }
      });

      it(`noiseOnly (${kind.noiseOnly}) holds exactly where the model is y = x + N(0, σ²), no gain, nothing appended`, () => {
        for (const v of csiVariants(kind.type))
          for (const signalling of supported(v, 4))
            assert.equal(behavesNoiseOnly(v, 4, signalling), kind.noiseOnly, `${kind.type} ${signalling} ${JSON.stringify(v)}`);
      });

      it('an RTN is offered only where there are channel parameters to estimate (a filter only over taps)', () => {
        for (const t of kind.rtnTransforms) assert.ok(RTN_TRANSFORMS.includes(t), `${kind.type}: unknown transform ${t}`);
        if (kind.rtnTransforms.length > 0) assert.ok(blockFading(spec, 8).gains > 0, `${kind.type}: an RTN over a channel without fading`);
        if (kind.rtnTransforms.includes('filter')) assert.ok(kind.intersymbol, `${kind.type}: a filter RTN over a channel without taps`);
      });

      it('its two-user links, where it has them, draw four links of its gains and hand over two with CSI', function () {
        if (!kind.twoUser) {
          assert.throws(() => makeTwoUserChannel(spec, 2, 1), new RegExp(`not ${kind.type}`));
          this.skip();
        }
        for (const v of csiVariants(kind.type))
          for (const n of [1, 3]) {
            const f = blockFading(v, n);
            const link = makeTwoUserChannel(v, n, 0.8);
            assert.equal(link.dims, 2 * n);
            assert.equal(link.drawDims, 2 * link.dims + 4 * 2 * f.gains, `${kind.type} n = ${n}: two noises and four links' gains`);
            assert.equal(link.outDims, link.dims + (f.csi === 'perfect' ? 2 * 2 * f.gains : 0), `${kind.type} n = ${n}: own and cross gains with CSI`);
          }
      });
    });
  }
});
