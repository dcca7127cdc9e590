/**
 * The archive API's routes (API Gateway HTTP API, payload 2.0, IAM-authorized), read-only over the store.
 * Responses are JSON; bytes are never served through the API (responses are limited to 6–10 MB) but as
 * presigned S3 URLs that download as attachments, so archived HTML is never rendered on our domain.
 */
import { RequestError } from '../../shared/errors.ts';
import { jsonChecker } from '../../shared/schema/check.ts';
import { attachmentDisposition, captureFileName } from '../../shared/archive/filename.ts';
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { exportWacz, exportWarc, selectCaptures, SelectionError } from '../../shared/archive/export.ts';
import { ROW_RANK, yearFigures } from '../../shared/archive/figures.ts';
import { findingFilter, yearFindings } from '../../shared/archive/findings.ts';
import type { YearSource } from '../../shared/archive/year-sources.ts';
import { unreadColumns } from '../../shared/archive/report-rows.ts';
import type { Body } from '../../shared/crawl/registry.ts';
import { SEVERITIES, type Severity } from '../../shared/report/model.ts';
import { RULE_IDS } from '../../shared/rules/types.ts';
import { blobKey } from '../../shared/store/hash.ts';
import type { ArchiveStore, CaptureLog, ReportStore, StateStore } from '../../shared/store/ports.ts';
import { DamagedLog, stateOrDamaged } from '../../shared/store/records.ts';

export interface ApiDeps {
  bodies: Map<string, Body>;
  captures: CaptureLog;
  reports: ReportStore;
  state: StateStore;
  archive: ArchiveStore;
  s3: S3Client;
  bucket: string;
  /** Lifetime of presigned URLs (seconds). */
  urlSeconds?: number;
  /** Where a page of `GET /findings` or `GET /figures` ends, in bytes of its lines' JSON (default PAGE_BYTES). */
  pageBytes?: number;
}

/** A request error: the status and a message naming the parameter and the problem. */
export class ApiError extends RequestError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const ROUTES = [
  'GET /bodies',
  'GET /bodies/{id}/reports',
  'GET /findings',
  'GET /figures',
  'GET /captures',
  'GET /captures/{id}/download',
  'POST /exports',
] as const;
export type RouteKey = (typeof ROUTES)[number];

type Event = APIGatewayProxyEventV2WithIAMAuthorizer;

const json = (status: number, body: unknown): APIGatewayProxyResultV2 => ({
  statusCode: status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  body: JSON.stringify(body),
});

function yearParam(v: string | undefined, required: boolean): number | undefined {
  if (v === undefined || v === '') {
    if (required) throw new ApiError(400, 'query parameter year is required (a report year, e.g. year=2024)');
    return undefined;
  }
  if (!/^\d{4}$/.test(v)) throw new ApiError(400, `query parameter year=${v}: expected a report year like 2024`);
  return Number(v);
}

/** Body-years a page of `GET /findings` lists at most by default, and at most when asked. */
const FINDINGS_PAGE = { default: 200, max: 1000 } as const;
/** The same for `GET /figures` (a body-year is some 40 rows). */
const FIGURES_PAGE = { default: 100, max: 1000 } as const;
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

/** A comma-separated list of row keys (`table3.received`, `table4`, `table2.regulations` …). */
function rowsParam(v: string | undefined): string[] | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const rows = v.split(',').map((r) => r.trim());
  for (const r of rows)
    if (!ROW_RANK.has(r)) throw new ApiError(400, `query parameter row=${r}: not a row of the tables (e.g. table3.received, table4, table2.regulations)`);
  return rows;
}

/** A comma-separated list of rule ids (a repeated `rule=` arrives joined by commas, payload 2.0). */
function rulesParam(v: string | undefined): string[] | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const ids = v.split(',').map((r) => r.trim().toUpperCase());
  for (const id of ids)
    if (!(RULE_IDS as readonly string[]).includes(id)) throw new ApiError(400, `query parameter rule=${id}: not a rule id (${RULE_IDS.join(', ')})`);
  return ids;
}

