/**
 * CaptureLog and ReportStore on the single table, against dynalite started in-process (over HTTP, the same
 * adapter as production). To run them against real DynamoDB instead, set NIANBAO_TEST_DYNAMODB_ENDPOINT
 * (or AWS credentials with NIANBAO_TEST_DYNAMODB_ENDPOINT=aws) and NIANBAO_TEST_TABLE (docs/store.md).
 */
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveFetch } from '../../shared/archive/capture.ts';
import { toStored } from '../../shared/archive/report-rows.ts';
import type { FetchResult } from '../../shared/crawl/fetcher.ts';
import { parseReportBytes } from '../../shared/report/parse.ts';
import { randomModel } from '../../shared/demo/generate.ts';
import { render } from '../../shared/demo/render.ts';
import { DynamoStore } from '../../shared/store/dynamo.ts';
import { FsArchiveStore } from '../../shared/store/fs-archive.ts';
import { documentClient, ensureTable } from '../../shared/store/local.ts';
import type { CaptureRecord } from '../../shared/store/ports.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let server: Server | null = null;
let store: DynamoStore;
let archive: FsArchiveStore;
let doc: ReturnType<typeof documentClient>;
beforeAll(async () => {
  const real = process.env.NIANBAO_TEST_DYNAMODB_ENDPOINT;
  let endpoint: string | undefined;
  if (!real) {
    server = dynalite({ createTableMs: 0 });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  } else if (real !== 'aws') endpoint = real;
  doc = documentClient(endpoint);
  const table = process.env.NIANBAO_TEST_TABLE ?? `nianbao-test-${Date.now()}`;
  await ensureTable(doc, table);
  archive = new FsArchiveStore(mkdtempSync(join(tmpdir(), 'nianbao-dyn-')));
  store = new DynamoStore(doc, archive, table);
});
afterAll(async () => {
  doc?.destroy();
  if (server) await new Promise<void>((r) => server!.close(() => r()));
});

let clock = Date.UTC(2026, 0, 10);
function fetched(url: string, body: string | null, extra: Partial<FetchResult> = {}): FetchResult {
  clock += 60_000;
  return {
    url,
    finalUrl: url,
    redirects: [],
    method: 'GET',
    status: body === null ? null : 200,
    outcome: body === null ? 'timeout' : 'ok',
    requestHeaders: { 'user-agent': 'nianbao test' },
    responseHeaders: body === null ? {} : { 'content-type': 'text/html; charset=utf-8', etag: '"e1"' },
    body: body === null ? null : Buffer.from(body),
    contentType: 'text/html',
    text: body,
    startedAt: new Date(clock).toISOString(),
    ms: 5,
    attempts: 1,
    via: 'static',
    ...extra,
  };
}

