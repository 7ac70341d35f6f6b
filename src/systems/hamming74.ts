/** The Hamming (7,4) system kind: `type: hamming74`, the code with BPSK, hard (syndrome) or ML (soft) decoding. */
import { z } from 'zod';
import type { ChannelSpec } from '../channels/registry.ts';
import { codeName } from '../scenario/compile-parts.ts';
import type { CompiledCommon } from '../scenario/compiled-parts.ts';
import { common } from '../scenario/schema-parts.ts';
import { HAMMING_DECODINGS, type HammingDecoding } from '../vocabulary.ts';
import { classicalHead, obtainClassical, ownCurve } from './classical.ts';
import { defineSystemKind } from './kind.ts';

export interface CompiledHamming74 extends CompiledCommon {
  type: 'hamming74';
  decoding: HammingDecoding;
}

const schema = z
  .strictObject({
    type: z.literal('hamming74'),
    ...common,
    decoding: z.enum(HAMMING_DECODINGS).meta({ description: 'hard: syndrome decoding of sign decisions; ml: nearest codeword (soft).' }),
  })
  .meta({ description: 'Hamming (7,4) code with BPSK.' });

const defaultLabel = (s: CompiledHamming74): string => `Hamming ${codeName(7, 4, 'real')} ${s.decoding === 'ml' ? 'ML' : 'hard decision'}`;

export const hamming74 = defineSystemKind<CompiledHamming74>()({
  type: 'hamming74',
  schema,
  example: { type: 'hamming74', id: 'hamming-ml', decoding: 'ml' },
  defaults: {},
  curveTypes: ['hamming74'],
  importanceSampling: true,
  trains: false,
  compile: (input: Record<string, unknown>, channel: ChannelSpec) => {
    const s = input as z.infer<typeof schema>;
    const out: CompiledHamming74 = { type: 'hamming74', id: s.id, label: '', channel, k: 4, n: 7, signalling: 'real', decoding: s.decoding as HammingDecoding };
    out.label = s.label ?? defaultLabel(out);
    return out;
  },
  defaultLabel,
  curvePlans: ownCurve,
  curveHead: classicalHead,
  obtain: obtainClassical<CompiledHamming74>((b, s) => b.hamming74System({ id: s.id, decoding: s.decoding, channel: s.channel })),
});
