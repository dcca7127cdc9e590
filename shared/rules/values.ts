/** Cell-level checks: counts are non-negative integers (NEGATIVE), blanks are not zeros (BLANK-CELL), units (UNIT). */
import { TABLE3_COLUMNS, TABLE4_KEYS, table2Rows } from '../report/format.ts';
import { table2CellName } from '../report/table2-shape.ts';
import type { Finding, ParsedReport } from '../report/model.ts';
import { viewOf } from './cells.ts';
import { finding, type Rule } from './types.ts';

/** Every count cell of tables 二/三/四 with whether it may be signed or fractional. */
function countCells(report: ParsedReport): { name: string; signed: boolean; decimal: boolean }[] {
  const out: { name: string; signed: boolean; decimal: boolean }[] = [];
  for (const row of Object.keys(report.table3?.rows ?? {})) {
    for (const c of TABLE3_COLUMNS) out.push({ name: `table3.${row}.${c}`, signed: false, decimal: false });
  }
  if (report.table4) for (const k of TABLE4_KEYS) out.push({ name: `table4.${k}`, signed: false, decimal: false });
  const f = report.table_formats.table2;
  if (report.table2 && f) {
    for (const def of table2Rows(f)) {
      def.columns.forEach((col, i) => {
        out.push({
          name: table2CellName(def, f, i),
          signed: def.signed?.includes(col.key) ?? false, // 2019 format 本年增/减 may be negative
          decimal: def.decimal?.includes(col.key) ?? false,
        });
      });
    }
  }
  return out;
}

export const negative: Rule = {
  id: 'NEGATIVE',
  severity: 'error',
  zh: '件数必须是非负整数',
  en: 'Counts must be non-negative integers',
  check(report) {
    const view = viewOf(report);
    const out: Finding[] = [];
    for (const cell of countCells(report)) {
      const v = view.get(cell.name);
      if (v === null || v === undefined) continue;
      const bad = (!cell.signed && v < 0) || (!cell.decimal && !Number.isInteger(v));
      if (!bad) continue;
      out.push(
        finding(
          this,
          { zh: `${cell.name} = ${v}：${v < 0 ? '负数' : '非整数'}`, en: `${v < 0 ? 'negative' : 'not a whole number'}` },
          {
            cells: [cell.name],
            actual: v,
          },
        ),
      );
    }
    return out;
  },
};

export const blankCell: Rule = {
  id: 'BLANK-CELL',
  severity: 'warning',
  zh: '表三、表四中有空白或“/”单元格（应填0）',
  en: 'Blank or "/" cells in tables 3 and 4 (should be 0)',
  check(report) {
    const out: Finding[] = [];
    for (const table of ['table3', 'table4'] as const) {
      const cells = report.blank.filter((c) => c.startsWith(`${table}.`));
      if (cells.length === 0) continue;
      const zh = table === 'table3' ? '表三' : '表四';
      out.push(finding(this, { zh: `${zh}有${cells.length}个空白单元格`, en: `${cells.length} blank cells in ${table}` }, { cells, actual: cells.length }));
    }
    return out;
  },
};

export const unit: Rule = {
  id: 'UNIT',
  severity: 'info',
  zh: '单元格注明的单位与模板不同（如收费应以万元计）',
  en: 'A cell states a unit other than the template’s (e.g. yuan where 万元 is prescribed)',
  check(report) {
    return Object.entries(report.units).map(([cell, u]) =>
      finding(this, { zh: `${cell} 以“${u}”为单位填写`, en: `${cell} is given in ${u}` }, { cells: [cell], actual: u }),
    );
  },
};
