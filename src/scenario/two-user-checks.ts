/**
 * Scenario checks of two-user and time-sharing systems that involve several fields (called from
 * src/scenario/load.ts crossChecks, same rules: read the raw data, check every usable part).
 */
import { LIMITS } from '../defaults.ts';
import { rayleighDefaults } from '../channels/rayleigh.ts';
import { twoUserMsg as M } from '../messages.ts';
import { isObj } from '../is-object.ts';
import { twoUserMlAllowed, userCurveId, userMlCurveId, wantsTwoUserMl } from './compile-two-user.ts';

type Report = (path: (string | number)[], expected: string, value: unknown, found?: string) => void;
const isPosInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;

/** Registers the curve ids `<id>-u1`, `<id>-u2` (and their `-ml`) in `owner`, reporting clashes. */
export function twoUserCurveIds(systems: unknown[], owner: Map<string, string>, where: (i: number) => string, p: Report, scenarioChannel?: unknown): void {
  systems.forEach((sys, i) => {
    if (!isObj(sys) || sys.type !== 'two-user' || typeof sys.id !== 'string') return;
    const ids = [userCurveId(sys.id, 1), userCurveId(sys.id, 2)];
    const { k, mlReference } = sys;
    const channel = isObj(sys.channel) ? sys.channel : isObj(scenarioChannel) ? scenarioChannel : undefined;
    const link = channel && typeof channel.type === 'string' ? { type: channel.type, csi: typeof channel.csi === 'string' ? channel.csi : undefined } : undefined;
    if (isPosInt(k) && (mlReference === undefined || typeof mlReference === 'boolean') && wantsTwoUserMl({ k, mlReference }, link))
      ids.push(userMlCurveId(sys.id, 1), userMlCurveId(sys.id, 2));
    for (const id of ids) {
      const j = systems.findIndex((other) => isObj(other) && other.id === id);
      if (j >= 0) p(['systems', j, 'id'], 'a unique id', id, M.curveIdClash(id, where(i)));
      else owner.set(id, where(i));
    }
  });
}

/**
 * Sizes and options that do not apply. `scenarioChannel`: the scenario's default channel (raw), which a
 * system without its own `channel` gets.
 */
export function twoUserChecks(systems: unknown[], p: Report, scenarioChannel?: unknown): void {
  systems.forEach((sys, i) => {
    if (!isObj(sys)) return;
    const own = isObj(sys.channel);
    const channel = own ? (sys.channel as Record<string, unknown>) : isObj(scenarioChannel) ? scenarioChannel : undefined;
    const at: (string | number)[] = own ? ['systems', i, 'channel'] : ['channel'];
    const rayleigh = channel?.type === 'rayleigh';
    const csi = rayleigh ? (channel.csi ?? rayleighDefaults.csi) : undefined;
    const coherence = rayleigh ? (channel.coherence ?? rayleighDefaults.coherence) : undefined;
    // The two-user links exist for AWGN and Rayleigh (src/channels/two-user.ts); multipath is reported by its kind.
    const linkless = typeof channel?.type === 'string' && !['awgn', 'rayleigh', 'multipath'].includes(channel.type);
    if ((sys.type === 'two-user' || sys.type === 'time-sharing') && linkless) {
      p([...at, 'type'], M.linkKinds, channel?.type, `${String(channel?.type)} for ${sys.type} system ${String(sys.id)}`);
      return;
    }
    if (sys.type === 'two-user') {
      if (sys.signalling === 'real') p(['systems', i, 'signalling'], M.complexOnly, sys.signalling);
      // Multipath is reported by the multipath checks (src/scenario/multipath-checks.ts).
      if (isPosInt(sys.k) && sys.k > LIMITS.twoUserMaxK) p(['systems', i, 'k'], M.maxK(LIMITS.twoUserMaxK), sys.k);
      else if (isPosInt(sys.k) && sys.mlReference === true && !twoUserMlAllowed(sys.k))
        p(['systems', i, 'mlReference'], M.mlPairs(LIMITS.twoUserMlPairs), sys.mlReference, `mlReference: true with k = ${sys.k} (M² = ${4 ** sys.k} pairs)`);
      else if (sys.mlReference === true && csi === 'none') p(['systems', i, 'mlReference'], M.mlNeedsCsi, sys.mlReference, `mlReference: true with ${own ? 'its' : 'the scenario\'s'} channel csi: none`);
    } else if (sys.type === 'time-sharing') {
      if (rayleigh && (csi !== 'perfect' || coherence !== 'block'))
        p(at, M.timeSharingFading, channel, `rayleigh with coherence: ${String(coherence)}, csi: ${String(csi)}`);
      if (!isPosInt(sys.k) || !isPosInt(sys.n)) return;
      const perDim = sys.k / sys.n;
      if (!(perDim === 1 || perDim === 2 || perDim === 3)) p(['systems', i, 'k'], M.timeSharingRate, sys.k, `k = ${sys.k} with n = ${sys.n}`);
      else if (perDim > 1 && sys.n % 2 !== 0) p(['systems', i, 'n'], M.timeSharingEven(perDim), sys.n);
    }
  });
}