function severityParam(v: string | undefined): Severity | undefined {
  if (v === undefined || v === '') return undefined;
  if (!(SEVERITIES as readonly string[]).includes(v))
    throw new ApiError(400, `query parameter severity=${v}: expected ${SEVERITIES.join(', ')} (that severity and the graver ones)`);
  return v as Severity;
}

function limitParam(v: string | undefined, page: { default: number; max: number }): number {
  if (v === undefined || v === '') return page.default;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > page.max)
    throw new ApiError(400, `query parameter limit=${v}: expected a whole number of body-years from 1 to ${page.max}`);
  return n;
}

async function presign(d: ApiDeps, key: string, filename: string): Promise<string> {
  const command = new GetObjectCommand({
    Bucket: d.bucket,
    Key: key,
    ResponseContentDisposition: attachmentDisposition(filename),
    ResponseContentType: 'application/octet-stream',
  });
  return getSignedUrl(d.s3, command, { expiresIn: d.urlSeconds ?? 900 });
}

/** POST /exports: a body-year (WARC or WACZ) or one URL (WARC), optionally between two times. */
const EXPORT_REQUEST = {
  type: 'object',
  required: ['format'],
  properties: {
    format: { enum: ['warc', 'wacz'] },
    body: { type: 'string', minLength: 1 },
    year: { type: 'integer', minimum: 2008, maximum: 2100 },
    url: { type: 'string', minLength: 1 },
    from: { type: 'string' },
    to: { type: 'string' },
  },
  additionalProperties: false,
};

interface ExportRequest {
  format: 'warc' | 'wacz';
  body?: string;
  year?: number;
  url?: string;
  from?: string;
  to?: string;
}

const readExportRequest = jsonChecker<ExportRequest>(EXPORT_REQUEST, (m) => new ApiError(400, m));

