/**
 * Pipe rows — the tables of Markdown and of PDF-to-text converters (`| 一、本年新收… | 32 | 2 | … | 34 |  |`). A row
 * is its label cells followed by its value cells (the trailing run of numbers and blanks). Converters break tables
 * apart: a row's label may sit on a text line of its own while its values come as a row without label, a header
 * cell may carry digits (`数据1`), a row may end with an empty cell more than the table has. Those are read here
 * for what they are; the table readers decide which template row each pipe row is.
 */
import { readCell } from './cells.ts';
import { compact, norm } from './normalize.ts';

export interface PipeRow {
  /** The label cells joined (compacted); empty for a row of values only. */
  label: string;
  /** The value cells, trimmed (empty string: an empty cell). */
  values: string[];
  /** The line as written (for quoting). */
  line: string;
  /** Character offset of the line in the text. */
  at: number;
}

const SEPARATOR = /^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$/;

/** A value cell: a number (with unit), a placeholder (/ — 无), or nothing. Words with digits (数据1) are not. */
function isValue(cell: string): boolean {
  return cell.trim() === '' || readCell(cell).kind !== 'text';
}

/** The pipe rows of `text`, in order; separator rows and rows with no value are dropped. */
export function pipeRows(text: string): PipeRow[] {
  const out: PipeRow[] = [];
  let at = 0;
  for (const line of text.split('\n')) {
    const start = at;
    at += line.length + 1;
    if (!line.includes('|') || SEPARATOR.test(line)) continue;
    const parts = line.split('|');
    if (parts[0]!.trim() === '') parts.shift();
    if (parts.length && parts.at(-1)!.trim() === '') parts.pop();
    const cells = parts.map((p) => norm(p).trim());
    let firstValue = cells.length;
    while (firstValue > 0 && isValue(cells[firstValue - 1]!)) firstValue--;
    const values = cells.slice(firstValue);
    if (!values.some((v) => v !== '')) continue; // a header row, or words only
    out.push({ label: compact(cells.slice(0, firstValue).join('')), values, line, at: start });
  }
  return out;
}

/**
 * Exactly `count` values of a row, or null: an empty cell beyond them at the end (a converter's extra column) is
 * dropped; a row that is still too long or too short is not read by position.
 */
export function rowValues(row: PipeRow, count: number): string[] | null {
  const v = [...row.values];
  while (v.length > count && v.at(-1) === '') v.pop();
  return v.length === count ? v : null;
}

/** How many lines of `text` are pipe rows with values (to tell a converter's Markdown from other text). */
export function pipeRowCount(text: string): number {
  return pipeRows(text).length;
}
