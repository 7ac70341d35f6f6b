/** Where the shipped scenario files (and their JSON Schema) live. */
import { packagePath } from '../package-root.ts';

export const SCENARIO_DIR = packagePath('scenarios');
