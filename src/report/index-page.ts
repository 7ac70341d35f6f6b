/**
 * reports/index.html: every run under the output folder, newest first, with links to its report and
 * results. Rewritten after each run (and after `sim report` / `sim merge`).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';
import { escapeHtml } from './escape.ts';
import { isFinished, readResults } from '../results/results.ts';
import { html, htmlTable } from './tables.ts';

/**
 * One run folder on the index page, read from its results.json: scenario name and description, start time, duration
 * in seconds, quick and complete flags, curve count, finished/total points, backend, and whether a report.html is
 * there.
 */
export interface IndexEntry {
  folder: string;
  name: string;
  description: string;
  startedAt: string;
  seconds: number;
  quick: boolean;
  complete: boolean;
  curves: number;
  points: string;
  backend: string;
  hasReport: boolean;
}

/**
 * The runs under `dir` (each subfolder with a readable results.json), newest first. Folders whose results.json is
 * missing or damaged are skipped, and a missing `dir` gives an empty list: the index never fails on them.
 */
export async function scanRuns(dir: string): Promise<IndexEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: IndexEntry[] = [];
  for (const folder of names.sort()) {
    const file = join(dir, folder, 'results.json');
    try {
      const r = await readResults(file);
      const total = r.curves.reduce((s, c) => s + c.points.length, 0);
      const done = r.curves.reduce((s, c) => s + c.points.filter(isFinished).length, 0);
      const hasReport = await stat(join(dir, folder, 'report.html')).then(
        () => true,
        () => false,
      );
      out.push({
        folder,
        name: r.scenario.name,
        description: r.scenario.description,
        startedAt: r.startedAt,
        seconds: r.seconds,
        quick: r.quick,
        complete: r.complete,
        curves: r.curves.length,
        points: `${done}/${total}`,
        backend: r.backend,
        hasReport,
      });
    } catch {
      // Not a run folder (or a half-finished first write): skip it.
    }
  }
  return out.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
}

/**
 * The index page (a self-contained HTML document) of `entries`: one row per run, with links to its report and
 * results, tags for quick and incomplete runs; a hint how to start a run when there is none. Every text is escaped.
 */
export function renderIndex(entries: IndexEntry[]): string {
  const href = (folder: string, file: string) => escapeHtml(`${encodeURIComponent(folder)}/${file}`);
  const table = htmlTable({
    columns: [
      {
        header: 'Scenario',
        cell: (e: IndexEntry) =>
          html(
            (e.hasReport ? `<a href="${href(e.folder, 'report.html')}">${escapeHtml(e.name)}</a>` : escapeHtml(e.name)) +
              `${e.quick ? ' <span class="tag quick">QUICK</span>' : ''}${e.complete ? '' : ' <span class="tag inc">incomplete</span>'}`,
          ),
      },
      { header: 'Description', cell: (e) => e.description },
      { header: 'Started (UTC)', cell: (e) => e.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z') },
      { header: 'Run time', className: 'num', cell: (e) => `${e.seconds.toFixed(1)} s` },
      { header: 'Curves', className: 'num', cell: (e) => e.curves },
      { header: 'Points', className: 'num', cell: (e) => e.points },
      { header: 'Backend', cell: (e) => e.backend },
      { header: 'Data', cell: (e) => html(`<a href="${href(e.folder, 'results.json')}">results.json</a>`) },
    ],
    rows: entries,
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Simulation runs</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; background: #fafafa; color: #222; }
main { max-width: 1100px; margin: 0 auto; padding: 16px 24px; }
table { border-collapse: collapse; background: #fff; width: 100%; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; } thead th { background: #f0f0f0; }
td.num { text-align: right; white-space: nowrap; }
.tag { font-size: 0.75em; padding: 1px 5px; border-radius: 3px; font-weight: 600; }
.tag.quick { background: #fff3cd; color: #6d4c00; border: 1px solid #e0a800; }
.tag.inc { background: #fde2e1; color: #7a1f1c; border: 1px solid #d9534f; }
</style>
</head>
<body><main>
<h1>Simulation runs</h1>
${entries.length ? table : '<p>No runs yet. Start one with <code>npm start</code> or <code>sim run scenarios/quick.yaml</code>.</p>'}
</main></body>
</html>
`;
}

/** Rescans `dir` and rewrites dir/index.html. */
export async function writeIndex(dir: string): Promise<string> {
  const file = join(dir, 'index.html');
  const entries = await scanRuns(dir);
  await writeFileAtomic(file, () => renderIndex(entries));
  return file;
}
