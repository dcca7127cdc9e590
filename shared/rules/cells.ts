/**
 * Reading cells for the rules. A cell that is blank in the source counts as 0 (blank usually means none,
 * and BLANK-CELL reports it); a cell that could not be read is unknown, and an identity that involves an
 * unknown cell is not assessed (a rule never fires on what it cannot assess).
 */
import { TABLE3_COLUMNS, TABLE3_ROW_BY_KEY, type Table3RowKey } from '../report/format.ts';
import type { ParsedReport } from '../report/model.ts';

export class CellView {
  private readonly unknown: Set<string>;

  constructor(readonly report: ParsedReport) {
    this.unknown = new Set(report.unreadable);
  }

  /** The value of a named cell: a number, null (blank), or undefined (absent or unreadable). */
  get(name: string): number | null | undefined {
    if (this.unknown.has(name)) return undefined;
    const [table, a, b] = name.split('.');
    if (table === 'table3') {
      const row = this.report.table3?.rows[a as Table3RowKey];
      const c = TABLE3_COLUMNS.indexOf(b as (typeof TABLE3_COLUMNS)[number]);
      return row && c >= 0 ? row[c] : undefined;
    }
    if (table === 'table4') return this.report.table4 ? (this.report.table4 as Record<string, number | null>)[a!] : undefined;
    if (table === 'table2') {
      const v = this.report.table2?.[a!];
      if (b === undefined) return typeof v === 'object' ? undefined : v;
      return v !== null && typeof v === 'object' ? v[b] : undefined;
    }
    return undefined;
  }

  /**
   * Sum of cells with blanks as 0, or undefined if a cell is unknown. `allBlank` tells whether every
   * cell was blank (nothing was stated).
   */
  sum(names: string[]): { value: number; allBlank: boolean } | undefined {
    let value = 0;
    let allBlank = true;
    for (const n of names) {
      const v = this.get(n);
      if (v === undefined) return undefined;
      if (v !== null) {
        value += v;
        allBlank = false;
      }
    }
    return { value, allBlank };
  }

  /** The table 三 rows present in this report, in template order. */
  table3Rows(): Table3RowKey[] {
    return Object.keys(this.report.table3?.rows ?? {}).filter((k) => TABLE3_ROW_BY_KEY.has(k as Table3RowKey)) as Table3RowKey[];
  }
}

export const t3 = (row: string, col: string) => `table3.${row}.${col}`;
/** Formats numbers in messages: "821+18=839". */
export const plus = (parts: number[]) => (parts.length > 1 ? `${parts.join('+')}=${parts.reduce((a, b) => a + b, 0)}` : `${parts[0] ?? 0}`);
