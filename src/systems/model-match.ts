/** A saved autoencoder (--models, --resume) may stand in for a scenario's system only if it is the same kind of system. */
import { channelLabel } from '../channels/index.ts';
import type { AutoencoderSpec, FullAutoencoderSpec } from '../autoencoder/spec.ts';
import { DEFAULTS } from '../defaults.ts';
import { UserError } from '../errors.ts';
import { cliMsg } from '../messages.ts';
import type { CompiledAutoencoder } from '../scenario/compiled.ts';
import { stableJson } from '../stable-json.ts';

/** What differs between a saved model's spec and the scenario's system (empty: they match). */
export function modelDifferences(m: FullAutoencoderSpec, s: CompiledAutoencoder): string[] {
  const diffs: string[] = [];
  if (m.k !== s.k) diffs.push(`k ${m.k} ≠ ${s.k}`);
  if (m.n !== s.n) diffs.push(`n ${m.n} ≠ ${s.n}`);
  if (m.signalling !== s.signalling) diffs.push(`signalling ${m.signalling} ≠ ${s.signalling}`);
  if (m.normalization !== s.normalization) diffs.push(`normalization ${m.normalization} ≠ ${s.normalization}`);
  if ((m.output ?? DEFAULTS.autoencoder.output) !== s.output) diffs.push(`output ${m.output ?? DEFAULTS.autoencoder.output} ≠ ${s.output}`);
  if (stableJson(m.channel) !== stableJson(s.channel)) diffs.push(`channel ${channelLabel(m.channel)} ≠ ${channelLabel(s.channel)}`);
  const receiver = (r: AutoencoderSpec['receiver']) => (r ? `RTN (${r.rtn.transform}, estimator ${layersText(r.rtn.estimator)})` : 'plain');
  if (receiver(m.receiver) !== receiver(s.receiver)) diffs.push(`receiver ${receiver(m.receiver)} ≠ ${receiver(s.receiver)}`);
  for (const part of ['encoder', 'decoder'] as const) {
    const saved = layersText(m[part]);
    const wanted = layersText(s[part]);
    if (saved !== wanted) diffs.push(`${part} hidden layers ${saved} ≠ ${wanted}`);
  }
  return diffs;
}

/** Hidden layers in words, e.g. "[16 relu, 16 tanh + layer norm]" (defaults filled as the scenario compiler does). */
function layersText(layers: AutoencoderSpec['encoder']): string {
  const one = (l: NonNullable<AutoencoderSpec['encoder']>[number]) =>
    `${l.units} ${l.activation ?? DEFAULTS.hiddenLayer.activation}${l.layerNorm ?? DEFAULTS.hiddenLayer.layerNorm ? ' + layer norm' : ''}${l.weightNorm ?? DEFAULTS.hiddenLayer.weightNorm ? ' + weight norm' : ''}`;
  return `[${(layers ?? []).map(one).join(', ')}]`;
}

/** Throws a UserError naming the model folder and every difference. */
export function checkModelMatches(m: FullAutoencoderSpec, s: CompiledAutoencoder, dir: string): void {
  const diffs = modelDifferences(m, s);
  if (diffs.length) throw new UserError(cliMsg.modelMismatch(s.id, dir, diffs.join(', ')));
}
