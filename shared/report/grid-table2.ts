/**
 * Table 二 from HTML grids: four blocks (第二十条第（一）（五）（六）（八）项, plus （九） in the 2019 format), each
 * with its own header row; a value cell is assigned to the column whose header word sits above it.
 */
import { readCell } from './cells.ts';
import { Evidence, UNREAD } from './evidence.ts';
import { table2Rows, type Table2RowDef } from './format.ts';
import type { Grid, GridCell } from './html.ts';
import type { Table2 } from './model.ts';
import { compact } from './normalize.ts';
import { labelMatcher, readInto } from './grid-util.ts';
import { emptyTable2, setTable2, table2CellName, table2Format } from './table2-shape.ts';

const COLUMN_WORDS = /制发|废止|现行有效|新制作|新公开|公开总数|上一年|增|处理决定|收费金额|项目数|金额/;

/** The cell of `cells` each template column of `def` gets, by the header text above it. */
function assign(def: Table2RowDef, cells: GridCell[], headers: Map<number, string>): Map<number, GridCell> {
  const byHeader = new Map<number, GridCell>();
  let ok = true;
  for (const cell of cells) {
    let header = '';
    for (let c = cell.col; c < cell.colEnd && !header; c++) header = headers.get(c) ?? '';
    const col = def.columns.findIndex((d) => header.includes(d.word));
    if (col < 0 || byHeader.has(col)) ok = false;
    else byHeader.set(col, cell);
  }
  if (ok) return byHeader;
  // Misaligned colspans but one cell per column: the header words were found, take them in order.
  if (cells.length === def.columns.length) return new Map(cells.map((c, i) => [i, c]));
  return byHeader;
}

/** Reads table 二 from the page's grids; null if no grid holds it. */
export function table2FromGrids(grids: Grid[]): { table: Table2; format: '2021' | '2019'; evidence: Evidence } | null {
  const holder = grids.filter((g) => g.rows.some((row) => row.some((c) => /^(?:行政)?规范性文件$|^行政许可$|^行政处罚$/.test(compact(c.text)))));
  if (holder.length === 0) return null;
  const format = table2Format(holder.flatMap((g) => g.rows.flat().map((c) => c.text)).join('\n'));
  if (!format) return null;
  const defs = table2Rows(format).map((def) => ({ def, test: labelMatcher(def.core) }));
  const table = emptyTable2(format);
  const evidence = new Evidence();
  const seen = new Set<string>();
  for (const grid of holder) {
    let headers = new Map<number, string>();
    for (const [r, row] of grid.rows.entries()) {
      const own = row.filter((c) => c.row === r);
      const labelIdx = own.findIndex((c) => readCell(c.text).kind === 'text' && defs.some((d) => !seen.has(d.def.key) && d.test(c.text)));
      if (labelIdx < 0) {
        if (own.some((c) => COLUMN_WORDS.test(compact(c.text)))) {
          headers = new Map();
          for (const c of row) for (let k = c.col; k < c.colEnd; k++) headers.set(k, compact(c.text));
        }
        continue;
      }
      const labelCell = own[labelIdx]!;
      const def = defs.find((d) => !seen.has(d.def.key) && d.test(labelCell.text))!.def;
      seen.add(def.key);
      const cells = own.filter((c) => c.col >= labelCell.colEnd);
      const assigned = assign(def, cells, headers);
      def.columns.forEach((_, col) => {
        setTable2(table, def, format, col, readInto(evidence, table2CellName(def, format, col), assigned.get(col)));
      });
    }
  }
  for (const { def } of defs) {
    if (!seen.has(def.key))
      evidence.unread(
        def.columns.map((_, col) => table2CellName(def, format, col)),
        UNREAD.labelNotFound,
      );
  }
  return seen.size > 0 ? { table, format, evidence } : null;
}
