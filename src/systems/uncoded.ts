/**
 * The uncoded system kind: `type: uncoded`, k bits of a registered modulation (src/modulations/): BPSK on k
 * real uses, or k / q symbols of a complex constellation (QPSK, Gray 16-QAM, 64-QAM, 16-APSK, …), hard
 * decisions (src/baselines/systems.ts uncodedSystem).
 */
import { z } from 'zod';
import type { ChannelSpec } from '../channels/registry.ts';
import { LIMITS } from '../defaults.ts';
import { scenarioMsg as M } from '../messages.ts';
import { codeName } from '../scenario/compile-parts.ts';
import type { CompiledCommon } from '../scenario/compiled-parts.ts';
import { common, posInt } from '../scenario/schema-parts.ts';
import { BITS_PER_SYMBOL, MODULATION_NAMES, MODULATIONS, modulationKind, type Modulation } from '../modulations/registry.ts';
import { classicalHead, obtainClassical, ownCurve } from './classical.ts';
import { defineSystemKind } from './kind.ts';
import { isPosInt } from './values.ts';

export interface CompiledUncoded extends CompiledCommon {
  type: 'uncoded';
  modulation: Modulation;
}

const schema = z
  .strictObject({
    type: z.literal('uncoded'),
    ...common,
    modulation: z.enum(MODULATIONS),
    k: posInt().meta({ description: 'Bits per block (a multiple of the bits per symbol).' }),
  })
  .meta({ description: 'Uncoded modulation, hard decisions (Gray mapping).' });

const defaultLabel = (s: CompiledUncoded): string => `Uncoded ${MODULATION_NAMES[s.modulation]} ${codeName(s.n, s.k, s.signalling)}`;

export const uncoded = defineSystemKind<CompiledUncoded>()({
  type: 'uncoded',
  schema,
  example: { type: 'uncoded', id: 'uncoded-bpsk', modulation: 'bpsk', k: 4 },
  defaults: {},
  curveTypes: ['uncoded'],
  importanceSampling: true,
  trains: false,
  compile: (input: Record<string, unknown>, channel: ChannelSpec) => {
    const s = input as z.infer<typeof schema>;
    const bits = BITS_PER_SYMBOL[s.modulation];
    const real = modulationKind(s.modulation).signalling === 'real';
    const out: CompiledUncoded = {
      type: 'uncoded',
      id: s.id,
      label: '',
      channel,
      k: s.k,
      n: real ? s.k : s.k / bits,
      signalling: real ? 'real' : 'complex',
      modulation: s.modulation,
    };
    out.label = s.label ?? defaultLabel(out);
    return out;
  },
  defaultLabel,
  check: (sys, { index: i }, p) => {
    const modulation = sys.modulation;
    if (!isPosInt(sys.k)) return;
    if (sys.k > LIMITS.maxK) p(['systems', i, 'k'], M.maxK, sys.k);
    else if (typeof modulation === 'string' && Object.hasOwn(BITS_PER_SYMBOL, modulation)) {
      const bits = BITS_PER_SYMBOL[modulation];
      if (sys.k % bits !== 0) p(['systems', i, 'k'], M.kMultiple(modulation, bits), sys.k);
    }
  },
  curvePlans: ownCurve,
  curveHead: classicalHead,
  obtain: obtainClassical<CompiledUncoded>((b, s) => b.uncodedSystem({ id: s.id, modulation: s.modulation, k: s.k, channel: s.channel })),
});
