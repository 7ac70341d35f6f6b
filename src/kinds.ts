/**
 * `learned-phy-sim/kinds`: adding kinds from user code, without editing the package. A kind is a module of
 * the user's that registers it when imported:
 *
 * ```js
 * // my-channel.js
 * import { defineChannelKind, registerChannelKind, z } from 'learned-phy-sim/kinds';
 * export const myChannel = defineChannelKind({ type: 'my-channel', schema: z.strictObject({ type: z.literal('my-channel') }), … });
 * registerChannelKind(myChannel);
 * ```
 *
 * and `await useKindModule(new URL('./my-channel.js', import.meta.url))` loads it in this thread and in every
 * worker thread the simulator starts. Scenarios may then name its type (the scenario schema is rebuilt), and
 * training, Monte Carlo and the reports treat it as a shipped kind. examples/user-channel.mjs is a complete one.
 *
 * `z` is the package's own zod, so a kind's scenario fragment is built with the same instance the scenario
 * schema uses.
 */
export { z } from 'zod';
export { useKindModule, kindModuleUrls } from './kind-modules.ts';
export { registerChannelKind, channelKinds, channelKind } from './channels/registry.ts';
export { defineChannelKind, type ChannelKind, type ChannelCheckContext, type ChannelReport, type GainLaw } from './channels/kind.ts';
export type { ChannelModel, ChannelSpecBase } from './channels/types.ts';
export { memorylessUnfaded, noFading, unitGain } from './channels/fading-fields.ts';
export { registerDecoder, decoderKinds, decoderModule } from './decoders/registry.ts';
export type { DecodeFn, DecoderModule, Hasher } from './decoders/decoder.ts';
export { registerLayerKind, LAYER_KINDS } from './network/registry.ts';
export type { LayerKind, SlotContext, TfForm } from './network/kind.ts';
export type { PassContext, Tape, TrainOp } from './network/op.ts';
export { registerSystemKind, systemKinds, systemKind } from './systems/registry.ts';
export { defineSystemKind, type SystemKind } from './systems/kind.ts';
