/**
 * RandomStream.fillNormal into a Float32Array runs the WebAssembly ziggurat (src/wasm/kernels/ziggurat.ts); into a
 * Float64Array it runs the JavaScript. The float32 values must be the JavaScript's doubles rounded to
 * float32, draw for draw (slow paths included), and the stream must continue identically afterwards.
 */
import assert from 'node:assert/strict';
import { RandomStream } from '../../src/random.ts';

describe('WebAssembly ziggurat', () => {
  it('equals the JavaScript generator value for value, across chunk boundaries, offsets and slow paths', () => {
    for (const [label, count, offset] of [
      ['a', 64, 0],
      ['b', 1000, 3],
      ['c', 300_001, 7], // more than one module call (245,760 floats)
      ['d', 65_536 * 7, 0],
    ] as const) {
      const wasm = new RandomStream('zig', label);
      const js = new RandomStream('zig', label);
      const a = new Float32Array(offset + count);
      const d = new Float64Array(offset + count);
      wasm.fillNormal(a, offset, count);
      js.fillNormal(d, offset, count);
      let slow = 0;
      for (let i = offset; i < offset + count; i++) {
        if (a[i] !== Math.fround(d[i])) assert.fail(`${label}: draw ${i - offset}: ${a[i]} vs ${d[i]}`);
        if (Math.abs(d[i]) > 3.44) slow++; // tail draws come from the slow path
      }
      if (count > 10_000) assert.ok(slow > 0, 'the slow path was exercised');
      // The streams continue alike (the generator state was written back).
      assert.equal(wasm.int32(), js.int32());
      const a2 = new Float32Array(100);
      const d2 = new Float64Array(100);
      wasm.fillNormal(a2);
      js.fillNormal(d2);
      assert.deepEqual(Array.from(a2), Array.from(d2, Math.fround));
    }
  });
});

describe('WebAssembly ziggurat: draws made ahead in SIMD', () => {
  it('equals the JavaScript for every start position in the generator ring and fills of every small size', () => {
    // Each fill starts at another ring index (the SIMD steps need i′ ≡ 0 mod 4 and i′ ≠ 92), and the slow path's
    // draws come from the draws made ahead, then from the generator.
    const wasm = new RandomStream('zig-ring');
    const js = new RandomStream('zig-ring');
    let slow = 0;
    for (let count = 64; count < 64 + 300; count++) {
      const a = new Float32Array(count);
      const d = new Float64Array(count);
      wasm.fillNormal(a);
      js.fillNormal(d);
      for (let i = 0; i < count; i++) {
        if (a[i] !== Math.fround(d[i])) assert.fail(`fill of ${count}: draw ${i}: ${a[i]} vs ${d[i]}`);
        if (Math.abs(d[i]) > 3.44) slow++;
      }
      assert.equal(wasm.int32(), js.int32(), `after the fill of ${count}`);
    }
    assert.ok(slow > 0, 'tail draws (slow path) were seen');
  });
});

describe('WebAssembly generator: message draws (fillInts, power-of-two ranges)', () => {
  it('equals int(m) draw for draw, across batches, and the stream continues alike', () => {
    for (const [count, m] of [
      [256, 16],
      [1000, 256],
      [40_000, 2],
      [16_384 + 5, 1 << 20],
    ] as const) {
      const wasm = new RandomStream('ints', count, m);
      const js = new RandomStream('ints', count, m);
      const a = wasm.fillInts(new Int32Array(count), m);
      for (let i = 0; i < count; i++) if (a[i] !== js.int(m)) assert.fail(`${count} draws in [0, ${m}): draw ${i}`);
      assert.equal(wasm.int32(), js.int32());
      const z1 = new Float32Array(100);
      const z2 = new Float64Array(100);
      wasm.fillNormal(z1);
      js.fillNormal(z2);
      assert.deepEqual(Array.from(z1), Array.from(z2, Math.fround));
    }
  });
});
