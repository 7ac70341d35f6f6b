/**
 * The WebAssembly SIMD argmax decoder (src/wasm/kernels/mlp-argmax.ts) decides exactly as the generated JavaScript
 * (src/mlp/forward.ts) — the engine's counts must not depend on which one runs — on random networks of several
 * shapes, on inputs that make ties, with zero weights, and it declines what it does not support.
 */
import assert from 'node:assert/strict';
import { argmaxLayers, compileMlp, mlpForwardNaive, randomMlpSpec } from '../../src/mlp/forward.ts';
import { compileMlpWasm } from '../../src/wasm/kernels/mlp-argmax.ts';
import { hamming74System } from '../../src/baselines/index.ts';
import { runSweep } from '../../src/montecarlo/index.ts';
import { ChunkKernel } from '../../src/montecarlo/kernel.ts';
import { RandomStream } from '../../src/random.ts';
import type { MlpSpec } from '../../src/mlp/spec.ts';
import type { BlockSystem } from '../../src/system.ts';

function sameDecisions(spec: MlpSpec, input: Float32Array, blocks: number): void {
  const js = new Int32Array(blocks);
  const wasm = new Int32Array(blocks);
  compileMlp(spec, { float32: true }).argmax(input, blocks, js);
  const w = compileMlpWasm(spec, argmaxLayers(spec));
  assert.ok(w, 'the network is supported');
  w.decide(input, blocks, wasm);
  for (let b = 0; b < blocks; b++) assert.equal(wasm[b], js[b], `block ${b}`);
  // and as the independent float32 reference (naive loops, src/mlp/forward.ts)
  const ref = mlpForwardNaive({ ...spec, layers: argmaxLayers(spec) }, input, blocks, { float32: true }); // softmax dropped, as for argmax
  for (let b = 0; b < blocks; b++) {
    let arg = 0;
    for (let j = 1; j < spec.outputDim; j++) if (ref[b * spec.outputDim + j] > ref[b * spec.outputDim + arg]) arg = j;
    assert.equal(wasm[b], arg, `block ${b} (reference)`);
  }
}

