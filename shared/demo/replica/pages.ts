/** HTML of the replica portals, shaped like the real CMS families of docs/portals.md §1–§3. */
import { render } from '../render.ts';
import { REPLICA_BODY, type ReplicaReport } from './state.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export const reportTitle = (r: ReplicaReport) => `${REPLICA_BODY}${r.year}年政府信息公开工作年度报告${r.edition ?? ''}`;

/** TRS detail path: /zfxxgknb/<YYYYMM>/t<YYYYMMDD>_<docid>.html */
export function trsReportPath(r: ReplicaReport): string {
  const d = r.published.replace(/-/g, '');
  return `/zfxxgknb/${d.slice(0, 6)}/t${d}_${r.id}.html`;
}

/** Attachment files next to a report (TRS names them P0 + timestamp). */
export function attachmentPaths(r: ReplicaReport): { pdf: string; doc: string } {
  const dir = trsReportPath(r).replace(/[^/]+$/, '');
  const d = r.published.replace(/-/g, '');
  return { pdf: `${dir}P0${d}${r.id}.pdf`, doc: `${dir}P0${d}${r.id}_1.doc` };
}

function chrome(title: string, body: string, charset = 'utf-8'): string {
  // A static TRS page: its visit counter is loaded by a script, so the bytes stay the same between visits.
  return `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=${charset}">
<title>${esc(title)}_${REPLICA_BODY}</title><script src="/js/common.js"></script></head>
<body><div class="header"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>
${body}
<div class="footer">主办：${REPLICA_BODY}办公室 网站标识码：1234567890 <a href="http://www.beian.gov.cn/">备案</a> 访问量：<span id="counter"></span><script src="/counter.jsp?id=1229"></script></div></body></html>`;
}

/** What changes on every visit of a dynamic (JSP/ASP) portal: its counter, its clock, the rotating adverts. */
export interface Visit {
  /** Visits so far (the counter shown). */
  visits: number;
  now: Date;
}

const NEWS = [
  '区长主持召开区政府常务会议',
  '我区开展安全生产大检查',
  '关于2025年春节期间值班安排的通知',
  '区政务服务中心延时服务公告',
  '我区召开优化营商环境推进会',
  '全区秋冬季大气污染防治工作会议召开',
  '关于公开征求意见的公告',
];
const WEEKDAYS = '日一二三四五六';

/**
 * A dynamic CMS page (the JSP portals of many districts): a clock and the date in the header, a rotating
 * "热点推荐" advert and a "最新动态" list beside the article, visit counters in the article's info line and
 * under its text, no container class of a known CMS family.
 */
function dynamicChrome(title: string, main: string, v: Visit): string {
  const shanghai = new Date(v.now.getTime() + 8 * 3600_000);
  const date = `${shanghai.getUTCFullYear()}年${shanghai.getUTCMonth() + 1}月${shanghai.getUTCDate()}日 星期${WEEKDAYS[shanghai.getUTCDay()]}`;
  const time = shanghai.toISOString().slice(11, 19);
  const news = [0, 1, 2, 3].map((k) => NEWS[(v.visits + k) % NEWS.length]!);
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(title)}-${REPLICA_BODY}门户网站</title></head>
<body><div class="top">今天是：${date} <span class="clock">${time}</span> <a href="/wza/">无障碍</a></div>
<div class="banner"><a href="/zt/${v.visits % 3}/">专题：${['学习贯彻党的二十届三中全会精神', '优化营商环境', '政务公开进行时'][v.visits % 3]}</a></div>
<div class="main"><div class="xl-main">${main}</div>
<div class="right-side"><h3>最新动态</h3><ul>${news.map((n, i) => `<li><a href="/xwzx/${v.visits}_${i}.jsp">${n}</a></li>`).join('')}</ul>
<h3>热点推荐</h3><p>${NEWS[(v.visits * 3) % NEWS.length]}</p></div></div>
<div class="bottom">版权所有：${REPLICA_BODY} 您是第${100000 + v.visits}位访问者 本站访问量：${200000 + v.visits * 7}</div></body></html>`;
}

interface ListItem {
  title: string;
  href: string;
  date: string;
}

/** Report links and notices, newest first, as a list column shows them. */
export function listItems(reports: ReplicaReport[], notices: string[], path: (r: ReplicaReport) => string): ListItem[] {
  const items: ListItem[] = reports.map((r) => ({ title: reportTitle(r), href: path(r), date: r.published }));
  notices.forEach((n, i) =>
    items.splice(Math.min(items.length, 1 + i * 2), 0, { title: n, href: `/zwgk/tzgg/202401/t2024011${i}_7000${i}.html`, date: `2024-01-1${i}` }),
  );
  return items;
}

/** A TRS list page: items of `page` and the createPageHTML(...) call that drives pagination. */
export function trsListPage(items: ListItem[], page: number, perPage: number, charset = 'utf-8'): string {
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice(page * perPage, (page + 1) * perPage);
  const lis = slice.map((i) => `<li><a href="${i.href}" target="_blank" title="${esc(i.title)}">${esc(i.title)}</a><span>${i.date}</span></li>`).join('\n');
  return chrome(
    '政府信息公开年报',
    `<div class="list"><ul>\n${lis}\n<li><a href="http://www.haose21.com/zwgk/xxgkzd/202311/t20231118_1337823.html">${REPLICA_BODY}2022年政府信息公开工作年度报告（转载）</a></li></ul>
