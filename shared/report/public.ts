import type { ParsedReport } from './model.ts';

/** The public JSON object of docs/format.md §11 (contract keys first; internal working text left out). */
export function toPublicJson(r: ParsedReport): Record<string, unknown> {
  const { prose_text: _omit, title, year, format, table2, table3, table4, findings, ...rest } = r;
  return { title, year, format, table2, table3, table4, findings, ...rest };
}

/** True when the input held at least one of the statistical tables. */
export function hasTables(r: ParsedReport): boolean {
  return r.table2 !== null || r.table3 !== null || r.table4 !== null;
}
