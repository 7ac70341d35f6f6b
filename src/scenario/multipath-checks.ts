/**
 * Scenario checks of multipath fading and RTN receivers that involve several fields (the channel a system
 * ends up with, its signalling, its n): complex signalling only, taps that fit the block, a profile with one
 * power per tap, RTNs only where there are channel parameters to estimate, the DBPSK baseline on multipath.
 */
import { isObj } from '../is-object.ts';
import { multipathMsg as M } from '../messages.ts';
import { DEFAULTS } from '../defaults.ts';

type Report = (path: (string | number)[], expected: string, value: unknown, found?: string) => void;

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

export function multipathChecks(data: Record<string, unknown>, p: Report): void {
  const systems = Array.isArray(data.systems) ? data.systems : [];
  const scenarioChannel = isObj(data.channel) ? data.channel : undefined;
  systems.forEach((sys, i) => {
    if (!isObj(sys)) return;
    const own = isObj(sys.channel);
    const channel = own ? (sys.channel as Record<string, unknown>) : scenarioChannel;
    const at: (string | number)[] = own ? ['systems', i, 'channel'] : ['channel'];
    const multipath = channel?.type === 'multipath';
    const signalling = sys.signalling ?? (sys.type === 'autoencoder' ? DEFAULTS.autoencoder.signalling : undefined);
    if (multipath) {
      const taps = channel.taps ?? DEFAULTS.multipath.taps;
      if (sys.type === 'autoencoder') {
        if (signalling !== 'complex') p(['systems', i, 'signalling'], M.complexOnly, signalling, `signalling: ${String(signalling)} (the default is ${DEFAULTS.autoencoder.signalling})`);
        else if (isPosInt(taps) && isPosInt(sys.n) && taps > sys.n) p([...at, 'taps'], M.tapsFit(sys.n), taps, `taps: ${taps} for systems[${i}] with n = ${sys.n}`);
      } else if (sys.type === 'hamming74-dbpsk') {
        if (isPosInt(taps) && taps > 8) p([...at, 'taps'], M.tapsFit(8), taps, `taps: ${taps} for systems[${i}] (hamming74-dbpsk, n = 8)`);
      } else if (typeof sys.type === 'string') {
        p(['systems', i, 'type'], M.systemType(sys.type), sys.type, `${sys.type} over a multipath channel`);
      }
      const profile = channel.profile;
      if (Array.isArray(profile) && isPosInt(taps)) {
        if (profile.length !== taps) p([...at, 'profile'], M.profileLength(taps), profile);
        else if (profile.every((v) => typeof v === 'number') && !((profile as number[]).reduce((a, b) => a + b, 0) > 0)) p([...at, 'profile'], M.profilePositive, profile);
      }
    } else if (sys.type === 'hamming74-dbpsk') {
      p(own ? at : ['systems', i, 'channel'], M.dbpskChannel, channel?.type ?? 'awgn', `channel ${String(channel?.type ?? 'awgn')}`);
    }
    const rtn = isObj(sys.receiver) ? sys.receiver.rtn : undefined;
    if (sys.type === 'autoencoder' && isObj(rtn)) {
      const transform = rtn.transform ?? DEFAULTS.rtn.transform;
      const ok = multipath || (transform === 'phase' && channel?.type === 'rayleigh');
      if (!ok) p(['systems', i, 'receiver', 'rtn'], M.rtnChannel, channel?.type ?? 'awgn', `an RTN with transform ${String(transform)} over channel ${String(channel?.type ?? 'awgn')}`);
      else if (!multipath && signalling !== 'complex') p(['systems', i, 'signalling'], M.rtnComplex, signalling);
    }
  });
}
