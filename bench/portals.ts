/**
 * The bench's replica of many portals: `n` portals, each on its own origin (127.0.0.N, its own listening socket),
 * each with an annual-report column listing ten years of reports (2015–2024) as ~100 KB TRS pages (navigation,
 * inline scripts, Word-pasted prose, the three tables) — 11 pages a portal, all of them report or list pages.
 */
import { createServer, type Server } from 'node:http';
import { randomModel } from '../shared/demo/generate.ts';
import { render } from '../shared/demo/render.ts';

export const YEARS = [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024];

/** A portal page of about `target` bytes: TRS chrome, the report's prose and its tables. */
export function portalPage(seed: number, layout: 'html' | 'word', target = 100 * 1024, year?: number): Uint8Array {
  const model = randomModel(seed, year !== undefined && year < 2021 ? '2019' : '2021');
  if (year !== undefined) model.year = year;
  const html = Buffer.from(render(model, layout)).toString();
  const script = `<script>${'var _hmt = _hmt || []; (function(){ var hm = document.createElement("script"); hm.src = "/js/stat.js"; })();\n'.repeat(120)}</script>`;
  const nav = Array.from({ length: 60 }, (_, i) => `<li><a href="/zwgk/col${i}/" title="栏目${i}">政务公开栏目${i}</a></li>`).join('');
  const para =
    '<p class=MsoNormal style="text-indent:32pt;line-height:28pt"><span style="font-family:仿宋_GB2312;font-size:16pt">按照“以公开为常态、不公开为例外”的原则，持续对重大民生信息、应急管理等内容进行及时更新，严格落实政府信息公开保密审查制度。</span></p>';
  let page = html.replace('<div class="header">', `${script}<div class="header"><ul class="nav">${nav}</ul>`);
  const pad: string[] = [];
  const paraBytes = Buffer.byteLength(para) + 1;
  let bytes = Buffer.byteLength(page);
  while (bytes + paraBytes <= target) {
    pad.push(para);
    bytes += paraBytes;
  }
  page = page.replace('<p><strong>二、', `${pad.join('\n')}<p><strong>二、`);
  return Buffer.from(page);
}

function columnPage(portal: number): string {
  const items = YEARS.map(
    (y) =>
      `<li><a href="/reports/${y}.html" title="测试单位${portal}${y}年政府信息公开工作年度报告">测试单位${portal}${y}年政府信息公开工作年度报告</a><span>${y + 1}-01-20</span></li>`,
  ).join('\n');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body><div class="list"><ul>${items}</ul></div></body></html>`;
}

export interface Portals {
  origins: string[];
  /** Column URLs, one per portal. */
  columns: string[];
  pages: number;
  close(): Promise<void>;
}

/** Starts `n` portals (n ≤ 250). Report pages are made once per (portal mod 20, year) and served from memory. */
export async function startPortals(n = 200): Promise<Portals> {
  const cache = new Map<string, Uint8Array>();
  const servers: Server[] = [];
  const origins: string[] = [];
  for (let i = 0; i < n; i++) {
    const portal = i;
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/robots.txt') return void res.writeHead(404).end();
      if (url.pathname === '/zfxxgknb/index.html') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(columnPage(portal));
      const m = /^\/reports\/(\d{4})\.html$/.exec(url.pathname);
      if (!m) return void res.writeHead(404).end('not found');
      const key = `${portal % 20}-${m[1]}`;
      let page = cache.get(key);
      if (!page) cache.set(key, (page = portalPage(1000 + (portal % 20) * 16 + Number(m[1]), 'html', 100 * 1024, Number(m[1]))));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': page.length }).end(page);
    });
    server.keepAliveTimeout = 5000;
    await new Promise<void>((r) => server.listen(0, `127.0.0.${i + 2}`, () => r()));
    servers.push(server);
    origins.push(`http://127.0.0.${i + 2}:${(server.address() as { port: number }).port}`);
  }
  return {
    origins,
    columns: origins.map((o) => `${o}/zfxxgknb/index.html`),
    pages: n * (1 + YEARS.length),
    close: async () => {
      for (const s of servers) s.closeAllConnections();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}
