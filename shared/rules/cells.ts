/**
 * Reading cells for the rules. A cell that is blank in the source counts as 0 (blank usually means none,
 * and BLANK-CELL reports it); a cell that could not be read is unknown, and an identity that involves an
 * unknown cell is not assessed (a rule never fires on what it cannot assess).
 */
import { TABLE3_COLUMNS, TABLE3_ROW_BY_KEY, table3CellName, type Table3RowKey } from '../report/format.ts';
import type { Finding, ParsedReport } from '../report/model.ts';

export class CellView {
  /** Every cell of the report by name (built once: rules look cells up thousands of times). */
  private readonly cells = new Map<string, number | null>();

  constructor(readonly report: ParsedReport) {
    for (const [row, values] of Object.entries(report.table3?.rows ?? {})) {
      TABLE3_COLUMNS.forEach((c, i) => this.cells.set(table3CellName(row, c), values![i] ?? null));
    }
    for (const [k, v] of Object.entries(report.table4 ?? {})) this.cells.set(`table4.${k}`, v);
    for (const [k, v] of Object.entries(report.table2 ?? {})) {
      if (v !== null && typeof v === 'object') for (const [c, x] of Object.entries(v)) this.cells.set(`table2.${k}.${c}`, x);
      else this.cells.set(`table2.${k}`, v);
    }
    for (const name of report.unreadable) this.cells.delete(name);
  }

  /** The value of a named cell: a number, null (blank), or undefined (absent or unreadable). */
  get(name: string): number | null | undefined {
    return this.cells.get(name);
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

const views = new WeakMap<ParsedReport, CellView>();

/** The (cached) cell view of a report: every rule reads the same cells. */
export function viewOf(report: ParsedReport): CellView {
  let v = views.get(report);
  if (!v) views.set(report, (v = new CellView(report)));
  return v;
}

/** The name of a table 三 cell, `table3.received.natural_person` (interned). */
export const t3 = table3CellName;
/** Formats numbers in messages: "821+18=839". */
export const plus = (parts: number[]) => (parts.length > 1 ? `${parts.join('+')}=${parts.reduce((a, b) => a + b, 0)}` : `${parts[0] ?? 0}`);

/** Two sums that must be equal, as read: `parts` against `total`. */
export interface Identity {
  /** Cells whose sum is expected (the parts). */
  parts: string[];
  /** Cells whose sum is stated (the total, or the other side of a balance). */
  total: string[];
  /** The finding's text from the two sums ("blank" when the total was left blank). */
  message: (parts: number, total: number | 'blank') => { zh: string; en: string };
  /** The cells the finding names, in order (default: the total's, then the parts'). */
  cells?: string[];
  /** A balance of two sums has no "blank total": an all-blank side counts as its value (0). */
  blankIsZero?: boolean;
}

/**
 * The one shape of the table rules (T3-BALANCE, T3-RESULTS, T3-ROW-TOTAL, T4-TOTAL): each identity whose cells
 * were all read, are not all blank and disagree is a finding naming every cell, expected and actual. An identity
 * with an unread cell is not assessed (CELL-UNREAD says so).
 */
export function unequalSums(
  view: CellView,
  identities: Iterable<Identity>,
  make: (text: { zh: string; en: string }, extra: { cells: string[]; expected: number; actual: number | 'blank' }) => Finding,
): Finding[] {
  const out: Finding[] = [];
  for (const id of identities) {
    const parts = view.sum(id.parts);
    const total = view.sum(id.total);
    if (!parts || !total || (parts.allBlank && total.allBlank) || parts.value === total.value) continue;
    const actual = total.allBlank && !id.blankIsZero ? ('blank' as const) : total.value;
    out.push(make(id.message(parts.value, actual), { cells: id.cells ?? [...id.total, ...id.parts], expected: parts.value, actual }));
  }
  return out;
}
