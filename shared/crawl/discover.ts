/**
 * Report discovery for one body: list pages (with the CMS family's pagination) → report links (by title,
 * with the year) → report pages (attachments, the page's own 发布时间). Plain HTTP first; the browser only
 * when the list is built by scripts, the page is a challenge, or the registry says so. Only government hosts
 * are followed (docs/portals.md §5): other hosts (hijacked mirrors) are skipped and logged.
 */
import { detectPublished, statedYear, yearOfPhrase } from '../report/meta.ts';
import { pageDate } from '../report/html.ts';
import type { Fetcher, FetchResult } from './fetcher.ts';
import { gatewayOriginal } from './gateway.ts';
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
  renderer?: Renderer | undefined;
  maxPages?: number | undefined;
  /** Years to probe on Hanweb xxgk viewers (default: the last four). */
  years?: number[] | undefined;
  /** Fetch report pages (attachments, dates); off for a quick list scan. */
  followReports?: boolean | undefined;
  /** Fetch the report pages of these years only (the others are listed without their pages). */
  onlyYears?: number[] | undefined;
  now?: (() => number) | undefined;
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

type Found = { year: number; title: string; via: 'static' | 'browser'; listUrl: string };

/**
 * One discovery of a body's reports: its column pages read (static first, the browser where needed), paginated by
 * the CMS's rules (TRS page names, Hanweb's data feed, generic next links, the Hanweb xxgk viewer per year), the
 * report links collected, and the report pages of the years asked about fetched.
 */
class DiscoveryRun {
  readonly d: Discovery = { reports: [], fetches: [], skipped: [], status: 'ok', complete: true, captures: [] };
  private readonly failures: ListFailure[] = [];
  private readonly found = new Map<string, Found>();
  private readonly browserOrigins = new Set<string>();
  private readonly pattern: RegExp | undefined;
  private readonly maxPages: number;
  private listsRead = 0;

  constructor(
    private readonly target: Target,
    private readonly opts: DiscoverOptions,
  ) {
    this.pattern = target.title_pattern ? new RegExp(target.title_pattern) : undefined;
    this.maxPages = opts.maxPages ?? 10;
  }

  async run(): Promise<Discovery> {
    // A column given through a Big5 gateway is read at the page it mirrors (gateway.ts): the gateway's traditional
    // characters hold no report title nor table label.
    for (const listUrl of this.target.lists) await this.readColumn(gatewayOriginal(listUrl) ?? listUrl, this.target.render ?? 'auto');
    await this.followReports();
    const d = this.d;
    d.reports.sort((a, b) => b.year - a.year || a.url.localeCompare(b.url));
    if (this.listsRead === 0 && this.target.lists.length > 0) {
      d.status = 'unreachable';
      d.complete = false;
      d.failure = this.failures[0] ?? { url: this.target.lists[0]!, outcome: 'connection_error', status: null, reason: 'no list could be read' };
    }
    return d;
  }

  /** The text of a list page, or null (recorded: the column was not read whole) when it is not one we can read. */
  private listText(r: FetchResult): string | null {
    const problem = listProblem(r);
    if (!problem) return r.text;
    this.failures.push({ url: r.url, outcome: NEXT_STEP[r.outcome] === 'use' ? 'not_a_list' : r.outcome, status: r.status, reason: problem });
    this.d.complete = false;
    return null;
  }

  private log(r: FetchResult): void {
    this.d.captures.push(r);
    this.d.fetches.push({ url: r.url, outcome: r.outcome, status: r.status, via: r.via, ms: r.ms });
  }

  /** Fetches a page: static first, the browser when the origin needs it or the page asks for it. */
  private async get(url: string, mode: RenderMode, isList: boolean): Promise<FetchResult> {
    const origin = new URL(url).origin;
    const { renderer } = this.opts;
    const viaBrowser = async (sticky: boolean) => {
      const r = await renderer!.render(url);
      this.log(r);
      // An origin behind a challenge needs the browser for its other pages too; a scripted list does not.
      if (r.outcome === 'ok' && sticky) this.browserOrigins.add(origin);
      return r;
    };
    if (renderer && (mode === 'browser' || this.browserOrigins.has(origin))) return viaBrowser(true);
    const r = await this.opts.fetcher.fetch({ url, encoding: this.target.encoding });
    this.log(r);
    if (mode === 'static') return r;
    const want = mode === 'browser' ? 'sticky' : this.browserWanted(r, isList);
    if (!want) return r;
    if (!renderer) {
      this.d.needsBrowser = true; // a crawler without Chromium hands the body over (the browser-crawl queue in AWS)
      return r;
    }
    return viaBrowser(want === 'sticky');
  }

  /** Whether a static result calls for the browser: a challenge (for the whole origin) or a scripted list (once). */
  private browserWanted(r: FetchResult, isList: boolean): 'sticky' | 'once' | null {
    if (r.outcome === 'blocked') return 'sticky';
    // A Hanweb column is a script stub by design: its records come from dataproxy.jsp, not the browser.
    if (isList && r.outcome === 'ok' && r.text && detectKind(r.url, r.text) !== 'hanweb') {
      const links = extractLinks(r.text, r.finalUrl);
      if (!links.some((l) => reportYear(l.text, this.pattern) !== null) && looksScripted(r.text, links)) return 'once';
    }
    return null;
  }

  /** The report links of a list page (on government hosts), remembered with their year; every link returned. */
  private collect(html: string, base: string, listUrl: string, via: 'static' | 'browser'): Link[] {
    const links = extractLinks(html, base);
    for (const link of links) {
      const original = gatewayOriginal(link.url);
      const l = original ? { ...link, url: original } : link;
      const year = reportYear(l.text, this.pattern);
      if (year === null) continue;
      if (!allowedHost(l.url, listUrl, this.target.allow_hosts)) {
        this.d.skipped.push({ url: l.url, reason: `not a government host (${new URL(l.url).host}) / 非政府网站链接` });
        continue;
      }
      if (!this.found.has(l.url)) this.found.set(l.url, { year, title: l.text, via, listUrl });
    }
    return links;
  }

