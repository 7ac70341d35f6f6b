/**
 * The two-user baseline: `type: time-sharing`, each of the two users sends on every other one of n complex
 * uses with uncoded 2^(2k/n)-QAM (no interference). Measured as the uncoded system it equals.
 */
import { z } from 'zod';
import { channelTypesWhere, type ChannelSpec } from '../channels/registry.ts';
import { twoUserMsg as M } from '../messages.ts';
import type { CompiledCommon } from '../scenario/compiled-parts.ts';
import { common, posInt } from '../scenario/schema-parts.ts';
import type { Modulation } from '../modulations/registry.ts';
import { classicalHead, obtainClassical, ownCurve } from './classical.ts';
import { defineSystemKind } from './kind.ts';
import { linkOf, reportLinkless } from './two-user.ts';
import { twoUserName } from './two-user-ids.ts';
import { isPosInt } from './values.ts';

/**
 * The compiled `type: time-sharing` system: the baseline of a two-user system, each user sending uncoded QAM on every
 * other one of the n complex uses, free of interference.
 */
export interface CompiledTimeSharing extends Omit<CompiledCommon, 'signalling'> {
  type: 'time-sharing';
  /** Complex channel uses per block of the two-user system it is the baseline of. */
  n: number;
  signalling: 'complex';
  /**
   * What one user sends on its n/2 active complex uses: 2^(2k/n)-QAM (QPSK for k = n: measured as the
   * equivalent Gray BPSK per real dimension, which has the same bit and block errors and also fits odd n).
   */
  modulation: Modulation;
}

const schema = z
  .strictObject({
    type: z.literal('time-sharing'),
    ...common,
    k: posInt().meta({ description: 'Bits per block and user.' }),
    n: posInt()
      .max(4096)
      .meta({ description: 'Complex channel uses per block shared by the two users; each sends on every other one with uncoded 2^(2k/n)-QAM.' }),
  })
  .meta({ description: 'The two-user baseline: time sharing with uncoded 2^(2k/n)-QAM (no interference).' });

/** Bits per real dimension of time sharing → the uncoded modulation measured (per real dimension, Gray). */
export const TIME_SHARING_MODULATION: Record<number, Modulation> = { 1: 'bpsk', 2: 'qam16', 3: 'qam64' };
const QAM_NAME: Record<number, string> = { 1: 'QPSK', 2: '16-QAM', 3: '64-QAM' };

/** The channel types with two-user links whose example fades (`fading`) or not, for the message. */
const timeSharingLinks = (fading: boolean): string =>
  channelTypesWhere((k) => k.twoUser !== undefined && k.fading(k.compile({ ...k.example }), 1).gains > 0 === fading);

const defaultLabel = (s: CompiledTimeSharing): string => `Time sharing ${twoUserName(s.n, s.k)}, ${QAM_NAME[s.k / s.n] ?? '?'}`;

export const timeSharing = defineSystemKind<CompiledTimeSharing>()({
  type: 'time-sharing',
  schema,
  example: { type: 'time-sharing', id: 'ts', k: 4, n: 4 },
  defaults: {},
  curveTypes: ['time-sharing'],
  importanceSampling: true,
  trains: false,
  compile: (input: Record<string, unknown>, channel: ChannelSpec) => {
    const s = input as z.infer<typeof schema>;
    const out: CompiledTimeSharing = {
      type: 'time-sharing',
      id: s.id,
      label: '',
      channel,
      k: s.k,
      n: s.n,
      signalling: 'complex',
      modulation: TIME_SHARING_MODULATION[s.k / s.n],
    };
    out.label = s.label ?? defaultLabel(out);
    return out;
  },
  defaultLabel,
  check: (sys, ctx, p) => {
    if (reportLinkless(sys, ctx, p)) return;
    const i = ctx.index;
    const { fading, csi, coherence } = linkOf(ctx);
    if (fading && (csi !== 'perfect' || coherence !== 'block'))
      p(
        ctx.channelAt,
        M.timeSharingFading(timeSharingLinks(false), timeSharingLinks(true)),
        ctx.channel,
        `${String(ctx.channel?.type)} with coherence: ${String(coherence)}, csi: ${String(csi)}`,
      );
    if (!isPosInt(sys.k) || !isPosInt(sys.n)) return;
    const perDim = sys.k / sys.n;
    if (!(perDim === 1 || perDim === 2 || perDim === 3)) p(['systems', i, 'k'], M.timeSharingRate, sys.k, `k = ${sys.k} with n = ${sys.n}`);
    else if (perDim > 1 && sys.n % 2 !== 0) p(['systems', i, 'n'], M.timeSharingEven(perDim), sys.n);
  },
  curvePlans: ownCurve,
  curveHead: classicalHead,
  // Time sharing (n, k) is measured as the uncoded system it equals (src/twouser/time-sharing.ts).
  obtain: obtainClassical<CompiledTimeSharing>((b, s) => b.uncodedSystem({ id: s.id, modulation: s.modulation, k: s.k, channel: s.channel })),
});
