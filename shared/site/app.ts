/**
 * The live dashboard (`nianbao serve`): a Hono app over the local store, serving the same pages as the static site
 * at the same paths, plus what only a live server can do — download archived bytes and dismiss an alert.
 *
 * Safety (docs/architecture.md §dashboard):
 * - Archived bytes are never rendered from the dashboard's origin (a portal page can carry script): downloads only,
 *   `Content-Disposition: attachment`, `application/octet-stream`, `nosniff`, and a sandboxing CSP.
 * - Dismissing is the one state-changing request: Hono's CSRF middleware (Origin / Sec-Fetch-Site must be this
 *   server) and a per-process form token, both required.
 * - Bound to loopback, the server answers only requests whose Host is that loopback address (DNS rebinding: a
 *   hostile page cannot turn its own name into 127.0.0.1 and read the dashboard).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import { attachmentDisposition, captureFileName } from '../archive/filename.ts';
import { BlobCorruptError, verifiedBlob } from '../archive/verify.ts';
import type { Alert, ArchiveStore, CaptureLog } from '../store/ports.ts';
import { DamagedLog } from '../store/records.ts';
import { ASSET_TYPES, assetBytes, isSiteAsset } from './assets.ts';
import { alertsView, bodyView, overviewData, reportView, type SiteSources, yearView } from './data.ts';
import type { PageContext } from './layout.ts';
import { CSV_TYPE, type Download, DOWNLOAD_FILE, yearDownloads } from './downloads.ts';
import { alertsPage } from './pages/alerts.ts';
import { bodyPage } from './pages/body.ts';
import { overviewPage, overviewScript } from './pages/overview.ts';
import { reportPage } from './pages/report.ts';
import { yearPage, yearsPage } from './pages/years.ts';
import { rootOf } from './static.ts';

export interface LiveOptions {
  src: SiteSources & { captures: Pick<CaptureLog, 'byBody' | 'bySha256'> };
  archive: Pick<ArchiveStore, 'get'>;
  /** Dismisses an alert (alerts/decide.ts dismissAlert on the store). */
  dismiss(id: string, reason: string): Promise<Alert | null>;
  /**
   * Host headers accepted (`127.0.0.1:8080` …, loopbackHosts), asked per request (the port is known once listening);
   * undefined: any (the server was bound to a public address on purpose).
   */
  allowedHosts?: () => string[] | undefined;
  /** The secret behind the form token (random per process unless given: tests give one). */
  secret?: Buffer;
}

const SHA256 = /^[0-9a-f]{64}$/;
const YEAR_FILE = /^(\d{4})\.html$/;

/** The hosts a server bound to `host:port` answers as: its own address, and `localhost` for a loopback bind. */
export function loopbackHosts(host: string, port: number): string[] | undefined {
  const loopback = ['127.0.0.1', 'localhost', '::1', '[::1]'];
  if (!loopback.includes(host) && !host.startsWith('127.')) return undefined;
  return [...new Set([host.includes(':') && !host.startsWith('[') ? `[${host}]` : host, ...loopback.filter((h) => h !== '::1')])].map((h) => `${h}:${port}`);
}

export function siteApp(o: LiveOptions): Hono {
  const token = createHmac('sha256', o.secret ?? randomBytes(32))
    .update('nianbao dismiss')
    .digest('base64url');
  const app = new Hono();
  // Records that could not be read are left out of a page, which says how many it left out (ListOptions): counted
  // per request, so a record repaired since is no longer counted.
  const damaged = new AsyncLocalStorage<DamagedLog>();
  const live: LiveOptions = { ...o, src: { ...o.src, onDamaged: (e) => damaged.getStore()?.onDamaged(e) } };
  const ctx = (path: string): PageContext => ({
    mode: 'live',
    root: rootOf(path),
    generatedAt: new Date(o.src.now()).toISOString(),
    csrfToken: token,
    damaged: damaged.getStore()?.errors.length ?? 0,
  });
  app.use('*', (_, next) => damaged.run(new DamagedLog(), next));
  guards(app, o);
  pageRoutes(app, live, ctx);
  archiveRoute(app, o);
  dismissRoute(app, o, token);
  app.notFound((c) => notFound(c.req.path));
  return app;
}

/** The Host check (DNS rebinding), the pages' security headers, and CSRF on the alerts' forms. */
function guards(app: Hono, o: LiveOptions): void {
  app.use('*', async (c, next) => {
    const allowed = o.allowedHosts?.();
    if (allowed && !allowed.includes(c.req.header('host') ?? '')) return c.text('421 this dashboard answers on its own address only / 仅限本机地址', 421);
    await next();
  });
  const pageHeaders = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"], // ECharts' SVG renderer styles through the DOM, which this policy allows
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: false, // plain HTTP on loopback
  });
  // Archived bytes carry their own, stricter headers (archiveRoute): the pages' policy must not replace them.
  app.use('*', (c, next) => (c.req.path.startsWith('/archive/') ? next() : pageHeaders(c, next)));
  app.use('/alerts/*', csrf());
}

const htmlResponse = (body: string | null, what: string) =>
  body === null ? notFound(what) : new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } });

