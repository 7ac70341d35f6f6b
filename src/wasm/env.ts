/**
 * What the WebAssembly kernels ask of their platform, here because src/wasm/ imports nothing from outside
 * itself (test/unit/wasm-modules.test.ts): environment switches and Node's V8 flags, both absent in a
 * browser (src/platform.ts, the core's seam with Node, re-exports envVar).
 */

/** An environment variable in Node, undefined in a browser. */
export const envVar = (name: string): string | undefined => (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];

/** Node's node:v8 (through process.getBuiltinModule, no static import), undefined in a browser. */
export function nodeV8(): typeof import('node:v8') | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:v8') as typeof import('node:v8') | undefined;
}
