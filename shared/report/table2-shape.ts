/** The public shape of table 二 (docs/format.md §11): 2021 single-value rows are plain numbers, the rest objects. */
import { TABLE2_MARKERS, table2Rows, type Table2RowDef } from './format.ts';
import type { Table2 } from './model.ts';
import { compact } from './normalize.ts';

/** Which table 二 a region holds, by its column words (2021 本年制发件数 vs 2019 本年新制作数量). */
export function table2Format(text: string): '2021' | '2019' | null {
  const c = compact(text);
  const m2019 = TABLE2_MARKERS['2019'].test(c);
  const m2021 = TABLE2_MARKERS['2021'].test(c);
  if (m2021 && !m2019) return '2021';
  if (m2019) return '2019';
  return null;
}

/** Builds the public shape: single-value rows of the 2021 format are plain numbers. */
export function emptyTable2(format: '2021' | '2019'): Table2 {
  const t: Table2 = {};
  for (const def of table2Rows(format)) t[def.key] = isSingle(def, format) ? null : Object.fromEntries(def.columns.map((c) => [c.key, null]));
  return t;
}

/** A 2021-format row with one value (行政许可 …) is a plain number in the output. */
export function isSingle(def: Table2RowDef, format: '2021' | '2019'): boolean {
  return format === '2021' && def.columns.length === 1;
}

/** Sets column `col` of row `def`. */
export function setTable2(t: Table2, def: Table2RowDef, format: '2021' | '2019', col: number, v: number | null): void {
  if (isSingle(def, format)) t[def.key] = v;
  else (t[def.key] as Record<string, number | null>)[def.columns[col]!.key] = v;
}

/** `table2.licensing` or `table2.regulations.issued`. */
export function table2CellName(def: Table2RowDef, format: '2021' | '2019', col: number): string {
  return isSingle(def, format) ? `table2.${def.key}` : `table2.${def.key}.${def.columns[col]!.key}`;
}
