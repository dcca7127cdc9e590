/**
 * Finding a body's annual-report column from its portal: the home page (or its 政府信息公开 page) → the standard
 * navigation (政府信息公开 / 政务公开 → 政府信息公开年报 / 年度报告) → a page that lists reports. What `nianbao registry
 * find URL` prints as a ready registry entry: id, name (from the page), a level guess, the column and the CMS kind.
 */
import { compact, norm } from '../report/normalize.ts';
import { discover } from './discover.ts';
import type { Fetcher } from './fetcher.ts';
import { extractLinks, reportYear, type Link } from './links.ts';
import type { Body, Level, PortalKind } from './registry.ts';

/** A link to the annual-report column itself (no year: "2024年…年度报告" is a report, not the column). */
const COLUMN_TEXT = /^(?:政府)?信息公开(?:工作)?年(?:度)?报(?:告)?(?:专栏)?$|^(?:政府信息公开)?年度报告$|^年报$|^政务公开年度报告$|^(?:政府)?信息公开年度报告$/;
/** Links that lead towards it: the 政府信息公开 page of the portal, its 法定主动公开 contents, 政务公开. */
const NAV_TEXT = /^(?:政府)?信息公开(?:专栏|目录|平台)?$|^政务公开$|法定主动公开|^政府信息公开(?:指南)?$|^(?:政府)?信息公开目录$/;

export interface FoundColumn {
  column: string;
  /** The pages followed from the start to the column. */
  path: string[];
  /** Reports the column lists (title, year). */
  reports: { title: string; year: number }[];
  entry: Pick<Body, 'id' | 'name' | 'level' | 'lists' | 'kind'> & { note: string };
}

export interface NotFound {
  column: null;
  /** Pages read, and why each did not lead further. */
  tried: { url: string; outcome: string }[];
}

const sameSite = (a: string, b: string) => {
  try {
    const ha = new URL(a).hostname.replace(/^www\./, '');
    const hb = new URL(b).hostname.replace(/^www\./, '');
    return ha === hb || ha.endsWith(`.${hb}`) || hb.endsWith(`.${ha}`);
  } catch {
    return false;
  }
};

const text = (l: Link) => compact(norm(l.text));

/** The body's name: the TRS/Hanweb site-name meta, else the <title> without the portal words. */
export function siteName(html: string): string | null {
  const meta = /<meta\s+name=["']?(?:SiteName|sitename|site_name)["']?\s+content=["']([^"']+)["']/i.exec(html)?.[1];
  if (meta) return norm(meta).trim();
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  if (!title) return null;
  const parts = norm(title)
    .split(/\s*[_|\-—–]\s*/)
    .map((p) => p.trim())
    .filter(Boolean);
  const name =
    parts.find((p) => /(?:人民政府|委员会|局|厅|办公室|办事处|管委会|中心)$/.test(p.replace(/门户网站|官方网站|网站|首页/g, ''))) ?? parts.at(-1) ?? '';
  return name.replace(/门户网站|官方网站|网站|首页/g, '').trim() || null;
}

/** A level from the name's ending (a guess the operator checks). */
export function levelOf(name: string): Level {
  if (/(?:街道办事处|镇人民政府|乡人民政府)$/.test(name)) return 'township';
  if (/人民政府$/.test(name)) return 'government';
  if (/(?:局|厅|委员会|办公室|委|署|院|管理处|中心)$/.test(name)) return 'department';
  return 'other';
}

/** The CMS family a page was made by (registry `kind`). */
export function cmsOf(html: string, url: string): PortalKind {
  if (/\/col\/col\d+\//.test(url) || /hanweb|jpage|dataproxy\.jsp/i.test(html)) return 'hanweb';
  if (/<meta\s+name=["']?(?:SiteName|ColumnName|ContentSource)/i.test(html) || /createPageHTML|trs_|TRS_Editor/i.test(html)) return 'trs';
  return 'generic';
}

/** A registry id from the site and the column: lower case, digits, dashes. */
export function idOf(column: string): string {
  const u = new URL(column);
  const host = u.hostname
    .replace(/^www\./, '')
    .replace(/\.gov\.cn$|\.com\.cn$|\.cn$/, '')
    .replace(/[^a-z0-9]+/gi, '-');
  const segment =
    u.pathname
      .split('/')
      .filter((s) => s && !/^index\.\w+$/.test(s))
      .pop() ?? 'nb';
  return `${host}-${segment}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

/** Follows the portal's navigation from `start` (at most `maxPages` fetches) to a page that lists annual reports. */
export async function findColumn(start: string, deps: { fetcher: Fetcher }, maxPages = 12): Promise<FoundColumn | NotFound> {
  const tried: NotFound['tried'] = [];
  const seen = new Set<string>();
  const queue: { url: string; path: string[] }[] = [{ url: start, path: [] }];
  let name: string | null = null;
  let fetched = 0;
  while (queue.length && fetched < maxPages) {
    const { url, path } = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const page = await deps.fetcher.fetch({ url });
    fetched++;
    if (page.outcome !== 'ok' || !page.text) {
      tried.push({ url, outcome: page.outcome });
      continue;
    }
    name ??= siteName(page.text);
    const links = extractLinks(page.text, page.finalUrl).filter((l) => sameSite(l.url, start));
    // A page that itself lists reports is the column (a start URL that is the column already).
    const listed = reportsOf(links);
    if (listed.length >= 2) return found(page.finalUrl, path, listed, name, page.text);
    const columns = links.filter((l) => COLUMN_TEXT.test(text(l)) && reportYear(l.text) === null);
    for (const c of columns) {
      if (seen.has(c.url) || fetched >= maxPages) continue;
      seen.add(c.url);
      // Read as the crawler reads a column (pagination, a Hanweb column's data feed), without the report pages.
      const d = await discover({ lists: [c.url] }, { fetcher: deps.fetcher, followReports: false, maxPages: 2 });
      fetched += d.fetches.length;
      const reports = d.reports.map((r) => ({ title: r.title, year: r.year }));
      const html = d.captures[0]?.text ?? '';
      if (reports.length) return found(d.captures[0]?.finalUrl ?? c.url, [...path, `${page.finalUrl}\n${text(c)}`], reports, name ?? siteName(html), html);
      tried.push({ url: c.url, outcome: d.status === 'ok' ? 'no reports listed' : (d.failure?.outcome ?? 'unreachable') });
    }
    if (path.length < 2)
      for (const l of links.filter((x) => NAV_TEXT.test(text(x)))) queue.push({ url: l.url, path: [...path, `${page.finalUrl}\n${text(l)}`] });
    tried.push({ url, outcome: columns.length ? 'column link(s) listed no report' : 'no link to the annual-report column' });
  }
  return { column: null, tried };
}

function reportsOf(links: Link[]): { title: string; year: number }[] {
  const out: { title: string; year: number }[] = [];
  for (const l of links) {
    const year = reportYear(l.text);
    if (year !== null && !out.some((r) => r.title === l.text)) out.push({ title: l.text, year });
  }
  return out;
}

function found(column: string, path: string[], reports: { title: string; year: number }[], name: string | null, html: string): FoundColumn {
  const bodyName = name ?? new URL(column).hostname;
  return {
    column,
    path: path.map((p) => p.split('\n')[0]!),
    reports,
    entry: {
      id: idOf(column),
      name: bodyName,
      level: levelOf(bodyName),
      lists: [column],
      kind: cmsOf(html, column),
      note: `found by nianbao registry find: ${reports.length} reports listed (latest ${Math.max(...reports.map((r) => r.year))}); check the name and level`,
    },
  };
}
