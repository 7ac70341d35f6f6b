/**
 * The one HTML table helper of the report pages. Every table (curves, points, training, run information,
 * Eb/N0 at target, gaps, findings, the index of runs) is a list of columns applied to a list of rows.
 *
 * Safe by default: every header and cell is text and is escaped, unless it is wrapped in `html(...)`, which
 * says "this markup was built from escaped parts" (sub- and superscripts in headers, `<code>`, a note).
 */
import { escapeHtml } from './escape.ts';

/** Markup that is already safe HTML. Build it only from literals and escaped text. */
export class Html {
  constructor(readonly markup: string) {}
  /** The markup itself, so an Html can stand in a template string. */
  toString(): string {
    return this.markup;
  }
}
/** Marks `markup` as safe HTML for a header or cell (not escaped). Build it only from literals and escaped text. */
export const html = (markup: string): Html => new Html(markup);

/** Text (escaped), a number, safe markup, or nothing (an empty cell). */
export type CellContent = string | number | Html | null | undefined;

/** The HTML of content: text escaped, markup as is. */
export const contentHtml = (c: CellContent): string => (c === null || c === undefined ? '' : c instanceof Html ? c.markup : escapeHtml(c));

/** A cell with attributes. */
export interface Cell {
  content: CellContent;
  className?: string;
  /** Tooltip (escaped). */
  title?: string;
  /** A header cell for its row (`<th scope="row">`), or for several rows (`rowgroup`, with rowSpan). */
  scope?: 'row' | 'rowgroup';
  rowSpan?: number;
}

/** Returned by a column for a row whose cell is covered by a rowSpan above it. */
export const SPANNED: unique symbol = Symbol('spanned');

/** One column of an htmlTable: its header, and the cell of each row (`index`: the row's position). */
export interface Column<R> {
  header: CellContent;
  /**
   * The row's cell: content (escaped unless Html), a Cell with attributes, or SPANNED where a rowSpan above covers
   * it.
   */
  cell: (row: R, index: number) => CellContent | Cell | typeof SPANNED;
  /** Class of every body cell of the column (e.g. "num" for right-aligned figures). */
  className?: string;
}

/** An htmlTable: its columns, its rows, and the classes of the table and of each row. */
export interface TableSpec<R> {
  columns: readonly Column<R>[];
  rows: readonly R[];
  className?: string;
  /** The class of a row's `<tr>` (undefined: none). */
  rowClass?: (row: R, index: number) => string | undefined;
  /** Leave out the header row (key–value tables whose first column is a header per row). */
  noHead?: boolean;
}

const isCell = (v: unknown): v is Cell => v !== null && typeof v === 'object' && !(v instanceof Html) && 'content' in v;
const classAttr = (...names: (string | undefined)[]): string => {
  const cls = names.filter(Boolean).join(' ');
  return cls ? ` class="${escapeHtml(cls)}"` : '';
};

function cellHtml(v: CellContent | Cell, columnClass: string | undefined): string {
  const cell: Cell = isCell(v) ? v : { content: v };
  const tag = cell.scope ? 'th' : 'td';
  const attrs =
    (cell.scope ? ` scope="${cell.scope}"` : '') +
    (cell.rowSpan && cell.rowSpan > 1 ? ` rowspan="${cell.rowSpan}"` : '') +
    classAttr(cell.scope ? undefined : columnClass, cell.className) +
    (cell.title !== undefined ? ` title="${escapeHtml(cell.title)}"` : '');
  return `<${tag}${attrs}>${contentHtml(cell.content)}</${tag}>`;
}

/** One `<table>`: a header row of the column headers, then a row per element of `rows`. */
export function htmlTable<R>(spec: TableSpec<R>): string {
  const head = spec.noHead ? '' : `<thead><tr>${spec.columns.map((c) => `<th>${contentHtml(c.header)}</th>`).join('')}</tr></thead>\n`;
  const body = spec.rows
    .map((row, i) => {
      const cells = spec.columns.map((c) => {
        const v = c.cell(row, i);
        return v === SPANNED ? '' : cellHtml(v, c.className);
      });
      return `<tr${classAttr(spec.rowClass?.(row, i))}>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table${classAttr(spec.className)}>\n${head}<tbody>\n${body}\n</tbody>\n</table>`;
}
