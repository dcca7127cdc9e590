/**
 * The further list pages of a column, per CMS family (docs/portals.md §2): TRS `index_N.html` from
 * `createPageHTML(N, …)` / `countPage`, Hanweb `dataproxy.jsp` record ranges, `?page=N`-style links and a
 * generic "下一页" link. Pagination is detected per page, never assumed.
 */
import type { PortalKind } from './registry.ts';
import type { Link } from './links.ts';
import type { FetchRequest } from './fetcher.ts';

/** The CMS family of a list page, from its URL and markup. */
export function detectKind(url: string, html: string): PortalKind {
  if (/xxgkAnnualReport\.jsp/i.test(url)) return 'hanweb-xxgk';
  if (/\/col\/col\d+\//.test(url) || /dataproxy\.jsp|jpage/i.test(html)) return 'hanweb';
  if (/createPageHTML|countPage|TRS_Editor|\/t\d{8}_\d+\.s?html?/.test(html)) return 'trs';
  return 'generic';
}

/** TRS: pages index_1 … index_{N-1} beside index.html; null when the page does not say how many. */
export function trsPages(listUrl: string, html: string): string[] | null {
  const m = /createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*["']([\w-]+)["']\s*,\s*["'](\w+)["']/.exec(html) ?? null;
  const countPage = /(?:var\s+)?countPage\s*=\s*(\d+)/.exec(html)?.[1];
  if (!m && !countPage) return null;
  const count = m ? Number(m[1]) : Number(countPage);
  const name = m?.[3] ?? 'index';
  const ext = m?.[4] ?? 'html';
  const dir = new URL('.', listUrl).href;
  return Array.from({ length: Math.max(0, count - 1) }, (_, i) => `${dir}${name}_${i + 1}.${ext}`);
}

export interface HanwebList {
  proxy: string;
  form: Record<string, string>;
  perPage: number;
}

/** Hanweb: the dataproxy.jsp request behind a /col/colNNN/ page (column, unit, web ids from the page). */
export function hanwebList(listUrl: string, html: string): HanwebList | null {
  const columnid = /columnid['"]?\s*[:=]\s*['"]?(\d+)/i.exec(html)?.[1] ?? /\/col\/col(\d+)\//.exec(listUrl)?.[1];
  if (!columnid) return null;
  const unitid = /unitid['"]?\s*[:=]\s*['"]?(\d+)/i.exec(html)?.[1] ?? '';
  const webid = /webid['"]?\s*[:=]\s*['"]?(\d+)/i.exec(html)?.[1] ?? '1';
  const path = /path['"]?\s*[:=]\s*['"]([^'"&]*)/i.exec(html)?.[1] ?? '/';
  const perPage = Number(/perpage['"]?\s*[:=]\s*['"]?(\d+)/i.exec(html)?.[1] ?? 20);
  return {
    proxy: new URL('/module/web/jpage/dataproxy.jsp', listUrl).href,
    form: { col: '1', appid: '1', webid, path, columnid, unitid, permissiontype: '0' },
    perPage,
  };
}

/** The dataproxy request for records [start, start + count). */
export function hanwebRequest(list: HanwebList, start: number, count: number): FetchRequest {
  const url = `${list.proxy}?startrecord=${start}&endrecord=${start + count - 1}&perpage=${list.perPage}`;
  return { url, method: 'POST', form: list.form, conditional: false };
}

export function hanwebTotal(xml: string): number | null {
  const m = /<totalrecord>\s*(\d+)\s*<\/totalrecord>/i.exec(xml);
  return m ? Number(m[1]) : null;
}

const PAGE_PARAM = /[?&](?:page|pageNo|pageIndex|pageindex|currPage|cur_page|pn)=(\d+)/;

/** Other pages: `?page=N`-style links (same path) and "下一页" links. */
export function genericNextPages(listUrl: string, links: Link[]): string[] {
  const base = new URL(listUrl);
  const out = new Set<string>();
  for (const l of links) {
    let u: URL;
    try {
      u = new URL(l.url);
    } catch {
      continue;
    }
    if (u.host !== base.host) continue;
    if ((PAGE_PARAM.test(u.search) && u.pathname === base.pathname) || /^(?:下一页|下页|后一页|next)\s*[>›»]*$/i.test(l.text)) out.add(u.href);
  }
  out.delete(base.href);
  return [...out];
}
