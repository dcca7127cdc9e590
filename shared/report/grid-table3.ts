/**
 * Table 三 from HTML grids: columns are identified by their header labels (自然人, 商业企业 …, even when
 * split as 商业<br>企业), rows by their labels in template order. A table split over several <table>
 * elements keeps the column map of the part that had the header.
 */
import { readCell } from './cells.ts';
import { Evidence, UNREAD } from './evidence.ts';
import { TABLE3_COLUMNS, TABLE3_COLUMN_LABELS, TABLE3_ROWS, type Table3Column, type Table3RowKey, table3CellName } from './format.ts';
import type { Grid, GridCell } from './html.ts';
import type { Table3 } from './model.ts';
import { compact } from './normalize.ts';
import { labelMatcher, mapValueCells, readInto, type ColumnMap } from './grid-util.ts';

const COLUMN_BY_LABEL = new Map<string, Table3Column>(TABLE3_COLUMNS.map((c) => [compact(TABLE3_COLUMN_LABELS[c]), c]));
COLUMN_BY_LABEL.set('合计', 'total');
COLUMN_BY_LABEL.set('其他组织', 'other_org');

/** A header cell's label without a trailing unit or note in brackets ("自然人（人）", "总计(件)"). */
const bare = (text: string) => compact(text).replace(/\([^()]*\)$/, '');

function headerColumns(row: GridCell[], map: ColumnMap<Table3Column>): number {
  let n = 0;
  for (const cell of row) {
    const key = COLUMN_BY_LABEL.get(bare(cell.text));
    if (!key) continue;
    for (let c = cell.col; c < cell.colEnd; c++) map.set(c, key);
    n++;
  }
  return n;
}

const MATCHERS = TABLE3_ROWS.map((def) => ({ def, test: labelMatcher(def.core, def.number, def.numberRequired) }));

/** Reads table 三 from the page's grids; null if no grid has its rows. */
export function table3FromGrids(grids: Grid[]): { table: Table3; format: '2021' | '2019'; evidence: Evidence } | null {
  let map: ColumnMap<Table3Column> = new Map();
  let mapWidth = 0;
  let pointer = 0;
  const evidence = new Evidence();
  const values = new Map<Table3RowKey, (number | null)[]>();
  for (const grid of grids) {
    let gridHasHeader = false;
    for (const [r, row] of grid.rows.entries()) {
      const headers: ColumnMap<Table3Column> = new Map();
      const n = headerColumns(row, headers);
      if (n >= 2 || (gridHasHeader && n > 0)) {
        if (!gridHasHeader) map = new Map();
        gridHasHeader = true;
        mapWidth = grid.width;
        for (const [c, k] of headers) map.set(c, k);
        continue;
      }
      if (map.size === 0 || pointer >= MATCHERS.length) continue;
      // In a continuation <table> without a header (a report pasted page by page), a row narrower or
      // wider than the header's (no spanning 三、本年度办理结果 cell) is aligned on the right edge: the
      // value columns are the last ones. Within the header's own table columns are never shifted.
      const rowEnd = Math.max(...row.map((c) => c.colEnd));
      const rowMap: ColumnMap<Table3Column> = gridHasHeader || rowEnd === mapWidth ? map : new Map([...map].map(([c, k]) => [c + rowEnd - mapWidth, k]));
      const firstValueCol = Math.min(...rowMap.keys());
      const label = compact(
        row
          .filter((c) => c.colEnd <= firstValueCol)
          .map((c) => c.text)
          .join(''),
      );
      if (!label) continue;
      const cells = row.filter((c) => c.col >= firstValueCol && c.row === r);
      if (!cells.some((c) => readCell(c.text).kind !== 'text')) continue; // a group heading row
      const hit = MATCHERS.slice(pointer).findIndex((m) => m.test(label));
      if (hit < 0) continue;
      const def = MATCHERS[pointer + hit]!.def;
      pointer += hit + 1;
      const assigned = mapValueCells(cells, rowMap, TABLE3_COLUMNS);
      values.set(
        def.key,
        TABLE3_COLUMNS.map((col) => readInto(evidence, table3CellName(def.key, col), assigned.get(col))),
      );
    }
  }
  if (values.size < 10) return null;
  const format: '2021' | '2019' = [...values.keys()].some((k) => k.startsWith('other_')) ? '2021' : '2019';
  const table: Table3 = { columns: [...TABLE3_COLUMNS], rows: {} };
  for (const def of TABLE3_ROWS.filter((d) => d.formats.includes(format))) {
    const v = values.get(def.key);
    if (!v)
      evidence.unread(
        TABLE3_COLUMNS.map((c) => table3CellName(def.key, c)),
        UNREAD.labelNotFound,
      );
    table.rows[def.key] = v ?? Array<null>(TABLE3_COLUMNS.length).fill(null);
  }
  return { table, format, evidence };
}
