/**
 * A report's page: the tables as the template lays them out with every finding marked on its cells, the findings
 * with their message and quoted prose, the changes after publication (old → new per figure, sentences added and
 * removed), the checks against last year's figures, and where the bytes are.
 */
import { TABLE3_COLUMNS, TABLE3_COLUMN_LABELS } from '../../report/format.ts';
import { type Finding, SEVERITY_RANK } from '../../report/model.ts';
import type { ContentChange } from '../../store/ports.ts';
import { cellStatus, type ReportView, readWithGaps } from '../data.ts';
import { archiveLink, bodyPath, type Html, html, page, type PageContext, SEVERITY_LABELS, statusBadge, when } from '../layout.ts';
import { table2Html, table3Html, table4Html } from '../tables.ts';
import { alertItem } from './alert-item.ts';

export function reportPage(ctx: PageContext, v: ReportView): string {
  const s = v.state;
  const cur = v.current;
  const gaps = readWithGaps(s) || v.unread.size > 0;
  const header = html`<p class="meta"><a href="${ctx.root}${bodyPath(v.body.id)}">${v.body.name}</a> · ${v.year}年度 ·
${s ? statusBadge(cellStatus(s), gaps) : html`<span class="badge">无状态 no state</span>`}
${s?.pageDate ? ` · 发布时间 ${s.pageDate}` : ''}${s?.firstSeenAt ? ` · 首次发现 first seen ${when(s.firstSeenAt)}` : ''}${s?.deadline ? ` · 截止 deadline ${s.deadline}` : ''}</p>
${cur ? html`<p class="meta">原文 <a href="${cur.url}" rel="noreferrer noopener" target="_blank">${cur.url}</a> · 存档 ${archiveLink(ctx, cur.sha256, cur.sha256)}</p>` : ''}
${s?.removedAt ? html`<p class="warn">该报告于 ${when(s.removedAt)} 起无法访问（发布后撤下）。Removed after publication.</p>` : ''}
${s?.unreadable ? html`<p class="warn">未能读取 could not be read: ${s.unreadable}</p>` : ''}`;
  const tables: Html[] = [];
  if (v.formats.table2) tables.push(table2Html(v, v.formats.table2));
  if (v.formats.table3) tables.push(table3Html(v, v.formats.table3));
  if (v.formats.table4) tables.push(table4Html(v));
  const body = html`${header}
${
  cur
    ? ''
    : v.currentLost
      ? html`<p class="warn">当前版本的解析记录已损坏，无法读取，未显示 the current source's stored record could not be read and is not shown</p>`
      : html`<p class="warn">没有解析结果 nothing parsed for this year</p>`
}
${findingsSection(v.findings)}
${
  tables.length
    ? html`<section class="tables"><h2>表格 <span class="en">tables</span></h2>
<p class="legend-line"><span class="fig m-error">12</span> 错误 error · <span class="fig m-warning">12</span> 警告 warning · <span class="fig unread">?</span> 未能读取 not read · <span class="fig blank">·</span> 空白 blank</p>
${tables}</section>`
    : cur
      ? html`<p class="warn">未找到统计表 no statistical tables found</p>`
      : ''
}
${crossYear(v)}
${(s?.changes ?? []).length ? html`<section><h2>发布后的修改 <span class="en">changes after publication</span></h2>${[...(s?.changes ?? [])].reverse().map((c) => change(ctx, c))}</section>` : ''}
${v.alerts.length ? html`<section><h2>提醒 <span class="en">alerts</span></h2><ul class="alerts">${v.alerts.map((a) => alertItem(ctx, a))}</ul></section>` : ''}
${sources(ctx, v)}`;
  return page(ctx, { title: cur?.title ?? `${v.body.name} ${v.year}年度报告`, titleEn: `${v.body.id} ${v.year}`, body });
}

function findingsSection(findings: Finding[]): Html {
  if (findings.length === 0)
    return html`<section class="findings"><h2>检查结果 <span class="en">findings</span></h2><p class="ok">没有发现问题 no findings</p></section>`;
  const items = [...findings]
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity])
    .map(
      (f) => html`<li class="finding sev-${f.severity}" data-rule="${f.rule}">
