/**
 * Modules that add kinds from outside the package: a user's module that calls registerChannelKind,
 * registerLayerKind, registerDecoder or registerSystemKind when it is imported. Registering in the main
 * thread is not enough: Monte Carlo chunks and data-parallel training shards run in worker threads, each with
 * its own copy of the registries. So such a module is given by its URL: `useKindModule` imports it here and
 * remembers it, and every worker thread imports the same URLs before its first task (src/montecarlo/pool.ts,
 * src/autoencoder/gradient-workers.ts), so the kind is known wherever the simulator runs it.
 *
 * No `node:` import: the URL is whatever the platform's dynamic import() accepts (file: URLs in Node).
 */

const urls: string[] = [];
const loaded = new Map<string, Promise<unknown>>();

const href = (url: string | URL): string => (typeof url === 'string' ? url : url.href);

/** Imports once per thread; a failing import is reported with the URL and not cached. */
function importOnce(url: string): Promise<unknown> {
  let p = loaded.get(url);
  if (!p) {
    p = import(url).catch((e: unknown) => {
      loaded.delete(url);
      throw new Error(`kind module ${url} failed to load: ${(e as Error).message}`, { cause: e });
    });
    loaded.set(url, p);
  }
  return p;
}

/**
 * Imports a module that registers kinds (`new URL('./my-channel.js', import.meta.url)` from an ES module)
 * and has every worker thread the simulator starts from now on import it too.
 */
export async function useKindModule(url: string | URL): Promise<void> {
  const u = href(url);
  await importOnce(u);
  if (!urls.includes(u)) urls.push(u);
}

/** The URLs given to useKindModule, in order (posted to worker threads). */
export const kindModuleUrls = (): string[] => [...urls];

/** In a worker thread: imports the modules its parent uses (once each). */
export async function loadKindModules(list: readonly string[] | undefined): Promise<void> {
  if (!list?.length) return;
  for (const u of list) await importOnce(u);
}
