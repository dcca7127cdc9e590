/** Helpers shared by the grid readers of tables 二, 三 and 四. */
import { readCell } from './cells.ts';
import { UNREAD, type Evidence } from './evidence.ts';
import type { GridCell } from './html.ts';
import { rowLabelPattern } from './normalize.ts';

/** Grid column → the template column its header names. */
export type ColumnMap<K extends string> = Map<number, K>;

/** A test of a row label against a template row (its core, optionally its leaf number). */
export function labelMatcher(core: string, leaf?: number, numberRequired = false): (label: string) => boolean {
  const re = new RegExp(rowLabelPattern(core, leaf, numberRequired));
  // The pattern allows whitespace between characters, so the label needs no compacting.
  return (label) => re.test(label);
}

/**
 * Assigns a row's value cells to template columns by the header above each cell. When headers and cells
 * are misaligned by colspans (上海 2019) and some cells find no header or two cells the same one, but the row
 * has exactly one cell per mapped column, the cells are taken in the header's column order.
 */
export function mapValueCells<K extends string>(cells: GridCell[], map: ColumnMap<K>, order: readonly K[]): Map<K, GridCell> {
  const assigned = new Map<K, GridCell>();
  let clash = false;
  for (const cell of cells) {
    let key: K | undefined;
    for (let c = cell.col; c < cell.colEnd && !key; c++) key = map.get(c);
    if (!key || assigned.has(key)) {
      if (cell.text.trim() !== '' || key) clash = true;
      continue;
    }
    assigned.set(key, cell);
  }
  const mapped = [...new Set(map.values())];
  if (clash && cells.length === mapped.length) {
    const inOrder = [...mapped].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const byPosition = new Map<K, GridCell>();
    inOrder.forEach((k, i) => byPosition.set(k, cells[i]!));
    return byPosition;
  }
  return assigned;
}

/** Reads one grid cell into `evidence` (source, blank, unreadable, unit) and returns its value. */
export function readInto(evidence: Evidence, name: string, cell: GridCell | undefined): number | null {
  if (!cell) {
    evidence.unread([name], UNREAD.noCell);
    return null;
  }
  evidence.sources[name] = cell.text;
  const read = readCell(cell.text);
  if (read.kind === 'blank') evidence.blank.push(name);
  if (read.kind === 'text') evidence.unread([name], UNREAD.notNumber, cell.text);
  if (read.unit && read.unit !== '件' && read.unit !== '个' && read.unit !== '项') evidence.units[name] = read.unit;
  return read.value;
}
