/**
 * Faster transposed matrix products on the wasm backend.
 *
 * On tfjs-backend-wasm 4.22 a matrix product with a transpose flag (matMul(x, y, transposeA, transposeB),
 * which every backward pass of a dense layer uses, through BatchMatMul and _FusedMatMul alike) is 12–15×
 * slower than an explicit transpose followed by a plain product (measured here: 250×256 by 256×256,
 * 14 ms vs 0.9 ms), so the (8,8) autoencoder's backward pass took 15× its forward pass. This wraps both
 * kernels: operands with a transpose flag are transposed first by the backend's own Transpose kernel,
 * then the original kernel runs without flags. Same mathematics; installed only for wasm.
 */
import * as tf from '@tensorflow/tfjs';

type KernelFunc = (args: { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }) => tf.TensorInfo | tf.TensorInfo[];
interface DataBackend {
  disposeData(dataId: object): void;
}

let installed = false;

function wrap(kernelName: string): void {
  const original = tf.getKernel(kernelName, 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose) return;
  const run = original.kernelFunc as unknown as KernelFunc;
  const transposeFunc = transpose.kernelFunc as unknown as KernelFunc;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: ((args: Parameters<KernelFunc>[0]) => {
      const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
      if (!attrs.transposeA && !attrs.transposeB) return run(args);
      const temps: tf.TensorInfo[] = [];
      const flip = (x: tf.TensorInfo): tf.TensorInfo => {
        const perm = [...Array(x.shape.length).keys()];
        const r = perm.length;
        [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
        const t = transposeFunc({ inputs: { x }, backend: args.backend, attrs: { perm } }) as tf.TensorInfo;
        temps.push(t);
        return t;
      };
      const inputs = { ...args.inputs };
      if (attrs.transposeA) inputs.a = flip(inputs.a);
      if (attrs.transposeB) inputs.b = flip(inputs.b);
      try {
        return run({ ...args, inputs, attrs: { ...attrs, transposeA: false, transposeB: false } });
      } finally {
        for (const t of temps) (args.backend as DataBackend).disposeData(t.dataId);
      }
    }) as unknown as tf.KernelFunc,
  });
}

export function installWasmMatMulFix(): void {
  if (installed) return;
  installed = true;
  wrap('BatchMatMul');
  wrap('_FusedMatMul');
}
