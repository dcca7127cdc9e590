/**
 * `nianbao findings --api` and `nianbao export --api`: the deployed archive API read from the command line (the
 * package bin, a real process). The API is its real router (functions/lib/api.ts) behind an HTTP server that checks
 * each request's SigV4 signature as API Gateway's IAM authorizer would, over a home's store: the lines from the API
 * must be the lines from the home, page after page.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Client } from '@aws-sdk/client-s3';
import { type ApiDeps, ROUTES, routeApi } from '../../functions/lib/api.ts';
import { loadRegistry } from '../../shared/crawl/registry.ts';
import type { LocalStore } from '../../shared/store/local.ts';
import { captureRecord, finding, foundState, openAlert, storedReport } from '../helpers/records.ts';
import { regionOfApi, Sha256 } from '../../shared/cli/remote.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'nianbao.js');
const KEY = { accessKeyId: 'AKIDNIANBAOTEST', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYNIANBAOKEY' };
const REGION = 'cn-north-1';

/** The bin in a process of its own, asynchronously: the API answers from this process meanwhile. */
function nianbao(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey, AWS_REGION: REGION, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** API Gateway's IAM check, as far as a signature goes: the request signed again with the key must give its Authorization. */
async function signatureHolds(req: IncomingMessage, url: URL, body: string): Promise<boolean> {
  const auth = req.headers.authorization ?? '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/execute-api\/aws4_request, SignedHeaders=([^,]+), Signature=/.exec(auth);
  if (!m || m[1] !== KEY.accessKeyId || m[3] !== REGION) return false;
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const headers: Record<string, string> = {};
  for (const h of m[4]!.split(';')) headers[h] = String(req.headers[h] ?? '');
  const signer = new SignatureV4({ service: 'execute-api', region: REGION, credentials: KEY, sha256: Sha256 });
  const again = await signer.sign(
    {
      method: req.method!,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      ...(body ? { body } : {}),
    },
    { signingDate },
  );
  return again.headers.authorization === auth;
}

/** API Gateway's routing: the route key of a request and its path parameters (`/captures/{id}/download`). */
function routeOf(method: string, path: string): { routeKey: string; pathParameters: Record<string, string> } | null {
  for (const r of ROUTES) {
    const [m, template] = r.split(' ') as [string, string];
    const match = new RegExp(`^${template.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`).exec(path);
    if (m === method && match)
      return { routeKey: r, pathParameters: Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)])) };
  }
  return null;
}

