import assert from 'node:assert/strict';
import { compileMlp, mlpForwardNaive, randomMlpSpec } from '../../src/mlp/forward.ts';
import { RandomStream } from '../../src/random.ts';
import type { MlpSpec } from '../../src/mlp/spec.ts';

function naiveArgmax(spec: MlpSpec, input: Float32Array, blocks: number, float32 = true): Int32Array {
  const out = mlpForwardNaive(spec, input, blocks, { float32 });
  const d = new Int32Array(blocks);
  for (let b = 0; b < blocks; b++) {
    let best = -Infinity;
    for (let j = 0; j < spec.outputDim; j++)
      if (out[b * spec.outputDim + j] > best) {
        best = out[b * spec.outputDim + j];
        d[b] = j;
      }
  }
  return d;
}

describe('mlp forward pass', () => {
  const rs = new RandomStream('mlp-test');
  const u = () => rs.uniform();
  const specs: Record<string, MlpSpec> = {
    '(7,4) decoder 7→16 relu→16 softmax': randomMlpSpec([7, 16, 16], 'relu', u, 'softmax'),
    'deeper elu/tanh/selu/sigmoid': (() => {
      const s = randomMlpSpec([14, 32, 24, 20, 64], 'elu', u);
      (s.layers[1] as { activation: string }).activation = 'tanh';
      (s.layers[2] as { activation: string }).activation = 'selu';
      s.layers.push({ kind: 'activation', activation: 'sigmoid' });
      return s;
    })(),
    'layerNorm + separate softmax': (() => {
      const s = randomMlpSpec([8, 12, 16], 'linear', u);
      s.layers.splice(
        1,
        0,
        { kind: 'layerNorm', dim: 12, gamma: new Float32Array(12).map(() => 0.5 + u()), beta: new Float32Array(12).map(() => u() - 0.5), epsilon: 1e-3 },
        { kind: 'activation', activation: 'relu' },
      );
      s.layers.push({ kind: 'activation', activation: 'softmax' });
      return s;
    })(),
    'softmax inside the network (fused into a dense layer, and on its own), feeding further layers': (() => {
      const s = randomMlpSpec([6, 10, 8, 5], 'tanh', u);
      (s.layers[0] as { activation: string }).activation = 'softmax';
      s.layers.splice(2, 0, { kind: 'activation', activation: 'softmax' });
      return s;
    })(),
  };
  for (const [name, spec] of Object.entries(specs)) {
    it(`${name}: the generated pass decides as the naive one, in float64 and in float32 order`, () => {
      const blocks = 300;
      const input = new Float32Array(blocks * spec.inputDim);
      rs.fillNormal(input);
      const dec = new Int32Array(blocks);
      compileMlp(spec).argmax(input, blocks, dec);
      const f64 = naiveArgmax(spec, input, blocks, false);
      assert.deepEqual(dec, f64);
      const dec32 = new Int32Array(blocks);
      compileMlp(spec, { float32: true }).argmax(input, blocks, dec32);
      assert.deepEqual(dec32, naiveArgmax(spec, input, blocks, true));
      // float32 against float64 arithmetic: the logits differ by rounding only, so decisions differ at most
      // on a rare near-tie.
      assert.ok(f64.filter((d, b) => d !== dec32[b]).length <= 1);
    });
  }
  it('argmax returns the first index on ties and rejects wrong shapes', () => {
    const spec: MlpSpec = {
      inputDim: 1,
      outputDim: 3,
      layers: [{ kind: 'dense', inDim: 1, outDim: 3, kernel: new Float32Array([0, 0, 0]), bias: new Float32Array([1, 2, 2]), activation: 'linear' }],
    };
    const d = new Int32Array(2);
    compileMlp(spec).argmax(new Float32Array([0.3, -4]), 2, d);
    assert.deepEqual([...d], [1, 1]);
    assert.throws(() => compileMlp({ ...spec, outputDim: 4 }), /spec says 4/);
    assert.throws(() => compileMlp({ ...spec, inputDim: 2 }), /dense layer expects 1 inputs, got 2/);
    const short = { ...spec.layers[0], kernel: new Float32Array(2) };
    assert.throws(() => compileMlp({ ...spec, layers: [short] }), /dense 1→3 has kernel 2, bias 3/);
  });
});
