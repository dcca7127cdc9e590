/**
 * Table 三 arithmetic (docs/format.md §7): T3-BAL is printed in the template header ("第一项加第二项之和，等于第三项加
 * 第四项之和"); T3-RES and T3-ROW follow from the 总计 row and column.
 */
import { TABLE3_APPLICANT_COLUMNS, TABLE3_COLUMNS, TABLE3_COLUMN_LABELS, TABLE3_ROW_BY_KEY } from '../report/format.ts';
import { type CellView, t3, unequalSums, viewOf } from './cells.ts';
import type { Finding } from '../report/model.ts';
import { finding, type Rule } from './types.ts';

const shown = (v: number | 'blank', zh: boolean) => (v === 'blank' ? (zh ? '空白' : 'blank') : v);

export const t3Balance: Rule = {
  id: 'T3-BALANCE',
  severity: 'error',
  zh: '表三每列：本年新收 + 上年结转 = 本年度办理结果总计 + 结转下年度继续办理',
  en: 'Table 3, every column: received + carried over = total handled + carried forward',
  check(report) {
    if (!report.table3) return [];
    const view = viewOf(report);
    return [
      ...unequalSums(
        view,
        TABLE3_COLUMNS.map((col) => ({
          parts: ['received', 'carried_over'].map((r) => t3(r, col)),
          total: ['total_handled', 'carried_forward'].map((r) => t3(r, col)),
          cells: ['received', 'carried_over', 'total_handled', 'carried_forward'].map((r) => t3(r, col)),
          blankIsZero: true,
          message: (l, r) => ({
            zh: `表三「${TABLE3_COLUMN_LABELS[col]}」列：一+二=${l}，三(七)+四=${shown(r, true)}`,
            en: `table 3 ${col}: received + carried over = ${l}, handled + carried forward = ${shown(r, false)}`,
          }),
        })),
        (message, extra) => finding(this, message, extra),
      ),
      ...TABLE3_COLUMNS.flatMap((col) => resultsWithinApplications(this, view, col)),
    ];
  },
};

/**
 * T3-RESULT-LE (docs/format.md §7): with row 四 unread, the balance cannot be assessed, but it still bounds 三(七): no
 * more applications can be answered than there were, 三(七) ≤ 一 + 二 (四 ≥ 0). The three cells it reads are known.
 */
function resultsWithinApplications(rule: Rule, view: CellView, col: (typeof TABLE3_COLUMNS)[number]): Finding[] {
  if (view.get(t3('carried_forward', col)) !== undefined) return []; // read (or blank): the balance itself is checked
  const [received, carried, handled] = ['received', 'carried_over', 'total_handled'].map((r) => view.get(t3(r, col)));
  if (received === undefined || carried === undefined || handled === undefined) return [];
  const available = (received ?? 0) + (carried ?? 0);
  if ((handled ?? 0) <= available) return [];
  return [
    finding(
      rule,
      {
        zh: `表三「${TABLE3_COLUMN_LABELS[col]}」列：三(七)办理结果${handled ?? 0}多于一+二=${available}（四未能读取）`,
        en: `table 3 ${col}: ${handled ?? 0} handled, more than received + carried over = ${available} (carried forward not read)`,
      },
      { cells: ['received', 'carried_over', 'total_handled'].map((r) => t3(r, col)), expected: `≤${available}`, actual: handled ?? 0 },
    ),
  ];
}

export const t3Results: Rule = {
  id: 'T3-RESULTS',
  severity: 'error',
  zh: '表三每列：（七）总计 = （一）至（六）各项之和',
  en: 'Table 3, every column: total handled = sum of the result rows (一)…(六)',
  check(report) {
    if (!report.table3) return [];
    const view = viewOf(report);
    const leaves = view.table3Rows().filter((k) => TABLE3_ROW_BY_KEY.get(k)!.result);
    return unequalSums(
      view,
      TABLE3_COLUMNS.map((col) => ({
        parts: leaves.map((k) => t3(k, col)),
        total: [t3('total_handled', col)],
        message: (p, t) => ({
          zh: `表三「${TABLE3_COLUMN_LABELS[col]}」列：（一）至（六）合计${p}，（七）总计${shown(t, true)}`,
          en: `table 3 ${col}: result rows sum to ${p}, total handled is ${shown(t, false)}`,
        }),
      })),
      (message, extra) => finding(this, message, extra),
    );
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
    return unequalSums(
      view,
      view.table3Rows().map((row) => ({
        parts: TABLE3_APPLICANT_COLUMNS.map((c) => t3(row, c)),
        total: [t3(row, 'total')],
        message: (p, t) => ({
          zh: `表三「${TABLE3_ROW_BY_KEY.get(row)!.label}」行：各列之和${p}，总计${shown(t, true)}`,
          en: `table 3 ${row}: columns sum to ${p}, total is ${shown(t, false)}`,
        }),
      })),
      (message, extra) => finding(this, message, extra),
    );
  },
};
