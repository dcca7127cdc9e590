/**
 * The browser adapter of the Renderer port: playwright-core 1.59.1 driving @sparticuz/chromium 147.0.0 (a
 * pinned pair, CONTRIBUTING.md). One browser per run, launched on first use with a fresh user-data-dir that is
 * deleted on close (one persistent context: @sparticuz's --single-process Chromium cannot open a second
 * context, and a challenge cookie is then kept for the run's later pages); pages closed before the
 * browser; a hard time limit per page. A challenge page (412 + `$_ts`, "请稍候") is given time to set its cookie and reload; if it is
 * still a challenge afterwards the outcome is `blocked`, never "no report".
 */
import { PRODUCT } from '../version.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium as playwright, type BrowserContext, type Page, type Response } from 'playwright-core';
import chromium from '@sparticuz/chromium';
import { decodeBytes } from '../report/decode.ts';
import { checkHost } from './address.ts';
import { isChallenge } from './challenge.ts';
import { contactUrl } from './fetcher.ts';
import { REFUSED_HEADER, startGuardProxy, type GuardProxy } from './guard-proxy.ts';
import type { RenderResult, Renderer } from './renderer.ts';
import { TimeBudgetExhausted, type TimeBudget } from './budget.ts';

export interface BrowserOptions {
  userAgent?: string | undefined;
  /** Per page, including challenge reloads. */
  timeoutMs?: number | undefined;
  /** Egress proxy (the same one as the HTTP fetcher). */
  proxy?: string | undefined;
  /** The caller's time budget (budget.ts). */
  budget?: TimeBudget | undefined;
  /** A Chromium binary to use instead of @sparticuz/chromium's (e.g. Debian's /usr/bin/chromium). */
  executablePath?: string | undefined;
}

const CAPTURED = /json|xml|javascript/i;

export class BrowserRenderer implements Renderer {
  private context: Promise<BrowserContext> | null = null;
  private profile: string | null = null;
  private guard: GuardProxy | null = null;
  /** Launch times (ms), for the benchmark. */
  readonly launches: number[] = [];

  constructor(private readonly o: BrowserOptions = {}) {}

  private launch(): Promise<BrowserContext> {
    this.context ??= (async () => {
      const t = Date.now();
      const executablePath = this.o.executablePath ?? (await chromium.executablePath());
      this.profile = mkdtempSync(join(tmpdir(), 'nianbao-chromium-'));
      // Every request of the browser goes through the guard (guard-proxy.ts), which goes on to the egress proxy if any.
      this.guard = await startGuardProxy({ upstream: this.o.proxy });
      const c = await playwright.launchPersistentContext(this.profile, {
        executablePath,
        args: [
          ...chromium.args,
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--webrtc-ip-handling-policy=disable_non_proxied_udp',
          '--force-webrtc-ip-handling-policy',
        ],
        headless: true,
        proxy: { server: this.guard.url },
        userAgent: `${this.o.userAgent ?? PRODUCT} (+${contactUrl()}; government annual-report watchdog) Chrome`,
        locale: 'zh-CN',
        serviceWorkers: 'block',
      });
      this.launches.push(Date.now() - t);
      return c;
    })();
    return this.context;
  }

  async render(url: string): Promise<RenderResult> {
    const started = Date.now();
    this.o.budget?.require(url);
    const full = this.o.timeoutMs ?? 30_000;
    // Within the time budget (budget.ts): a page cut short to fit is handed back, not reported as a timeout.
    const timeout = Math.max(1000, Math.min(full, (this.o.budget?.remaining() ?? Infinity) - 1000));
    const result = blankResult(url, started);
    const refusal = await targetProblem(url);
    if (refusal) return { ...result, ...refusal };
    const page = await (await this.launch()).newPage();
    const doc = this.watch(page, result);
    try {
      const html = await settle(page, url, timeout, started, doc);
      await Promise.all(doc.pending);
      const status = doc.status ?? 200;
      Object.assign(result, { status: doc.status, finalUrl: page.url(), text: html, body: new Uint8Array(Buffer.from(html)) });
      result.outcome = isChallenge(status, html) ? 'blocked' : status === 404 ? 'not_found' : status === 410 ? 'gone' : status >= 400 ? 'blocked' : 'ok';
    } catch (e) {
      if (/Timeout/i.test((e as Error).name) && timeout < full)
        throw new TimeBudgetExhausted(`${url}: rendering stopped after ${timeout} ms, at the end of the time budget`);
      result.outcome = /Timeout/i.test((e as Error).name) ? 'timeout' : 'connection_error';
      result.error = (e as Error).message.split('\n')[0];
    } finally {
      await page.close().catch(() => undefined); // a page of a browser already gone: nothing left to close
    }
    // The page (or a redirect of it) led to an address the guard refused: nothing of it is kept.
    if (doc.refused) Object.assign(result, { outcome: 'unsafe_address', error: `${doc.refused}: not a public address`, body: null, text: null, responses: [] });
    result.ms = Date.now() - started;
    return result;
  }

