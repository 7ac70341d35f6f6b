/**
 * Kinds registered from user code (src/kinds.ts): a channel kind from a module outside the sources is
 * accepted by the scenario schema, refused before it is registered, held to its own field checks, and
 * measured on worker threads that loaded its module; taken names and malformed kinds are refused. Runs in
 * a child process (test/fixtures/kinds/register-kinds.ts) so the other tests keep the shipped registries.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { qfunc } from '../../src/math/special.ts';

const run = promisify(execFile);

describe('kinds registered from user code', function () {
  this.timeout(180_000);
  let r: {
    errors: Record<string, string>;
    channelTypes: string[];
    decoders: string[];
    channel: { type: string; gain: number };
    schemaNamesType: boolean;
    points: { ebnoDb: number; errors: number; blocks: number }[];
  };

  before(async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/fixtures/kinds/register-kinds.ts'], { maxBuffer: 16 << 20 });
    r = JSON.parse(stdout.trim().split('\n').at(-1)!);
  });

  it('the scenario schema refuses the type before registration and accepts it after, with its defaults and its own field checks', () => {
    assert.match(r.errors.before, /before\.yaml:2:\d+: channel\.type: expected a channel type: awgn, rayleigh, multipath, rician/);
    assert.deepEqual(r.channelTypes, ['awgn', 'rayleigh', 'multipath', 'rician', 'scaled-awgn']);
    assert.deepEqual(r.channel, { type: 'scaled-awgn', gain: 0.5 });
    assert.match(r.errors.badField, /bad-field\.yaml:2:\d+: channel\.gain: expected a number > 0, found -1/);
    assert.ok(r.schemaNamesType, 'the JSON Schema (sim schema) lists the registered type');
  });

  it('refuses taken names and malformed kinds, with the reason; registering the same kind twice is harmless', () => {
    assert.equal(r.errors.again, '');
    assert.match(r.errors.taken, /channel type scaled-awgn is already registered/);
    assert.match(r.errors.shipped, /channel type awgn is already registered/);
    assert.match(r.errors.badType, /type "Bad Type": expected lowercase letters/);
    assert.match(r.errors.schemaMismatch, /other-name: its schema's `type` field must be z\.literal\('other-name'\)/);
    assert.match(r.errors.missing, /incomplete: missing noiseOnly, taps/);
    assert.match(r.errors.decoderTaken, /decoder kind nearest-codeword is already registered/);
    assert.match(r.errors.layerOption, /leave `option` out/);
    assert.match(r.errors.layerTaken, /layer kind \w+ is already registered/);
    assert.match(r.errors.systemTaken, /system type autoencoder is already registered/);
    assert.ok(r.decoders.includes('my-nearest'));
  });

  it('Monte Carlo on two worker threads runs the registered channel: uncoded BPSK errors match Q(a·√(2·Eb/N0))', () => {
    // Each count against its binomial law: |errors − N·p| ≤ 4.5 standard deviations (two points; a correct
    // channel fails this with probability < 1e-4). Without the module in the workers the sweep throws.
    for (const p of r.points) {
      const ber = qfunc(0.5 * Math.sqrt(2 * 10 ** (p.ebnoDb / 10)));
      const sd = Math.sqrt(p.blocks * ber * (1 - ber));
      assert.ok(
        Math.abs(p.errors - p.blocks * ber) <= 4.5 * sd,
        `${p.ebnoDb} dB: ${p.errors} errors in ${p.blocks}, expected ${(p.blocks * ber).toFixed(0)} ± ${sd.toFixed(0)}`,
      );
    }
  });
});
