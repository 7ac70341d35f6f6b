/**
 * Default labels that tell the systems of one scenario apart. A kind's default label names the system's
 * family ("AE (7,4), energy"): a bit-wise and a symbol-wise autoencoder, or one trained with and one without
 * CSI, got the same label and legends that cannot be told apart. Systems whose default labels collide get
 * the fields in which they differ appended (", bit-wise", ", no CSI", ", trained at 8 dB"). A label the
 * scenario writes is never changed; two identical written labels are only warned about.
 */
import type { CompiledSystem } from './compiled.ts';
import { stableJson } from '../data/stable-json.ts';
import { isObj } from '../data/is-object.ts';

/** Fields that never tell systems apart in a label (the id is the curve's own). */
const SKIP = new Set(['id', 'label']);
/** Fields that follow another (a learned labelling from bit-wise output, the refinement from the training Eb/N0): said by it. */
const FOLLOWS: Record<string, string> = {
  labelling: 'output',
  'train.ebnoDbChoice': 'train.ebnoDb',
  'train.refine': 'train.ebnoDb',
  'train.convergence': 'train.stop',
};

const ebno = (v: unknown): string => (typeof v === 'number' ? `${v} dB` : isObj(v) && typeof v.from === 'number' ? `${v.from}…${v.to} dB` : stableJson(v));
const layers = (v: unknown): string => (Array.isArray(v) ? v.map((l) => (isObj(l) ? String(l.units) : '?')).join('-') || 'none' : stableJson(v));

/** How a differing field reads in a label; a field without its own words reads "path value". */
const WORDS: Record<string, (v: unknown) => string> = {
  output: (v) => (v === 'bits' ? 'bit-wise' : v === 'symbols' ? 'symbol-wise' : `output ${v}`),
  'channel.csi': (v) => (v === 'none' ? 'no CSI' : v === 'perfect' ? 'perfect CSI' : `CSI ${v}`),
  'train.ebnoDb': (v) => `trained at ${ebno(v)}`,
  encoder: (v) => `encoder ${layers(v)}`,
  decoder: (v) => `decoder ${layers(v)}`,
  decoding: (v) => `${v} decoding`,
  receiver: (v) => (v === undefined ? 'no RTN' : 'RTN'),
  labelling: (v) => `${v} labelling`,
};

/** The system's fields, one level into channel and train (where scenarios vary what systems share). */
function fields(s: CompiledSystem): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(s)) {
    if ((k === 'channel' || k === 'train') && isObj(v)) for (const [k2, v2] of Object.entries(v)) out.set(`${k}.${k2}`, v2);
    else out.set(k, v);
  }
  return out;
}

function words(path: string, v: unknown): string {
  const w = WORDS[path];
  if (w) return w(v);
  return `${path} ${v === undefined ? 'unset' : typeof v === 'string' || typeof v === 'number' ? v : stableJson(v)}`;
}

/** What tells each system of `group` apart from the others: the fields whose values differ within the group. */
function differences(group: readonly CompiledSystem[]): string[] {
  const maps = group.map(fields);
  const paths = [...new Set(maps.flatMap((m) => [...m.keys()]))].filter((p) => !SKIP.has(p));
  // Fields with their own words first, in WORDS' order; then the others as they come.
  const known = Object.keys(WORDS);
  paths.sort((a, b) => (known.indexOf(a) + 1 || known.length + 1) - (known.indexOf(b) + 1 || known.length + 1));
  const differs = (p: string) => new Set(maps.map((m) => stableJson(m.get(p) ?? null))).size > 1;
  const differing = paths.filter((p) => differs(p) && !(FOLLOWS[p] && differs(FOLLOWS[p])));
  return maps.map((m) => differing.map((p) => words(p, m.get(p))).join(', '));
}

/** The systems with default labels that collide made distinct; `written[i]`: the scenario gave system i its label. */
export function distinctLabels(systems: readonly CompiledSystem[], written: readonly boolean[]): CompiledSystem[] {
  const out = systems.map((s) => ({ ...s }));
  const byLabel = new Map<string, number[]>();
  out.forEach((s, i) => {
    if (!written[i]) byLabel.set(s.label, [...(byLabel.get(s.label) ?? []), i]);
  });
  for (const members of byLabel.values()) {
    if (members.length < 2) continue;
    const texts = differences(members.map((i) => systems[i]!));
    members.forEach((i, j) => {
      if (texts[j]) out[i]!.label = `${systems[i]!.label}, ${texts[j]}`;
    });
  }
  // Still the same (identical systems), or the same as a written label: the id tells them apart.
  const clashing = out.map((s, i) => !written[i] && out.filter((o) => o.label === s.label).length > 1);
  out.forEach((s, i) => {
    if (clashing[i]) s.label = `${s.label} (${s.id})`;
  });
  return out;
}

/** Labels the scenario writes more than once (a warning: the legends cannot tell those systems apart). */
export function repeatedLabels(entries: readonly { label?: unknown }[]): string[] {
  const written = entries.map((e) => e.label).filter((l): l is string => typeof l === 'string');
  return [...new Set(written.filter((l, i) => written.indexOf(l) !== i))];
}
