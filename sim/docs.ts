/**
 * `npm run docs`: writes the reference pages that are generated from the code, never written by hand:
 * docs/reference/scenario.md from the scenario JSON Schema, docs/reference/cli.md from the `sim` command
 * definitions. `test/unit/docs.test.ts` regenerates them in memory and fails when a committed page differs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../src/package-root.ts';
import { scenarioJsonSchema } from '../src/scenario/index.ts';
import { buildProgram } from './cli.ts';
import { renderCliReference } from './docs-cli.ts';
import { renderScenarioReference } from './docs-scenario.ts';

/** The project root, where docs/ and README.md are (the same from the sources and from dist/). */
export const DOCS_ROOT = PACKAGE_ROOT;

/** Every generated page: its path from the project root and its text. */
export function generatedPages(): { path: string; text: string }[] {
  return [
    { path: 'docs/reference/scenario.md', text: renderScenarioReference(scenarioJsonSchema()) },
    { path: 'docs/reference/cli.md', text: renderCliReference(buildProgram()) },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const page of generatedPages()) {
    const file = join(DOCS_ROOT, page.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, page.text);
    process.stderr.write(`wrote ${page.path}\n`);
  }
}