<span class="sev">${SEVERITY_LABELS[f.severity]}</span> <code>${f.rule}</code> ${f.zh}<br><span class="en">${f.en}</span>
${f.cells?.length ? html`<br><span class="cells">${f.cells.slice(0, 12).map((c) => (c.startsWith('previous.') ? html`<code>${c}</code> ` : html`<a href="#cell-${c}"><code>${c}</code></a> `))}${f.cells.length > 12 ? `…(${f.cells.length})` : ''}</span>` : ''}
${f.expected !== undefined ? html`<br>应为 expected ${String(f.expected)} · 实为 actual ${String(f.actual ?? '·')}` : ''}
${f.quote ? html`<blockquote>${f.quote}</blockquote>` : ''}</li>`,
    );
  return html`<section class="findings"><h2>检查结果 <span class="en">findings</span> (${findings.length})</h2><ul>${items}</ul></section>`;
}

/** This year's figures beside last year's, where the rules compare them (docs/format.md §8: CROSS-CARRY, CROSS-STOCK). */
function crossYear(v: ReportView): Html {
  if (!v.previous)
    return html`<section class="cross"><h2>与上年对照 <span class="en">against last year</span></h2><p class="meta">没有${v.year - 1}年度的解析结果 no parsed report for ${v.year - 1}</p></section>`;
  const p = v.previous;
  const show = (x: number | null | undefined) => (x === undefined ? '—' : x === null ? '·' : String(x));
  const carry = TABLE3_COLUMNS.map((c) => {
    const now = v.cells.get(`table3.carried_over.${c}`);
    const before = p.cells.get(`table3.carried_forward.${c}`);
    const differs = now !== undefined && before !== undefined && (now ?? 0) !== (before ?? 0);
    return html`<tr class="${differs ? 'differs' : ''}"><th scope="row">${TABLE3_COLUMN_LABELS[c]}</th><td>${show(before)}</td><td>${show(now)}</td></tr>`;
  });
  const stock = ['regulations', 'normative_documents'].map((row) => {
    const prev = p.cells.get(`table2.${row}.in_force`);
    const issued = v.cells.get(`table2.${row}.issued`);
    const repealed = v.cells.get(`table2.${row}.repealed`);
    const inForce = v.cells.get(`table2.${row}.in_force`);
    const expected = typeof prev === 'number' && typeof issued === 'number' && typeof repealed === 'number' ? prev + issued - repealed : undefined;
    return html`<tr class="${expected !== undefined && typeof inForce === 'number' && inForce !== expected ? 'differs' : ''}"><th scope="row">${row === 'regulations' ? '规章' : '行政规范性文件'}</th>
<td>${show(prev)}</td><td>${show(issued)}</td><td>${show(repealed)}</td><td>${expected ?? '—'}</td><td>${show(inForce)}</td></tr>`;
  });
  return html`<section class="cross"><h2>与上年对照 <span class="en">against last year (${p.year})</span></h2>
<table class="list"><caption>上年结转 carried over (CROSS-CARRY)</caption><thead><tr><th></th><th>${p.year}年 结转下年度</th><th>${v.year}年 上年结转</th></tr></thead><tbody>${carry}</tbody></table>
<table class="list"><caption>现行有效件数 in force (CROSS-STOCK)</caption><thead><tr><th></th><th>${p.year}年 现行有效</th><th>本年制发</th><th>本年废止</th><th>推算 expected</th><th>${v.year}年 现行有效</th></tr></thead><tbody>${stock}</tbody></table>
</section>`;
}

function change(ctx: PageContext, c: ContentChange): Html {
  return html`<article class="change" data-change="${c.id}"><h3>${when(c.at)} · ${archiveLink(ctx, c.fromSha256)} → ${archiveLink(ctx, c.toSha256)}</h3>
<p class="meta"><a href="${c.url}" rel="noreferrer noopener" target="_blank">${c.url}</a></p>
${c.movedFrom ? html`<p class="meta">原地址 moved from: <a href="${c.movedFrom}" rel="noreferrer noopener" target="_blank">${c.movedFrom}</a></p>` : ''}
${c.title ? html`<p>标题 title: <del>${c.title.old ?? '·'}</del> → <ins>${c.title.new ?? '·'}</ins></p>` : ''}
${c.published ? html`<p>发布时间 published: <del>${c.published.old ?? '·'}</del> → <ins>${c.published.new ?? '·'}</ins></p>` : ''}
${c.figures.length ? html`<table class="list"><thead><tr><th>单元格 cell</th><th>原 old</th><th>新 new</th></tr></thead><tbody>${c.figures.map((f) => html`<tr><td><code>${f.cell}</code></td><td>${f.old ?? '·'}</td><td>${f.new ?? '·'}</td></tr>`)}</tbody></table>` : ''}
${c.added.length ? html`<ul class="diff">${c.added.map((a) => html`<li><ins>+ ${a}</ins></li>`)}</ul>` : ''}
${c.removed.length ? html`<ul class="diff">${c.removed.map((a) => html`<li><del>− ${a}</del></li>`)}</ul>` : ''}
${c.also?.length ? html`<p class="meta">同时修改 also changed: ${c.also.map((a) => html`<a href="${a.url}" rel="noreferrer noopener">${a.url}</a> `)}</p>` : ''}
</article>`;
}

function sources(ctx: PageContext, v: ReportView): Html {
  if (v.sources.length === 0) return html``;
  return html`<section><h2>解析来源 <span class="en">sources parsed</span></h2><table class="list"><thead><tr><th>存档 sha256</th><th>URL</th><th>解析时间 parsed</th><th>解析器 parser</th></tr></thead>
<tbody>${v.sources.map((s) => html`<tr><td>${archiveLink(ctx, s.sha256)}</td><td class="url">${s.url}</td><td>${when(s.parsedAt)}</td><td>${s.parserVersion}</td></tr>`)}</tbody></table></section>`;
}
