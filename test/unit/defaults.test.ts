import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CHANNEL_KINDS } from '../../src/channels/registry.ts';
import { DEFAULTS } from '../../src/defaults.ts';

/** DEFAULTS flattened to dotted paths → JSON values. */
function flatten(v: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) for (const [p, j] of flatten(x, prefix ? `${prefix}.${k}` : k)) out.set(p, j);
  } else out.set(prefix, JSON.stringify(v));
  return out;
}

describe('defaults', () => {
  it("the README's defaults table lists every default of src/defaults.ts and of the channel kinds (`<type>.<field>`) with its value, and nothing else", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = /<!-- defaults:begin -->([\s\S]*?)<!-- defaults:end -->/.exec(readme);
    assert.ok(section, 'README.md has no defaults table between <!-- defaults:begin --> and <!-- defaults:end -->');
    const rows = new Map<string, string>();
    for (const m of section[1].matchAll(/^\| `([^`]+)` \| `([^`]+)` \|/gm)) rows.set(m[1], m[2]);
    const kinds = Object.fromEntries(CHANNEL_KINDS.map((k) => [k.type, k.defaults]));
    assert.deepEqual(Object.fromEntries([...rows].sort()), Object.fromEntries([...flatten(DEFAULTS), ...flatten(kinds)].sort()));
  });
});
