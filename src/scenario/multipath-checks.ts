/**
 * Scenario checks that involve a system and the channel it ends up with: the channel kind's own checks
 * (e.g. multipath: complex signalling only, taps that fit the block, a profile with one power per tap, only
 * the systems with a receiver for intersymbol interference; src/channels/*.ts). The checks a system kind
 * makes of its channel (an RTN's, the DBPSK baseline's) are its own (src/systems/).
 */
import { isObj } from '../data/is-object.ts';
import { CHANNEL_TYPES, channelKind, type ChannelType } from '../channels/registry.ts';
import { isSystemType, systemKind } from '../systems/registry.ts';

type Report = (path: (string | number)[], expected: string, value: unknown, found?: string) => void;

export function multipathChecks(data: Record<string, unknown>, p: Report): void {
  const systems = Array.isArray(data.systems) ? data.systems : [];
  const scenarioChannel = isObj(data.channel) ? data.channel : undefined;
  systems.forEach((sys, i) => {
    if (!isObj(sys)) return;
    const own = isObj(sys.channel);
    const channel = own ? (sys.channel as Record<string, unknown>) : scenarioChannel;
    const at: (string | number)[] = own ? ['systems', i, 'channel'] : ['channel'];
    const systemKindOf = isSystemType(sys.type) ? systemKind(sys.type) : undefined;
    const signalling = sys.signalling ?? systemKindOf?.defaultSignalling;
    // The channel's own checks against the system it carries (src/channels/kind.ts `check`).
    const kind = typeof channel?.type === 'string' && CHANNEL_TYPES.includes(channel.type as ChannelType) ? channelKind(channel.type) : undefined;
    if (channel && kind?.check)
      kind.check(channel, { system: sys, index: i, signalling, at, ...(systemKindOf?.isiReceiver ? { isiReceiver: systemKindOf.isiReceiver } : {}) }, p);
  });
}
