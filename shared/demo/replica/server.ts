/**
 * Replica portals on loopback for tests and the offline demo (docs/portals.md §5): each site on its own address
 * (127.0.0.2, 127.0.0.3 …: all of 127/8 reaches this machine on Linux), serving real CMS shapes and the
 * protocol situations a crawler meets: robots.txt, 429 + Retry-After, 304 on conditional GET, a slow
 * endpoint, an oversized body, a redirect loop, 410, a 412 JS challenge, a JS-built list.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { docxBomb } from '../hostile.ts';
import { textItems, writeOfd } from '../ofd.ts';
import { minimalPdf } from '../pdf.ts';
import { hanwebDisclosurePage, hanwebHomePage, trsDisclosurePage, trsHomePage } from './portal-pages.ts';
import {
  attachmentPaths,
  challengePage,
  dynamicListPage,
  dynamicReportPage,
  dynamicReportPath,
  hanwebColumnPage,
  hanwebDataproxy,
  hanwebReportPath,
  jsListPage,
  listItems,
  trsListPage,
  trsReportPage,
  trsReportPath,
  xxgkViewer,
} from './pages.ts';
import { render } from '../render.ts';
import { ReplicaState, type ReplicaReport } from './state.ts';

export const SITES = ['trs', 'trsGbk', 'hanweb', 'jslist', 'challenge', 'quirks', 'trs2', 'trs3', 'trs4', 'dynamic', 'hostile'] as const;
export type SiteName = (typeof SITES)[number];

const HOSTS: Record<SiteName, string> = {
  trs: '127.0.0.2',
  trsGbk: '127.0.0.3',
  hanweb: '127.0.0.4',
  jslist: '127.0.0.5',
  challenge: '127.0.0.6',
  quirks: '127.0.0.7',
  trs2: '127.0.0.8',
  trs3: '127.0.0.9',
  trs4: '127.0.0.10',
  dynamic: '127.0.0.11',
  hostile: '127.0.0.12',
};

/** Where a site listens: an address, a port, and the name it is reached by (default: the address). */
export interface Binding {
  address: string;
  port: number;
  hostname?: string;
}

export interface Replica {
  state: ReplicaState;
  /** Origin of a site, e.g. http://127.0.0.2:40123 */
  origin(site: SiteName): string;
  /** Requests seen per site (method, path, headers), for assertions. */
  log: { site: SiteName; method: string; path: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, body: string) => void | Promise<void>;

const send = (res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string | number> = {}) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
  res.end(body);
};

/**
 * A static file as a web server serves it: ETag and Last-Modified, and 304 to a request that holds them
 * (RFC 9110 §13.1) — what lets the crawler's conditional GET save the transfer.
 */
function sendStatic(req: IncomingMessage, res: ServerResponse, body: string | Buffer, modified: string, headers: Record<string, string> = {}) {
  const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
  const lastModified = new Date(`${modified}T08:00:00Z`).toUTCString();
  if (req.headers['if-none-match'] === etag || (!req.headers['if-none-match'] && req.headers['if-modified-since'] === lastModified)) {
    return send(res, 304, '', { etag, 'last-modified': lastModified });
  }
  send(res, 200, body, { etag, 'last-modified': lastModified, ...headers });
}

const PER_PAGE = 3;
const COLUMN = '1229';
const ROBOTS = 'User-agent: *\nDisallow: /private/\n';

