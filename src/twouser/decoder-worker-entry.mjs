// Worker-thread entry of the two-user step's second receiver (see decoder-thread.ts): registers tsx's ESM
// loader (the project runs TypeScript without a build step), then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./decoder-worker.ts');
