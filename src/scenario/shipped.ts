/** Where the shipped scenario files (and their JSON Schema) live. */
import { fileURLToPath } from 'node:url';

export const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
