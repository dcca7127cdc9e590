/**
 * The archive API's listings across bodies, a year at a time: `GET /findings` and `GET /figures` (shared/archive:
 * the lines `nianbao findings` and `nianbao export` write), paged by body-year, naming what they could not list; and
 * `GET /states`, the body-years' states `nianbao status` shows.
 */
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { yearFigures } from '../../shared/archive/figures.ts';
import { findingFilter, yearFindings } from '../../shared/archive/findings.ts';
import type { YearSource } from '../../shared/archive/year-sources.ts';
import type { BodyYearState } from '../../shared/store/ports.ts';
import { DamagedLog } from '../../shared/store/records.ts';
import type { ApiDeps } from './api.ts';
import { limitParam, rowsParam, rulesParam, severityParam, yearParam } from './api-params.ts';

type Event = APIGatewayProxyEventV2WithIAMAuthorizer;

/** Body-years a page of `GET /findings` lists at most by default, and at most when asked. */
const FINDINGS_PAGE = { default: 200, max: 1000, what: 'body-years' } as const;
/** The same for `GET /figures` (a body-year is some 40 rows). */
const FIGURES_PAGE = { default: 100, max: 1000, what: 'body-years' } as const;
/**
 * A page of body-years ends once its lines pass this many bytes of JSON: Lambda answers at most 6 MB, and a page of
 * body-years with long quotes or many rows must not fail whole.
 */
const PAGE_BYTES = 4 * 1024 * 1024;

/**
 * One page of a listing across body-years: at most `limit` of them, ending early once the lines pass `maxBytes`.
 * `next` is the cursor of the next page (the last body listed), null at the end. Body-years with nothing to list are
 * named: `notRead` (a report found but never read) and `lost` (a current source that could not be read).
 */
async function bodyYearPage<T extends { bodyId: string; outcome: YearSource['outcome']; lines: unknown[] }>(
  listing: AsyncIterable<T>,
  limit: number,
  maxBytes: number,
): Promise<{ bodyYears: number; reports: number; lines: T['lines']; items: T[]; notRead: string[]; lost: string[]; next: string | null }> {
  const page = {
    bodyYears: 0,
    reports: 0,
    lines: [] as T['lines'],
    items: [] as T[],
    notRead: [] as string[],
    lost: [] as string[],
    next: null as string | null,
  };
  let bytes = 0;
  for await (const b of listing) {
    if (page.bodyYears === limit || bytes > maxBytes) {
      page.next = page.items.at(-1)!.bodyId;
      break;
    }
    page.bodyYears++;
    page.items.push(b);
    if (b.outcome === 'not-read') page.notRead.push(b.bodyId);
    if (b.outcome === 'lost') page.lost.push(b.bodyId);
    if (b.outcome !== 'read') continue;
    page.reports++;
    for (const l of b.lines) bytes += Buffer.byteLength(JSON.stringify(l));
    page.lines.push(...b.lines);
  }
  return page;
}

/** Body-years read at once by a listing across bodies: each is a DynamoDB query or two. */
const READ_AHEAD = 8;

/**
 * A year's findings, body-year by body-year in the order of the body's id (shared/archive/findings.ts; the lines
 * `nianbao findings` writes). Paged: `next` is the cursor of the next page (the last body listed), null at the end.
 * What could not be listed is named, never left out quietly: `notRead` (reports found but never read), `lost` (a
 * current source that could not be read), `malformed` (stored findings of a shape this version does not read),
 * `damaged` (records left out).
 */
export async function findingsRoute(e: Event, d: ApiDeps) {
  const q = e.queryStringParameters ?? {};
  const year = yearParam(q.year, true)!;
  const keep = findingFilter({ rules: rulesParam(q.rule), severity: severityParam(q.severity) });
  const limit = limitParam(q.limit, FINDINGS_PAGE);
  const damaged = new DamagedLog();
  const listing = yearFindings({ state: d.state, reports: d.reports }, year, {
    keep,
    bodies: d.bodies,
    after: q.cursor,
    list: damaged,
    concurrency: READ_AHEAD,
  });
  const { lines, items, ...page } = await bodyYearPage(listing, limit, d.pageBytes ?? PAGE_BYTES);
  const malformed = items.reduce((n, b) => n + b.malformed, 0);
  return { year, ...page, findings: lines, malformed, damaged: damaged.messages };
}

/**
 * A year's figures, body-year by body-year in the order of the body's id (shared/archive/figures.ts: the rows
 * `nianbao export` writes, each with its values as stored and `unread`, the figures its source could not be read
 * for). `row=table3.received,table4` keeps those rows. Paged and named as `GET /findings` is; `noFigures` names the
 * reports read that gave no row (no tables found, a scan, or none of the rows asked for).
 */
export async function figuresRoute(e: Event, d: ApiDeps) {
  const q = e.queryStringParameters ?? {};
  const year = yearParam(q.year, true)!;
  const rows = rowsParam(q.row);
  const limit = limitParam(q.limit, FIGURES_PAGE);
  const damaged = new DamagedLog();
  const keepRow = rows ? (r: string) => rows.includes(r) : undefined;
  const listing = yearFigures({ state: d.state, reports: d.reports }, year, {
    bodies: d.bodies,
    keepRow,
    after: q.cursor,
    list: damaged,
    concurrency: READ_AHEAD,
  });
  const { lines, items, ...page } = await bodyYearPage(listing, limit, d.pageBytes ?? PAGE_BYTES);
  // Said beside the rows: an empty figure is a blank only where `unread` does not name it.
  const unread = lines.reduce((n, l) => n + l.unread.length, 0);
  // Reports read that gave no row (no tables found, a scan; or none of the rows asked for): named, not left out quietly.
  const noFigures = items.filter((b) => b.outcome === 'read' && b.lines.length === 0).map((b) => b.bodyId);
  return { year, ...page, figures: lines, unread, noFigures, damaged: damaged.messages };
}

/** States a page of `GET /states` lists at most by default, and at most when asked. */
const STATES_PAGE = { default: 500, max: 2000, what: 'states' } as const;
const stateKey = (s: BodyYearState) => `${s.bodyId}#${s.year}`;

/**
 * GET /states[?year=Y]: the body-years' states (what `nianbao status` shows: status, dates, the report's URL, the
 * failures, the findings counted), by body then year. Paged (`limit`, `cursor` → `next`) and cut at 4 MB; `damaged`
 * names states that could not be read (left out, never a shorter list that looks complete).
 */
export async function statesRoute(e: Event, d: ApiDeps) {
  const q = e.queryStringParameters ?? {};
  const year = yearParam(q.year, false);
  const limit = limitParam(q.limit, STATES_PAGE);
  const damaged = new DamagedLog();
  const all = (await d.state.states(year, damaged))
    .filter((s) => q.cursor === undefined || stateKey(s) > q.cursor)
    .sort((a, b) => (stateKey(a) < stateKey(b) ? -1 : stateKey(a) > stateKey(b) ? 1 : 0));
  const states: BodyYearState[] = [];
  let bytes = 0;
  for (const s of all) {
    if (states.length === limit || bytes > (d.pageBytes ?? PAGE_BYTES)) break;
    states.push(s);
    bytes += Buffer.byteLength(JSON.stringify(s));
  }
  const next = states.length < all.length ? stateKey(states.at(-1)!) : null;
  return { states, next, damaged: damaged.messages };
}
