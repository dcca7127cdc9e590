/**
 * A year's body-years with the source each report was assessed by (its current source: the one whose figures the
 * export gives and whose findings stand for the report), for the listings across bodies — `nianbao findings`, the
 * API's `GET /findings` and `GET /figures`. Nothing is left out in silence: a body-year whose current source could
 * not be read is `lost`, one whose report was found but never read is `not-read`.
 */
import type { Body } from '../crawl/registry.ts';
import type { BodyYearState, ListOptions, ReportStore, StateStore, StoredReport } from '../store/ports.ts';
import { currentOfListing } from './report-rows.ts';

/**
 * What became of one body-year: `read` (its current source), `lost` (its current source could not be read from the
 * store), `not-read` (a report was found but never read: over a limit, corrupt, every source failing), or `none` (no
 * report found: nothing to list, and nothing left out).
 */
export type YearSource = { state: BodyYearState; outcome: 'read'; current: StoredReport } | { state: BodyYearState; outcome: 'lost' | 'not-read' | 'none' };

/** The stores a listing reads: the year's states, and each body-year's sources. */
export interface YearSourceStores {
  state: Pick<StateStore, 'states'>;
  reports: Pick<ReportStore, 'reports'>;
}

/**
 * Each body-year of `year` in the order of the body's id (code units: a cursor compares the same way), from the first
 * after `after` (a page's cursor). Damaged records are handed to `list.onDamaged` (ListOptions) and left out.
 */
export async function* yearSources(
  stores: YearSourceStores,
  year: number,
  options: { after?: string | undefined; list?: ListOptions | undefined } = {},
): AsyncGenerator<YearSource> {
  // Sources left out as damaged are told apart per body-year by counting the ones handed over while it was read.
  let damaged = 0;
  const list: ListOptions = {
    onDamaged: (error) => {
      damaged++;
      options.list?.onDamaged?.(error);
    },
  };
  const states = (await stores.state.states(year, list))
    .filter((s) => options.after === undefined || s.bodyId > options.after)
    .sort((a, b) => (a.bodyId < b.bodyId ? -1 : a.bodyId > b.bodyId ? 1 : 0));
  for (const state of states) {
    const before = damaged;
    const sources = await stores.reports.reports(state.bodyId, year, list);
    const listing = currentOfListing(sources, state, damaged > before);
    if (listing.lost) yield { state, outcome: 'lost' };
    else if (listing.current) yield { state, outcome: 'read', current: listing.current };
    // A report seen but never read has nothing to list: said, never left out quietly.
    else yield { state, outcome: state.reportUrl !== undefined || state.unreadable !== undefined ? 'not-read' : 'none' };
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
