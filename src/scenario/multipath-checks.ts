/**
 * Scenario checks that involve a system and the channel it ends up with: the channel kind's own checks
 * (e.g. multipath: complex signalling only, taps that fit the block, a profile with one power per tap;
 * src/channels/*.ts), RTNs only where there are channel parameters to estimate, the DBPSK baseline on multipath.
 */
import { isObj } from '../is-object.ts';
import { multipathMsg as M } from '../messages.ts';
import { CHANNEL_TYPES, channelKind, type ChannelType } from '../channels/registry.ts';
import { DEFAULTS } from '../defaults.ts';

type Report = (path: (string | number)[], expected: string, value: unknown, found?: string) => void;

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
    // The channel's own checks against the system it carries (src/channels/kind.ts `check`).
    const kind = typeof channel?.type === 'string' && CHANNEL_TYPES.includes(channel.type as ChannelType) ? channelKind(channel.type) : undefined;
    if (channel && kind?.check) kind.check(channel, { system: sys, index: i, signalling, at }, p);
    // hamming74-dbpsk needs a multipath channel (its MLSE equalizes the taps).
    if (!multipath && sys.type === 'hamming74-dbpsk') {
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
