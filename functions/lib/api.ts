/**
 * The archive API's routes (API Gateway HTTP API, payload 2.0, IAM-authorized), read-only over the store but for the
 * dismissal of a false alert (api-alerts.ts).
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
import { unreadColumns } from '../../shared/archive/report-rows.ts';
import type { Body } from '../../shared/crawl/registry.ts';
import { blobKey } from '../../shared/store/hash.ts';
import type { ArchiveStore, CaptureLog, ReportStore, StateStore } from '../../shared/store/ports.ts';
import { DamagedLog, stateOrDamaged } from '../../shared/store/records.ts';
import { alertsRoute, dismissRoute } from './api-alerts.ts';
import { figuresRoute, findingsRoute, statesRoute } from './api-listings.ts';
import { ApiError, limitParam, yearParam } from './api-params.ts';

export { ApiError } from './api-params.ts';

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

export const ROUTES = [
  'GET /bodies',
  'GET /bodies/{id}/reports',
  'GET /findings',
  'GET /figures',
  'GET /states',
  'GET /alerts',
  'POST /alerts/{id}/dismiss',
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

  'GET /findings': findingsRoute,
  'GET /figures': figuresRoute,
  'GET /states': statesRoute,
  'GET /alerts': alertsRoute,
  'POST /alerts/{id}/dismiss': dismissRoute,

  async 'GET /captures'(e, d) {
    const q = e.queryStringParameters ?? {};
    // A capture that cannot be read is left out of the page and named under `damaged` (store/ports.ts ListOptions).
    const damaged = new DamagedLog();
    // A limit that is not a whole number from 1 to 500 is a 400 naming it (it was passed on to the store as it came).
    const limit = q.limit === undefined ? undefined : limitParam(q.limit, { default: 100, max: 500, what: 'captures' });
    const page = { cursor: q.cursor, limit, from: q.from, to: q.to, onDamaged: damaged.onDamaged };
    if (q.url) return { ...(await d.captures.byUrl(q.url, page)), damaged: damaged.messages };
    // Without a year, every capture of the body (by year, then time), as `nianbao captures BODY` lists them.
    if (q.body) return { ...(await d.captures.byBody(q.body, yearParam(q.year, false) ?? 'all', page)), damaged: damaged.messages };
    throw new ApiError(400, 'give query parameter url, or body (and a year, else every capture of the body)');
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
