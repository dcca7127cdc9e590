/**
 * Table 二 from flattened text. Rows are found by label in template order; each row's values are read
 * in its column order. Table 二 has no arithmetic of its own, so run-together digits are split only when a
 * single split is possible at all ("000" → 0, 0, 0); otherwise the cells stay null and the run is reported.
 */
import { compact } from './normalize.ts';
import { Evidence } from './evidence.ts';
import { TABLE2_MARKERS, table2Rows, type Table2RowDef } from './format.ts';
import type { Table2 } from './model.ts';
import { splitRuns } from './split.ts';
import { matchRows, valuesPart } from './text-rows.ts';
import { segmentTokens } from './tokens.ts';

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

export function isSingle(def: Table2RowDef, format: '2021' | '2019'): boolean {
  return format === '2021' && def.columns.length === 1;
}

export function setTable2(t: Table2, def: Table2RowDef, format: '2021' | '2019', col: number, v: number | null): void {
  if (isSingle(def, format)) t[def.key] = v;
  else (t[def.key] as Record<string, number | null>)[def.columns[col]!.key] = v;
}

export function table2CellName(def: Table2RowDef, format: '2021' | '2019', col: number): string {
  return isSingle(def, format) ? `table2.${def.key}` : `table2.${def.key}.${def.columns[col]!.key}`;
}

/** Reads table 二 from its section's text; null when its format cannot be told or no row is found. */
export function table2FromText(text: string): { table: Table2; format: '2021' | '2019'; evidence: Evidence } | null {
  const format = table2Format(text);
  if (!format) return null;
  const defs = table2Rows(format);
  const rows = matchRows(text, defs);
  // A table, not a sentence that names 行政许可: at least two rows must carry values.
  if (rows.filter((r) => segmentTokens(valuesPart(r.segment)).length > 0).length < 2) return null;
  const table = emptyTable2(format);
  const evidence = new Evidence();
  for (const def of defs) {
    const row = rows.find((r) => r.key === def.key);
    const names = def.columns.map((_, c) => table2CellName(def, format, c));
    if (!row) {
      evidence.unreadable.push(...names);
      continue;
    }
    const tokens = segmentTokens(valuesPart(row.segment));
    const source = tokens.map((t) => t.text.trim()).join(' ');
    let values: (number | null)[] | null = null;
    if (tokens.length === def.columns.length) {
      values = tokens.map((t) => ('atom' in t.piece ? t.piece.atom : Number(t.piece.digits)));
      tokens.forEach((t, c) => (evidence.sources[names[c]!] = t.text.trim()));
    } else if (tokens.length > 0 && tokens.length < def.columns.length) {
      const limit = 256;
      const candidates = splitRuns(tokens.map((t) => t.piece), { count: def.columns.length, accept: () => true, limit });
      if (candidates.length === 1) {
        values = candidates[0]!;
        evidence.inferred.push(...names);
        names.forEach((n) => (evidence.sources[n] = source));
      } else {
        evidence.ambiguous.push({
          cells: names,
          source,
          candidates,
          ...(candidates.length >= limit ? { truncated: true } : {}),
          reason: 'digits run together and table 二 has no total to split them by / 数字连写且无合计可据以拆分',
        });
      }
    }
    if (!values) {
      evidence.unreadable.push(...names);
      continue;
    }
    values.forEach((v, c) => {
      setTable2(table, def, format, c, v);
      if (v === null) evidence.blank.push(names[c]!);
    });
  }
  return { table, format, evidence };
}
