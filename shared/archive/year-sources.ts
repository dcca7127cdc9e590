/**
 * A year's body-years with the source each report was assessed by (its current source: the one whose figures the
 * export gives and whose findings stand for the report), for the listings across bodies — `nianbao findings`, the
 * API's `GET /findings` and `GET /figures`, the dashboard's year downloads. Nothing is left out in silence: a body-year whose current source could
 * not be read is `lost`, one whose report was found but never read is `not-read`.
 */
import type { Body } from '../crawl/registry.ts';
import type { BodyYearState, ListOptions, ReportStore, StateStore, StoredReport, StoredRow } from '../store/ports.ts';
import { currentOfListing } from './report-rows.ts';

/**
 * What became of one body-year: `read` (its current source, and its rows when asked for), `lost` (its current source
 * could not be read from the store), `not-read` (a report was found but never read: over a limit, corrupt, every
 * source failing), or `none` (no report found: nothing to list, and nothing left out).
 */
export const YEAR_SOURCE_OUTCOMES = ['read', 'lost', 'not-read', 'none'] as const;
export type YearSourceOutcome = (typeof YEAR_SOURCE_OUTCOMES)[number];
export type YearSource =
  | { state: BodyYearState; outcome: 'read'; current: StoredReport; rows?: StoredRow[] }
  | { state: BodyYearState; outcome: Exclude<YearSourceOutcome, 'read'> };

/** The stores a listing reads: the year's states, and each body-year's sources (and their rows, when asked for). */
export interface YearSourceStores {
  state: Pick<StateStore, 'states'>;
  reports: Pick<ReportStore, 'reports'> & Partial<Pick<ReportStore, 'rows'>>;
}

export interface YearSourceOptions {
  /** The body id after which to begin (a page's cursor). */
  after?: string | undefined;
  /** Damaged records are handed to its `onDamaged` and left out (ListOptions). */
  list?: ListOptions | undefined;
  /** Also read the current source's rows (the store must have `rows`). */
  rows?: boolean | undefined;
  /**
   * Body-years read at once, ahead of the one yielded (default 1): on DynamoDB each is a query or two, and a year of
   * thousands of bodies read one at a time takes minutes. They are still yielded in order.
   */
  concurrency?: number | undefined;
}

/**
 * What became of one body-year, from its state and its sources as listed (`sourcesLeftOut`: some were left out as
 * damaged, the current one perhaps among them).
 */
export function sourceOf(state: BodyYearState, sources: readonly StoredReport[], sourcesLeftOut: boolean): YearSource {
  const listing = currentOfListing(sources, state, sourcesLeftOut);
  if (listing.lost) return { state, outcome: 'lost' };
  if (listing.current) return { state, outcome: 'read', current: listing.current };
  // A report seen but never read has nothing to list: said, never left out quietly.
  return { state, outcome: state.reportUrl !== undefined || state.unreadable !== undefined ? 'not-read' : 'none' };
}

/**
 * Each body-year of `year` in the order of the body's id (code units: a cursor compares the same way), from the first
 * after `options.after`, with its current source.
 */
export async function* yearSources(stores: YearSourceStores, year: number, options: YearSourceOptions = {}): AsyncGenerator<YearSource> {
  const rowsOf = stores.reports.rows?.bind(stores.reports);
  if (options.rows && !rowsOf) throw new Error('yearSources: rows asked for of a store without rows()');
  const one = async (state: BodyYearState): Promise<YearSource> => {
    // Sources left out as damaged are told apart per body-year: was any handed over while this one was read?
    let leftOut = false;
    const list: ListOptions = {
      onDamaged: (error) => {
        leftOut = true;
        options.list?.onDamaged?.(error);
      },
    };
    const source = sourceOf(state, await stores.reports.reports(state.bodyId, year, list), leftOut);
    if (source.outcome !== 'read' || !options.rows) return source;
    return { ...source, rows: await rowsOf!(state.bodyId, year, source.current.sha256, list) };
  };
  const states = (await stores.state.states(year, options.list))
    .filter((s) => options.after === undefined || s.bodyId > options.after)
    .sort((a, b) => (a.bodyId < b.bodyId ? -1 : a.bodyId > b.bodyId ? 1 : 0));
  const ahead: Promise<YearSource>[] = [];
  let next = 0;
  const fill = () => {
    while (ahead.length < Math.max(1, options.concurrency ?? 1) && next < states.length) {
      const p = one(states[next++]!);
      // Awaited below in its turn; a listing stopped early (a full page) must not leave a rejection unhandled.
      p.catch(() => {});
      ahead.push(p);
    }
  };
  fill();
  while (ahead.length > 0) {
    const source = await ahead.shift()!;
    fill();
    yield source;
  }
}

/** Who and which report, the first columns of a line of a listing across bodies (findings, figures). */
export function reportColumns(state: BodyYearState, current: StoredReport, body: Body | undefined) {
  return {
    body: state.bodyId,
    name: body?.name ?? null,
    region: body?.region ?? null,
    level: body?.level ?? null,
    year: state.year,
    status: state.removedAt ? 'removed' : state.status,
    report_url: current.url,
    // The date the deadline was judged by (the column's or the page's 发布时间), as `export` gives it.
    report_published: state.pageDate ?? current.published ?? null,
    source_sha256: current.sha256,
    parser_version: current.parserVersion,
  };
}
