/**
 * Table 四 from HTML grids: each grid column's header words, read top-down through the header rows
 * (行政复议 / 行政诉讼 → 未经复议直接起诉 | 复议后起诉 → 结果维持 …), name its group and outcome.
 */
import { readCell } from './cells.ts';
import { Evidence } from './evidence.ts';
import { TABLE4_KEYS, type Table4Key } from './format.ts';
import type { Grid, GridCell } from './html.ts';
import type { Table4 } from './model.ts';
import { compact } from './normalize.ts';
import { mapValueCells, readInto, type ColumnMap } from './grid-util.ts';

function columnKey(words: string): Table4Key | null {
  const group = /直接起诉/.test(words) ? 'suit_direct' : /复议后起诉/.test(words) ? 'suit_after_review' : /复议/.test(words) ? 'review' : null;
  const outcome = /维持/.test(words)
    ? 'upheld'
    : /纠正/.test(words)
      ? 'corrected'
      : /其他/.test(words)
        ? 'other'
        : /审结/.test(words)
          ? 'pending'
          : /总计|合计|小计/.test(words)
            ? 'total'
            : null;
  return group && outcome ? (`${group}_${outcome}` as Table4Key) : null;
}

const isValueRow = (cells: GridCell[]) => cells.length > 0 && cells.every((c) => readCell(c.text).kind !== 'text');

/** Reads table 四 from the page's grids; null if no grid has its header. */
export function table4FromGrids(grids: Grid[]): { table: Table4; evidence: Evidence } | null {
  for (const grid of grids) {
    const start = grid.rows.findIndex((row) => {
      const t = compact(row.map((c) => c.text).join(''));
      return /行政复议/.test(t) && /行政诉讼/.test(t);
    });
    if (start < 0) continue;
    let end = start + 1;
    while (end < grid.rows.length && !isValueRow(grid.rows[end]!.filter((c) => c.row === end))) end++;
    if (end >= grid.rows.length) continue;
    const map: ColumnMap<Table4Key> = new Map();
    for (let col = 0; col < grid.width; col++) {
      const words = grid.rows
        .slice(start, end)
        .map((row) => row.find((c) => c.col <= col && col < c.colEnd)?.text ?? '')
        .filter((t, i, all) => t !== all[i - 1])
        .join('');
      const key = columnKey(compact(words));
      if (key) map.set(col, key);
    }
    if (new Set(map.values()).size < 10) continue;
    const cells = grid.rows[end]!.filter((c) => c.row === end && map.has(c.col));
    const assigned = mapValueCells(cells, map, TABLE4_KEYS);
    const evidence = new Evidence();
    const table = Object.fromEntries(TABLE4_KEYS.map((k) => [k, readInto(evidence, `table4.${k}`, assigned.get(k))])) as Table4;
    return { table, evidence };
  }
  return null;
}
