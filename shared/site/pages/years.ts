/** The years: how many bodies are in each status, and the distribution of applications received across bodies. */
import { downloadPath } from '../downloads.ts';
import { CELL_STATUSES, type YearView } from '../data.ts';
import { bodyPath, reportPath, SEVERITY_LABELS, html, jsonIsland, page, type PageContext, STATUS_LABELS, statusBadge, yearPath } from '../layout.ts';

export function yearsPage(ctx: PageContext, years: YearView[]): string {
  const rows = years.map(
    (y) =>
      html`<tr><th scope="row"><a href="${ctx.root}${yearPath(y.year)}">${y.year}</a></th>${CELL_STATUSES.map((s) => html`<td class="num">${y.counts[s]}</td>`)}<td class="num">${y.gaps}</td></tr>`,
  );
  const body = html`<table class="list"><thead><tr><th>年度 year</th>${CELL_STATUSES.map((s) => html`<th>${statusBadge(s)}</th>`)}<th>有未读数字 gaps</th></tr></thead><tbody>${rows}</tbody></table>`;
  return page(ctx, { title: '年度', titleEn: 'Years', nav: 'years', body });
}

/** Bins of applications received: 0, 1–9, 10–99 … (a handful of bodies receive thousands, most a few). */
export function receivedBins(values: number[]): { label: string; count: number }[] {
  const bins = [
    { label: '0', test: (v: number) => v === 0 },
    { label: '1–9', test: (v: number) => v >= 1 && v < 10 },
    { label: '10–99', test: (v: number) => v >= 10 && v < 100 },
    { label: '100–999', test: (v: number) => v >= 100 && v < 1000 },
    { label: '1000–9999', test: (v: number) => v >= 1000 && v < 10_000 },
    { label: '≥10000', test: (v: number) => v >= 10_000 },
  ];
  return bins.map((b) => ({ label: b.label, count: values.filter(b.test).length }));
}

export function yearPage(ctx: PageContext, y: YearView): string {
  const bins = receivedBins(y.received.map((r) => r.value));
  const top = y.received.slice(0, 20);
  const body = html`
<p class="counts">${CELL_STATUSES.map((s) => html`<span class="count s-${s}">${STATUS_LABELS[s]![0]} ${STATUS_LABELS[s]![1]} <b>${y.counts[s]}</b></span> `)}
<span class="count gaps">有未读数字 read with gaps <b>${y.gaps}</b></span></p>
<section><h2>本年新收申请数量分布 <span class="en">applications received, across bodies</span> (${y.received.length})</h2>
${y.received.length ? html`<div class="chart" data-chart="year-distribution" data-source="year-data" role="img" aria-label="distribution across bodies"></div>${jsonIsland('year-data', { bins })}` : html`<p>没有数据 no figures</p>`}
${top.length ? html`<table class="list"><caption>最多的单位 most received</caption><tbody>${top.map((r) => html`<tr><th scope="row"><a href="${ctx.root}${bodyPath(r.bodyId)}">${r.name}</a></th><td class="num">${r.value}</td></tr>`)}</tbody></table>` : ''}
</section>
${findingsSection(ctx, y)}
${downloadsSection(ctx, y)}`;
  return page(ctx, {
    title: `${y.year}年度`,
    titleEn: `Year ${y.year}`,
    nav: 'years',
    body,
    scripts: y.received.length ? ['assets/echarts.min.js', 'assets/charts.js'] : [],
  });
}

/** Bodies named per rule on the page; the rest are counted, and `nianbao findings` lists them all. */
const BODIES_SHOWN = 60;

/** The rules the year's reports raised and the bodies that raised each (their report pages linked). */
function findingsSection(ctx: PageContext, y: YearView) {
  const unknown = y.findingsUnknown
    ? html`<p class="warn">另有 ${y.findingsUnknown} 份报告的核查结果尚未统计（下次抓取后显示） ${y.findingsUnknown} reports last crawled before findings were counted: not in this table until their next crawl (their report pages show them)</p>`
    : '';
  if (y.findings.length === 0)
    return html`<section class="findings"><h2>核查发现 <span class="en">findings</span></h2>${unknown}<p>${y.findingsUnknown ? '其余报告' : ''}没有发现问题 no findings in the reports counted</p></section>`;
  const rows = y.findings.map((f) => {
    const shown = f.bodies.slice(0, BODIES_SHOWN);
    const more = f.bodies.length - shown.length;
    return html`<tr class="sev-${f.severity ?? 'unknown'}" data-rule="${f.rule}"><th scope="row"><code>${f.rule}</code><br>${f.zh ?? ''}</th><td>${f.severity ? SEVERITY_LABELS[f.severity] : '·'}</td><td class="num">${f.bodies.length}</td><td>${shown.map((b) => html`<a href="${ctx.root}${reportPath(b.bodyId, y.year)}">${b.name}</a>${b.count > 1 ? html` (${b.count})` : ''} `)}${more > 0 ? html`… 另有 ${more} 个 and ${more} more` : ''}</td></tr>`;
  });
  return html`<section class="findings"><h2>核查发现 <span class="en">findings, by rule</span></h2>
<table class="list"><thead><tr><th>规则 rule</th><th>级别 severity</th><th>单位数 bodies</th><th>单位 who (findings)</th></tr></thead><tbody>${rows}</tbody></table>
${unknown}<p class="note">每份报告的全部核查结果 every finding of every report: <code>nianbao findings --year ${y.year}</code></p></section>`;
}

/**
 * The year's downloads (site/downloads.ts): every finding and every figure of the reports read, as CSV; the reports
 * found and never read have no line, and the page's gaps count them.
 */
function downloadsSection(ctx: PageContext, y: YearView) {
  return html`<section class="downloads"><h2>下载 <span class="en">downloads</span></h2>
<ul><li><a href="${ctx.root}${downloadPath(y.year, 'findings')}" download>核查结果 findings (CSV)</a>：每份报告的每条核查结果 every finding of every report read (the file <code>nianbao findings --year ${y.year}</code> writes)</li>
<li><a href="${ctx.root}${downloadPath(y.year, 'figures')}" download>数据 figures (CSV)</a>：每份报告表二、表三、表四的数字 the figures of tables 二, 三 and 四 of every report read, <code>unread</code> naming those that could not be read (the file <code>nianbao export --year ${y.year}</code> writes)</li></ul>
<p class="note">完全未能读取的报告不在其中，已计入上方“有未读数字” a report that could not be read at all has no line in them: it is counted above among those read with gaps (${y.gaps})</p></section>`;
}
