/**
 * `npm run build:playground`: the browser playground as static files in dist/playground/ (index.html, the
 * page's main.js, the simulator in worker.js, plotly and tfjs's .wasm files), which any static host serves;
 * nothing is fetched from another origin.
 *
 * esbuild, because it is already installed (tsx depends on it), bundles TypeScript in well under a second
 * and needs no configuration file. `platform: 'browser'` makes any import of a Node built-in a build error:
 * the check that the core (the trainer, the Monte Carlo engine, the baselines, the scenario compile step)
 * stays platform-neutral (src/platform.ts is its seam with Node).
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const OUT = 'dist/playground';
const require = createRequire(import.meta.url);

export async function buildPlayground(out = OUT) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: { main: 'playground/main.ts', worker: 'playground/worker.ts' },
    outdir: out,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync('playground/index.html', join(out, 'index.html'));
  copyFileSync(require.resolve('plotly.js-basic-dist-min'), join(out, 'plotly-basic.min.js'));
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    copyFileSync(join(wasmDir, f), join(out, f));
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await buildPlayground();
  console.log(`wrote ${out}/index.html`);
}