function trsSite(state: ReplicaState, gbk: boolean, gate?: (req: IncomingMessage, res: ServerResponse) => boolean): Handler {
  const encode = (html: string) => (gbk ? iconv.encode(html.replace(/charset=utf-8/i, 'charset=gb2312'), 'gbk') : html);
  const headers: Record<string, string> = gbk ? { 'content-type': 'text/html' } : {};
  return (req, res, url) => {
    if (url.pathname === '/robots.txt') return send(res, 200, ROBOTS, { 'content-type': 'text/plain' });
    if (url.pathname.startsWith('/__admin/')) return admin(state, req, res, url);
    if (state.down) return send(res, 503, 'service unavailable');
    if (gate && !gate(req, res)) return;
    // The pages in front of the column: the portal's home page and its 政府信息公开 page.
    if (url.pathname === '/' || url.pathname === '/index.html') return send(res, 200, encode(trsHomePage()), headers);
    if (url.pathname === '/zwgk/index.html') return send(res, 200, encode(trsDisclosurePage()), headers);
    const items = listItems(state.visible(), state.notices, trsReportPath);
    // A generic CMS list: ?page=N links and a 下一页 link (no createPageHTML).
    if (url.pathname === '/xxgk/list.jsp') {
      const page = Number(url.searchParams.get('page') ?? 1);
      const slice = items.slice((page - 1) * PER_PAGE, page * PER_PAGE);
      const more = page * PER_PAGE < items.length;
      const lis = slice.map((i) => `<li><a href="${i.href}">${i.title}</a> ${i.date}</li>`).join('');
      const nav = `${page > 1 ? `<a href="list.jsp?page=${page - 1}">上一页</a>` : ''}${more ? ` <a href="list.jsp?page=${page + 1}">下一页</a>` : ''}`;
      return send(res, 200, `<html><body><ul>${lis}</ul><div class="pager">${nav}</div></body></html>`);
    }
    const list = /^\/zfxxgknb\/(?:index(?:_(\d+))?\.html)?$/.exec(url.pathname);
    if (list) {
      const page = Number(list[1] ?? 0);
      if (state.failingPages.has(page)) return send(res, 503, 'service unavailable');
      if (page * PER_PAGE >= Math.max(items.length, 1) && page > 0) return send(res, 404, 'not found');
      return send(res, 200, encode(trsListPage(items, page, PER_PAGE, gbk ? 'gb2312' : 'utf-8')), headers);
    }
    for (const r of state.all()) {
      const a = attachmentPaths(r);
      if (url.pathname === trsReportPath(r)) {
        if (r.removed) return send(res, 404, 'not found');
        return sendStatic(req, res, encode(trsReportPage(r, gbk ? 'gb2312' : 'utf-8')), r.published, headers);
      }
      if (url.pathname === a.pdf) return r.removed ? send(res, 404, '') : send(res, 200, minimalPdf(1 + r.revision), { 'content-type': 'application/pdf' });
      if (url.pathname === a.doc) return sendWordAttachment(res, r);
    }
    return send(res, 404, 'not found');
  };
}

/**
 * The "Word" attachment: the report as text, one cell per line (as a DOC's text would read), or those lines laid
 * out in an OFD package (`attachmentOfd`). Served as application/msword either way; nianbao recognises each by its
 * content. With `attachmentDiffers` its figures differ from the page's.
 */
async function sendWordAttachment(res: ServerResponse, r: ReplicaReport): Promise<void> {
  const text = wordAttachment(r);
  send(res, 200, r.attachmentOfd ? await writeOfd(textItems(text.toString())) : text, { 'content-type': 'application/msword' });
}

/** The Word attachment's text (sendWordAttachment). */
function wordAttachment(r: ReplicaReport): Buffer {
  if (!r.attachmentDiffers) return Buffer.from(render(r.model, 'lines'));
  const m = structuredClone(r.model);
  m.table3.rows.granted![0]! += 2;
  m.table3.rows.total_handled![0]! += 2;
  m.table3.rows.received![0]! += 2;
  for (const k of ['granted', 'total_handled', 'received'] as const) m.table3.rows[k]![6]! += 2;
  return Buffer.from(render(m, 'lines'));
}

/** State changes between runs: POST /__admin/publish|change|remove?year=2025[&date=2026-01-15]. */
function admin(state: ReplicaState, req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (req.method !== 'POST') {
    send(res, 405, 'POST only');
    return;
  }
  const year = Number(url.searchParams.get('year') ?? NaN);
  if (!Number.isInteger(year) || year < 2000) {
    send(res, 400, 'year required', { 'content-type': 'text/plain' });
    return;
  }
  const action = url.pathname.slice('/__admin/'.length);
  if (action === 'publish') state.publish(year, url.searchParams.get('date') ?? undefined);
  else if (action === 'change') state.change(year);
  else if (action === 'remove') state.remove(year);
  else {
    send(res, 404, `unknown action ${action}`, { 'content-type': 'text/plain' });
    return;
  }
  send(res, 200, JSON.stringify({ ok: true, action, year }), { 'content-type': 'application/json' });
}

