/**
 * Claim checks of the two-user interference channel (O'Shea & Hoydis 2017, Fig. 6), opted into with
 * `claims: [fig6]`. Curves are found by what the systems are (two-user and time-sharing systems with the same
 * k and n over AWGN), never by id. The paper: the autoencoders equal time sharing for (1,1) and (2,2) and gain
 * about 0.7 dB for (4,4) and 1 dB for (4,8) at BLER 1e-3.
 *
 * Bounds: |gap| ≤ 0.2 dB for (1,1), (2,2); gain ≥ 0.5 dB for (4,4), ≥ 0.8 dB for (4,8) at
 * 1e-3, per user; the two users within 0.3 dB of each other at 1e-3 in every configuration. The gaps at 1e-4
 * are reported. Quick runs (few errors, short training) are judged by looser bounds.
 */
import type { Claim, Curve, ResultsFile } from '../results/results.ts';
import { gapClaim, type ClaimBounds } from './claims.ts';
import type { BlerTarget } from '../vocabulary.ts';
import { twoUserName, userCurveId } from '../systems/two-user-ids.ts';

interface Fig6Bounds {
  target: BlerTarget;
  /** Targets whose gaps are reported only. */
  reportTargets: BlerTarget[];
  /** |AE − time sharing| bound where the paper finds equality. */
  equalDb: number;
  /** Minimum gain over time sharing, by "(n,k)". */
  gainDb: Record<string, number>;
  /** |user 1 − user 2| bound. */
  fairDb: number;
}

/**
 * Bounds of the Fig. 6 checks, for full budgets (`paper`) and quick runs (`quick`): |AE − time sharing| where the
 * paper finds equality, the minimum gain by "(n,k)", and |user 1 − user 2|, all in dB at `target`.
 */
export const FIG6_BOUNDS: Record<ClaimBounds['name'], Fig6Bounds> = {
  paper: { target: '1e-3', reportTargets: ['1e-4'], equalDb: 0.2, gainDb: { '(4,4)': 0.5, '(4,8)': 0.8 }, fairDb: 0.3 },
  quick: { target: '1e-3', reportTargets: [], equalDb: 0.6, gainDb: { '(4,4)': 0.0, '(4,8)': 0.3 }, fairDb: 0.8 },
};

const CONFIGS: { n: number; k: number; expect: 'equal' | 'gain' }[] = [
  { n: 1, k: 1, expect: 'equal' },
  { n: 2, k: 2, expect: 'equal' },
  { n: 4, k: 4, expect: 'gain' },
  { n: 4, k: 8, expect: 'gain' },
];

/**
 * Fig. 6 of the paper: for each of (1,1), (2,2), (4,4), (4,8) whose two-user and time-sharing systems over AWGN are
 * in the file, each user of the autoencoder against time sharing (equal within `equalDb`, or a gain of at least
 * `gainDb`) and the two users against each other (within `fairDb`), at BLER 1e-3; the gaps at `reportTargets` are
 * reported only. Configurations the scenario does not list give no rows.
 */
export function fig6Claims(r: ResultsFile, b: ClaimBounds): Claim[] {
  const bounds = FIG6_BOUNDS[b.name];
  const sc = r.scenario.name;
  const out: Claim[] = [];
  const curve = (id: string): Curve | undefined => r.curves.find((c) => c.id === id);
  for (const { n, k, expect } of CONFIGS) {
    const name = twoUserName(n, k);
    // The paper's Fig. 6 is over AWGN links: the claims pick that setting by name, they ask no capability of the channel.
    const tu = r.scenario.systems.find((s) => s.type === 'two-user' && s.k === k && s.n === n && s.channel.type === 'awgn');
    const ts = r.scenario.systems.find((s) => s.type === 'time-sharing' && s.k === k && s.n === n && s.channel.type === 'awgn');
    if (!tu || !ts) continue; // configurations a scenario does not list are not claimed
    const base = curve(ts.id);
    const users = [curve(userCurveId(tu.id, 1)), curve(userCurveId(tu.id, 2))];
    if (!base || !users[0] || !users[1]) continue;
    const gain = bounds.gainDb[name] ?? 0;
    users.forEach((u, i) => {
      for (const target of [bounds.target, ...bounds.reportTargets]) {
        const judged = target === bounds.target;
        const id = `fig6/${name}-user${i + 1}-vs-time-sharing@${target}`;
        if (expect === 'equal')
          out.push(
            gapClaim(
              sc,
              id,
              `${name} user ${i + 1} equals time sharing at ${target}`,
              u!,
              base,
              target,
              judged ? `|gap| ≤ ${bounds.equalDb} dB` : 'reported',
              judged ? { min: -bounds.equalDb, max: bounds.equalDb } : null,
            ),
          );
        else
          out.push(
            gapClaim(
              sc,
              id,
              `${name} user ${i + 1} beats time sharing at ${target} (paper: ${k === 4 ? '≈0.7' : '≈1'} dB at 1e-3)`,
              u!,
              base,
              target,
              judged ? `gap ≤ −${gain} dB` : 'reported',
              judged ? { max: -gain } : null,
            ),
          );
      }
    });
    for (const target of [bounds.target, ...bounds.reportTargets]) {
      const judged = target === bounds.target;
      out.push(
        gapClaim(
          sc,
          `fig6/${name}-fairness@${target}`,
          `${name}: the two users need the same Eb/N0 at ${target} (user 1 − user 2)`,
          users[0]!,
          users[1]!,
          target,
          judged ? `|gap| ≤ ${bounds.fairDb} dB` : 'reported',
          judged ? { min: -bounds.fairDb, max: bounds.fairDb } : null,
        ),
      );
    }
  }
  if (!out.length)
    out.push({
      id: 'fig6/configurations',
      scenario: sc,
      claim: 'Fig. 6: two-user autoencoders against time sharing',
      measured: null,
      unit: '',
      measuredText: 'not measured: no two-user system with its time-sharing baseline (same k, n, AWGN) among (1,1), (2,2), (4,4), (4,8)',
      bound: 'present',
      verdict: 'FAIL',
    });
  return out;
}
