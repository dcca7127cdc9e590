/**
 * The overview: bodies × years, one cell per body-year coloured by status. The page is a shell; its rows are drawn
 * by assets/overview.js from `data/overview.js` (one character per cell, data.ts OverviewData), a page at a time,
 * so 3,000 bodies × 7 years stay a small page that draws at once.
 */
import { CELL_STATUSES, type OverviewData } from '../data.ts';
import { html, LEVEL_LABELS, page, type PageContext, raw, STATUS_LABELS } from '../layout.ts';
import { PROVINCES } from '../provinces.ts';

/** The overview data as a script (a `<script src>` loads from `file://` too, where fetch() of JSON does not). */
export function overviewScript(data: OverviewData): string {
  return `window.NIANBAO_OVERVIEW=${JSON.stringify({ ...data, provinces: PROVINCES, statuses: STATUS_LABELS, levels: LEVEL_LABELS }).replace(/</g, '\\u003c')};\n`;
}

export function overviewPage(ctx: PageContext): string {
  const statusOptions = CELL_STATUSES.map((s) => html`<option value="${s}">${STATUS_LABELS[s]![0]} ${STATUS_LABELS[s]![1]}</option>`);
  const levelOptions = Object.entries(LEVEL_LABELS).map(([k, zh]) => html`<option value="${k}">${zh} ${k}</option>`);
  const legend = CELL_STATUSES.map(
    (s) => html`<li><span class="cell s-${s}">${STATUS_LABELS[s]![2]}</span> ${STATUS_LABELS[s]![0]} <span class="en">${STATUS_LABELS[s]![1]}</span></li>`,
  );
  const body = html`
<section id="counts" class="counts" aria-live="polite"></section>
<form id="filters" class="filters" role="search">
  <label>搜索单位 <span class="en">search</span> <input type="search" name="q" placeholder="单位名称 body name"></label>
  <label>省份 <span class="en">province</span> <select name="province"><option value="">全部 all</option></select></label>
  <label>层级 <span class="en">level</span> <select name="level"><option value="">全部 all</option>${levelOptions}</select></label>
  <label>年度 <span class="en">year</span> <select name="year"><option value="">全部 all</option></select></label>
  <label>状态 <span class="en">status</span> <select name="status"><option value="">全部 all</option>${statusOptions}<option value="gaps">有未读数字 read with gaps</option></select></label>
  <label>排序 <span class="en">sort</span> <select name="sort">
    <option value="deadline">截止日期 deadline</option><option value="name">名称 name</option>
    <option value="alerts">提醒数 open alerts</option><option value="province">省份 province</option></select></label>
</form>
<ul class="legend">${legend}<li><span class="cell s-found gaps">✓</span> 有未读数字 <span class="en">read with gaps</span></li><li><span class="cell none">·</span> 无记录 <span class="en">no record</span></li><li><span class="cell s-damaged">!</span> 记录已损坏 <span class="en">record damaged</span></li></ul>
<div class="table-wrap"><table id="overview" class="overview"><thead></thead><tbody></tbody></table></div>
<nav id="pager" class="pager" aria-label="pages"></nav>
<noscript><p class="warn">总览需要 JavaScript。The overview needs JavaScript; every body also has its own page under body/.</p></noscript>
${raw('')}`;
  return page(ctx, { title: '年报总览', titleEn: 'Overview', nav: 'overview', body, scripts: ['data/overview.js', 'assets/overview.js'] });
}
