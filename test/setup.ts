/** Root hook: every test file runs on the backend the simulator itself would pick. */
import { initBackend } from '../src/backend.ts';

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    await initBackend();
  },
};
