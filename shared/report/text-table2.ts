/**
 * Table 二 from flattened text. Rows are found by label in template order; each row's values are read
 * in its column order. Table 二 has no arithmetic of its own, so run-together digits are split only when a
 * single split is possible at all ("000" → 0, 0, 0); otherwise the cells stay null and the run is reported.
 */
import { Evidence, UNREAD } from './evidence.ts';
import { table2Rows } from './format.ts';
import type { Table2 } from './model.ts';
import { emptyTable2, setTable2, table2CellName, table2Format } from './table2-shape.ts';
import { readTokens } from './read-tokens.ts';
import { matchRowsAnyOrder, valuesPart } from './text-rows.ts';
import { segmentTokens } from './tokens.ts';

/** Reads table 二 from its section's text; null when its format cannot be told or no row is found. */
export function table2FromText(text: string): { table: Table2; format: '2021' | '2019'; evidence: Evidence } | null {
  const format = table2Format(text);
  if (!format) return null;
  const defs = table2Rows(format);
  const width = new Map(defs.map((d) => [d.key, d.columns.length]));
  const rows = matchRowsAnyOrder(text, defs, (key, segment) => {
    const n = segmentTokens(valuesPart(segment)).length;
    return n === width.get(key) ? 2 : n > 0 ? 1 : 0;
  });
  // A table, not a sentence that names 行政许可: at least two rows must carry values.
  if (rows.filter((r) => segmentTokens(valuesPart(r.segment)).length > 0).length < 2) return null;
  const table = emptyTable2(format);
  const evidence = new Evidence();
  for (const def of defs) {
    const row = rows.find((r) => r.key === def.key);
    const names = def.columns.map((_, c) => table2CellName(def, format, c));
    if (!row) {
      evidence.unread(names, UNREAD.labelNotFound);
      continue;
    }
    const tokens = segmentTokens(valuesPart(row.segment));
    const values = readTokens(tokens, names, evidence, {
      accept: () => true,
      several: 'digits run together and table 二 has no total to split them by / 数字连写且无合计可据以拆分',
      none: 'too few digits for the row / 数字少于单元格',
    });
    values?.forEach((v, c) => setTable2(table, def, format, c, v));
  }
  return { table, format, evidence };
}
