/**
 * Report discovery for one body: list pages (with the CMS family's pagination) → report links (by title,
 * with the year) → report pages (attachments, the page's own 发布时间). Plain HTTP first; the browser only
 * when the list is built by scripts, the page is a challenge, or the registry says so. Only government hosts
 * are followed (docs/portals.md §5): other hosts (hijacked mirrors) are skipped and logged.
 */
import { detectPublished } from '../report/meta.ts';
import { pageDate } from '../report/html.ts';
import type { Fetcher, FetchResult } from './fetcher.ts';
import { attachmentLinks, attachmentOf, extractLinks, reportYear, type Attachment, type Link } from './links.ts';
import { NEXT_STEP, type FetchOutcome } from './outcomes.ts';
import { detectKind, genericNextPages, hanwebList, hanwebRequest, hanwebTotal, trsPages } from './pagination.ts';
import type { Body, PortalKind, RenderMode } from './registry.ts';
import type { Renderer } from './renderer.ts';

export interface DiscoveredReport {
  year: number;
  title: string;
  url: string;
  attachments: Attachment[];
  /** The page's own 发布时间 (YYYY-MM-DD), else the date in a TRS URL. */
  published: string | null;
  via: 'static' | 'browser';
  /** The report page itself (for archiving and parsing). */
  page: FetchResult | null;
}

export interface FetchLogEntry {
  url: string;
  outcome: FetchOutcome;
  status: number | null;
  via: 'static' | 'browser';
  ms: number;
}

/** Why no list of a body could be read: a fetch outcome, or a page that is no list (too large, not HTML, undecodable). */
export type ListFailureKind = FetchOutcome | 'not_a_list';

export interface ListFailure {
  url: string;
  outcome: ListFailureKind;
  status: number | null;
  reason: string;
}

export interface Discovery {
  reports: DiscoveredReport[];
  fetches: FetchLogEntry[];
  skipped: { url: string; reason: string }[];
  /**
   * `ok` when at least one list was read (fetched, HTML or a CMS data feed, decodable); otherwise
   * `unreachable`, and `failure` says why. A column we could not read is never "no report" (docs/portals.md §5).
   */
  status: 'ok' | 'unreachable';
  failure?: ListFailure;
  /** Every list page tried was read (a page that failed — a 503 on page 2 — may have held the report). */
  complete: boolean;
  /** Every fetch result, for archiving. */
  captures: FetchResult[];
  /** A page called for the browser (a challenge, a scripted list, `render: browser`) and there was none. */
  needsBrowser?: boolean;
}

export interface DiscoverOptions {
  fetcher: Fetcher;
  renderer?: Renderer;
  maxPages?: number;
  /** Years to probe on Hanweb xxgk viewers (default: the last four). */
  years?: number[];
  /** Fetch report pages (attachments, dates); off for a quick list scan. */
  followReports?: boolean;
  /** Fetch the report pages of these years only (the others are listed without their pages). */
  onlyYears?: number[];
  now?: () => number;
}

type Target = Pick<Body, 'lists'> & Partial<Pick<Body, 'allow_hosts' | 'kind' | 'render' | 'title_pattern' | 'encoding'>>;

/** Hosts a body's links may point to: the list's host, any .gov.cn host, and the registry's extras. */
export function allowedHost(url: string, listUrl: string, extra: string[] = []): boolean {
  const u = new URL(url);
  const list = new URL(listUrl);
  return u.host === list.host || u.hostname === list.hostname || /(?:^|\.)gov\.cn$/i.test(u.hostname) || extra.includes(u.host) || extra.includes(u.hostname);
}

function urlDate(url: string): string | null {
  const m = /\/t(\d{4})(\d{2})(\d{2})_\d+/.exec(url) ?? /\/art\/(\d{4})\/(\d{1,2})\/(\d{1,2})\//.exec(url);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : null;
}

/**
 * A report link made a DiscoveredReport: its page's attachments (government hosts only; others are added to
 * `skipped`) and the page's own 发布时间 (else the date in a TRS/Hanweb URL).
 */
export function describeReport(
  url: string,
  f: { year: number; title: string; via: 'static' | 'browser' },
  page: FetchResult | null,
  target: Pick<Body, 'allow_hosts'>,
  skipped: { url: string; reason: string }[] = [],
): DiscoveredReport {
  const attachments: Attachment[] = [];
  if (page?.text) {
    for (const a of attachmentLinks(page.text, page.finalUrl)) {
      if (attachments.some((x) => x.url === a.url)) continue;
      if (!allowedHost(a.url, url, target.allow_hosts)) {
        skipped.push({ url: a.url, reason: 'attachment on a non-government host / 附件不在政府网站' });
        continue;
      }
      attachments.push(a);
    }
  }
  const published = (page?.text && (pageDate(page.text) ?? detectPublished(page.text.replace(/<[^>]+>/g, '\n')))) || urlDate(url);
  return { year: f.year, title: f.title, url, attachments, published, via: page?.via ?? f.via, page };
}

