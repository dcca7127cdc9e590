/**
 * Table 三 arithmetic (docs/format.md §7): T3-BAL is printed in the template header ("第一项加第二项之和，等于第三项加
 * 第四项之和"); T3-RES and T3-ROW follow from the 总计 row and column.
 */
import { TABLE3_APPLICANT_COLUMNS, TABLE3_COLUMNS, TABLE3_COLUMN_LABELS, TABLE3_ROW_BY_KEY } from '../report/format.ts';
import type { Finding } from '../report/model.ts';
import { t3, viewOf } from './cells.ts';
import { finding, type Rule } from './types.ts';

export const t3Balance: Rule = {
  id: 'T3-BALANCE',
  severity: 'error',
  zh: '表三每列：本年新收 + 上年结转 = 本年度办理结果总计 + 结转下年度继续办理',
  en: 'Table 3, every column: received + carried over = total handled + carried forward',
  check(report) {
    if (!report.table3) return [];
    const view = viewOf(report);
    const out: Finding[] = [];
    for (const col of TABLE3_COLUMNS) {
      const left = ['received', 'carried_over'].map((r) => t3(r, col));
      const right = ['total_handled', 'carried_forward'].map((r) => t3(r, col));
      const l = view.sum(left);
      const r = view.sum(right);
      if (!l || !r || (l.allBlank && r.allBlank) || l.value === r.value) continue;
      out.push(
        finding(
          this,
          `表三「${TABLE3_COLUMN_LABELS[col]}」列：一+二=${l.value}，三(七)+四=${r.value} / table 3 ${col}: received + carried over = ${l.value}, handled + carried forward = ${r.value}`,
          {
            cells: [...left, ...right],
            expected: l.value,
            actual: r.value,
          },
        ),
      );
    }
    return out;
  },
};

export const t3Results: Rule = {
  id: 'T3-RESULTS',
  severity: 'error',
  zh: '表三每列：（七）总计 = （一）至（六）各项之和',
  en: 'Table 3, every column: total handled = sum of the result rows (一)…(六)',
  check(report) {
    if (!report.table3) return [];
    const view = viewOf(report);
    const leaves = view.table3Rows().filter((k) => TABLE3_ROW_BY_KEY.get(k)!.result);
    const out: Finding[] = [];
    for (const col of TABLE3_COLUMNS) {
      const parts = view.sum(leaves.map((k) => t3(k, col)));
      const total = view.sum([t3('total_handled', col)]);
      if (!parts || !total || (parts.allBlank && total.allBlank) || parts.value === total.value) continue;
      out.push(
        finding(
          this,
          `表三「${TABLE3_COLUMN_LABELS[col]}」列：（一）至（六）合计${parts.value}，（七）总计${total.value} / table 3 ${col}: result rows sum to ${parts.value}, total handled is ${total.value}`,
          {
            cells: [t3('total_handled', col), ...leaves.map((k) => t3(k, col))],
            expected: parts.value,
            actual: total.value,
          },
        ),
      );
    }
    return out;
  },
};

export const t3RowTotal: Rule = {
  id: 'T3-ROW-TOTAL',
  severity: 'error',
  zh: '表三每行：总计 = 自然人与五类法人或其他组织之和',
  en: 'Table 3, every row: total = sum of the six applicant columns',
  check(report) {
    if (!report.table3) return [];
    const view = viewOf(report);
    const out: Finding[] = [];
    for (const row of view.table3Rows()) {
      const parts = view.sum(TABLE3_APPLICANT_COLUMNS.map((c) => t3(row, c)));
      const total = view.sum([t3(row, 'total')]);
      if (!parts || !total || (parts.allBlank && total.allBlank) || parts.value === total.value) continue;
      const def = TABLE3_ROW_BY_KEY.get(row)!;
      out.push(
        finding(
          this,
          `表三「${def.label}」行：各列之和${parts.value}，总计${total.allBlank ? '空白' : total.value} / table 3 ${row}: columns sum to ${parts.value}, total is ${total.allBlank ? 'blank' : total.value}`,
          {
            cells: [t3(row, 'total'), ...TABLE3_APPLICANT_COLUMNS.map((c) => t3(row, c))],
            expected: parts.value,
            actual: total.allBlank ? 'blank' : total.value,
          },
        ),
      );
    }
    return out;
  },
};
