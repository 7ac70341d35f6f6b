/**
 * Claims that cannot apply to the scenario: a check whose systems are missing (`claims: [fig6]` without a
 * two-user system) could only FAIL "not measured" after the whole run. Refused by validation instead, with
 * what the check needs (src/claim-catalogue.ts); checked on the compiled scenario, whose systems have every
 * default (an autoencoder's mlReference) filled in.
 */
import { CLAIM_CATALOGUE, isClaimName } from '../claim-catalogue.ts';
import { scenarioMsg as M } from '../messages.ts';
import type { CompiledScenario } from './compiled.ts';
import type { ResourceProblem } from './resource-checks.ts';

export function claimChecks(sc: CompiledScenario): ResourceProblem[] {
  const out: ResourceProblem[] = [];
  sc.claims.forEach((name, i) => {
    if (!isClaimName(name)) return; // unknown names are the schema's to refuse
    const entry = CLAIM_CATALOGUE[name];
    if (!entry.applies(sc.systems)) out.push({ path: ['claims', i], expected: M.claimNeeds(name, entry.needs), found: M.claimMissing(name) });
  });
  return out;
}
