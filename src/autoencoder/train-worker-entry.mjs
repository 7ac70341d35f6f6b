// Worker-thread entry of data-parallel training (see gradient-workers.ts): registers tsx's ESM loader (the
// project runs TypeScript without a build step), then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./train-worker.ts');
