/**
 * The pages in front of a replica portal's annual-report column, modelled on real portals: a TRS 门户网站 home page
 * (top navigation, news, a notice about compiling the annual report — not a report) and its 政府信息公开 page (the
 * standard left menu: 指南, 制度, 法定主动公开内容, 政府信息公开年报, 依申请公开); a Hanweb home page and its 政务公开
 * page, whose 年报 column is /col/col<id>/. `nianbao registry find` follows them (tests/crawl/find-column.test.ts).
 */

const chrome = (siteName: string, title: string, body: string, extraMeta = '') => `<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="SiteName" content="${siteName}"><meta name="SiteDomain" content="www.example.gov.cn">${extraMeta}
<title>${title}</title><link rel="stylesheet" href="/css/style.css"><script src="/js/jquery.min.js"></script></head>
<body><div class="top"><span>今天是<span id="today"></span></span><a href="/wza/">无障碍浏览</a><a href="/en/">English</a></div>
<div class="header"><img src="/images/logo.png" alt="${siteName}"></div>
${body}
<div class="footer"><p>主办：${siteName}办公室 网站标识码：1101010001 京ICP备05060933号</p><p>您是第<span id="count">1283734</span>位访问者</p></div>
<script>var _hmt = _hmt || []; document.getElementById('today').innerText = new Date().toLocaleDateString();</script></body></html>`;

const NAV = `<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwdt/">政务动态</a></li><li><a href="/zwgk/index.html">政府信息公开</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li><li><a href="/zjxq/">走进某某</a></li></ul></div>`;

/** A TRS portal's home page. */
export function trsHomePage(siteName = '某某区人民政府'): string {
  return chrome(
    siteName,
    `${siteName}门户网站`,
    `${NAV}
<div class="news"><h3>政务要闻</h3><ul>
<li><a href="/zwdt/202501/t20250120_1.html">区政府召开2025年第一次常务会议</a><span>2025-01-20</span></li>
<li><a href="/zwdt/202501/t20250115_2.html">关于做好2024年政府信息公开工作年度报告编制和发布工作的通知</a><span>2025-01-15</span></li>
<li><a href="/zwdt/202501/t20250110_3.html">我区开展冬季安全生产大检查</a><span>2025-01-10</span></li></ul></div>
<div class="links"><a href="http://www.gov.cn/">中国政府网</a><a href="/zwgk/zfxxgkzn/">政府信息公开指南</a></div>`,
  );
}

/** A TRS portal's 政府信息公开 page: the standard left menu, the annual-report column among them. */
export function trsDisclosurePage(siteName = '某某区人民政府', column = '/zfxxgknb/index.html'): string {
  return chrome(
    siteName,
    `政府信息公开_${siteName}`,
    `${NAV}
<div class="left"><h3>政府信息公开</h3><ul>
<li><a href="/zwgk/zfxxgkzn/">政府信息公开指南</a></li>
<li><a href="/zwgk/zfxxgkzd/">政府信息公开制度</a></li>
<li><a href="/zwgk/fdzdgknr/">法定主动公开内容</a></li>
<li><a href="${column}">政府信息公开年报</a></li>
<li><a href="/zwgk/ysqgk/">依申请公开</a></li></ul></div>
<div class="right"><p>根据《中华人民共和国政府信息公开条例》，本网站公开本机关政府信息。</p></div>`,
    '<meta name="ColumnName" content="政府信息公开">',
  );
}

/** A Hanweb portal's home page, and its 政务公开 page whose 年报 column is /col/col<column>/index.html. */
export function hanwebHomePage(siteName = '某某市交通运输局'): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${siteName}</title><script src="/module/web/jpage/jpage.js"></script></head>
<body><div class="nav"><a href="/">网站首页</a><a href="/col/col100/index.html">政务公开</a><a href="/col/col200/index.html">新闻动态</a><a href="/col/col300/index.html">互动交流</a></div>
<div class="news"><a href="/art/2025/1/10/art_200_1.html">市交通运输局召开年度工作会议</a></div></body></html>`;
}

export function hanwebDisclosurePage(siteName = '某某市交通运输局', column = '1229'): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>政务公开 ${siteName}</title></head>
<body><div class="nav"><a href="/">网站首页</a><a href="/col/col100/index.html">政务公开</a></div>
<div class="menu"><a href="/col/col101/index.html">机构职能</a><a href="/col/col102/index.html">政策文件</a><a href="/col/col${column}/index.html">政府信息公开年度报告</a><a href="/col/col104/index.html">财政预决算</a></div></body></html>`;
}