describe('findings, export, captures and get from the deployed API (--api)', () => {
  const home = mkdtempSync(join(tmpdir(), 'nianbao-remote-'));
  const registry = join(home, 'bodies.yaml');
  let local: LocalStore;
  let server: Server;
  let api = '';
  const seen: string[] = [];
  /** The archive's bytes, as S3 serves them to a presigned URL; `damageS3` flips a byte on the way. */
  let damageS3 = false;
  /** The API failing from its second page on (an outage half-way through a year). */
  let failLaterPages = false;
  /** API Gateway throttling the next requests (429), or a function that never answers in time (503). */
  let throttleNext = 0;
  let unavailable = false;
  let pageSha = '';

  beforeAll(async () => {
    const lines = ['bodies:'];
    for (const [id, name] of [
      ['body-a', '甲区人民政府'],
      ['body-b', '乙区教育局'],
      ['body-d', '丁街道办事处'],
      ['body-e', '戊区统计局'],
      ['body-f', '上海市人民政府办公厅'],
    ])
      lines.push(`  - { id: ${id}, name: ${name}, region: "110105", level: government, lists: [https://www.${id}.gov.cn/ndbg/] }`);
    writeFileSync(registry, `${lines.join('\n')}\n`);
    writeFileSync(join(home, 'registry.yaml'), `${lines.join('\n')}\n`);
    const { openLocalStore } = await import('../../shared/store/local.ts');
    local = await openLocalStore(home);
    const [a, b, e] = ['a'.repeat(64), 'b'.repeat(64), 'e'.repeat(64)];
    await local.store.putParsed(
      storedReport('body-a', a, {
        findings: [
          finding('PROSE-SHARE', 'warning', { expected: '32.0%', actual: '33.9%', quote: '予以公开及部分公开258件,占33.9%;' }),
          finding('CELL-UNREAD', 'warning', { cells: ['table3.received.commercial'] }),
        ],
      }),
      [
        { bodyId: 'body-a', year: 2024, sha256: a, row: 'table3.received', values: { natural_person: 10, commercial: null, total: 12 } },
        { bodyId: 'body-a', year: 2024, sha256: a, row: 'table4', values: { review_upheld: 1, review_total: 1 } },
      ],
    );
    await local.store.putParsed(storedReport('body-b', b, { findings: [finding('FEE-REPORT', 'warning'), finding('UNIT', 'info')] }), [
      { bodyId: 'body-b', year: 2024, sha256: b, row: 'table3.received', values: { natural_person: 3, total: 3 } },
    ]);
    // body-e: read, no tables (a scan): no figures, and said so.
    await local.store.putParsed(storedReport('body-e', e, { findings: [finding('IMAGE-ONLY', 'error')] }), []);
    await local.state.putState(foundState('body-a', { mainSha256: a, reportUrl: 'https://www.a.gov.cn/a.html', pageDate: '2025-03-02' }));
    await local.state.putState(foundState('body-b', { mainSha256: b, status: 'late', reportUrl: 'https://www.b.gov.cn/b.html' }));
    await local.state.putState(foundState('body-d', { reportUrl: 'https://www.d.gov.cn/r.pdf', unreadable: '104857646 bytes is over the 64 MB input limit' }));
    await local.state.putState(foundState('body-e', { mainSha256: e, reportUrl: 'https://www.e.gov.cn/e.pdf' }));
    // body-f: a real report page (上海市政府办公厅 2019), archived with its capture, so that `report` reads it again.
    const page = readFileSync(join(import.meta.dirname, '..', 'fixtures', '01-shanghai-szfbgt-2019.html'));
    const f = (await local.archive.put(page)).sha256;
    const fUrl = 'https://www.f.gov.cn/ndbg/2019.html';
    await local.store.put(
      captureRecord('cap-f', fUrl, { bodyId: 'body-f', year: 2024, sha256: f, size: page.length, contentType: 'text/html; charset=utf-8' }),
    );
    await local.store.putParsed(storedReport('body-f', f, { url: fUrl, captureId: 'cap-f', findings: [finding('PROSE-SHARE', 'warning')] }), [
      { bodyId: 'body-f', year: 2024, sha256: f, row: 'table3.received', values: { natural_person: 805, total: 859 } },
    ]);
    await local.state.putState(foundState('body-f', { mainSha256: f, reportUrl: fUrl }));
    // Two alerts: one open, one resolved.
    await local.state.saveAlert(openAlert('a-open', { bodyId: 'body-d', bodyName: '丁街道办事处', kind: 'unread', detail: 'REPORT-UNREADABLE' }));
    await local.state.saveAlert(
      openAlert('a-resolved', {
        bodyId: 'body-b',
        bodyName: '乙区教育局',
        kind: 'late',
        detail: 'late',
        state: 'resolved',
        resolvedAt: '2025-06-02T02:00:00.000Z',
      }),
    );
    // Two captures of body-a's report page, one a year with bytes in the archive, and the column page.
    pageSha = (await local.archive.put(Buffer.from('<html><body>甲区人民政府2024年政府信息公开工作年度报告</body></html>'))).sha256;
    await local.store.put(captureRecord('cap-2024', 'https://www.a.gov.cn/a.html', { bodyId: 'body-a', year: 2024, sha256: pageSha, size: 64 }));
    await local.store.put(captureRecord('cap-column', 'https://www.a.gov.cn/ndbg/', { bodyId: 'body-a', time: '2025-03-02T00:00:00.000Z' }));

    const deps = {
      bodies: new Map(loadRegistry(registry).bodies.map((x) => [x.id, x])),
      reports: local.store,
      state: local.state,
      captures: local.store,
      bucket: 'archive',
      // A page ends after its first body-year with lines: the command must follow the cursors.
      pageBytes: 1,
    } as unknown as ApiDeps;
    server = createServer(async (req, res) => {
      const url = new URL(req.url!, `http://${req.headers.host}`);
      seen.push(`${url.pathname}${url.search}`);
      if (url.pathname.startsWith('/s3/archive/blobs/sha256/')) {
        // S3 answering a presigned URL (its signature is S3's business, not checked here).
        const bytes = await local.archive.get(url.pathname.split('/').at(-1)!);
        if (!bytes) return void res.writeHead(404).end();
        const body = Buffer.from(bytes);
        if (damageS3) body[0] = body[0]! ^ 1;
        return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
      }
      let body = '';
      for await (const chunk of req) body += chunk;
      if (!(await signatureHolds(req, url, body))) {
        res.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"Forbidden"}');
        return;
      }
      if (throttleNext > 0 && !url.pathname.startsWith('/s3/')) {
        throttleNext--;
        return void res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"message":"Too Many Requests"}');
      }
      if (unavailable) return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"Service Unavailable"}');
      if (failLaterPages && url.searchParams.has('cursor'))
        return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"Internal Server Error"}');
      const route = routeOf(req.method!, url.pathname);
      if (!route) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      const event = {
        ...route,
        rawPath: url.pathname,
        body: body || undefined,
        isBase64Encoded: false,
        queryStringParameters: Object.fromEntries(url.searchParams),
        requestContext: { authorizer: { iam: { userArn: 'arn:aws-cn:iam::000000000000:user/watchdog' } } },
      } as unknown as APIGatewayProxyEventV2WithIAMAuthorizer;
      const r = (await routeApi(event, deps)) as APIGatewayProxyStructuredResultV2;
      res.writeHead(r.statusCode!, r.headers as Record<string, string>).end(r.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    // Presigned URLs point at this server's /s3/ (path style), as they would at S3.
    deps.s3 = new S3Client({ region: REGION, endpoint: `${api}/s3`, forcePathStyle: true, credentials: KEY });
  });

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await local?.close();
  });

  it('findings: the same lines and the same words as from the home, the pages followed', async () => {
    for (const format of ['csv', 'jsonl']) {
      const home_ = await nianbao(['--home', home, 'findings', '--year', '2024', '--registry', registry, '--format', format]);
      seen.length = 0;
      const remote = await nianbao(['findings', '--year', '2024', '--format', format, '--api', api]);
      expect(remote.stdout).toBe(home_.stdout);
      expect(remote.stderr).toBe(home_.stderr);
      expect(remote.code).toBe(home_.code);
      expect(seen.length).toBeGreaterThan(2); // a page a body-year with findings: the cursors were followed
      expect(seen[1]).toContain('cursor=body-a');
    }
    const warnings = await nianbao(['--json', 'findings', '--year', '2024', '--severity', 'warning', '--rule', 'fee-report', '--api', `${api}/`]);
    expect(JSON.parse(warnings.stdout).map((l: { body: string; rule: string }) => `${l.body} ${l.rule}`)).toEqual(['body-b FEE-REPORT']);
    expect(seen.at(-1)).toMatch(/rule=FEE-REPORT/);
    // A report found but never read is said, as from the home (exit 0: nothing that was read is missing).
    expect((await nianbao(['findings', '--year', '2024', '--api', api])).stderr).toContain('1 reports found were not read');
  });

  it('export: the same CSV and JSON lines as from the home, with the unread figures and the reports that gave none named', async () => {
    for (const format of ['csv', 'jsonl']) {
      const home_ = await nianbao(['--home', home, 'export', '--year', '2024', '--registry', registry, '--format', format]);
      const remote = await nianbao(['export', '--year', '2024', '--format', format, '--api', api]);
      expect(remote.stdout).toBe(home_.stdout);
      expect(remote.stderr).toBe(home_.stderr);
      expect(remote.code).toBe(0);
    }
    const r = await nianbao(['export', '--year', '2024', '--api', api]);
    expect(r.stdout.split('\n')).toHaveLength(6); // header, four rows, the final newline
    expect(r.stderr).toContain('1 figures could not be read');
    expect(r.stderr).toContain('1 reports found were not read, so have no figures (nianbao status says why): body-d');
    expect(r.stderr).toContain('1 reports were read but gave no figures (no tables found, or only a scan: nianbao report says why): body-e');
  });

  it('captures and get: the same list as from the home, and the bytes verified against their sha256 before they are written', async () => {
    for (const args of [
      ['captures', 'body-a'],
      ['captures', 'body-a', '--year', '2024'],
      ['captures', 'https://www.a.gov.cn/a.html'],
    ]) {
      const home_ = await nianbao(['--home', home, '--json', ...args]);
      const remote = await nianbao(['--json', ...args, '--api', api]);
      expect(JSON.parse(remote.stdout), args.join(' ')).toEqual(JSON.parse(home_.stdout));
      expect(remote.code).toBe(0);
    }
    expect(JSON.parse((await nianbao(['--json', 'captures', 'body-a', '--api', api])).stdout).map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(['cap-2024', 'cap-column']),
    );
    const file = join(home, 'page.html');
    const got = await nianbao(['--json', 'get', 'cap-2024', '--api', api, '-o', file]);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual({ file, size: readFileSync(file).length, sha256: pageSha });
    expect(readFileSync(file, 'utf8')).toContain('甲区人民政府2024年');
    // Bytes that do not hash to the capture's sha256 are never written.
    damageS3 = true;
    try {
      const bad = join(home, 'bad.html');
      const r = await nianbao(['get', 'cap-2024', '--api', api, '-o', bad]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`not the archived ${pageSha}: nothing written`);
      expect(existsSync(bad)).toBe(false);
    } finally {
      damageS3 = false;
    }
    expect(await nianbao(['get', 'cap-column', '--api', api])).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('HTTP 404: capture cap-column archived no bytes'),
    });
    expect(await nianbao(['get', 'no-such-capture', '--api', api])).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('HTTP 404: capture no-such-capture not found'),
    });
    expect(await nianbao(['get', pageSha.slice(0, 12), '--api', api])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('with --api, give a capture id'),
    });
  });

  it('alerts: the same list as from the home; a false one dismissed through the API with its reason, kept', async () => {
    for (const args of [['alerts'], ['alerts', '--open']]) {
      const home_ = await nianbao(['--home', home, '--json', ...args]);
      const remote = await nianbao(['--json', ...args, '--api', api]);
      expect(JSON.parse(remote.stdout), args.join(' ')).toEqual(JSON.parse(home_.stdout));
      expect(JSON.parse(remote.stdout).length).toBe(args.length === 1 ? 2 : 1);
    }
    const r = await nianbao(['--json', 'alerts', 'dismiss', 'a-open', '--reason', '报告超过64MB为附件合集，已人工核对 read by hand', '--api', api]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dismissed: 'a-open', body: 'body-d', kind: 'unread', reason: expect.stringContaining('read by hand') });
    // The home the API reads has it dismissed, with the reason.
    const after = JSON.parse((await nianbao(['--home', home, '--json', 'alerts'])).stdout) as {
      id: string;
      state: string;
      dismissed: string;
      dismissed_by: string;
    }[];
    expect(after.find((a) => a.id === 'a-open')).toMatchObject({
      state: 'dismissed',
      dismissed: expect.stringContaining('read by hand'),
      dismissed_by: 'arn:aws-cn:iam::000000000000:user/watchdog', // who: the identity the API authorized
    });
    // From a home: this machine's user and host.
    const here = await nianbao(['--home', home, '--json', 'alerts', 'dismiss', 'a-resolved', '--reason', 'the portal was down for maintenance']);
    expect(JSON.parse(here.stdout)).toMatchObject({ dismissed: 'a-resolved', dismissed_by: expect.stringMatching(/^.+@.+$/) });
    expect(await nianbao(['alerts', 'dismiss', 'no-such', '--reason', 'x', '--api', api])).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('HTTP 404: alert no-such not found'),
    });
    expect(await nianbao(['alerts', 'dismiss', 'a-open', '--reason', '  ', '--api', api])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--reason'),
    });
  });

  it("status: the same table and the same JSON as from the home, the names from the deployment's registry", async () => {
    for (const args of [
      ['status', '--year', '2024'],
      ['--json', 'status', '--year', '2024'],
      ['--json', 'status', '--level', 'government'],
    ]) {
      const home_ = await nianbao(['--home', home, ...args]);
      const remote = await nianbao([...args, '--api', api]);
      expect(remote.stdout, args.join(' ')).toBe(home_.stdout);
      expect(remote.code).toBe(home_.code);
    }
    expect((await nianbao(['status', '--year', '2024', '--api', api])).stdout).toContain('丁街道办事处');
    expect(seen.some((p) => p.startsWith('/states'))).toBe(true);
  });

  it('throttled or not answered in time, a request is tried again; one that never passes is said after its attempts', async () => {
    const home_ = await nianbao(['--home', home, 'findings', '--year', '2024']);
    throttleNext = 2;
    const throttled = await nianbao(['findings', '--year', '2024', '--api', api]);
    expect(throttleNext).toBe(0);
    expect(throttled.stdout).toBe(home_.stdout);
    expect(throttled.code).toBe(home_.code);
    unavailable = true;
    try {
      const r = await nianbao(['export', '--year', '2024', '--api', api]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('HTTP 503 (not answered in time), 4 attempts');
    } finally {
      unavailable = false;
    }
  });

  it('report: the same text and JSON as from the home, the current source read again from its archived bytes', async () => {
    for (const args of [
      ['report', 'body-f', '2024'],
      ['--json', 'report', 'body-f', '2024'],
      ['--json', 'report', 'body-a', '2024'],
    ]) {
      const home_ = await nianbao(['--home', home, ...args]);
      const remote = await nianbao([...args, '--api', api]);
      expect(remote.stdout, args.join(' ')).toBe(home_.stdout);
      expect(remote.code, args.join(' ')).toBe(home_.code);
    }
    // The tables were read again from the bytes fetched through the API (the page's 859 applications).
    expect((await nianbao(['report', 'body-f', '2024', '--api', api])).stdout).toContain('859');
    expect(await nianbao(['report', 'no-such', '2024', '--api', api])).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('body no-such is not in the registry'),
    });
  });

  it('an API that fails half-way leaves no file that looks like the whole year', async () => {
    failLaterPages = true;
    try {
      for (const command of ['findings', 'export']) {
        const file = join(home, `${command}-cut.csv`);
        const r = await nianbao([command, '--year', '2024', '--api', api, '-o', file]);
        expect(r.code, command).toBe(1);
        expect(r.stderr).toMatch(/cursor|HTTP 500: Internal Server Error/);
        expect(existsSync(file)).toBe(false);
        expect(existsSync(`${file}.part`)).toBe(false);
      }
    } finally {
      failLaterPages = false;
    }
    const file = join(home, 'findings-whole.csv');
    expect((await nianbao(['findings', '--year', '2024', '--api', api, '-o', file])).code).toBe(0);
    expect(readFileSync(file, 'utf8').split('\n').length).toBeGreaterThan(3);
  });

  it('a signature the API refuses, an API that is not there and a region it cannot tell are one line each, exit 1 or 2', async () => {
    const refused = await nianbao(['findings', '--year', '2024', '--api', api], { AWS_SECRET_ACCESS_KEY: 'not-the-key' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/HTTP 403: Forbidden \(the AWS identity signing it needs execute-api:Invoke on the API\)/);
    const closed = await nianbao(['export', '--year', '2024', '--api', 'http://127.0.0.1:9/']);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/127\.0\.0\.1:9\/figures: the API could not be reached/);
    const noRegion = await nianbao(['findings', '--year', '2024', '--api', api], { AWS_REGION: '', AWS_DEFAULT_REGION: '' });
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toContain('its region cannot be told from the address; set AWS_REGION');
    expect(await nianbao(['findings', '--year', '2024', '--api', 'ftp://x'])).toMatchObject({ code: 2 });
    // The region is read from an API Gateway address; AWS_REGION is only for another address (a custom domain).
    expect(regionOfApi(new URL('https://abc123.execute-api.cn-north-1.amazonaws.com.cn/'))).toBe('cn-north-1');
    expect(regionOfApi(new URL('https://abc123.execute-api.us-east-1.amazonaws.com'))).toBe('us-east-1');
    expect(regionOfApi(new URL('https://api.nianbao.example/'))).toBeUndefined();
  });
});
