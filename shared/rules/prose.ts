/**
 * PROSE-TABLE (docs/format.md §9): a figure the prose states contradicts the table. Each finding quotes the
 * sentence. A stated total of applications may include the carried-over ones (平潭 2022: 75 = 74 + 1), so
 * either reading is accepted.
 */
import { TABLE3_APPLICANT_COLUMNS, TABLE3_ROW_BY_KEY, type ResultGroup, type Table3RowKey } from '../report/format.ts';
import type { Finding, ProseClaim, ProseKey } from '../report/model.ts';
import { type CellView, viewOf } from './cells.ts';
import { finding, type Rule } from './types.ts';

/** The 总计 of a table 三 row, or the sum of its applicant columns where 总计 is blank (上海 2019). */
function rowTotal(view: CellView, row: Table3RowKey): { value: number; cells: string[] } | undefined {
  if (!view.report.table3?.rows[row]) return undefined;
  const total = view.get(`table3.${row}.total`);
  if (total !== undefined && total !== null) return { value: total, cells: [`table3.${row}.total`] };
  const names = TABLE3_APPLICANT_COLUMNS.map((c) => `table3.${row}.${c}`);
  const s = view.sum(names);
  return s ? { value: s.value, cells: names } : undefined;
}

function rowsTotal(view: CellView, rows: Table3RowKey[]) {
  let value = 0;
  const cells: string[] = [];
  for (const r of rows) {
    const t = rowTotal(view, r);
    if (!t) return undefined;
    value += t.value;
    cells.push(...t.cells);
  }
  return rows.length ? { value, cells } : undefined;
}

const groupRows = (view: CellView, g: ResultGroup) => view.table3Rows().filter((k) => TABLE3_ROW_BY_KEY.get(k)!.result === g);

function t4(view: CellView, keys: string[]) {
  const cells = keys.map((k) => `table4.${k}`);
  const s = view.sum(cells);
  return s && !s.allBlank ? { value: s.value, cells } : s ? { value: 0, cells } : undefined;
}

function table2Cell(view: CellView, column: string) {
  const cell = `table2.normative_documents.${column}`;
  const v = view.get(cell);
  return v === undefined || v === null ? undefined : { value: v, cells: [cell] };
}

const suit = (o: string) => [`suit_direct_${o}`, `suit_after_review_${o}`];

function cell(view: CellView, name: string) {
  const v = view.get(name);
  return v === undefined ? undefined : { value: v ?? 0, cells: [name] };
}

function sumOf(view: CellView, names: string[]) {
  const s = view.sum(names);
  return s ? { value: s.value, cells: names } : undefined;
}

export type Target = { value: number; cells: string[] } | undefined;

const review = (key: 'review_total' | 'review_upheld' | 'review_corrected' | 'review_other' | 'review_pending') => (view: CellView) => t4(view, [key]);
const suitOf = (outcome: string) => (view: CellView) => t4(view, suit(outcome));

/** What each claim of the prose is compared with (docs/format.md §9, PROSE-TABLE). */
const TARGETS: Record<ProseKey, (view: CellView) => Target> = {
  // 收到/受理 counts this year's applications (本年新收): a figure that also counts last year's is a
  // contradiction (平潭 2022: "收到申请75件" for 74 new and 1 carried over) unless the text says it does.
  received: (view) => rowTotal(view, 'received'),
  received_or_total: (view) => rowsTotal(view, ['received', 'carried_over']),
  received_natural_person: (view) => cell(view, 'table3.received.natural_person'),
  received_commercial: (view) => cell(view, 'table3.received.commercial'),
  received_all_natural: (view) =>
    sumOf(
      view,
      TABLE3_APPLICANT_COLUMNS.filter((c) => c !== 'natural_person').map((c) => `table3.received.${c}`),
    ),
  handled: (view) => rowTotal(view, 'total_handled'),
  carried_over: (view) => rowTotal(view, 'carried_over'),
  carried_forward: (view) => rowTotal(view, 'carried_forward'),
  granted: (view) => rowTotal(view, 'granted'),
  partially_granted: (view) => rowTotal(view, 'partially_granted'),
  granted_or_partial: (view) => rowsTotal(view, ['granted', 'partially_granted']),
  denied: (view) => rowsTotal(view, groupRows(view, 'denied')),
  unavailable: (view) => rowsTotal(view, groupRows(view, 'unavailable')),
  rejected: (view) => rowsTotal(view, groupRows(view, 'rejected')),
  other_handled: (view) => rowsTotal(view, groupRows(view, 'other')),
  review_total: review('review_total'),
  review_upheld: review('review_upheld'),
  review_corrected: review('review_corrected'),
  review_other: review('review_other'),
  review_pending: review('review_pending'),
  suit_total: suitOf('total'),
  suit_upheld: suitOf('upheld'),
  suit_corrected: suitOf('corrected'),
  suit_other: suitOf('other'),
  suit_pending: suitOf('pending'),
  review_all_upheld: (view) => t4(view, ['review_corrected', 'review_other', 'review_pending']),
  suit_all_upheld: (view) => t4(view, [...suit('corrected'), ...suit('other'), ...suit('pending')]),
  review_all_closed: (view) => t4(view, ['review_pending']),
  suit_all_closed: (view) => t4(view, suit('pending')),
  normative_in_force: (view) => table2Cell(view, 'in_force'),
  normative_issued: (view) => table2Cell(view, view.report.table_formats.table2 === '2019' ? 'made' : 'issued'),
};

