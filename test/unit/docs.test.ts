import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { DOCS_ROOT, generatedPages } from '../../sim/docs.ts';
import { ScenarioError, parseScenario } from '../../src/scenario/index.ts';

/** README.md and every Markdown file under docs/, as paths from the project root. */
function markdownFiles(): string[] {
  const out = ['README.md'];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(DOCS_ROOT, dir)).sort()) {
      const path = join(dir, name);
      if (statSync(join(DOCS_ROOT, path)).isDirectory()) walk(path);
      else if (name.endsWith('.md')) out.push(path);
    }
  };
  walk('docs');
  return out;
}

const read = (path: string): string => readFileSync(join(DOCS_ROOT, path), 'utf8');

/** The ```yaml blocks of a Markdown text, with the line each starts on. */
function yamlBlocks(text: string): { line: number; body: string }[] {
  const blocks: { line: number; body: string }[] = [];
  const re = /^```ya?ml[^\n]*\n([\s\S]*?)^```/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) blocks.push({ line: text.slice(0, m.index).split('\n').length, body: m[1] });
  return blocks;
}

/** Relative link targets of a Markdown text (inline links and images): the file (empty: this one) and the #anchor. */
function relativeLinks(text: string): { file: string; anchor: string }[] {
  const withoutCode = text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  const targets: { file: string; anchor: string }[] = [];
  for (const m of withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [file, anchor = ''] = target.split('#');
    targets.push({ file: decodeURI(file), anchor });
  }
  return targets;
}

/** The anchors a code host gives a Markdown file's headings: lower case, punctuation dropped, spaces → '-', repeats numbered. */
function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of text.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const plain = m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const slug = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n ? `${slug}-${n}` : slug);
  }
  return anchors;
}

describe('documentation', () => {
  for (const page of generatedPages()) {
    it(`${page.path} is what npm run docs writes from the current code`, () => {
      const file = join(DOCS_ROOT, page.path);
      assert.ok(existsSync(file), `${page.path} is missing: run npm run docs`);
      assert.ok(read(page.path) === page.text, `${page.path} is stale (the code it is generated from changed): run npm run docs`);
    });
  }

  it('every ```yaml block that is a scenario (it has systems or a sweep) validates', () => {
    let scenarios = 0;
    const failures: string[] = [];
    for (const path of markdownFiles()) {
      for (const block of yamlBlocks(read(path))) {
        const data = parse(block.body) as unknown;
        if (data === null || typeof data !== 'object' || !('systems' in data || 'sweep' in data)) continue;
        scenarios++;
        try {
          parseScenario(block.body, `${path}:${block.line}`);
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e;
          failures.push(e.message);
        }
      }
    }
    assert.deepEqual(failures, []);
    // The README's first scenario and the guide's examples: a count that cannot silently fall to zero.
    assert.ok(scenarios >= 5, `only ${scenarios} scenario blocks found`);
  });

  it('relative links in README.md and docs/ point at files that exist, and #anchors at their headings', () => {
    const broken: string[] = [];
    let links = 0;
    let anchored = 0;
    for (const path of markdownFiles()) {
      for (const { file, anchor } of relativeLinks(read(path))) {
        links++;
        const resolved = file ? join(dirname(join(DOCS_ROOT, path)), file) : join(DOCS_ROOT, path);
        if (!existsSync(resolved)) broken.push(`${path} → ${file} (${relative(DOCS_ROOT, resolved)})`);
        else if (anchor && resolved.endsWith('.md')) {
          anchored++;
          if (!headingAnchors(readFileSync(resolved, 'utf8')).has(anchor)) broken.push(`${path} → ${file}#${anchor}: no such heading`);
        }
      }
    }
    assert.deepEqual(broken, []);
    assert.ok(links >= 10 && anchored >= 10, `only ${links} relative links, ${anchored} with anchors`);
  });

  it("the link checker sees a broken link and skips code and URLs; headings get the code host's anchors", () => {
    const text = '[a](docs/x.md) `[b](nope.md)` [c](#anchor) [d](https://example.org) [e](y.md#part)\n```\n[f](z.md)\n```\n';
    assert.deepEqual(relativeLinks(text), [
      { file: 'docs/x.md', anchor: '' },
      { file: '', anchor: 'anchor' },
      { file: 'y.md', anchor: 'part' },
    ]);
    const headings = '# Figs. 9–10: multipath and the RTN\n## `sim run`\n## Notes\n## Notes\n```\n# not a heading\n```\n';
    assert.deepEqual([...headingAnchors(headings)], ['figs-910-multipath-and-the-rtn', 'sim-run', 'notes', 'notes-1']);
  });
});
