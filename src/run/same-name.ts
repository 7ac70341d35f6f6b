/**
 * Scenarios of one `sim run` write their runs into <out>/<name>/: two with the same name would write the
 * same folder, and the second was refused (or replaced the first) only after the first had run. Found
 * before any work starts.
 */
import { cliMsg } from '../messages.ts';

/** The refusal of the scenarios that share a name (undefined: every name is distinct). */
export function sameNameRefusal(loaded: readonly { file: string; scenario: { name: string } }[], out: string): string | undefined {
  const byName = new Map<string, string[]>();
  for (const { file, scenario } of loaded) byName.set(scenario.name, [...(byName.get(scenario.name) ?? []), file]);
  const clashes = [...byName].filter(([, files]) => files.length > 1);
  return clashes.length ? clashes.map(([name, files]) => cliMsg.sameScenarioName(name, files, out)).join('\n') : undefined;
}