function hanwebSite(state: ReplicaState): Handler {
  return (_req, res, url, body) => {
    if (url.pathname === '/robots.txt') return send(res, 404, '');
    const items = listItems(state.visible(), state.notices, (r) => hanwebReportPath(r, COLUMN));
    if (url.pathname === `/col/col${COLUMN}/index.html`) return send(res, 200, hanwebColumnPage(COLUMN));
    if (url.pathname === '/' || url.pathname === '/index.html') return send(res, 200, hanwebHomePage());
    if (url.pathname === '/col/col100/index.html') return send(res, 200, hanwebDisclosurePage(undefined, COLUMN));
    if (url.pathname === '/module/web/jpage/dataproxy.jsp') {
      const form = new URLSearchParams(body);
      if (form.get('columnid') !== COLUMN && url.searchParams.get('columnid') !== COLUMN)
        return send(res, 200, '<datastore><totalrecord>0</totalrecord></datastore>', { 'content-type': 'text/xml' });
      const start = Number(url.searchParams.get('startrecord') ?? 1);
      const end = Number(url.searchParams.get('endrecord') ?? start + 1);
      return send(res, 200, hanwebDataproxy(items, start, end), { 'content-type': 'text/xml; charset=utf-8' });
    }
    if (url.pathname === '/module/xxgk/xxgkAnnualReport.jsp') {
      const fbtime = Number(url.searchParams.get('fbtime'));
      const year = state.xxgkByPublication ? fbtime - 1 : fbtime;
      const r = state.visible().find((x) => x.year === year);
      return send(res, 200, xxgkViewer(r, year));
    }
    for (const r of state.visible()) {
      if (url.pathname === hanwebReportPath(r, COLUMN)) return send(res, 200, trsReportPage(r, 'utf-8', false));
      const a = attachmentPaths(r);
      if (url.pathname === a.pdf) return send(res, 200, minimalPdf(1 + r.revision), { 'content-type': 'application/pdf' });
      if (url.pathname === a.doc) return sendWordAttachment(res, r);
    }
    return send(res, 404, 'not found');
  };
}

function jsListSite(state: ReplicaState): Handler {
  return (_req, res, url) => {
    if (url.pathname === '/robots.txt') return send(res, 404, '');
    if (url.pathname === '/ndbg/index.html') return send(res, 200, jsListPage());
    if (url.pathname === '/api/ndbg.json') {
      const data = listItems(state.visible(), state.notices, trsReportPath).map((i) => ({ title: i.title, url: i.href, date: i.date }));
      return send(res, 200, JSON.stringify({ data }), { 'content-type': 'application/json' });
    }
    return trsSite(state, false)(_req, res, url, '');
  };
}

/** A dynamic JSP portal: every page carries a counter, a clock and rotating adverts (and no validators). */
function dynamicSite(state: ReplicaState): Handler {
  let visits = 0;
  return (req, res, url) => {
    if (url.pathname === '/robots.txt') return send(res, 404, '');
    if (url.pathname.startsWith('/__admin/')) return admin(state, req, res, url);
    if (state.down) return send(res, 503, 'service unavailable');
    const visit = { visits: ++visits, now: new Date() };
    const items = listItems(state.visible(), state.notices, dynamicReportPath);
    if (url.pathname === '/xxgk/ndbg/index.jsp') {
      const page = Number(url.searchParams.get('page') ?? 1);
      if (state.failingPages.has(page - 1)) return send(res, 503, 'service unavailable');
      return send(res, 200, dynamicListPage(items, page, PER_PAGE, visit), { 'cache-control': 'no-cache' });
    }
    for (const r of state.all()) {
      if (url.pathname === '/xxgk/ndbg/content.jsp' && url.searchParams.get('id') === String(r.id)) {
        return r.removed ? send(res, 404, '<p>该信息已删除或不存在</p>') : send(res, 200, dynamicReportPage(r, visit), { 'cache-control': 'no-cache' });
      }
      if (url.pathname === attachmentPaths(r).pdf)
        return r.removed ? send(res, 404, '') : send(res, 200, minimalPdf(1 + r.revision), { 'content-type': 'application/pdf' });
    }
    return send(res, 404, 'not found');
  };
}

function challengeGate(req: IncomingMessage, res: ServerResponse): boolean {
  if (/(?:^|;\s*)rs_ok=1/.test(req.headers.cookie ?? '')) return true;
  send(res, 412, challengePage());
  return false;
}

