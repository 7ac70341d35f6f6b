import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CHANNEL_KINDS } from '../../src/channels/registry.ts';
import { DEFAULTS } from '../../src/defaults.ts';
import { scenarioJsonSchema } from '../../src/scenario/index.ts';

/** DEFAULTS flattened to dotted paths → JSON values. */
function flatten(v: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) for (const [p, j] of flatten(x, prefix ? `${prefix}.${k}` : k)) out.set(p, j);
  } else out.set(prefix, JSON.stringify(v));
  return out;
}

/** Every field path the scenario schema accepts: `systems[].train.batchSize`, `channel.csi`, … (alternatives merged). */
function schemaPaths(s: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (s === null || typeof s !== 'object') return out;
  const o = s as Record<string, unknown>;
  for (const key of ['oneOf', 'anyOf']) if (Array.isArray(o[key])) for (const alt of o[key] as unknown[]) schemaPaths(alt, prefix, out);
  if (o.items) schemaPaths(o.items, `${prefix}[]`, out);
  for (const [name, sub] of Object.entries((o.properties ?? {}) as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${name}` : name;
    out.add(path);
    schemaPaths(sub, path, out);
  }
  return out;
}

const section = (): string => {
  const text = readFileSync(new URL('../../docs/defaults.md', import.meta.url), 'utf8');
  const m = /<!-- defaults:begin -->([\s\S]*?)<!-- defaults:end -->/.exec(text);
  assert.ok(m, 'docs/defaults.md has no defaults table between <!-- defaults:begin --> and <!-- defaults:end -->');
  return m[1];
};

describe('defaults', () => {
  it('the defaults table (docs/defaults.md) lists every default of src/defaults.ts and of the channel kinds (`<type>.<field>`) with its value, and nothing else', () => {
    const rows = new Map<string, string>();
    for (const m of section().matchAll(/^\| `([^`]+)` \| `([^`]+)` \|/gm)) rows.set(m[1], m[2]);
    const kinds = Object.fromEntries(CHANNEL_KINDS.map((k) => [k.type, k.defaults]));
    assert.deepEqual(Object.fromEntries([...rows].sort()), Object.fromEntries([...flatten(DEFAULTS), ...flatten(kinds)].sort()));
  });

  it('every scenario field the defaults table names is a field of the scenario schema', () => {
    const paths = schemaPaths(scenarioJsonSchema());
    assert.ok(paths.has('systems[].train.batchSize') && paths.has('channel.csi'), 'the schema walk finds nested fields');
    const named = [...section().matchAll(/^\| `[^`]+` \| `[^`]+` \| `([^`]+)` \|/gm)].map((m) => m[1]);
    assert.ok(named.length >= 30, `only ${named.length} scenario fields named`);
    assert.deepEqual(
      named.filter((p) => !paths.has(p)),
      [],
    );
    assert.ok(!paths.has('train.convergence') && !paths.has('importance.alpha'), 'internal constants are not scenario fields');
  });
});
