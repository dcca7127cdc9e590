/**
 * The readable summary of a parsed report for people at the terminal: the three tables with their
 * Chinese labels, then the findings with rule, cells and quoted figures.
 */
import pc from 'picocolors';
import { displayWidth } from './width.ts';
import {
  TABLE3_COLUMNS,
  TABLE3_COLUMN_LABELS,
  TABLE3_ROW_BY_KEY,
  TABLE4_GROUPS,
  TABLE4_GROUP_LABELS,
  TABLE4_OUTCOMES,
  TABLE4_OUTCOME_LABELS,
  table2Rows,
  type Table3RowKey,
} from '../report/format.ts';
import type { Cell, Finding, ParsedReport } from '../report/model.ts';

const pad = (s: string, width: number, right = false) => {
  const gap = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return right ? gap + s : s + gap;
};
/** A cell as shown: the figure (`*` when inferred), `·` for a blank the source left blank, `?` for a figure not read. */
function cellOf(r: ParsedReport, name: string, v: Cell | undefined): string {
  if (v !== null && v !== undefined) return `${v}${r.inferred.includes(name) ? '*' : ''}`;
  return r.unreadable.includes(name) ? pc.red('?') : '·';
}

function table(rows: string[][], rightFrom = 1): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => displayWidth(r[c] ?? ''))));
  return rows.map((r) =>
    r
      .map((s, c) => pad(s, widths[c]!, c >= rightFrom))
      .join('  ')
      .trimEnd(),
  );
}

function shortLabel(key: Table3RowKey): string {
  const def = TABLE3_ROW_BY_KEY.get(key)!;
  const label = def.number ? `  ${def.number}.${def.label}` : def.label;
  return displayWidth(label) > 34 ? `${label.slice(0, 16)}…` : label;
}

function renderTable2(r: ParsedReport): string[] {
  const format = r.table_formats.table2;
  if (!r.table2 || !format) return [pc.red('表二 主动公开政府信息情况：未找到 (not found)')];
  const out = [pc.bold(`表二 主动公开政府信息情况（${format}年版格式）`)];
  const rows: string[][] = [];
  for (const def of table2Rows(format)) {
    const v = r.table2[def.key];
    const values =
      v !== null && typeof v === 'object'
        ? def.columns.map((c) => `${c.label} ${cellOf(r, `table2.${def.key}.${c.key}`, v[c.key])}`)
        : [`${def.columns[0]!.label} ${cellOf(r, `table2.${def.key}`, v as Cell)}`];
    rows.push([`  ${def.label}`, values.join('  ')]);
  }
  return out.concat(table(rows, 9));
}

function renderTable3(r: ParsedReport): string[] {
  if (!r.table3) return [pc.red('表三 收到和处理政府信息公开申请情况：未找到 (not found)')];
  const header = ['', ...TABLE3_COLUMNS.map((c) => TABLE3_COLUMN_LABELS[c])];
  const rows: string[][] = [];
  for (const [key, values] of Object.entries(r.table3.rows)) {
    const def = TABLE3_ROW_BY_KEY.get(key as Table3RowKey)!;
    if (def.number === 1) rows.push([def.group!, ...TABLE3_COLUMNS.map(() => '')]);
    rows.push([shortLabel(key as Table3RowKey), ...values!.map((v, c) => cellOf(r, `table3.${key}.${TABLE3_COLUMNS[c]}`, v))]);
  }
  return [pc.bold(`表三 收到和处理政府信息公开申请情况（${r.table_formats.table3}年版行）`), ...table([header, ...rows])];
}

function renderTable4(r: ParsedReport): string[] {
  const t = r.table4;
  if (!t) return [pc.red('表四 行政复议、行政诉讼情况：未找到 (not found)')];
  const header = ['', ...TABLE4_OUTCOMES.map((o) => TABLE4_OUTCOME_LABELS[o])];
  const rows = TABLE4_GROUPS.map((g) => [TABLE4_GROUP_LABELS[g], ...TABLE4_OUTCOMES.map((o) => cellOf(r, `table4.${g}_${o}`, t[`${g}_${o}`]))]);
  return [pc.bold('表四 政府信息公开行政复议、行政诉讼情况'), ...table([header, ...rows])];
}

const SEVERITY = { error: pc.red('错误 error'), warning: pc.yellow('警告 warning'), info: pc.cyan('提示 info') } as const;

function renderFinding(f: Finding): string[] {
  const out = [`${SEVERITY[f.severity]}  ${pc.bold(f.rule)}  ${f.message}`];
  if (f.cells?.length)
    out.push(pc.dim(`    cells: ${f.cells.length > 8 ? `${f.cells.slice(0, 8).join(', ')} … (+${f.cells.length - 8})` : f.cells.join(', ')}`));
  if (f.quote) out.push(`    原文: “${f.quote}”`);
  return out;
}

/** The unread figures, grouped by row with the reason and what the source said (candidates when several fit). */
function renderUnread(r: ParsedReport): string[] {
  if (!r.unread.length) return [];
  const out = [
    pc.red(pc.bold(`? ${r.unread.length} figures could not be read — this report was read with gaps / ${r.unread.length}个数字未能读取（读取不完整）`)),
  ];
  const rows = new Map<string, typeof r.unread>();
  for (const u of r.unread) {
    const row = u.cell.startsWith('table4.') ? 'table4' : u.cell.split('.').slice(0, 2).join('.');
    rows.set(row, [...(rows.get(row) ?? []), u]);
  }
  for (const [row, cells] of rows) {
    const u = cells[0]!;
    const a = r.ambiguous.find((x) => x.cells.includes(u.cell));
    const candidates = a?.candidates.length
      ? `; candidates: ${a.candidates
          .slice(0, 4)
          .map((c) => c.join('/'))
          .join(' | ')}`
      : '';
    const which = cells.length === 1 ? u.cell : `${row} (${cells.length} cells)`;
    out.push(pc.red(`  ? ${which}: ${u.reason}${u.source ? ` — "${u.source.slice(0, 80)}"` : ''}${candidates}`));
  }
  return out;
}

/** The whole summary as lines. */
export function renderReport(r: ParsedReport, inputName: string): string {
  const lines = [
    pc.bold(r.title ?? '(无标题 untitled)'),
    `年度 year: ${r.year ?? '?'}   格式 format: ${r.format}   发布时间 published: ${r.published ?? '?'}`,
    pc.dim(
      `${inputName} — ${r.source.type.toUpperCase()}${r.source.encoding === 'n/a' ? '' : ` (${r.source.encoding}, ${r.source.encoding_source})`}: ${r.source.method}; tables: 二 ${r.tables.table2 ?? '—'}, 三 ${r.tables.table3 ?? '—'}, 四 ${r.tables.table4 ?? '—'}`,
    ),
    '',
  ];
  if (r.image_only) lines.push(pc.yellow('报告内容为图片，无法机读 (image-only: no text to read)'), '');
  else if (r.format === 'legacy') lines.push('旧版（2019年以前）自由格式报告，无统一统计表 (legacy format: no standard tables)', '');
  else lines.push(...renderTable2(r), '', ...renderTable3(r), '', ...renderTable4(r), '');
  if (r.inferred.length)
    lines.push(pc.dim(`* ${r.inferred.length} cells inferred by splitting run-together digits with the table's arithmetic / 由表内勾稽关系拆分连写数字得到`));
  lines.push(...renderUnread(r));
  lines.push('', pc.bold(`发现 findings: ${r.findings.length}`));
  for (const f of r.findings) lines.push(...renderFinding(f));
  return lines.join('\n');
}
