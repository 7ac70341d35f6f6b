/**
 * The seam between the core and Node. The core imports no `node:` module statically, so one bundle of it
 * runs in Node and in a browser (the playground's esbuild bundle, platform 'browser', fails on any static
 * import of a Node built-in: that is the check). Where Node is there, its built-ins come from
 * process.getBuiltinModule (Node ≥ 20.16); in a browser they are undefined and the code paths that need
 * files, worker threads or tfjs-node are not taken (or say so).
 */

/** The built-ins the core uses (type queries only: nothing is imported). */
interface Builtins {
  'node:os': typeof import('node:os');
  'node:v8': typeof import('node:v8');
  'node:path': typeof import('node:path');
  'node:crypto': typeof import('node:crypto');
  'node:module': typeof import('node:module');
  'node:fs': typeof import('node:fs');
  'node:fs/promises': typeof import('node:fs/promises');
  'node:worker_threads': typeof import('node:worker_threads');
}

/** A Node built-in module, or undefined where there is no Node (a browser, a Web Worker). */
export function nodeBuiltin<ID extends keyof Builtins>(id: ID): Builtins[ID] | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.(id) as Builtins[ID] | undefined;
}

/** The same, where the caller cannot go on without it (file I/O, worker threads): a clear error elsewhere. */
export function requireNodeBuiltin<ID extends keyof Builtins>(id: ID, what: string): Builtins[ID] {
  const mod = nodeBuiltin(id);
  if (!mod) throw new Error(`${what} needs Node.js (${id}); it is not available on this platform`);
  return mod;
}

/** An environment variable in Node, undefined in a browser. */
export const envVar = (name: string): string | undefined => (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];

/** How many threads can run at once: Node's count, the browser's, or 1. */
export function availableParallelism(): number {
  const os = nodeBuiltin('node:os');
  if (os) return os.availableParallelism();
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/** Resolvers waiting for the browser's zero-delay message (yieldToEventLoop). */
const waiting: (() => void)[] = [];
let port: MessagePort | undefined;

/** A macrotask without a timer: nested zero timeouts are clamped to 4 ms in browsers, a posted message is not. */
function viaMessage(resolve: () => void): void {
  if (!port) {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
    port = channel.port2;
  }
  waiting.push(resolve);
  port.postMessage(0);
}

/**
 * Lets pending events through (an abort, a worker's stop message): setImmediate in Node, a posted message
 * in a browser (which has no setImmediate), else a zero timeout.
 */
export const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else if (typeof MessageChannel === 'function') viaMessage(resolve);
    else setTimeout(resolve, 0);
  });
