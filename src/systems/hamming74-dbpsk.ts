/**
 * The paper's classical scheme over multipath: `type: hamming74-dbpsk`, Hamming (7,4) + DBPSK on 8 complex
 * channel uses with MLSE (src/baselines/dbpsk-mlse.ts). Its receiver knows the taps: the compiled channel has
 * csi: perfect.
 */
import { z } from 'zod';
import { channelKindOf, channelTypesWhere, hasIntersymbolInterference, withKnownGains, type ChannelSpec } from '../channels/registry.ts';
import { multipathMsg as M } from '../messages.ts';
import { DEFAULTS } from '../defaults.ts';
import { codeName } from '../scenario/compile-parts.ts';
import type { CompiledCommon } from '../scenario/compiled-parts.ts';
import { common } from '../scenario/schema-parts.ts';
import { classicalHead, obtainClassical, ownCurve } from './classical.ts';
import { defineSystemKind } from './kind.ts';

/** Hamming (7,4) + DBPSK over 8 complex uses with MLSE (src/baselines/dbpsk-mlse.ts); its channel has csi: perfect. */
export interface CompiledHamming74Dbpsk extends CompiledCommon {
  type: 'hamming74-dbpsk';
}

const schema = z
  .strictObject({
    type: z.literal('hamming74-dbpsk'),
    ...common,
  })
  .meta({
    description:
      "The paper's classical scheme over multipath: Hamming (7,4) + DBPSK on 8 complex channel uses (a reference symbol, then 7 differential symbols), MLSE (Viterbi over the L-tap channel, the taps known to the receiver), differential and syndrome decoding.",
  });

const defaultLabel = (): string => `Hamming ${codeName(7, 4, 'real')} + DBPSK ${codeName(8, 4, 'complex')}, MLSE`;

export const hamming74Dbpsk = defineSystemKind<CompiledHamming74Dbpsk>()({
  type: 'hamming74-dbpsk',
  schema,
  example: { type: 'hamming74-dbpsk', id: 'dbpsk', channel: { type: 'multipath', taps: 3 } },
  defaults: {},
  // MLSE over its 8 complex uses.
  isiReceiver: { kind: 'fixed', n: 8 },
  curveTypes: ['hamming74-dbpsk'],
  importanceSampling: true,
  trains: false,
  compile: (input: Record<string, unknown>, channel: ChannelSpec) => {
    const s = input as z.infer<typeof schema>;
    return {
      type: 'hamming74-dbpsk',
      id: s.id,
      label: s.label ?? defaultLabel(),
      // The classical receiver knows the channel (MLSE needs the taps): the taps reach it with y.
      channel: hasIntersymbolInterference(channel) ? withKnownGains(channel) : channel,
      k: 4,
      n: 8,
      signalling: 'complex',
    };
  },
  defaultLabel,
  // It needs a channel with intersymbol interference (its MLSE equalizes the taps).
  check: (_sys, { index: i, channel, channelAt, ownChannel }, p) => {
    if (!channelKindOf(channel?.type ?? DEFAULTS.channel.type)?.intersymbol)
      p(
        ownChannel ? channelAt : ['systems', i, 'channel'],
        M.dbpskChannel(channelTypesWhere((k) => k.intersymbol)),
        channel?.type ?? DEFAULTS.channel.type,
        `channel ${String(channel?.type ?? DEFAULTS.channel.type)}`,
      );
  },
  curvePlans: ownCurve,
  curveHead: classicalHead,
  obtain: obtainClassical<CompiledHamming74Dbpsk>((b, s) => b.hamming74DbpskSystem({ id: s.id, channel: s.channel })),
});