<div class="page"><script>createPageHTML(${pages}, ${page}, "index", "html");</script></div></div>`,
    charset,
  );
}

/** The sentence of the demo's prose on the 条例 第五十条（四） results (rules/body.ts). */
const ASSESSMENT_SENTENCE = '政务公开工作纳入年度绩效考核，开展社会评议，全年未发生责任追究情况。';

/** A report page: TRS_Editor body with the report, attachments, a pdf.js viewer link, the 发布时间. */
export function trsReportPage(r: ReplicaReport, charset = 'utf-8', relativeLinks = true): string {
  if (r.notice) {
    // A correction notice: what changed, in a sentence — not the report.
    const granted = r.model.table3.rows.granted![6];
    return chrome(
      reportTitle(r),
      `<div class="article"><h1>${reportTitle(r)}</h1>
<div class="info"><span>发布时间：${r.published}</span> <span>来源：${REPLICA_BODY}办公室</span></div>
<div class="TRS_Editor"><p>经核查，我单位${r.year}年政府信息公开工作年度报告中“予以公开”总计数据有误，应为${granted}件，特此更正。</p></div></div>`,
      charset,
    );
  }
  const html = Buffer.from(render(r.model, 'html')).toString();
  let editor = /<div class="TRS_Editor">([\s\S]*?)<\/div><\/div>/.exec(html)?.[1] ?? '';
  // A report whose table 三 has figures written as words in the 予以公开 row: read with gaps.
  if (r.garbled) editor = editor.replace(/(（一）予以公开<\/td>)((?:<td[^>]*>[^<]*<\/td>){2})/, '$1<td>见附件</td><td>详见附表</td>');
  if (r.lastYearReceived !== undefined) {
    const received = r.model.table3.rows.received![6]!;
    const change = received - r.lastYearReceived;
    const words = change === 0 ? '与上年持平' : `较上年${change > 0 ? '增加' : '减少'}${Math.abs(change)}件`;
    editor = editor.replace(ASSESSMENT_SENTENCE, `${ASSESSMENT_SENTENCE}本年度共收到政府信息公开申请${received}件，${words}。`);
  }
  if (r.noAssessment) editor = editor.replace(ASSESSMENT_SENTENCE, '');
  let table = 0;
  if (r.tablesInAttachment) editor = editor.replace(/<table[\s\S]*?<\/table>/g, (t) => (table++ === 0 ? t : '<p>（详见附件）</p>'));
  const a = attachmentPaths(r);
  const heading = reportTitle(r.pageYear ? { ...r, year: r.pageYear } : r);
  return chrome(
    heading,
    `<div class="article"><h1>${heading}</h1>