/** A gzip body that inflates to 64 MiB of one byte (made once). */
let bomb: Buffer | null = null;
/** A DOCX that inflates to 1 GiB (made once, on first request). */
let docxBombBytes: Promise<Buffer> | null = null;

/** Bytes that decode as no text (a deterministic noise). */
function noise(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0, x = 2463534242; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

/** A page that pulls in resources from the machine's own network (the browser must refuse every one). */
const EMBEDS_INTERNAL = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某区2024年政府信息公开工作年度报告</title>
<script src="http://intranet.example.gov.cn/tracker.js"></script><link rel="stylesheet" href="http://127.0.0.1/style.css"></head>
<body><h1>某某区2024年政府信息公开工作年度报告</h1><img src="http://127.0.0.1/pixel.gif"><img src="http://10.0.0.5/pixel.gif">
<iframe src="http://169.254.169.254/latest/meta-data/"></iframe>
<script>fetch('http://169.254.169.254/latest/meta-data/iam/').catch(function () {}); fetch('http://[::1]/').catch(function () {});
var x = new XMLHttpRequest(); x.open('GET', 'http://10.0.0.5/admin'); x.send();</script>
<p>一、总体情况</p></body></html>`;

/**
 * A portal serving what no list should be (40 MiB, a gzip bomb, noise, a PDF, 410, 400), a report that is a zip
 * bomb, and pages that lead into
 * the machine's own network (redirects to loopback, a page embedding internal resources).
 */
function hostileSite(): Handler {
  return async (_req, res, url) => {
    switch (url.pathname) {
      case '/robots.txt':
        return send(res, 404, '');
      case '/to-metadata':
        return send(res, 302, '', { location: 'http://169.254.169.254/latest/meta-data/' });
      case '/columns/huge/index.html': {
        // A column page larger than any list (40 MiB, chunked: no Content-Length to refuse it by).
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        const chunk = Buffer.from(`<li><a href="/x.html">政务动态</a></li>\n`.repeat(4096));
        for (let sent = 0; sent < 40 * 1024 * 1024 && !res.destroyed; sent += chunk.length) {
          if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
        }
        return void res.end();
      }
      case '/columns/bomb/index.html':
        bomb ??= gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
        return send(res, 200, bomb, { 'content-encoding': 'gzip' });
      case '/columns/binary/index.html':
        return send(res, 200, noise(64 * 1024), { 'content-type': 'text/html' });
      case '/columns/pdf/index.html':
        return send(res, 200, minimalPdf(1), { 'content-type': 'application/pdf' });
      case '/columns/gone/index.html':
        return send(res, 410, '<p>栏目已撤销</p>');
      case '/columns/bad/index.html':
        return send(res, 400, '<p>Bad Request</p>');
      case '/columns/attachments/index.html':
        // A column whose 2024 report is a DOCX zip bomb (1 GiB inflated, a ~1 MB file).
        return send(
          res,
          200,
          `<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body><ul>
<li><a href="/reports/2024-report.docx">乙局2024年政府信息公开工作年度报告</a><span>2025-01-20</span></li></ul></body></html>`,
        );
      case '/reports/2024-report.docx':
        docxBombBytes ??= docxBomb(1024 ** 3);
        return send(res, 200, await docxBombBytes, { 'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
      case '/to-loopback':
        return send(res, 302, '', { location: 'http://127.0.0.1/secret' });
      case '/to-intranet':
        return send(res, 302, '', { location: 'http://intranet.example.gov.cn/secret' });
      case '/embeds-internal.html':
        return send(res, 200, EMBEDS_INTERNAL);
      default:
        return send(res, 404, 'not found');
    }
  };
}

function quirksSite(): Handler {
  let rateLimited = 0;
  return async (req, res, url) => {
    switch (url.pathname) {
      case '/robots.txt':
        return send(res, 200, `${ROBOTS}Crawl-delay: 3\n`, { 'content-type': 'text/plain' });
      case '/ratelimited':
        if (rateLimited++ < 2) return send(res, 429, 'slow down', { 'retry-after': '7' });
        return send(res, 200, '<p>ok after waiting</p>');
      case '/etag':
        if (req.headers['if-none-match'] === '"v1"') return send(res, 304, '', { etag: '"v1"' });
        return send(res, 200, '<p>versioned</p>', { etag: '"v1"', 'last-modified': 'Mon, 20 Jan 2025 08:00:00 GMT' });
      case '/slow':
        await new Promise((r) => setTimeout(r, 3000));
        return send(res, 200, '<p>late</p>');
      case '/huge':
        return send(res, 200, Buffer.alloc(3 * 1024 * 1024, 0x61), { 'content-type': 'text/plain' });
      case '/gzip-bomb':
        return send(res, 200, gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x61)), { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
      case '/gzip':
        return send(res, 200, gzipSync(Buffer.from('<p>压缩的页面 2024年政府信息公开工作年度报告</p>')), { 'content-encoding': 'gzip' });
      case '/loop':
        return send(res, 302, '', { location: '/loop2' });
      case '/loop2':
        return send(res, 302, '', { location: '/loop' });
      case '/moved':
        return send(res, 301, '', { location: '/etag' });
      case '/to-metadata':
        return send(res, 302, '', { location: 'http://169.254.169.254/latest/meta-data/' });
      case '/gone':
        return send(res, 410, 'gone');
      case '/error':
        return send(res, 503, 'unavailable');
      case '/forbidden':
        return send(res, 403, 'forbidden');
      case '/bad-request':
        return send(res, 400, 'bad request');
      case '/always-429':
        return send(res, 429, 'slow down', { 'retry-after': '120' });
      case '/gbk-no-charset':
        // A GBK page that declares nothing at all (the registry's `encoding` hint is for such portals).
        return send(res, 200, iconv.encode('<p>某某区2024年政府信息公开工作年度报告</p>', 'gbk'), { 'content-type': 'text/html' });
      case '/private/secret.html':
        return send(res, 200, '<p>robots say no</p>');
      default:
        return send(res, 404, 'not found');
    }
  };
}

async function listen(bind: Binding, handler: Handler, site: SiteName, log: Replica['log']): Promise<Server> {
  const host = bind.hostname ?? bind.address;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://${host.includes(':') ? `[${host}]` : host}`);
      log.push({ site, method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers });
      Promise.resolve(handler(req, res, url, Buffer.concat(chunks).toString())).catch((e) => {
        if (!res.headersSent) send(res, 500, String(e));
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(bind.port, bind.address, () => resolve());
  });
  return server;
}

