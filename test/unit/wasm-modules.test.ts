/**
 * Every WebAssembly module the simulator generates (src/wasm/kernels/) is valid: wabt's validator (an
 * implementation independent of the engine's) accepts it, with SIMD and, for the fused products, relaxed
 * SIMD, and so does the engine. The learned decoder's module depends on the network, so several shapes are
 * built: odd input counts (the fused step's scalar tail), widths that are not a multiple of the units
 * computed side by side, zero weights, activation layers.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import wabtInit from 'wabt';
import { argmaxLayers, randomMlpSpec } from '../../src/mlp/forward.ts';
import { RandomStream } from '../../src/random.ts';
import { FunctionBuilder, wasmModule } from '../../src/wasm/builder.ts';
import { OP } from '../../src/wasm/opcodes.ts';
import { adamModule } from '../../src/wasm/kernels/adam.ts';
import { gemmModule } from '../../src/wasm/kernels/gemm.ts';
import { layerNormModule } from '../../src/wasm/kernels/layer-norm.ts';
import { argmaxModule } from '../../src/wasm/kernels/mlp-argmax.ts';
import { softmaxModule } from '../../src/wasm/kernels/softmax.ts';
import { zigguratModule } from '../../src/wasm/kernels/ziggurat.ts';
import type { MlpSpec } from '../../src/mlp/spec.ts';

function argmaxBytes(spec: MlpSpec): Uint8Array<ArrayBuffer> {
  const built = argmaxModule(spec.inputDim, argmaxLayers(spec));
  assert.ok(built, 'the network is supported');
  return built.bytes;
}

const rs = new RandomStream('wasm-modules');
const withZeros = randomMlpSpec([5, 9, 4], 'relu', () => rs.uniform());
const first = withZeros.layers[0];
if (first.kind === 'dense') for (let i = 0; i < first.kernel.length; i += 3) first.kernel[i] = 0;
const linear = randomMlpSpec([7, 16, 16], 'linear', () => rs.uniform());
const activationLayers: MlpSpec = {
  ...linear,
  layers: [linear.layers[0], { kind: 'activation', activation: 'relu' }, linear.layers[1], { kind: 'activation', activation: 'softmax' }],
};

const modules: [string, () => Uint8Array<ArrayBuffer>, boolean?][] = [
  ['ziggurat (gen, zig, mask)', zigguratModule],
  ['argmax decoder 7 → 16 relu → 16', () => argmaxBytes(randomMlpSpec([7, 16, 16], 'relu', () => rs.uniform()))],
  ['argmax decoder 2 → 5 relu → 3', () => argmaxBytes(randomMlpSpec([2, 5, 3], 'relu', () => rs.uniform()))],
  ['argmax decoder 8 → 33 → 17 → 9, softmax last', () => argmaxBytes(randomMlpSpec([8, 33, 17, 9], 'relu', () => rs.uniform(), 'softmax'))],
  ['argmax decoder 4 → 3 linear → 6', () => argmaxBytes(randomMlpSpec([4, 3, 6], 'linear', () => rs.uniform()))],
  ['argmax decoder 5 → 9 → 4 with zero weights', () => argmaxBytes(withZeros)],
  ['argmax decoder with separate activation layers', () => argmaxBytes(activationLayers)],
  ['matrix products, multiply then add (k4, k1)', () => gemmModule(false)],
  ['matrix products, relaxed_madd (k4, k1)', () => gemmModule(true), true],
  ['softmax (rows)', softmaxModule],
  ['layer normalization (fwd, bwd)', layerNormModule],
  ['Adam (update)', adamModule],
];

describe('generated WebAssembly modules (src/wasm/kernels/)', () => {
  for (const [name, build, relaxed] of modules) {
    it(`${name}: valid for wabt and for the engine`, async () => {
      const wabt = await wabtInit();
      const bytes = build();
      const m = wabt.readWasm(bytes, { readDebugNames: false, simd: true, relaxed_simd: relaxed ?? false });
      try {
        m.validate();
      } finally {
        m.destroy();
      }
      // (Relaxed SIMD is behind a V8 flag in Node 20 that gemm.ts sets only when the products are first used.)
      if (!relaxed) assert.ok(WebAssembly.validate(bytes), 'the engine validates it');
    });
  }

  it('src/wasm/ imports nothing from outside itself (the simulator imports it, not the other way round)', () => {
    const root = resolve('src/wasm');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 10);
    for (const file of files) {
      for (const [, from] of readFileSync(join(root, file), 'utf8').matchAll(/^import [^;]*? from '([^']+)'/gms)) {
        if (from.startsWith('node:')) continue;
        const target = relative(root, resolve(dirname(join(root, file)), from));
        assert.ok(!target.startsWith('..'), `${file} imports ${from}`);
      }
    }
  });

  it('the check has teeth: wabt rejects a function that leaves a value on the stack, and fused products without relaxed SIMD', async () => {
    const wabt = await wabtInit();
    const check = (bytes: Uint8Array, relaxed: boolean) => {
      const m = wabt.readWasm(bytes, { readDebugNames: false, simd: true, relaxed_simd: relaxed });
      try {
        m.validate();
      } finally {
        m.destroy();
      }
    };
    const bad = new FunctionBuilder('bad', ['i32']);
    bad.get(bad.params[0]).i32(1).op(OP.i32Add);
    assert.throws(() => check(wasmModule([bad]), false));
    assert.throws(() => check(gemmModule(true), false));
  });
});