  /**
   * Follows the page's responses: the status and headers of the document shown (a challenge's reload replaces the
   * first 412), whether the guard refused the document's address, and the textual responses kept beside the DOM.
   */
  private watch(page: Page, result: RenderResult): DocumentWatch {
    const doc: DocumentWatch = { status: null, refused: null, pending: [] };
    page.on('requestfailed', (req) => {
      const host = new URL(req.url()).hostname.replace(/^\[|\]$/g, '');
      if (req.isNavigationRequest() && req.frame() === page.mainFrame() && this.guard!.refused.some((r) => r.host === host)) doc.refused = req.url();
    });
    page.on('response', (res: Response) => {
      if (res.request().isNavigationRequest() && res.frame() === page.mainFrame()) {
        doc.status = res.status();
        result.responseHeaders = res.headers();
        if (res.headers()[REFUSED_HEADER]) doc.refused = res.url();
      }
      const type = res.headers()['content-type'] ?? '';
      if (!CAPTURED.test(type) || res.request().resourceType() === 'script') return;
      doc.pending.push(
        res
          .body()
          .then((b) => void result.responses.push({ url: res.url(), status: res.status(), contentType: type, body: decodeBytes(b, type).text }))
          // A response whose body the browser no longer holds (a redirect, an aborted load) is simply not kept.
          .catch(() => undefined),
      );
    });
    return doc;
  }

  async close(): Promise<void> {
    if (this.context) await (await this.context).close().catch(() => undefined);
    this.context = null;
    await this.guard?.close();
    this.guard = null;
    if (this.profile) rmSync(this.profile, { recursive: true, force: true });
    this.profile = null;
  }
}

/** What the page's listeners learn about the document (BrowserRenderer.watch). */
interface DocumentWatch {
  status: number | null;
  refused: string | null;
  pending: Promise<void>[];
}

/** A render's result before anything is known: a connection error until the page answers. */
function blankResult(url: string, started: number): RenderResult {
  return {
    url,
    finalUrl: url,
    redirects: [],
    method: 'GET',
    status: null,
    outcome: 'connection_error',
    requestHeaders: {},
    responseHeaders: {},
    body: null,
    contentType: 'text/html; charset=utf-8',
    text: null,
    startedAt: new Date(started).toISOString(),
    ms: 0,
    attempts: 1,
    via: 'browser',
    responses: [],
  };
}

/** Why a URL is not rendered at all: not http(s), or a name that does not resolve to a public address. */
async function targetProblem(url: string): Promise<Pick<RenderResult, 'outcome' | 'error'> | null> {
  let target: URL;
  try {
    target = new URL(url);
  } catch (e) {
    return { outcome: 'bad_url', error: (e as Error).message };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return { outcome: 'bad_url', error: `unsupported scheme ${target.protocol}` };
  const host = await checkHost(target.hostname);
  return host === 'ok' ? null : { outcome: host === 'unsafe' ? 'unsafe_address' : 'dns_error', error: `${target.hostname}: ${host}` };
}

/**
 * Loads the page and lets it settle: the load event, the network quiet (not waited for beyond the time left: a page
 * that keeps polling is read as it is), and up to three reloads of a challenge that sets a cookie and reloads itself.
 */
async function settle(page: Page, url: string, timeout: number, started: number, doc: DocumentWatch): Promise<string> {
  const left = () => Math.max(500, timeout - (Date.now() - started));
  await page.goto(url, { waitUntil: 'load', timeout });
  await page.waitForLoadState('networkidle', { timeout: left() }).catch(() => undefined);
  let html = await page.content();
  for (let i = 0; i < 3 && isChallenge(doc.status ?? 200, html) && Date.now() - started < timeout; i++) {
    await page.waitForNavigation({ timeout: left() }).catch(() => null);
    await page.waitForLoadState('networkidle', { timeout: Math.min(5000, left()) }).catch(() => undefined);
    html = await page.content();
  }
  return html;
}
