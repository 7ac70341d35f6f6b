/**
 * The one registry of claim checks a scenario can opt into (`claims: [fig3a, ml-reference]`).
 *
 * A check runs only when a scenario lists its name (or `npm run paper` supplies it); nothing is inferred
 * from the scenario's name, so a user scenario called `fig3a-mine` gets no PASS/FAIL rows unless it asks for
 * them. The names, with what each check tells and needs, are in src/claim-catalogue.ts (the scenario schema
 * builds its `claims` enum from it without importing the checks); this module gives each name its function.
 */
import type { Claim, ResultsFile } from '../results/results.ts';
import { fig3aClaims, fig3bClaims, mlReferenceClaims, powerClaims, robustnessClaims, trainSnrClaims, type ClaimBounds } from './claims.ts';
import { rtnClaims } from './rtn-claims.ts';
import { CLAIM_CATALOGUE, CLAIM_NAMES, isClaimName, type ClaimEntry, type ClaimName } from '../claim-catalogue.ts';
import { fig6Claims } from './two-user-claims.ts';

/**
 * A named claim check: its catalogue entry (name, what it tells, what it needs; src/claim-catalogue.ts) and the
 * function that turns a results file into PASS/FAIL/reported rows.
 */
export interface ClaimCheck extends ClaimEntry {
  /** Its rows (a missing curve gives a FAIL row that says what is missing, never an exception). */
  check: (results: ResultsFile, bounds: ClaimBounds) => Claim[];
}

/** The function of each named check. */
const CHECKS = {
  fig3a: fig3aClaims,
  fig3b: fig3bClaims,
  'power-constraints': powerClaims,
  robustness: robustnessClaims,
  'train-snr': trainSnrClaims,
  'ml-reference': mlReferenceClaims,
  'fig9-rtn': rtnClaims,
  fig6: fig6Claims,
} as const satisfies Record<ClaimName, ClaimCheck['check']>;

/** Every check: its name's catalogue entry and its function, in the catalogue's order. */
export const CLAIM_CHECKS = Object.fromEntries(CLAIM_NAMES.map((name) => [name, { ...CLAIM_CATALOGUE[name], check: CHECKS[name] }])) as Record<
  ClaimName,
  ClaimCheck
>;

/**
 * The rows of the named checks on one results file, in the order the names are given. Names this version
 * does not know (a results.json from a newer simulator) are skipped rather than guessed at.
 */
export function findingsOf(results: ResultsFile, bounds: ClaimBounds, names: readonly string[]): Claim[] {
  return names.filter(isClaimName).flatMap((name) => CLAIM_CHECKS[name].check(results, bounds));
}
