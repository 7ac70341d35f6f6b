/**
 * The WebAssembly toolkit (src/wasm/): LEB128 against known encodings, and a small module built with it that
 * the engine runs (checked against the same computation in JavaScript) and that encodes byte for byte as
 * wabt assembles the same text.
 */
import assert from 'node:assert/strict';
import wabtInit from 'wabt';
import { FunctionBuilder, wasmModule } from '../../src/wasm/builder.ts';
import { f32Bytes, sleb, uleb } from '../../src/wasm/encoding.ts';
import { OP, SIMD } from '../../src/wasm/opcodes.ts';

describe('WebAssembly builder (src/wasm)', () => {
  it('unsigned LEB128: known encodings, from one byte to the five of 2³² − 1', () => {
    const known: [number, number[]][] = [
      [0, [0x00]],
      [1, [0x01]],
      [127, [0x7f]],
      [128, [0x80, 0x01]],
      [255, [0xff, 0x01]],
      [16383, [0xff, 0x7f]],
      [16384, [0x80, 0x80, 0x01]],
      [624485, [0xe5, 0x8e, 0x26]],
      [2 ** 31, [0x80, 0x80, 0x80, 0x80, 0x08]],
      [2 ** 32 - 1, [0xff, 0xff, 0xff, 0xff, 0x0f]],
    ];
    for (const [n, bytes] of known) assert.deepEqual(uleb(n), bytes, `uleb(${n})`);
  });

  it('signed LEB128: known encodings around the sign bit of each byte, the i32 extremes, and values taken mod 2³²', () => {
    const known: [number, number[]][] = [
      [0, [0x00]],
      [1, [0x01]],
      [-1, [0x7f]],
      [63, [0x3f]],
      [64, [0xc0, 0x00]],
      [-64, [0x40]],
      [-65, [0xbf, 0x7f]],
      [127, [0xff, 0x00]],
      [-128, [0x80, 0x7f]],
      [8191, [0xff, 0x3f]],
      [8192, [0x80, 0xc0, 0x00]],
      [-123456, [0xc0, 0xbb, 0x78]],
      [2 ** 31 - 1, [0xff, 0xff, 0xff, 0xff, 0x07]],
      [-(2 ** 31), [0x80, 0x80, 0x80, 0x80, 0x78]],
      [2 ** 32 - 1, [0x7f]], // as i32: −1
      [4 * 0x61c88647, sleb((4 * 0x61c88647) | 0)],
    ];
    for (const [n, bytes] of known) assert.deepEqual(sleb(n), bytes, `sleb(${n})`);
  });

  it('float32 constants: little-endian bytes', () => {
    assert.deepEqual(f32Bytes(1), [0x00, 0x00, 0x80, 0x3f]);
    assert.deepEqual(f32Bytes(-0), [0x00, 0x00, 0x00, 0x80]);
    assert.deepEqual(f32Bytes(Math.LOG2E), [0x3b, 0xaa, 0xb8, 0x3f]);
  });

  /** dot(a, b, n) = Σ a[i]·b[i] in float32, in order; scale(p, n, k): p[0 … n) ·= k, four per f32x4 (n a multiple of 4). */
  function tinyModule(): Uint8Array<ArrayBuffer> {
    const dot = new FunctionBuilder('dot', ['i32', 'i32', 'i32'], ['f32']);
    const [a, b, n] = dot.params;
    const i = dot.local('i32');
    const end = dot.local('i32');
    const s = dot.local('f32');
    dot.get(n).i32(2).op(OP.i32Shl).set(end);
    dot.for(i, 0, end, 4, (c) => {
      c.get(s);
      c.get(a).get(i).op(OP.i32Add).f32load();
      c.get(b).get(i).op(OP.i32Add).f32load();
      c.op(OP.f32Mul, OP.f32Add).set(s);
    });
    dot.get(s);
    const scale = new FunctionBuilder('scale', ['i32', 'i32', 'f32']);
    const [p, m, k] = scale.params;
    const j = scale.local('i32');
    const stop = scale.local('i32');
    const vk = scale.local('v128');
    scale.get(k).simd(SIMD.f32x4Splat).set(vk);
    scale.get(m).i32(2).op(OP.i32Shl).set(stop);
    scale.for(j, 0, stop, 16, (c) => {
      c.get(p).get(j).op(OP.i32Add);
      c.get(p).get(j).op(OP.i32Add).vload().get(vk).simd(SIMD.f32x4Mul).vstore();
    });
    return wasmModule([dot, scale]);
  }

  it('a module built with it runs as the same computation in JavaScript', () => {
    const mem = new WebAssembly.Memory({ initial: 1 });
    const { dot, scale } = new WebAssembly.Instance(new WebAssembly.Module(tinyModule()), { m: { mem } }).exports as {
      dot: (a: number, b: number, n: number) => number;
      scale: (p: number, n: number, k: number) => void;
    };
    const f = new Float32Array(mem.buffer);
    const n = 37;
    for (let i = 0; i < 2 * n; i++) f[i] = Math.fround(Math.sin(i * 1.7) * 3);
    let want = 0;
    for (let i = 0; i < n; i++) want = Math.fround(want + Math.fround(f[i] * f[n + i]));
    assert.equal(dot(0, 4 * n, n), want);
    const before = f.slice(0, 40);
    scale(0, 40, 0.3);
    for (let i = 0; i < 40; i++) assert.equal(f[i], Math.fround(before[i] * Math.fround(0.3)));
  });

  it('encodes byte for byte as wabt assembles the same module from text', async () => {
    const wabt = await wabtInit();
    const wat = `(module
      (import "m" "mem" (memory 1))
      (func (export "dot") (param i32 i32 i32) (result f32) (local i32 i32 f32)
        local.get 2 i32.const 2 i32.shl local.set 4
        i32.const 0 local.set 3
        block loop
          local.get 3 local.get 4 i32.ge_s br_if 1
          local.get 5
          local.get 0 local.get 3 i32.add f32.load
          local.get 1 local.get 3 i32.add f32.load
          f32.mul f32.add local.set 5
          local.get 3 i32.const 4 i32.add local.set 3
          br 0
        end end
        local.get 5)
      (func (export "scale") (param i32 i32 f32) (local i32 i32 v128)
        local.get 2 f32x4.splat local.set 5
        local.get 1 i32.const 2 i32.shl local.set 4
        i32.const 0 local.set 3
        block loop
          local.get 3 local.get 4 i32.ge_s br_if 1
          local.get 0 local.get 3 i32.add
          local.get 0 local.get 3 i32.add v128.load align=4 local.get 5 f32x4.mul v128.store align=4
          local.get 3 i32.const 16 i32.add local.set 3
          br 0
        end end))`;
    const parsed = wabt.parseWat('tiny.wat', wat, { simd: true });
    const { buffer } = parsed.toBinary({ canonicalize_lebs: true });
    parsed.destroy();
    assert.deepEqual(Array.from(tinyModule()), Array.from(buffer));
  });
});