/** Textual types a column can be served as: HTML, and the XML/JSON of CMS data feeds (Hanweb dataproxy.jsp). */
const LIST_TYPES = /html|xml|json|text\/plain/i;

/**
 * Why a fetched column page cannot be read as a list, or null when it can: a fetch that failed, a body that
 * is not HTML (a PDF, an image), or bytes that did not decode to text.
 */
export function listProblem(r: FetchResult): string | null {
  if (NEXT_STEP[r.outcome] !== 'use') return `${r.outcome}${r.status !== null ? ` (HTTP ${r.status})` : ''}${r.error ? `: ${r.error}` : ''}`;
  if (r.contentType && !LIST_TYPES.test(r.contentType)) return `not a list page: ${r.contentType}`;
  if (r.text === null) return 'not a list page: the bytes do not decode as text';
  const bad = (r.text.match(/[\uFFFD\u0000-\u0008\u000E-\u001F]/g) ?? []).length;
  if (bad > 16 && bad > r.text.length / 100) return `not a list page: undecodable (${bad} unreadable characters)`;
  return null;
}

/** A page built by scripts: scripts, and next to no links in the static HTML. */
function looksScripted(html: string, links: Link[]): boolean {
  return /<script/i.test(html) && links.filter((l) => l.tag === 'a').length < 8;
}

