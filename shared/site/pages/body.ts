/**
 * A body's page: its years (report title, 发布时间, first seen, original URL, archived copies), the chart of its
 * figures across years, the capture timeline (first seen, revisits, changes, removal) and its alerts.
 */
import { type BodyView, CHART_FIGURES, cellStatus, readWithGaps, TIMELINE_PER_YEAR } from '../data.ts';
import { archiveLink, type Html, html, jsonIsland, LEVEL_LABELS, outcomeZh, page, type PageContext, reportPath, statusBadge, when } from '../layout.ts';
import { PROVINCES } from '../provinces.ts';
import { alertItem } from './alert-item.ts';

const FIGURE_LABELS: Record<(typeof CHART_FIGURES)[number], string> = {
  received: '本年新收申请',
  handled: '本年办理总计',
  review: '行政复议',
  litigation: '行政诉讼',
};

export function bodyPage(ctx: PageContext, v: BodyView): string {
  const b = v.body;
  const years = v.years.map((y) => {
    const s = y.state;
    const current = y.current;
    return html`<tr data-year="${y.year}">
  <th scope="row"><a href="${ctx.root}${reportPath(b.id, y.year)}">${y.year}</a></th>
  <td>${s ? statusBadge(cellStatus(s), readWithGaps(s)) : '—'}</td>
  <td>${current?.title ?? '—'}</td>
  <td>${s?.pageDate ?? current?.published ?? '—'}</td>
  <td>${when(s?.firstSeenAt)}</td>
  <td>${s?.reportUrl ? html`<a href="${s.reportUrl}" rel="noreferrer noopener" target="_blank">原文 original</a>` : '—'}</td>
  <td>${y.sources.length ? y.sources.map((src) => html`${archiveLink(ctx, src.sha256)} `) : '—'}</td>
  <td>${s?.deadline ?? ''}</td>
</tr>`;
  });
  const chartYears = [...v.years].reverse().filter((y) => CHART_FIGURES.some((f) => typeof y.figures[f] === 'number'));
  const chart = chartYears.length
    ? html`<section><h2>历年数据 <span class="en">figures across years</span></h2>
<div class="chart" data-chart="body-series" data-source="body-series-data" role="img" aria-label="figures across years"></div>
${jsonIsland('body-series-data', {
  years: chartYears.map((y) => y.year),
  series: CHART_FIGURES.map((f) => ({ name: FIGURE_LABELS[f], data: chartYears.map((y) => y.figures[f] ?? null) })),
})}
</section>`
    : '';
  const province = b.region ? PROVINCES[b.region.slice(0, 2)] : undefined;
  const body = html`
<p class="meta">${LEVEL_LABELS[b.level] ?? b.level}${province ? ` · ${province}` : ''}${b.region ? ` · ${b.region}` : ''} · id <code>${b.id}</code>
${v.registered ? '' : html` · <strong class="warn">不在登记表中 not in the registry</strong>`}</p>
${b.lists.length ? html`<p class="meta">栏目 column: ${b.lists.map((l) => html`<a href="${l}" rel="noreferrer noopener" target="_blank">${l}</a> `)}</p>` : html`<p class="meta warn">没有已知的年报栏目 no column URL known</p>`}
<section><h2>各年度报告 <span class="en">reports by year</span></h2>
<table class="list"><thead><tr><th>年度</th><th>状态 status</th><th>标题 title</th><th>发布时间 published</th><th>首次发现 first seen</th><th>原文 URL</th><th>存档 archived</th><th>截止 deadline</th></tr></thead>
<tbody>${years}</tbody></table></section>
${chart}
<section><h2>提醒 <span class="en">alerts</span> (${v.alerts.length})</h2>
${v.alerts.length ? html`<ul class="alerts">${v.alerts.map((a) => alertItem(ctx, a))}</ul>` : html`<p>没有提醒 no alerts</p>`}</section>
<section><h2>抓取记录 <span class="en">capture timeline</span></h2>${timeline(ctx, v)}</section>`;
  return page(ctx, { title: b.name, titleEn: b.id, body, scripts: chart ? ['assets/echarts.min.js', 'assets/charts.js'] : [] });
}

/** Newest first, with what each capture showed: first sighting, same bytes again, a change, a removal. */
function timeline(ctx: PageContext, v: BodyView): Html {
  const firstSeen = new Set(v.years.map((y) => y.state?.firstSeenCapture?.id).filter(Boolean));
  const rows = v.captures.map((c) => {
    const what = firstSeen.has(c.id)
      ? html`<span class="tag first">首次发现 first seen</span>`
      : c.changed
        ? html`<span class="tag changed">内容变化 changed</span>`
        : c.revisit
          ? html`<span class="tag revisit">未变 same bytes</span>`
          : c.status === 404 || c.status === 410
            ? html`<span class="tag removed">已删除 gone (${c.status})</span>`
            : '';
    return html`<tr data-capture="${c.id}"><td>${when(c.time)}</td><td>${c.year ?? '栏目 column'}</td><td class="outcome o-${c.outcome}" title="${outcomeZh(c.outcome)}">${c.outcome}${c.status ? ` ${c.status}` : ''}</td>
<td>${what}</td><td class="url"><a href="${c.url}" rel="noreferrer noopener" target="_blank">${c.url}</a></td><td>${c.sha256 ? archiveLink(ctx, c.sha256) : '—'}</td></tr>`;
  });
  if (rows.length === 0) return html`<p>没有抓取记录 no captures</p>`;
  return html`<table class="list timeline"><thead><tr><th>时间 time (UTC)</th><th>年度</th><th>结果 outcome</th><th></th><th>URL</th><th>存档</th></tr></thead><tbody>${rows}</tbody></table>
<p class="meta">最近的抓取：最新两个年度及栏目页各至多 ${TIMELINE_PER_YEAR} 条 · the latest captures of the two newest years and of the column pages (at most ${TIMELINE_PER_YEAR} each); all of them: <code>nianbao captures ${v.body.id}</code></p>`;
}