const handlers: Record<RouteKey, (e: Event, d: ApiDeps) => Promise<unknown>> = {
  async 'GET /bodies'(e, d) {
    const year = yearParam(e.queryStringParameters?.year, false);
    // A state that cannot be read is left out of the map and named under `damaged`: its body's status is then
    // null, and the answer says why instead of failing every body (store/ports.ts ListOptions).
    const damaged = new DamagedLog();
    const states = year === undefined ? new Map() : new Map((await d.state.states(year, damaged)).map((s) => [s.bodyId, s]));
    return {
      ...(year === undefined ? {} : { damaged: damaged.messages }),
      bodies: [...d.bodies.values()].map((b) => ({
        id: b.id,
        name: b.name,
        level: b.level,
        region: b.region ?? null,
        lists: b.lists,
        // With the count of its report's findings per rule (null: not assessed, or before nianbao kept the count).
        ...(year === undefined ? {} : { year, status: states.get(b.id)?.status ?? null, findings: states.get(b.id)?.findings ?? null }),
      })),
    };
  },

  async 'GET /bodies/{id}/reports'(e, d) {
    const id = e.pathParameters?.id ?? '';
    if (!d.bodies.has(id)) throw new ApiError(404, `body ${id} is not in the registry`);
    const year = yearParam(e.queryStringParameters?.year, true)!;
    // A damaged source, row or state is left out (the state: null) and named under `damaged`; the rest is answered.
    const damaged = new DamagedLog();
    const reports = await d.reports.reports(id, year, damaged);
    return {
      body: id,
      year,
      state: await stateOrDamaged(d.state, id, year, damaged),
      // Each row names its figures that could not be read (`unread`): they are `null`, as a blank is.
      reports: await Promise.all(
        reports.map(async (r) => ({
          ...r,
          rows: (await d.reports.rows(id, year, r.sha256, damaged)).map((row) => ({ ...row, unread: unreadColumns(r, row.row) })),
        })),
      ),
      damaged: damaged.messages,
    };
  },

  /**
   * A year's findings, body-year by body-year in the order of the body's id (shared/archive/findings.ts; the lines
   * `nianbao findings` writes). Paged: `next` is the cursor of the next page (the last body listed), null at the end.
   * What could not be listed is named, never left out quietly: `notRead` (reports found but never read), `lost` (a
   * current source that could not be read), `malformed` (stored findings of a shape this version does not read),
   * `damaged` (records left out).
   */
  async 'GET /findings'(e, d) {
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
  },

  /**
   * A year's figures, body-year by body-year in the order of the body's id (shared/archive/figures.ts: the rows
   * `nianbao export` writes, each with its values as stored and `unread`, the figures its source could not be read
   * for). `row=table3.received,table4` keeps those rows. Paged and named as `GET /findings` is; `noFigures` names the
   * reports read that gave no row (no tables found, a scan, or none of the rows asked for).
   */
  async 'GET /figures'(e, d) {
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
  },

  async 'GET /captures'(e, d) {
    const q = e.queryStringParameters ?? {};
    // A capture that cannot be read is left out of the page and named under `damaged` (store/ports.ts ListOptions).
    const damaged = new DamagedLog();
    const page = { cursor: q.cursor, limit: q.limit ? Math.min(Number(q.limit) || 100, 500) : undefined, from: q.from, to: q.to, onDamaged: damaged.onDamaged };
    if (q.url) return { ...(await d.captures.byUrl(q.url, page)), damaged: damaged.messages };
    if (q.body) return { ...(await d.captures.byBody(q.body, yearParam(q.year, false), page)), damaged: damaged.messages };
    throw new ApiError(400, 'give query parameter url, or body (and year)');
  },

  async 'GET /captures/{id}/download'(e, d) {
    const id = e.pathParameters?.id ?? '';
    const capture = await d.captures.get(id);
    if (!capture) throw new ApiError(404, `capture ${id} not found`);
    if (!capture.sha256) throw new ApiError(404, `capture ${id} archived no bytes (outcome ${capture.outcome})`);
    const name = captureFileName(capture.url); // UTF-8 or GBK escapes; never a URIError
    return { capture, url: await presign(d, blobKey(capture.sha256), `${capture.sha256.slice(0, 12)}-${name}`), expiresIn: d.urlSeconds ?? 900 };
  },

  async 'POST /exports'(e, d) {
    const text = e.isBase64Encoded ? Buffer.from(e.body ?? '', 'base64').toString() : (e.body ?? '{}');
    const req = readExportRequest(text, 'request body');
    if (req.format === 'wacz' && (!req.body || !req.year)) throw new ApiError(400, 'a WACZ export is of a body-year: give body and year');
    const captures = await selectCaptures(d.captures, req).catch((err) => {
      throw err instanceof SelectionError ? new ApiError(400, err.message) : err;
    });
    if (captures.length === 0) throw new ApiError(404, 'no captures match');
    const bytes =
      req.format === 'warc'
        ? await exportWarc(captures, d.archive, 'export.warc.gz')
        : await exportWacz(captures, d, req.body!, req.year!, new Date().toISOString());
    const key = `exports/${new Date().toISOString().slice(0, 10)}/${randomUUID()}.${req.format === 'warc' ? 'warc.gz' : 'wacz'}`;
    await d.s3.send(new PutObjectCommand({ Bucket: d.bucket, Key: key, Body: bytes }));
    const filename = `nianbao-${req.body ?? 'url'}-${req.year ?? ''}.${req.format === 'warc' ? 'warc.gz' : 'wacz'}`;
    return { key, captures: captures.length, bytes: bytes.length, url: await presign(d, key, filename), expiresIn: d.urlSeconds ?? 900 };
  },
};

/**
 * Routes one request. IAM authorization is enforced by API Gateway; a request without an IAM identity
 * (a misconfigured route) is refused here too.
 */
export async function routeApi(e: Event, d: ApiDeps): Promise<APIGatewayProxyResultV2> {
  if (!e.requestContext?.authorizer?.iam?.userArn && !e.requestContext?.authorizer?.iam?.userId) return json(403, { error: 'IAM authorization required' });
  const route = handlers[e.routeKey as RouteKey];
  if (!route) return json(404, { error: `no route ${e.routeKey}` });
  try {
    return json(200, await route(e, d));
  } catch (err) {
    if (err instanceof ApiError) return json(err.status, { error: err.message });
    // A request the store refuses (a cursor it did not make): the caller's to fix, not a server error.
    if (err instanceof RequestError) return json(400, { error: err.message });
    throw err;
  }
}