/**
 * Starts every replica site. `state` is shared by the sites (the same body's reports) unless `perSite` gives
 * a site its own (several bodies, each with its own publication history).
 */
export async function startReplica(
  state = new ReplicaState(),
  perSite: Partial<Record<SiteName, ReplicaState>> = {},
  bind: Partial<Record<SiteName, Binding>> = {},
): Promise<Replica & { states: Record<SiteName, ReplicaState> }> {
  const log: Replica['log'] = [];
  const states = Object.fromEntries(SITES.map((s) => [s, perSite[s] ?? state])) as Record<SiteName, ReplicaState>;
  const handlers: Record<SiteName, Handler> = {
    trs: trsSite(states.trs, false),
    trsGbk: trsSite(states.trsGbk, true),
    hanweb: hanwebSite(states.hanweb),
    jslist: jsListSite(states.jslist),
    challenge: trsSite(states.challenge, false, challengeGate),
    quirks: quirksSite(),
    trs2: trsSite(states.trs2, false),
    trs3: trsSite(states.trs3, false),
    trs4: trsSite(states.trs4, false),
    dynamic: dynamicSite(states.dynamic),
    hostile: hostileSite(),
  };
  const servers = new Map<SiteName, Server>();
  const binding = (site: SiteName): Binding => bind[site] ?? { address: HOSTS[site], port: 0 };
  for (const site of SITES) servers.set(site, await listen(binding(site), handlers[site], site, log));
  return {
    state,
    states,
    log,
    origin: (site) => {
      const b = binding(site);
      const port = (servers.get(site)!.address() as AddressInfo).port;
      const host = b.hostname ?? (b.address.includes(':') ? `[${b.address}]` : b.address);
      return `http://${host}${port === 80 ? '' : `:${port}`}`;
    },
    close: async () => {
      await Promise.all([...servers.values()].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
