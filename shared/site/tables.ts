/**
 * Tables 二, 三 and 四 laid out as the official template lays them out (国办公开办函〔2021〕30号; the 2019 trial
 * format, 国办公开办函〔2019〕60号 — docs/format.md §3–5), every cell named by its public key (`data-cell`) and
 * marked: an error or a warning of a finding on it, `?` for a figure the parser could not read (CELL-UNREAD,
 * never shown blank), `·` for a cell the report left blank.
 */
import {
  TABLE3_COLUMNS,
  TABLE3_COLUMN_LABELS,
  TABLE4_GROUPS,
  TABLE4_GROUP_LABELS,
  TABLE4_OUTCOMES,
  TABLE4_OUTCOME_LABELS,
  table2Rows,
  table3CellName,
  table3Rows,
  type Table2RowDef,
} from '../report/format.ts';
import { isSingle } from '../report/table2-shape.ts';
import type { ReportView } from './data.ts';
import { type Html, html } from './layout.ts';

type CellSource = Pick<ReportView, 'cells' | 'unread' | 'marks' | 'findings'>;

/** One figure, marked. */
export function figureCell(v: CellSource, name: string): Html {
  const value = v.cells.get(name);
  const mark = v.marks.get(name);
  const notes = v.findings.filter((f) => f.cells?.includes(name)).map((f) => `${f.rule}: ${f.zh}`);
  const unread = v.unread.has(name);
  const cls = ['fig', mark ? `m-${mark}` : '', unread ? 'unread' : '', value === null || value === undefined ? 'blank' : ''].filter(Boolean).join(' ');
  const shown = unread ? '?' : value === null || value === undefined ? '·' : String(value);
  return html`<td class="${cls}" id="cell-${name}" data-cell="${name}" title="${[name, ...notes].join('\n')}">${shown}</td>`;
}

export function table3Html(v: CellSource, format: '2021' | '2019'): Html {
  const rows = table3Rows(format);
  const inResults = (r: (typeof rows)[number]) => r.group !== undefined;
  const resultCount = rows.filter(inResults).length;
  let resultsOpened = false;
  const body = rows.map((r, i) => {
    const labels: Html[] = [];
    if (!inResults(r)) labels.push(html`<th colspan="3" scope="row">${r.label}</th>`);
    else {
      if (!resultsOpened) {
        resultsOpened = true;
        labels.push(html`<th rowspan="${resultCount}" scope="rowgroup" class="group">三、本年度办理结果</th>`);
      }
      if (r.group === '三、本年度办理结果') labels.push(html`<th colspan="2" scope="row">${r.label}</th>`);
      else {
        // A leaf: its sub-group heading spans the leaves of that group.
        if (rows[i - 1]?.group !== r.group) {
          const n = rows.filter((x) => x.group === r.group).length;
          labels.push(html`<th rowspan="${n}" scope="rowgroup" class="group">${r.group}</th>`);
        }
        labels.push(html`<th scope="row">${r.number ? `${r.number}.` : ''}${r.label}</th>`);
      }
    }
    return html`<tr data-row="${r.key}">${labels}${TABLE3_COLUMNS.map((c) => figureCell(v, table3CellName(r.key, c)))}</tr>`;
  });
  const org = TABLE3_COLUMNS.slice(1, 6);
  return html`<table class="official t3">
<caption>三、收到和处理政府信息公开申请情况 <span class="en">table 3: applications received and handled</span> (${format}年版格式)</caption>
<thead>
<tr><th colspan="3" rowspan="3" class="corner">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th><th colspan="7">申请人情况</th></tr>
<tr><th rowspan="2">${TABLE3_COLUMN_LABELS.natural_person}</th><th colspan="5">法人或其他组织</th><th rowspan="2">${TABLE3_COLUMN_LABELS.total}</th></tr>
<tr>${org.map((c) => html`<th>${TABLE3_COLUMN_LABELS[c]}</th>`)}</tr>
</thead>
<tbody>${body}</tbody></table>`;
}

export function table4Html(v: CellSource): Html {
  const groups = TABLE4_GROUPS;
  const [review, ...suits] = groups;
  return html`<table class="official t4">
<caption>四、政府信息公开行政复议、行政诉讼情况 <span class="en">table 4: administrative review and litigation</span></caption>
<thead>
<tr><th colspan="5" rowspan="2">行政复议</th><th colspan="10">行政诉讼</th></tr>
<tr>${suits.map((g) => html`<th colspan="5">${TABLE4_GROUP_LABELS[g].replace('行政诉讼·', '')}</th>`)}</tr>
<tr>${[review, ...suits].flatMap(() => TABLE4_OUTCOMES.map((o) => html`<th>${TABLE4_OUTCOME_LABELS[o]}</th>`))}</tr>
</thead>
<tbody><tr>${groups.flatMap((g) => TABLE4_OUTCOMES.map((o) => figureCell(v, `table4.${g}_${o}`)))}</tr></tbody></table>`;
}

export function table2Html(v: CellSource, format: '2021' | '2019'): Html {
  // Consecutive rows of the same 第二十条 item and columns share a header, as in the template.
  const blocks: Table2RowDef[][] = [];
  for (const def of table2Rows(format)) {
    const last = blocks.at(-1);
    if (last && last[0]!.item === def.item && last[0]!.columns === def.columns) last.push(def);
    else blocks.push([def]);
  }
  const sections = blocks.map((defs) => {
    const cols = defs[0]!.columns;
    return html`<tr class="item"><th colspan="${cols.length + 1}">${defs[0]!.item}</th></tr>
<tr><th>信息内容</th>${cols.map((c) => html`<th>${c.label}</th>`)}</tr>
${defs.map(
  (def) =>
    html`<tr data-row="${def.key}"><th scope="row">${def.label}</th>${cols.map((c) =>
      figureCell(v, isSingle(def, format) ? `table2.${def.key}` : `table2.${def.key}.${c.key}`),
    )}</tr>`,
)}`;
  });
  return html`<table class="official t2">
<caption>二、主动公开政府信息情况 <span class="en">table 2: information published proactively</span> (${format}年版格式)</caption>
<tbody>${sections}</tbody></table>`;
}