describe('WebAssembly SIMD argmax decoder', () => {
  const rs = new RandomStream('mlp-wasm');

  it('decides as the generated JavaScript on random networks (odd widths, deeper, linear hidden, softmax last)', () => {
    for (const [dims, hidden, last] of [
      [[7, 16, 16], 'relu', 'linear'],
      [[7, 16, 16], 'relu', 'softmax'],
      [[2, 5, 3], 'relu', 'linear'],
      [[8, 33, 17, 9], 'relu', 'softmax'],
      [[4, 3, 6], 'linear', 'linear'],
    ] as const) {
      const spec = randomMlpSpec([...dims], hidden, () => rs.uniform(), last);
      const blocks = 20_000;
      const y = new Float32Array(blocks * dims[0]);
      rs.fillNormal(y);
      sameDecisions(spec, y, blocks);
    }
  });

  it('decides as the JavaScript with separate activation layers (how trained decoders are compiled)', () => {
    const spec = randomMlpSpec([7, 16, 16], 'linear', () => rs.uniform());
    const [d0, d1] = spec.layers;
    const separate: MlpSpec = {
      ...spec,
      layers: [d0, { kind: 'activation', activation: 'relu' }, { kind: 'activation', activation: 'linear' }, d1, { kind: 'activation', activation: 'softmax' }],
    };
    const y = new Float32Array(7 * 20_000);
    rs.fillNormal(y);
    sameDecisions(separate, y, 20_000);
  });

  it('ties go to the first index, zero weights change nothing, chunks of any size', () => {
    // Equal biases and a zero kernel: every output ties; weights with exact zeros mixed in elsewhere.
    const spec = randomMlpSpec([7, 16, 16], 'relu', () => rs.uniform());
    const tied: MlpSpec = {
      ...spec,
      layers: spec.layers.map((l, i) =>
        l.kind === 'dense'
          ? {
              ...l,
              kernel: i === 1 ? new Float32Array(l.kernel.length) : l.kernel.map((v, j) => (j % 3 === 0 ? 0 : v)),
              bias: i === 1 ? new Float32Array(l.outDim).fill(0.25) : l.bias,
            }
          : l,
      ),
    };
    const y = new Float32Array(7 * 1000);
    rs.fillNormal(y);
    sameDecisions(tied, y, 1000);
    const w = compileMlpWasm(tied, argmaxLayers(tied))!;
    const d = new Int32Array(3);
    w.decide(y, 3, d);
    assert.deepEqual([...d], [0, 0, 0]);
    const zeros = randomMlpSpec([7, 16, 16], 'relu', () => rs.uniform());
    const sparse: MlpSpec = { ...zeros, layers: zeros.layers.map((l) => (l.kind === 'dense' ? { ...l, kernel: l.kernel.map((v, j) => (j % 2 ? 0 : v)) } : l)) };
    sameDecisions(sparse, new Float32Array(7 * 50), 50); // all-zero input: sums of ±0 terms
    sameDecisions(sparse, y, 1); // one block
  });

  it('declines layers it does not support (the JavaScript runs them)', () => {
    const tanh = randomMlpSpec([7, 16, 16], 'tanh', () => rs.uniform());
    assert.equal(compileMlpWasm(tanh, argmaxLayers(tanh)), undefined);
  });

  it('Monte Carlo counts are the same with the WebAssembly decoder and without it', async () => {
    const base = hamming74System({ id: 'x', decoding: 'ml', channel: { type: 'awgn' } });
    const system: BlockSystem = { ...base, id: 'ae', decoder: { kind: 'mlp-js', mlp: randomMlpSpec([7, 16, 16], 'relu', () => rs.uniform()) } };
    const run = () => runSweep(system, { ebnoDb: [2, 6], seed: 'w', rules: { targetErrors: 500, maxBlocks: 100_000 } });
    const withWasm = await run();
    process.env.AE_MLP_WASM = '0';
    try {
      const withJs = await run();
      assert.deepEqual(
        withJs.map((p) => [p.blocks, p.errors, p.bitErrors]),
        withWasm.map((p) => [p.blocks, p.errors, p.bitErrors]),
      );
    } finally {
      delete process.env.AE_MLP_WASM;
    }
  });
});

describe('fused AWGN Monte Carlo step (decoder WebAssembly, src/montecarlo/kernel.ts)', () => {
  it('counts block and bit errors as the general path, chunk by chunk, for any chunk size (slices of 4096 too), with labels', () => {
    const rs = new RandomStream('fused-awgn');
    const base = hamming74System({ id: 'x', decoding: 'ml', channel: { type: 'awgn' } });
    const labels = Int32Array.from({ length: 16 }, (_, m) => (m * 7 + 3) % 16); // a permutation of 0 … 15
    const system: BlockSystem = { ...base, id: 'ae', labels, decoder: { kind: 'mlp-js', mlp: randomMlpSpec([7, 16, 16], 'relu', () => rs.uniform()) } };
    const fused = new ChunkKernel(system);
    process.env.AE_MC_FUSED = '0';
    let general: ChunkKernel;
    try {
      general = new ChunkKernel(system);
    } finally {
      delete process.env.AE_MC_FUSED;
    }
    let errors = 0;
    for (const [i, blocks] of [1, 7, 8, 13, 1001, 4096, 8205, 3].entries()) {
      for (const sigma of [0.3, 0.9]) {
        const a = fused.run(sigma, new RandomStream('c', i, sigma), blocks);
        const b = general.run(sigma, new RandomStream('c', i, sigma), blocks);
        assert.deepEqual(a, b, `${blocks} blocks at σ = ${sigma}`);
        errors += a.errors;
      }
    }
    assert.ok(errors > 100, 'the comparison saw errors');
  });
});