<div class="info"><span>发布时间：${r.published}</span> <span>来源：${REPLICA_BODY}办公室</span></div>
<div class="TRS_Editor">${editor}</div>
<div class="attachments">附件：<a href="${relativeLinks ? a.pdf.replace(/^.*\//, './') : a.pdf}">${reportTitle(r)}.pdf</a>
<a href="${a.doc}">${reportTitle(r)}.doc</a>
<a href="/generic/web/viewer.html?file=${encodeURIComponent(a.pdf)}">全真版</a></div></div>`,
    charset,
  );
}

/** A dynamic CMS's column: ?page=N with 上一页/下一页 links, around the clock and counters of `dynamicChrome`. */
export function dynamicListPage(items: ListItem[], page: number, perPage: number, v: Visit): string {
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const more = page * perPage < items.length;
  const lis = slice.map((i) => `<li><a href="${i.href}">${esc(i.title)}</a><span>${i.date}</span></li>`).join('\n');
  const nav = `${page > 1 ? `<a href="index.jsp?page=${page - 1}">上一页</a>` : ''}${more ? ` <a href="index.jsp?page=${page + 1}">下一页</a>` : ''}`;
  return dynamicChrome('政府信息公开年报', `<h2>政府信息公开年报</h2><ul class="list">\n${lis}\n</ul><div class="pager">${nav}</div>`, v);
}

/** A dynamic CMS's report page: counters in the info line and under the text (inside the article's block). */
export function dynamicReportPage(r: ReplicaReport, v: Visit): string {
  const html = Buffer.from(render(r.model, 'html')).toString();
  const editor = /<div class="TRS_Editor">([\s\S]*?)<\/div><\/div>/.exec(html)?.[1] ?? '';
  const a = attachmentPaths(r);
  return dynamicChrome(
    reportTitle(r),
    `<h1>${reportTitle(r)}</h1><div class="xl-info">发布时间：${r.published} 来源：${REPLICA_BODY}办公室 浏览次数：${v.visits}</div>
<div class="xl-nr">${editor}
<p>附件：<a href="${a.pdf}">${reportTitle(r)}.pdf</a></p>
<p class="xl-count">【打印本页】【关闭窗口】 本文已被阅读${v.visits * 3}次</p></div>`,
    v,
  );
}

/** Dynamic CMS report path: /xxgk/ndbg/content.jsp?id=<id> */
export const dynamicReportPath = (r: ReplicaReport) => `/xxgk/ndbg/content.jsp?id=${r.id}`;

/** Hanweb column page: the list is a jpage stub; the records come from dataproxy.jsp. */
export function hanwebColumnPage(columnId: string): string {
  return chrome(
    '政府信息公开年报',
    `<div class="default_pgContainer" id="${columnId}"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=${columnId}&unitid=5001&webname=某某区&permissiontype=0"></a>]]></nextgroup><recordset></recordset></datastore></script>
<script language="javascript" src="/module/web/jpage/jpage.js"></script>
<script>var jpage = { columnid: '${columnId}', unitid: '5001', webid: '1', path: '/', perpage: 2, proxyUrl: '/module/web/jpage/dataproxy.jsp' };</script></div>`,
  );
}

/** Hanweb detail path: /art/<YYYY>/<M>/<D>/art_<columnid>_<articleid>.html */
export function hanwebReportPath(r: ReplicaReport, columnId: string): string {
  const [y, m, d] = r.published.split('-').map(Number);
  return `/art/${y}/${m}/${d}/art_${columnId}_${r.id}.html`;
}

/** dataproxy.jsp answer: XML records with CDATA list items, and the total. */
export function hanwebDataproxy(items: ListItem[], start: number, end: number): string {
  const records = items
    .slice(start - 1, end)
    .map((i) => `<record><![CDATA[<li><a href="${i.href}" title="${esc(i.title)}" target="_blank">${esc(i.title)}</a><span>${i.date}</span></li>]]></record>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>${items.length}</totalrecord><totalpage>${Math.ceil(items.length / 2)}</totalpage><recordset>\n${records}\n</recordset></datastore>`;
}

/** A list built in the browser from a JSON endpoint (static HTML has no links). */
export function jsListPage(): string {
  return chrome(
    '政府信息公开年报',
    `<ul id="list"></ul><script>
fetch('/api/ndbg.json').then(function (r) { return r.json(); }).then(function (d) {
  document.getElementById('list').innerHTML = d.data.map(function (x) {
    return '<li><a href="' + x.url + '">' + x.title + '</a><span>' + x.date + '</span></li>';
  }).join('');
});
</script>`,
  );
}

/** The 瑞数-style wall: 412, an inline $_ts script that sets a cookie and reloads. */
export function challengePage(): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><script>var $_ts=window['$_ts'];if(!$_ts)$_ts=window['$_ts']={};$_ts.nsd=12345;
document.cookie = 'rs_ok=1; path=/'; setTimeout(function () { location.reload(); }, 50);</script></head><body></body></html>`;
}

/** Hanweb xxgk annual-report viewer for one year: the report, or "暂无数据". */
export function xxgkViewer(r: ReplicaReport | undefined, year: number): string {
  if (!r) return chrome(`${year}年度报告`, `<div class="nb_con">暂无数据</div>`);
  return trsReportPage(r);
}
