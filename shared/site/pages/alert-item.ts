/**
 * One alert with its evidence (docs/runbook.md, per kind), and on the live server the form that dismisses it with
 * a reason. A dismissal is kept and never sent again (alerts/decide.ts dismissAlert).
 */
import { unreadReason } from '../../alerts/reason.ts';
import type { Alert } from '../../store/ports.ts';
import { archiveLink, bodyPath, type Html, html, outcomeZh, type PageContext, reportPath, when } from '../layout.ts';

type Figure = NonNullable<Alert['evidence']['figures']>[number];

/** One figure of the evidence: a change (old → new), an unread figure and why, or a figure against what it should be. */
function figure(f: Figure): Html {
  const unread = unreadReason(f);
  if (unread) return html`未能读取：${unread.zh} <span class="en">could not be read: ${unread.en}</span>`;
  if ('old' in f) return html`${f.old ?? '·'} → ${f.new ?? '·'}`;
  return html`${f.actual ?? '·'}（应为 expected ${f.expected ?? '·'}）`;
}

export const KIND_LABELS: Record<string, [zh: string, en: string]> = {
  missing: ['逾期未发布', 'missing'],
  late: ['逾期发布', 'late'],
  inconsistent: ['数据不一致', 'inconsistent'],
  changed: ['发布后被修改', 'changed'],
  removed: ['发布后被撤下', 'removed'],
  unreachable: ['网站无法访问', 'unreachable'],
  unread: ['有未能读取的数字', 'read with gaps'],
};

export function alertItem(ctx: PageContext, a: Alert, opts: { withBody?: boolean } = {}): Html {
  const e = a.evidence;
  const [zh, en] = KIND_LABELS[a.kind] ?? [a.kind, a.kind];
  const facts: Html[] = [];
  if (e.rules?.length) facts.push(html`<dt>规则 rules</dt><dd>${e.rules.join(', ')}</dd>`);
  if (e.cells?.length)
    facts.push(html`<dt>单元格 cells</dt><dd><code>${e.cells.slice(0, 8).join(' ')}</code>${e.cells.length > 8 ? ` …(${e.cells.length})` : ''}</dd>`);
  if (e.figures?.length) facts.push(html`<dt>数字 figures</dt><dd>${e.figures.slice(0, 8).map((f) => html`<code>${f.cell}</code> ${figure(f)}<br>`)}</dd>`);
  if (e.quote) facts.push(html`<dt>原文 quote</dt><dd><q>${e.quote}</q></dd>`);
  if (e.pageDate) facts.push(html`<dt>发布时间 page date</dt><dd>${e.pageDate}</dd>`);
  if (e.url)
    facts.push(html`<dt>URL</dt><dd><a href="${e.url}" rel="noreferrer noopener" target="_blank">${e.url}</a>${e.status ? ` (${e.status})` : ''}</dd>`);
  if (e.previousUrl)
    facts.push(html`<dt>原地址 moved from</dt><dd><a href="${e.previousUrl}" rel="noreferrer noopener" target="_blank">${e.previousUrl}</a></dd>`);
  if (e.captureTime) facts.push(html`<dt>抓取时间 captured</dt><dd>${when(e.captureTime)}</dd>`);
  // A removal's snapshot is the last archived copy of what was removed, not the capture that found it gone.
  const snapshotLabel = a.kind === 'removed' ? html`<dt>删除前的存档 last archived copy</dt>` : html`<dt>存档 snapshot</dt>`;
  if (e.sha256)
    facts.push(html`${snapshotLabel}<dd>${archiveLink(ctx, e.sha256, e.sha256)}${e.previousSha256 ? html` ← ${archiveLink(ctx, e.previousSha256)}` : ''}</dd>`);
  if (e.failures?.length)
    facts.push(html`<dt>失败 failures</dt><dd>${e.failures.map((f) => html`${when(f.time)} ${outcomeZh(f.outcome)} <code>${f.outcome}</code><br>`)}</dd>`);
  if (e.added?.length) facts.push(html`<dt>新增 added</dt><dd>${e.added.slice(0, 5).map((s) => html`<ins>${s}</ins><br>`)}</dd>`);
  if (e.removed?.length) facts.push(html`<dt>删去 removed</dt><dd>${e.removed.slice(0, 5).map((s) => html`<del>${s}</del><br>`)}</dd>`);
  const dismiss =
    a.state === 'open' && ctx.mode === 'live' && ctx.csrfToken
      ? html`<form class="dismiss" method="post" action="${ctx.root}alerts/${encodeURIComponent(a.id)}/dismiss">
<input type="hidden" name="csrf" value="${ctx.csrfToken}">
<label>忽略理由 <span class="en">reason to dismiss</span> <input name="reason" required minlength="3" maxlength="500"></label>
<button type="submit">忽略 dismiss</button></form>`
      : a.state === 'open' && ctx.mode === 'static'
        ? html`<p class="meta">忽略 dismiss: <code>nianbao alerts dismiss ${a.id} --reason "…"</code> (on AWS add <code>--api</code> and the archive API's address)</p>`
        : '';
  return html`<li class="alert k-${a.kind} st-${a.state}" id="alert-${a.id}" data-alert="${a.id}">
<p class="head"><span class="kind">${zh} <span class="en">${en}</span></span>
${opts.withBody ? html`<a href="${ctx.root}${bodyPath(a.bodyId)}">${a.bodyName}</a>` : ''}
<a href="${ctx.root}${reportPath(a.bodyId, a.year)}">${a.year}年度</a> · ${when(a.openedAt)}${a.state !== 'open' ? html` · <strong>${a.state}</strong>` : ''}</p>
<p class="summary">${a.summaryZh}</p><p class="summary en">${a.summaryEn}</p>
${a.dismissReason ? html`<p class="meta">忽略理由 reason: ${a.dismissReason} (${when(a.dismissedAt)}${a.dismissedBy ? `, ${a.dismissedBy}` : ''})</p>` : ''}
${facts.length ? html`<dl class="evidence">${facts}</dl>` : ''}
${dismiss}</li>`;
}