function notFound(what: string): Response {
  return new Response(
    `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>404</title><p>没有记录 nothing stored: ${escapeText(what)}</p><p><a href="/index.html">总览 overview</a></p></html>`,
    { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' } },
  );
}

/** The pages, at the static site's paths. Each page's context is made after its data is read: it counts the records the reading left out. */
function pageRoutes(app: Hono, o: LiveOptions, ctx: (path: string) => PageContext): void {
  app.get('/', (c) => c.redirect('/index.html'));
  app.get('/index.html', () => htmlResponse(overviewPage(ctx('index.html')), ''));
  app.get(
    '/data/overview.js',
    async () =>
      new Response(overviewScript(await overviewData(o.src)), { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' } }),
  );
  app.get('/assets/:name', (c) => {
    const name = c.req.param('name');
    if (!isSiteAsset(name)) return c.notFound();
    return new Response(new Uint8Array(assetBytes(name)), { headers: { 'content-type': ASSET_TYPES[name], 'cache-control': 'max-age=3600' } });
  });
  app.get('/alerts.html', async (c) => {
    const id = c.req.query('dismissed');
    const v = await alertsView(o.src);
    return htmlResponse(alertsPage(ctx('alerts.html'), v, id ? `已忽略 dismissed: ${id}` : undefined), '');
  });
  app.get('/years.html', async () => {
    const years = [...new Set((await o.src.state.states(undefined, o.src)).map((s) => s.year))].sort((a, b) => b - a);
    const views = await Promise.all(years.map((y) => yearView(o.src, y)));
    return htmlResponse(yearsPage(ctx('years.html'), views), '');
  });
  app.get('/year/:file', async (c) => {
    const d = DOWNLOAD_FILE.exec(c.req.param('file'));
    if (d) {
      const files = await yearDownloads(o.src, Number(d[1]));
      return new Response(files[d[2] as Download], {
        headers: { 'content-type': CSV_TYPE, 'content-disposition': `attachment; filename="nianbao-${d[1]}-${d[2]}.csv"` },
      });
    }
    const m = YEAR_FILE.exec(c.req.param('file'));
    if (!m) return notFound(c.req.path);
    const v = await yearView(o.src, Number(m[1]));
    return htmlResponse(yearPage(ctx('year/x'), v), '');
  });
  app.get('/body/:file', async (c) => {
    const id = c.req.param('file').replace(/\.html$/, '');
    const v = await bodyView(o.src, id, undefined, { leaveOut: true });
    return htmlResponse(v && bodyPage(ctx('body/x'), v), id);
  });
  app.get('/report/:id/:file', async (c) => {
    const m = YEAR_FILE.exec(c.req.param('file'));
    const id = c.req.param('id');
    const v = m ? await reportView(o.src, id, Number(m[1]), undefined, { leaveOut: true }) : null;
    return htmlResponse(v && reportPage(ctx('report/x/y'), v), `${id} ${c.req.param('file')}`);
  });
}

/** Archived bytes: verified, and only ever a download (a portal page can carry script). */
function archiveRoute(app: Hono, o: LiveOptions): void {
  app.get('/archive/:sha', async (c) => {
    const sha = c.req.param('sha');
    if (!SHA256.test(sha)) return c.text('400 not a sha256 / 不是 sha256', 400);
    let bytes: Uint8Array | null;
    try {
      bytes = await verifiedBlob(o.archive, sha);
    } catch (e) {
      if (e instanceof BlobCorruptError) return c.text(`500 ${e.message}`, 500);
      throw e;
    }
    if (!bytes) return c.text(`404 no blob ${sha} / 没有该存档`, 404);
    const capture = (await o.src.captures.bySha256(sha, { limit: 1 })).items[0];
    return new Response(new Uint8Array(bytes), {
      headers: {
        'content-type': 'application/octet-stream',
        'content-disposition': attachmentDisposition(capture ? captureFileName(capture.url) : `${sha}.bin`),
        'x-content-type-options': 'nosniff',
        'content-security-policy': "sandbox; default-src 'none'",
        'cache-control': 'private, max-age=31536000, immutable',
      },
    });
  });
}

/** The one state-changing request: the form token (besides the CSRF middleware) and a reason are required. */
function dismissRoute(app: Hono, o: LiveOptions, token: string): void {
  app.post('/alerts/:id/dismiss', async (c) => {
    const form = await c.req.parseBody();
    const given = typeof form.csrf === 'string' ? Buffer.from(form.csrf) : Buffer.alloc(0);
    if (given.length !== token.length || !timingSafeEqual(given, Buffer.from(token)))
      return c.text('403 the form is stale or foreign: reload the page / 表单已失效', 403);
    const reason = typeof form.reason === 'string' ? form.reason.trim() : '';
    if (reason.length < 3 || reason.length > 500) return c.text('400 a reason of 3 to 500 characters is needed / 请填写理由（3–500字）', 400);
    const id = c.req.param('id');
    const done = await o.dismiss(id, reason);
    if (!done) return c.text(`404 no alert ${id} / 没有该提醒`, 404);
    return c.redirect(`/alerts.html?dismissed=${encodeURIComponent(id)}`, 303);
  });
}

const escapeText = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
