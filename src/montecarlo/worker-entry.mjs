// Piscina worker entry. The project runs TypeScript through tsx without a build step, so the worker
// thread registers tsx's ESM loader before importing the TypeScript worker. (When the parent process
// already runs under `node --import tsx`, the worker inherits that loader and registering again is
// harmless.)
import { register } from 'tsx/esm/api';

register();
const mod = await import('./worker.ts');

export default mod.default;