export async function discover(target: Target, opts: DiscoverOptions): Promise<Discovery> {
  const d: Discovery = { reports: [], fetches: [], skipped: [], status: 'ok', complete: true, captures: [] };
  const failures: ListFailure[] = [];
  /** The text of a list page, or null (recorded) when it is not one we can read. */
  const listText = (r: FetchResult): string | null => {
    const problem = listProblem(r);
    if (!problem) return r.text;
    failures.push({ url: r.url, outcome: NEXT_STEP[r.outcome] === 'use' ? 'not_a_list' : r.outcome, status: r.status, reason: problem });
    d.complete = false;
    return null;
  };
  const maxPages = opts.maxPages ?? 10;
  const pattern = target.title_pattern ? new RegExp(target.title_pattern) : undefined;
  const browserOrigins = new Set<string>();
  const found = new Map<string, { year: number; title: string; via: 'static' | 'browser'; listUrl: string }>();
  let listsRead = 0;

  const log = (r: FetchResult) => {
    d.captures.push(r);
    d.fetches.push({ url: r.url, outcome: r.outcome, status: r.status, via: r.via, ms: r.ms });
  };

  /** Fetches a page: static first, the browser when the origin needs it or the page asks for it. */
  const get = async (url: string, mode: RenderMode, isList: boolean): Promise<FetchResult> => {
    const origin = new URL(url).origin;
    const viaBrowser = async (sticky: boolean) => {
      const r = await opts.renderer!.render(url);
      log(r);
      // An origin behind a challenge needs the browser for its other pages too; a scripted list does not.
      if (r.outcome === 'ok' && sticky) browserOrigins.add(origin);
      return r;
    };
    if (opts.renderer && (mode === 'browser' || browserOrigins.has(origin))) return viaBrowser(true);
    const r = await opts.fetcher.fetch({ url, encoding: target.encoding });
    log(r);
    if (mode === 'static') return r;
    const want = mode === 'browser' ? 'sticky' : browserWanted(r, isList);
    if (!want) return r;
    if (!opts.renderer) {
      d.needsBrowser = true; // a crawler without Chromium hands the body over (the browser-crawl queue in AWS)
      return r;
    }
    return viaBrowser(want === 'sticky');
  };

  /** Whether a static result calls for the browser: a challenge (for the whole origin) or a scripted list (once). */
  const browserWanted = (r: FetchResult, isList: boolean): 'sticky' | 'once' | null => {
    if (r.outcome === 'blocked') return 'sticky';
    // A Hanweb column is a script stub by design: its records come from dataproxy.jsp, not the browser.
    if (isList && r.outcome === 'ok' && r.text && detectKind(r.url, r.text) !== 'hanweb') {
      const links = extractLinks(r.text, r.finalUrl);
      if (!links.some((l) => reportYear(l.text, pattern) !== null) && looksScripted(r.text, links)) return 'once';
    }
    return null;
  };

  const collect = (html: string, base: string, listUrl: string, via: 'static' | 'browser'): Link[] => {
    const links = extractLinks(html, base);
    for (const l of links) {
      const year = reportYear(l.text, pattern);
      if (year === null) continue;
      if (!allowedHost(l.url, listUrl, target.allow_hosts)) {
        d.skipped.push({ url: l.url, reason: `not a government host (${new URL(l.url).host}) / 非政府网站链接` });
        continue;
      }
      if (!found.has(l.url)) found.set(l.url, { year, title: l.text, via, listUrl });
    }
    return links;
  };

  for (const listUrl of target.lists) {
    const mode = target.render ?? 'auto';
    if ((target.kind ?? detectKind(listUrl, '')) === 'hanweb-xxgk') {
      listsRead += await probeXxgk(listUrl, mode);
      continue;
    }
    const first = await get(listUrl, mode, true);
    const firstText = listText(first);
    if (firstText === null) continue;
    listsRead++;
    const kind: PortalKind = target.kind ?? detectKind(listUrl, firstText);
    const links = collect(firstText, first.finalUrl, listUrl, first.via);
    // TRS pages are named by createPageHTML/countPage; other lists (and TRS lists without them) link their pages.
    const trs = kind === 'trs' ? trsPages(first.finalUrl, firstText) : null;
    const pages: string[] = trs ?? (kind === 'hanweb' ? [] : genericNextPages(first.finalUrl, links));
    if (kind === 'hanweb') {
      const list = hanwebList(first.finalUrl, firstText);
      for (let start = 1, n = 0; list && n < maxPages; n++) {
        const r = await opts.fetcher.fetch({ ...hanwebRequest(list, start, list.perPage * 3), encoding: target.encoding });
        log(r);
        const records = listText(r);
        if (records === null) break;
        collect(records, first.finalUrl, listUrl, 'static');
        const total = hanwebTotal(records) ?? 0;
        start += list.perPage * 3;
        if (start > total) break;
      }
    }
    const seen = new Set([first.finalUrl]);
    for (let i = 0; i < pages.length && seen.size < maxPages; i++) {
      const url = pages[i]!;
      if (seen.has(url)) continue;
      seen.add(url);
      const r = await get(url, mode, true);
      const text = listText(r);
      if (text === null) continue;
      const more = collect(text, r.finalUrl, listUrl, r.via);
      if (!trs) for (const p of genericNextPages(r.finalUrl, more)) if (!pages.includes(p)) pages.push(p);
    }
  }

  async function probeXxgk(viewer: string, mode: RenderMode): Promise<number> {
    const now = new Date(opts.now?.() ?? Date.now());
    const years = opts.years ?? [0, 1, 2, 3].map((k) => now.getUTCFullYear() - 1 - k);
    let read = 0;
    for (const year of years) {
      const url = new URL(viewer);
      url.searchParams.set('fbtime', String(year));
      const r = await get(url.href, mode, false);
      if (listText(r) === null || !r.text) continue;
      read++;
      // The viewer answers every year; a report is there when the page holds the report's sections/tables.
      if (/收到和处理政府信息公开申请|本年新收|主动公开政府信息情况/.test(r.text)) {
        const title = /<title>([^<_]*)/i.exec(r.text)?.[1]?.trim() || `${year}年度政府信息公开工作年度报告`;
        found.set(url.href, { year, title, via: r.via, listUrl: viewer });
        d.reports.push(reportFrom(url.href, found.get(url.href)!, r));
      }
    }
    return read;
  }

  function reportFrom(url: string, f: { year: number; title: string; via: 'static' | 'browser' }, page: FetchResult | null): DiscoveredReport {
    return describeReport(url, f, page, target, d.skipped);
  }

  for (const [url, f] of found) {
    if (d.reports.some((r) => r.url === url)) continue;
    // Report pages are fetched for the years asked about only (a crawl checks one or two years, not all six listed).
    const wanted = !opts.onlyYears || opts.onlyYears.includes(f.year);
    if (opts.followReports === false || !wanted || attachmentOf({ url, text: '', tag: 'a' })) {
      d.reports.push(reportFrom(url, f, null));
      continue;
    }
    const page = await get(url, target.render ?? 'auto', false);
    d.reports.push(reportFrom(url, f, NEXT_STEP[page.outcome] === 'use' && page.text !== null ? page : null));
  }
  d.reports.sort((a, b) => b.year - a.year || a.url.localeCompare(b.url));
  if (listsRead === 0 && target.lists.length > 0) {
    d.status = 'unreachable';
    d.complete = false;
    d.failure = failures[0] ?? { url: target.lists[0]!, outcome: 'connection_error', status: null, reason: 'no list could be read' };
  }
  return d;
}