describe('CaptureLog', () => {
  const url = 'http://www.example.gov.cn/zfxxgknb/202501/t20250120_1.html';
  const deps = () => ({ archive, log: store });

  it('records a capture, a revisit for the same bytes, a change with both hashes, and a fetch without a body', async () => {
    const a = await archiveFetch(fetched(url, '<p>v1</p>'), deps(), { bodyId: 'b1', year: 2024 });
    const b = await archiveFetch(fetched(url, '<p>v1</p>'), deps(), { bodyId: 'b1', year: 2024 });
    const c = await archiveFetch(fetched(url, null), deps(), { bodyId: 'b1', year: 2024 });
    const d = await archiveFetch(fetched(url, '<p>v2</p>'), deps(), { bodyId: 'b1', year: 2024 });
    expect(a.revisit).toBeUndefined();
    expect(b.revisit).toEqual({ id: a.id, time: a.time, url });
    expect(b.sha256).toBe(a.sha256);
    expect(c).toMatchObject({ sha256: null, outcome: 'timeout', size: 0 });
    expect(d.changed).toEqual({ fromSha256: a.sha256, toSha256: d.sha256, previousId: b.id });
    const history = (await store.byUrl(url)).items.map((x) => x.id);
    expect(history).toEqual([a.id, b.id, c.id, d.id]);
    expect((await store.latestCapture(url))!.id).toBe(d.id);
    expect((await store.get(c.id))!.outcome).toBe('timeout');
    expect((await store.bySha256(a.sha256!)).items.map((x) => x.id)).toEqual([a.id, b.id]);
    expect((await store.latest(url))).toMatchObject({ etag: '"e1"', sha256: d.sha256 });
  });

  it('pages through long listings with a cursor', async () => {
    const u = 'http://www.example.gov.cn/list.html';
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await archiveFetch(fetched(u, `<p>${i}</p>`), deps(), { bodyId: 'b2', year: 2023 })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const p = await store.byBody('b2', 2023, { limit: 3, cursor });
      seen.push(...p.items.map((x) => x.id));
      cursor = p.next;
      pages++;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect(pages).toBeGreaterThanOrEqual(3);
    const window = await store.byUrl(u, { from: (await store.get(ids[2]!))!.time, to: (await store.get(ids[4]!))!.time });
    expect(window.items.map((x) => x.id)).toEqual(ids.slice(2, 5));
  });

  it('a put of the same record twice is idempotent', async () => {
    const rec = await archiveFetch(fetched('http://www.example.gov.cn/x.html', '<p>x</p>'), deps());
    await store.put(rec);
    expect((await store.byUrl(rec.url)).items).toHaveLength(1);
  });

  it('a record larger than one DynamoDB item (400 KB) is kept in the archive by reference', async () => {
    const huge: CaptureRecord = {
      ...(await archiveFetch(fetched('http://www.example.gov.cn/big.html', '<p>big</p>'), deps())),
      id: 'c-huge',
      responseHeaders: { 'x-padding': 'x'.repeat(500_000) },
    };
    await store.put(huge);
    const back = await store.get('c-huge');
    expect(back!.responseHeaders['x-padding']).toHaveLength(500_000);
  });
});

describe('ReportStore', () => {
  const model = randomModel(31);
  const report = parseReportBytes(render(model, 'html'));
  const stored = (sha: string, parsedAt: string) => toStored(report, { bodyId: 'b9', sha256: sha, url: 'http://x.gov.cn/r.html', parsedAt });
  const sha1 = '1'.repeat(64);
  const sha2 = '2'.repeat(64);

  it('stores one item per table row with the public keys, idempotently', async () => {
    const s = stored(sha1, '2026-01-20T00:00:00.000Z');
    await store.putParsed(s.report, s.rows);
    await store.putParsed(s.report, s.rows);
    const rows = await store.rows('b9', report.year!, sha1);
    expect(rows).toHaveLength(s.rows.length);
    expect(rows.find((r) => r.row === 'table3.received')!.values).toEqual(
      Object.fromEntries(['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org', 'total'].map((c, i) => [c, model.table3.rows.received![i]])),
    );
    expect(rows.find((r) => r.row === 'table4')!.values.review_total).toBe(model.table4.review_total);
  });

  it('re-parsing the same source with a newer parser replaces its rows (stale ones removed)', async () => {
    const s = stored(sha1, '2026-01-21T00:00:00.000Z');
    await store.putParsed({ ...s.report, parserVersion: '9.9.9' }, s.rows.filter((r) => r.row !== 'table2.fees'));
    expect((await store.rows('b9', report.year!, sha1)).some((r) => r.row === 'table2.fees')).toBe(false);
    const [only] = await store.reports('b9', report.year!);
    expect(only!.parserVersion).toBe('9.9.9');
  });

  it('a new source keeps the older source figures (old → new), and only the current one is across bodies', async () => {
    const s2 = stored(sha2, '2026-02-01T00:00:00.000Z');
    await store.putParsed(s2.report, s2.rows);
    const reports = await store.reports('b9', report.year!);
    expect(reports.map((r) => r.sha256)).toEqual([sha1, sha2]);
    expect((await store.rows('b9', report.year!, sha1)).length).toBeGreaterThan(0);
    const across = await store.rowAcrossBodies(report.year!, 'table3.received');
    expect(across.items.filter((r) => r.bodyId === 'b9').map((r) => r.sha256)).toEqual([sha2]);
  });
});