/** The table's figure a claim of `key` is compared with (undefined: not in the table, or not read). */
export const tableFigure = (view: CellView, key: ProseKey): Target => TARGETS[key](view);

/** What each claim is compared with; several targets = any of them may match. */
function targets(view: CellView, key: ProseKey): { value: number; cells: string[] }[] {
  const t = TARGETS[key](view);
  return t ? [t] : [];
}

/** Each claim's name in a finding (Chinese). */
export const PROSE_LABELS: Record<ProseKey, string> = {
  received: '收到申请数',
  received_or_total: '收到申请数（含上年结转）',
  received_natural_person: '自然人申请数',
  received_commercial: '商业企业申请数',
  received_all_natural: '“均为自然人申请”',
  carried_over: '上年结转数',
  handled: '办结/答复数',
  carried_forward: '结转下年度数',
  granted: '予以公开数',
  partially_granted: '部分公开数',
  granted_or_partial: '予以公开及部分公开数',
  denied: '不予公开数',
  unavailable: '无法提供数',
  rejected: '不予处理数',
  other_handled: '其他处理数',
  review_total: '行政复议数',
  review_upheld: '行政复议结果维持数',
  review_corrected: '行政复议结果纠正数',
  review_other: '行政复议其他结果数',
  review_pending: '行政复议尚未审结数',
  suit_total: '行政诉讼数',
  suit_upheld: '行政诉讼结果维持数',
  suit_corrected: '行政诉讼结果纠正数',
  suit_other: '行政诉讼其他结果数',
  suit_pending: '行政诉讼尚未审结数',
  review_all_upheld: '行政复议“均获维持”',
  suit_all_upheld: '行政诉讼“均获维持”',
  review_all_closed: '行政复议“均已结案”',
  suit_all_closed: '行政诉讼“均已结案”',
  normative_in_force: '现行有效行政规范性文件数',
  normative_issued: '本年制发行政规范性文件数',
};

export const proseTable: Rule = {
  id: 'PROSE-TABLE',
  severity: 'warning',
  zh: '正文所述数字与表格不一致',
  en: 'A figure stated in the text contradicts the table',
  check(report) {
    const view = viewOf(report);
    const out: Finding[] = [];
    for (const claim of report.prose) {
      const ts = targets(view, claim.key);
      if (ts.length === 0) continue;
      const allUpheld = claim.key.endsWith('_all_upheld') || claim.key.endsWith('_all_closed') || claim.key === 'received_all_natural';
      if (allUpheld ? ts.some((t) => t.value === 0) : ts.some((t) => t.value === claim.value)) continue;
      out.push(message(this, claim, ts[0]!, allUpheld));
    }
    return out;
  },
};

function message(rule: Rule, claim: ProseClaim, t: { value: number; cells: string[] }, allUpheld: boolean): Finding {
  const label = PROSE_LABELS[claim.key];
  if (allUpheld) {
    const closed = claim.key.endsWith('_all_closed');
    const natural = claim.key === 'received_all_natural';
    const zh = natural
      ? `正文称${label}，但表三有${t.value}件法人或其他组织申请`
      : closed
        ? `正文称${label}，但表四尚未审结${t.value}件`
        : `正文称${label}，但表四有${t.value}件未维持（纠正、其他结果或尚未审结）`;
    const en = natural
      ? `the text says all applicants were natural persons, table 3 has ${t.value} from organisations`
      : closed
        ? `the text says all were closed, table 4 has ${t.value} pending`
        : `the text says all were upheld, table 4 has ${t.value} not upheld`;
    return finding(
      rule,
      { zh: `${zh}`, en: `${en}` },
      {
        cells: t.cells,
        expected: 0,
        actual: t.value,
        quote: claim.quote,
      },
    );
  }
  return finding(
    rule,
    { zh: `正文${label}为${claim.value}，表格为${t.value}`, en: `the text states ${claim.value} (${claim.key}), the table gives ${t.value}` },
    {
      cells: t.cells,
      expected: t.value,
      actual: claim.value,
      quote: claim.quote,
    },
  );
}
