/**
 * Nothing outside src/channels/ asks a channel's kind by its name: a capability is a hook of the kind
 * (src/channels/kind.ts) reached through src/channels/registry.ts, so that a new kind is one module plus one
 * registration. The scan looks through src/ and sim/ for a `type` or `kind` compared with a registered channel
 * type's literal, a `case` on one, or a literal list of them searched with `includes`. The claim files may pick
 * the paper's settings by name (its figures are over AWGN or its multipath channel), each such line under a
 * comment that says it picks a setting by name.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CHANNEL_TYPES } from '../../src/channels/registry.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Claim filters that name the paper's settings (each use under a comment containing "by name"). */
const CLAIM_FILES = new Set(['src/analysis/claims.ts', 'src/analysis/rtn-claims.ts', 'src/analysis/two-user-claims.ts']);

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return path === 'src/channels' ? [] : tsFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

const names = CHANNEL_TYPES.join('|');
/** What holds a channel's type: `.type`, `.kind`, or a variable named for the channel (`channel`, `linkChannel`, …). */
const SUBJECT = 'type|kind|[cC]hannel\\w*|\\w+Channel\\w*';
const PATTERNS = [
  new RegExp(`\\b(${SUBJECT})\\s*(===|!==|==|!=)\\s*['"\`](${names})['"\`]`),
  new RegExp(`['"\`](${names})['"\`]\\s*(===|!==|==|!=)\\s*[\\w.?]*\\b(${SUBJECT})\\b`),
  new RegExp(`\\bcase\\s+['"\`](${names})['"\`]\\s*:`),
  new RegExp(`\\[[^\\]]*['"\`](${names})['"\`][^\\]]*\\]\\.includes\\(`),
];

/** Every line of src/ and sim/ (outside src/channels/) that compares a channel type with a kind's name. */
function nameChecks(): { at: string; line: string; claim: boolean; explained: boolean }[] {
  const out: { at: string; line: string; claim: boolean; explained: boolean }[] = [];
  for (const file of [...tsFiles('src'), ...tsFiles('sim')]) {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\*|\/\*)/.test(line) || !PATTERNS.some((p) => p.test(line))) return;
      const above = lines.slice(Math.max(0, i - 4), i).join('\n');
      out.push({ at: `${relative(ROOT, join(ROOT, file))}:${i + 1}`, line: line.trim(), claim: CLAIM_FILES.has(file), explained: /\/\/.*by name/.test(above) });
    });
  }
  return out;
}

describe('no switching on channel names outside src/channels', () => {
  const found = nameChecks();

  it('no file outside src/channels/ and the claim files compares a channel type with a kind name', () => {
    const banned = found.filter((f) => !f.claim);
    assert.deepEqual(
      banned.map((f) => `${f.at}: ${f.line}`),
      [],
      'ask the kind (src/channels/registry.ts) instead of its name: add a hook to src/channels/kind.ts',
    );
  });

  it('each claim filter that picks a paper setting by name says so in a comment above it', () => {
    const unexplained = found.filter((f) => f.claim && !f.explained);
    assert.deepEqual(
      unexplained.map((f) => `${f.at}: ${f.line}`),
      [],
    );
  });

  it('the scan finds what it looks for (a planted comparison in each form)', () => {
    for (const line of [
      "if (system.channel.type !== 'awgn') throw x;",
      "const m = 'multipath' === spec.channel.type;",
      "if (channel === 'awgn') return;",
      "case 'rician':",
      "const ok = ['awgn', 'rayleigh'].includes(channel.type);",
    ])
      assert.ok(
        PATTERNS.some((p) => p.test(line)),
        line,
      );
    assert.ok(!PATTERNS.some((p) => p.test("const channel: ChannelSpec = { type: 'awgn' };")));
  });
});