  /** One column: its first page, then its other pages by the CMS's rules. */
  private async readColumn(listUrl: string, mode: RenderMode): Promise<void> {
    if ((this.target.kind ?? detectKind(listUrl, '')) === 'hanweb-xxgk') {
      this.listsRead += await this.probeXxgk(listUrl, mode);
      return;
    }
    const first = await this.get(listUrl, mode, true);
    const firstText = this.listText(first);
    if (firstText === null) return;
    this.listsRead++;
    const kind: PortalKind = this.target.kind ?? detectKind(listUrl, firstText);
    const links = this.collect(firstText, first.finalUrl, listUrl, first.via);
    if (kind === 'hanweb') await this.readHanwebFeed(first, firstText, listUrl);
    // TRS pages are named by createPageHTML/countPage; other lists (and TRS lists without them) link their pages.
    const trs = kind === 'trs' ? trsPages(first.finalUrl, firstText) : null;
    const pages: string[] = trs ?? (kind === 'hanweb' ? [] : genericNextPages(first.finalUrl, links));
    const seen = new Set([first.finalUrl]);
    for (let i = 0; i < pages.length && seen.size < this.maxPages; i++) {
      const url = pages[i]!;
      if (seen.has(url)) continue;
      seen.add(url);
      const r = await this.get(url, mode, true);
      const text = this.listText(r);
      if (text === null) continue;
      const more = this.collect(text, r.finalUrl, listUrl, r.via);
      if (!trs) for (const p of genericNextPages(r.finalUrl, more)) if (!pages.includes(p)) pages.push(p);
    }
  }

  /** A Hanweb column's records, from its data feed (dataproxy.jsp), a window of pages at a time. */
  private async readHanwebFeed(first: FetchResult, firstText: string, listUrl: string): Promise<void> {
    const list = hanwebList(first.finalUrl, firstText);
    for (let start = 1, n = 0; list && n < this.maxPages; n++) {
      const r = await this.opts.fetcher.fetch({ ...hanwebRequest(list, start, list.perPage * 3), encoding: this.target.encoding });
      this.log(r);
      const records = this.listText(r);
      if (records === null) break;
      this.collect(records, first.finalUrl, listUrl, 'static');
      const total = hanwebTotal(records) ?? 0;
      start += list.perPage * 3;
      if (start > total) break;
    }
  }

  /**
   * The Hanweb xxgk viewer answers every year: a report is there when the page holds its sections or tables. Its
   * `fbtime` is the report's year on some sites (岱山 长涂镇: fbtime=2021, the 2021 report) and the year it was
   * published on others (龙游 湖镇镇: fbtime=2025, the 2024 report; shared/domain/COLUMNS.tsv), so both are probed
   * for each year and a report is filed under the year it states — its title, its 统计期限, its heading — and only
   * when it states none, under `fbtime`.
   */
  private async probeXxgk(viewer: string, mode: RenderMode): Promise<number> {
    const now = new Date(this.opts.now?.() ?? Date.now());
    const years = this.opts.years ?? [0, 1, 2, 3].map((k) => now.getUTCFullYear() - 1 - k);
    const probes = [...new Set(years.flatMap((y) => [y + 1, y]))].sort((a, b) => b - a);
    let read = 0;
    for (const fbtime of probes) {
      const url = new URL(viewer);
      url.searchParams.set('fbtime', String(fbtime));
      const r = await this.get(url.href, mode, false);
      if (this.listText(r) === null || !r.text) continue;
      read++;
      if (!/收到和处理政府信息公开申请|本年新收|主动公开政府信息情况/.test(r.text)) continue;
      const pageTitle = /<title>([^<_]*)/i.exec(r.text)?.[1]?.trim() ?? '';
      const plain = r.text.replace(/<[^>]+>/g, '\n');
      const year = reportYear(pageTitle) ?? statedYear(null, plain) ?? yearOfPhrase(plain) ?? fbtime;
      // A year not asked about (the next year's probe of a site that files by report year), or one already found.
      if (!years.includes(year) || [...this.found.values()].some((f) => f.listUrl === viewer && f.year === year)) continue;
      const title = pageTitle || `${year}年度政府信息公开工作年度报告`;
      this.found.set(url.href, { year, title, via: r.via, listUrl: viewer });
      this.d.reports.push(describeReport(url.href, this.found.get(url.href)!, r, this.target, this.d.skipped));
    }
    return read;
  }

  /** Report pages are fetched for the years asked about only (a crawl checks one or two years, not all six listed). */
  private async followReports(): Promise<void> {
    const d = this.d;
    for (const [url, f] of this.found) {
      if (d.reports.some((r) => r.url === url)) continue;
      const wanted = !this.opts.onlyYears || this.opts.onlyYears.includes(f.year);
      if (this.opts.followReports === false || !wanted || attachmentOf({ url, text: '', tag: 'a' })) {
        d.reports.push(describeReport(url, f, null, this.target, d.skipped));
        continue;
      }
      const page = await this.get(url, this.target.render ?? 'auto', false);
      d.reports.push(describeReport(url, f, NEXT_STEP[page.outcome] === 'use' && page.text !== null ? page : null, this.target, d.skipped));
    }
  }
}

/** A body's annual reports on its portal (docs/portals.md): what each column lists, and every fetch's outcome. */
export async function discover(target: Target, opts: DiscoverOptions): Promise<Discovery> {
  return new DiscoveryRun(target, opts).run();
}
