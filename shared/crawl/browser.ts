/**
 * The browser adapter of the Renderer port: playwright-core 1.59.1 driving @sparticuz/chromium 147.0.0 (a
 * pinned pair, DESIGN.md §8). One browser per run, launched on first use with a fresh user-data-dir that is
 * deleted on close (one persistent context: @sparticuz's --single-process Chromium cannot open a second
 * context, and a challenge cookie is then kept for the run's later pages); pages closed before the
 * browser; a hard time limit per page. A challenge page (412 + `$_ts`, "请稍候") is given time to set its cookie and reload; if it is
 * still a challenge afterwards the outcome is `blocked`, never "no report".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium as playwright, type BrowserContext, type Response } from 'playwright-core';
import chromium from '@sparticuz/chromium';
import { decodeBytes } from '../report/decode.ts';
import { addressAllowed } from './address.ts';
import { isChallenge } from './challenge.ts';
import { DEFAULT_CONTACT } from './fetcher.ts';
import type { RenderResult, Renderer } from './renderer.ts';

export interface BrowserOptions {
  userAgent?: string;
  /** Per page, including challenge reloads. */
  timeoutMs?: number;
  /** Egress proxy (the same one as the HTTP fetcher). */
  proxy?: string;
  /** A Chromium binary to use instead of @sparticuz/chromium's (e.g. Debian's /usr/bin/chromium). */
  executablePath?: string;
}

const CAPTURED = /json|xml|javascript/i;

export class BrowserRenderer implements Renderer {
  private context: Promise<BrowserContext> | null = null;
  private profile: string | null = null;
  /** Launch times (ms), for the benchmark. */
  readonly launches: number[] = [];

  constructor(private readonly o: BrowserOptions = {}) {}

  private launch(): Promise<BrowserContext> {
    this.context ??= (async () => {
      const t = Date.now();
      const executablePath = this.o.executablePath ?? (await chromium.executablePath());
      this.profile = mkdtempSync(join(tmpdir(), 'nianbao-chromium-'));
      const c = await playwright.launchPersistentContext(this.profile, {
        executablePath,
        args: [...chromium.args, '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
        headless: true,
        proxy: this.o.proxy ? { server: this.o.proxy } : undefined,
        userAgent: `${this.o.userAgent ?? 'nianbao/0.1'} (+${DEFAULT_CONTACT}; government annual-report watchdog) Chrome`,
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
    const timeout = this.o.timeoutMs ?? 30_000;
    const result: RenderResult = {
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
    const host = new URL(url).hostname;
    if (/^[\d.]+$/.test(host) && !addressAllowed(host)) return { ...result, outcome: 'unsafe_address', error: `${host}: unsafe` };
    const context = await this.launch();
    const page = await context.newPage();
    const pending: Promise<void>[] = [];
    // Status of the document now shown (a challenge's reload replaces the first 412).
    let docStatus: number | null = null;
    page.on('response', (res: Response) => {
      if (res.request().isNavigationRequest() && res.frame() === page.mainFrame()) {
        docStatus = res.status();
        result.responseHeaders = res.headers();
      }
      const type = res.headers()['content-type'] ?? '';
      if (!CAPTURED.test(type) || res.request().resourceType() === 'script') return;
      pending.push(
        res
          .body()
          .then((b) => void result.responses.push({ url: res.url(), status: res.status(), contentType: type, body: decodeBytes(b, type).text }))
          .catch(() => undefined),
      );
    });
    const left = () => Math.max(500, timeout - (Date.now() - started));
    try {
      await page.goto(url, { waitUntil: 'load', timeout });
      await page.waitForLoadState('networkidle', { timeout: left() }).catch(() => undefined);
      let html = await page.content();
      const challenged = () => isChallenge((docStatus as number | null) ?? 200, html);
      // A challenge sets a cookie and reloads itself; give it the time left.
      for (let i = 0; i < 3 && challenged() && Date.now() - started < timeout; i++) {
        await page.waitForNavigation({ timeout: left() }).catch(() => null);
        await page.waitForLoadState('networkidle', { timeout: Math.min(5000, left()) }).catch(() => undefined);
        html = await page.content();
      }
      await Promise.all(pending);
      result.status = docStatus;
      result.finalUrl = page.url();
      result.text = html;
      result.body = new Uint8Array(Buffer.from(html));
      const status = (docStatus as number | null) ?? 200;
      result.outcome = challenged() ? 'blocked' : status === 404 ? 'not_found' : status === 410 ? 'gone' : status >= 400 ? 'blocked' : 'ok';
    } catch (e) {
      result.outcome = /Timeout/i.test((e as Error).name) ? 'timeout' : 'connection_error';
      result.error = (e as Error).message.split('\n')[0];
    } finally {
      await page.close().catch(() => undefined);
    }
    result.ms = Date.now() - started;
    return result;
  }

  async close(): Promise<void> {
    if (this.context) await (await this.context).close().catch(() => undefined);
    this.context = null;
    if (this.profile) rmSync(this.profile, { recursive: true, force: true });
    this.profile = null;
  }
}
