/**
 * Nothing silent: every cell of a table the report has is a number, a blank the source left blank, or an unread
 * cell with the reason and the source text around it. A table whose header is in the source but whose figures
 * could not be read at all (table 四 whose header ends one PDF page and whose figures start the next) is a table
 * of unread cells, not an absent table.
 */
import { UNREAD, type UnreadReason } from './evidence.ts';
import { TABLE3_COLUMNS, TABLE4_KEYS, formatForYear, table2Rows, table3CellName, table3Rows } from './format.ts';
import type { ParsedReport, Table2, Table3, Table4, UnreadCell } from './model.ts';
import { emptyTable2, table2CellName } from './table2-shape.ts';

/** Words that show a table is in the source (its header or first rows). */
const PRESENT = {
  table2: /第二十条第|本年制发件数|本年处理决定数量|本年新制作数量/,
  table3: /本年新收政府信息公开申请数量|上年结转政府信息公开申请数量|申请人情况/,
  // Not 行政复议/行政诉讼 alone: every report's section heading 四 names them.
  table4: /复\s*议\s*后\s*起\s*诉|尚\s*未\s*审\s*结|直\s*接\s*起\s*诉/,
} as const;

/** Every cell name of the tables a report has. */
export function tableCells(r: Pick<ParsedReport, 'table2' | 'table3' | 'table4' | 'table_formats'>): string[] {
  const out: string[] = [];
  const f = r.table_formats.table2;
  if (r.table2 && f) for (const def of table2Rows(f)) def.columns.forEach((_, i) => out.push(table2CellName(def, f, i)));
  for (const row of Object.keys(r.table3?.rows ?? {})) for (const c of TABLE3_COLUMNS) out.push(table3CellName(row, c));
  if (r.table4) for (const k of TABLE4_KEYS) out.push(`table4.${k}`);
  return out;
}

/** A cell name's path (table, row or key, column name, table 三's column index), split once per name. */
type CellPath = readonly [table: string, a: string, b: string | undefined, column: number];
const CELL_PATHS = new Map<string, CellPath>();

function cellPath(name: string): CellPath {
  let path = CELL_PATHS.get(name);
  if (!path) {
    const [table, a, b] = name.split('.') as [string, string, string | undefined];
    path = [table, a, b, table === 'table3' ? TABLE3_COLUMNS.indexOf(b as (typeof TABLE3_COLUMNS)[number]) : -1];
    // The names are the templates' (a few hundred); the bound only guards against a reader inventing names.
    if (CELL_PATHS.size > 10_000) CELL_PATHS.clear();
    CELL_PATHS.set(name, path);
  }
  return path;
}

/** The value of a named cell (undefined when the report has no such cell). */
function cellValue(r: ParsedReport, name: string): number | null | undefined {
  const [table, a, b, column] = cellPath(name);
  if (table === 'table4') return (r.table4 as Record<string, number | null> | null)?.[a];
  if (table === 'table3') return r.table3?.rows[a as keyof Table3['rows']]?.[column];
  const v = r.table2?.[a];
  return v !== null && typeof v === 'object' ? v[b!] : v;
}

/**
 * Fills in the tables present in `text` that no reader could read (all their cells unread), so that they are
 * reported cell by cell instead of as absent.
 */
export function presentButUnread(r: ParsedReport, text: string, reasons: Record<string, UnreadReason>): void {
  if (r.image_only || r.format === 'legacy') return;
  const format = r.year && formatForYear(r.year) === '2019' ? '2019' : '2021';
  const mark = (cells: string[]) => {
    for (const c of cells) reasons[c] ??= { reason: UNREAD.tableUnread, source: '' };
    r.unreadable.push(...cells);
  };
  if (!r.table3 && PRESENT.table3.test(text)) {
    const rows = Object.fromEntries(table3Rows(format).map((d) => [d.key, Array<null>(TABLE3_COLUMNS.length).fill(null)]));
    r.table3 = { columns: [...TABLE3_COLUMNS], rows } as Table3;
    r.table_formats.table3 = format;
    mark(tableCells({ table2: null, table3: r.table3, table4: null, table_formats: r.table_formats }));
  }
  if (!r.table4 && PRESENT.table4.test(text)) {
    r.table4 = Object.fromEntries(TABLE4_KEYS.map((k) => [k, null])) as Table4;
    mark(TABLE4_KEYS.map((k) => `table4.${k}`));
  }
  if (!r.table2 && PRESENT.table2.test(text)) {
    r.table2 = emptyTable2(format) as Table2;
    r.table_formats.table2 = format;
    mark(tableCells({ table2: r.table2, table3: null, table4: null, table_formats: r.table_formats }));
  }
}

/**
 * The unread cells of a report with their reasons: every cell the readers marked unreadable, and any cell that is
 * null without having been blank in the source (a cell nobody accounted for is unread, never blank).
 */
export function unreadCells(r: ParsedReport, reasons: Record<string, UnreadReason>): UnreadCell[] {
  const unread = new Set(r.unreadable);
  const blank = new Set(r.blank);
  for (const c of tableCells(r)) if (cellValue(r, c) === null && !blank.has(c)) unread.add(c);
  // A cell read after all (table 二 split with the prose's help) is not unread.
  const cells = [...unread].filter((c) => cellValue(r, c) === null);
  return cells.map((cell) => ({ cell, reason: reasons[cell]?.reason ?? UNREAD.notFoundAnywhere, source: reasons[cell]?.source ?? '' }));
}
