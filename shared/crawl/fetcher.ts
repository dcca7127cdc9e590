/**
 * The Fetcher port and its HTTP adapter (undici). Polite: an honest User-Agent with a contact URL,
 * robots.txt, one request at a time per origin with a delay, Crawl-delay and Retry-After honoured,
 * exponential backoff with jitter on 429/5xx/timeouts within a retry budget. Safe: timeouts, a body size
 * limit (also after decompression), a redirect limit with loop detection, public addresses only. Every
 * fetch ends in one outcome (outcomes.ts) and returns the raw bytes and all headers for archiving.
 */
import { PRODUCT } from '../version.ts';
import { constants as zlibConstants, brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import { decodeBytes, UnsupportedEncodingError } from '../report/decode.ts';
import { systemClock, type ArchiveStore, type CaptureLogReader, type Clock, type PreviousCapture } from '../store/ports.ts';
import { checkHost, safeLookup } from './address.ts';
import { isChallenge } from './challenge.ts';
import { RETRYABLE, type FetchOutcome } from './outcomes.ts';
import { TimeBudgetExhausted, type TimeBudget } from './budget.ts';
import { PolitenessGate } from './politeness.ts';
import { RobotsCache } from './robots.ts';

export interface FetchRequest {
  url: string;
  method?: 'GET' | 'POST' | undefined;
  /** Form body for POST (Hanweb dataproxy.jsp). */
  form?: Record<string, string> | undefined;
  headers?: Record<string, string> | undefined;
  /** Send If-None-Match / If-Modified-Since from the last capture (default true). */
  conditional?: boolean | undefined;
  /** Charset to decode with when the portal declares none or lies (the registry's `encoding` hint). */
  encoding?: string | undefined;
}

export interface FetchResult {
  url: string;
  finalUrl: string;
  redirects: string[];
  method: 'GET' | 'POST';
  status: number | null;
  outcome: FetchOutcome;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  /** The body as received after transfer/content decoding (docs/store.md); null when there is none. */
  body: Uint8Array | null;
  contentType: string | null;
  /** Decoded text for HTML/text/XML/JSON bodies (charset: header → BOM → meta → detection). */
  text: string | null;
  startedAt: string;
  ms: number;
  attempts: number;
  via: 'static' | 'browser';
  error?: string | undefined;
}

/** The port the crawler's domain code uses. */
export interface Fetcher {
  fetch(req: FetchRequest): Promise<FetchResult>;
}

export interface HttpFetcherOptions {
  userAgent?: string;
  /** Contact URL put in the User-Agent. */
  contact?: string;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Minimum delay between two requests to one origin. */
  minDelayMs?: number;
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Retries allowed over the fetcher's life (a run). */
  retryBudget?: number;
  /** Longest Retry-After honoured; beyond it the fetch ends as rate_limited. */
  maxRetryAfterMs?: number;
  /**
   * The caller's time budget (budget.ts): no request is started, and no retry waited for, that cannot end
   * within it; `TimeBudgetExhausted` is thrown instead of a result.
   */
  budget?: TimeBudget | undefined;
  /** HTTP(S) egress proxy URL (Chinese portals may block foreign addresses). */
  proxy?: string | undefined;
  robots?: boolean;
  clock?: Clock;
  /**
   * Conditional GET (RFC 9110 §13): If-None-Match / If-Modified-Since from the URL's last capture, and on 304 the
   * bytes of that capture read back from the archive — a 304 is "unchanged", never "nothing read".
   */
  revalidate?: { log: CaptureLogReader; archive: Pick<ArchiveStore, 'get'> } | undefined;
  random?: () => number;
}

export const DEFAULT_CONTACT = 'https://github.com/nianbao/nianbao#contact';

/** The contact put in the User-Agent: `NIANBAO_CONTACT` (a URL or mailto: of whoever runs the watchdog), else the project's. */
export const contactUrl = (): string => process.env.NIANBAO_CONTACT || DEFAULT_CONTACT;

const TEXTUAL = /html|text|xml|json|javascript/i;

class TooLarge extends Error {}

/** Reads a response body up to `max` bytes. */
async function readBody(body: Dispatcher.ResponseData['body'], max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) {
      body.destroy();
      throw new TooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function decompress(raw: Buffer, encoding: string | undefined, max: number): Buffer {
  const enc = (encoding ?? '').toLowerCase().trim();
  const opts = { maxOutputLength: max };
  try {
    if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(raw, opts);
    if (enc === 'deflate') return inflateSync(raw, opts);
    if (enc === 'br') return brotliDecompressSync(raw, { ...opts, params: { [zlibConstants.BROTLI_PARAM_SIZE_HINT]: 0 } });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new TooLarge();
    throw e;
  }
  return raw;
}

function headerRecord(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function outcomeOfStatus(status: number): FetchOutcome {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 304) return 'not_modified';
  if (status === 404) return 'not_found';
  if (status === 410) return 'gone';
  if (status === 401 || status === 403 || status === 412 || status === 451) return 'blocked';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'client_error';
}

function outcomeOfError(e: unknown): FetchOutcome {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err.code ?? err.cause?.code ?? '';
  const name = err.name ?? '';
  if (e instanceof TooLarge) return 'too_large';
  if (code === 'EUNSAFEADDRESS' || err.cause?.code === 'EUNSAFEADDRESS') return 'unsafe_address';
  if (/Timeout|Abort/.test(name) || /TIMEOUT/.test(code)) return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns_error';
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_SSL/.test(code) || /certificate|ssl|tls/i.test(err.message ?? '')) return 'tls_error';
  return 'connection_error';
}

/** Retry-After (seconds or an HTTP date) in ms from `now`. */
export function retryAfterMs(value: string | undefined, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export class HttpFetcher implements Fetcher {
  private readonly o: Required<Omit<HttpFetcherOptions, 'proxy' | 'revalidate' | 'budget'>> & Pick<HttpFetcherOptions, 'proxy' | 'revalidate' | 'budget'>;
  private readonly dispatcher: Dispatcher;
  private readonly gate: PolitenessGate;
  private readonly robots: RobotsCache;
  private retriesLeft: number;
  readonly userAgent: string;

  constructor(options: HttpFetcherOptions = {}) {
    this.o = {
      userAgent: options.userAgent ?? PRODUCT,
      contact: options.contact ?? contactUrl(),
      timeoutMs: options.timeoutMs ?? 30_000,
      maxBytes: options.maxBytes ?? 30 * 1024 * 1024,
      maxRedirects: options.maxRedirects ?? 8,
      minDelayMs: options.minDelayMs ?? 2_000,
      retries: options.retries ?? 3,
      backoffBaseMs: options.backoffBaseMs ?? 2_000,
      backoffMaxMs: options.backoffMaxMs ?? 60_000,
      retryBudget: options.retryBudget ?? 100,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 10 * 60_000,
      robots: options.robots ?? true,
      clock: options.clock ?? systemClock,
      random: options.random ?? Math.random,
      proxy: options.proxy,
      revalidate: options.revalidate,
      budget: options.budget,
    };
    this.userAgent = `${this.o.userAgent} (+${this.o.contact}; government annual-report watchdog)`;
    const connect = { lookup: safeLookup as never, timeout: this.o.timeoutMs };
    this.dispatcher = this.o.proxy
      ? new ProxyAgent({ uri: this.o.proxy, connect })
      : new Agent({ connect, headersTimeout: this.o.timeoutMs, bodyTimeout: this.o.timeoutMs });
    this.gate = new PolitenessGate(this.o.clock, this.o.minDelayMs);
    this.retriesLeft = this.o.retryBudget;
    this.robots = new RobotsCache(this.o.userAgent, async (url) => {
      const r = await this.attemptChain({ url, conditional: false }, false);
      return { status: r.status, text: r.outcome === 'ok' ? r.text : null };
    });
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  async fetch(req: FetchRequest): Promise<FetchResult> {
    return this.attemptChain(req, this.o.robots);
  }

  /** One fetch with redirects, each hop checked (address, robots) and paced per origin. */
  private async attemptChain(req: FetchRequest, useRobots: boolean): Promise<FetchResult> {
    const started = this.o.clock.now();
    const method = req.method ?? 'GET';
    const base: FetchResult = {
      url: req.url,
      finalUrl: req.url,
      redirects: [],
      method,
      status: null,
      outcome: 'bad_url',
      requestHeaders: {},
      responseHeaders: {},
      body: null,
      contentType: null,
      text: null,
      startedAt: new Date(started).toISOString(),
      ms: 0,
      attempts: 0,
      via: 'static',
    };
    const seen = new Set<string>();
    let current = req.url;
    let currentReq = req;
    for (let hop = 0; ; hop++) {
      let url: URL;
      try {
        url = new URL(current);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported scheme ${url.protocol}`);
      } catch (e) {
        return { ...base, finalUrl: current, outcome: 'bad_url', error: (e as Error).message };
      }
      if (seen.has(url.href) || hop > this.o.maxRedirects) {
        return { ...base, finalUrl: url.href, outcome: 'redirect_loop', error: `redirect ${seen.has(url.href) ? 'loop' : 'limit'} at ${url.href}` };
      }
      seen.add(url.href);
      const host = await checkHost(url.hostname);
      if (host !== 'ok') return { ...base, finalUrl: url.href, outcome: host === 'unsafe' ? 'unsafe_address' : 'dns_error', error: `${url.hostname}: ${host}` };
      if (useRobots) {
        const rules = await this.robots.rules(url.origin);
        const delay = rules.crawlDelaySeconds();
        if (delay) this.gate.setCrawlDelay(url.origin, delay);
        if (!rules.allowed(url.href)) return { ...base, finalUrl: url.href, outcome: 'robots_disallowed', error: 'disallowed by robots.txt' };
      }
      const r = await this.withRetries(url, currentReq);
      r.redirects = [...base.redirects];
      r.url = req.url;
      r.startedAt = base.startedAt;
      r.ms = this.o.clock.now() - started;
      const location = r.responseHeaders.location;
      if (r.status !== null && r.status >= 300 && r.status < 400 && r.status !== 304 && location) {
        base.redirects.push(url.href);
        current = new URL(location, url).href;
        // 303 (and, as browsers do, 301/302 after POST) continue as GET.
        if (r.status === 303 || (method === 'POST' && r.status <= 302)) currentReq = { ...req, method: 'GET', form: undefined };
        continue;
      }
      return r;
    }
  }

  /** One URL, retried with backoff on retryable outcomes, within the budget. */
  private async withRetries(url: URL, req: FetchRequest): Promise<FetchResult> {
    let last!: FetchResult;
    for (let attempt = 0; ; attempt++) {
      // The origin's politeness wait comes out of the time budget too.
      this.o.budget?.require(url.href, Math.max(0, this.gate.nextAt(url.origin) - this.o.clock.now()));
      last = await this.gate.run(url.origin, () => {
        this.o.budget?.require(url.href);
        return this.once(url, req);
      });
      last.attempts = attempt + 1;
      const retryable = RETRYABLE.has(last.outcome);
      if (!retryable || attempt >= this.o.retries || this.retriesLeft <= 0) return last;
      const after = retryAfterMs(last.responseHeaders['retry-after'], this.o.clock.now());
      if (after !== null && after > this.o.maxRetryAfterMs) return last;
      const backoff = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** attempt) * (0.5 + this.o.random() * 0.5);
      // A retry the time budget cannot wait for: the whole body is handed back, not concluded from one attempt.
      this.o.budget?.require(`${url.href} (retry after ${last.outcome})`, Math.max(after ?? 0, backoff));
      this.retriesLeft--;
      this.gate.deferUntil(url.origin, this.o.clock.now() + Math.max(after ?? 0, backoff));
    }
  }

  /**
   * A 304: the bytes are those of the last capture, read back from the archive. A 304 we did not ask for, or
   * whose bytes the archive does not hold, is asked again without validators.
   */
  private async fromArchive(result: FetchResult, prev: PreviousCapture | null, url: URL, req: FetchRequest): Promise<FetchResult> {
    const bytes = prev?.sha256 ? await this.o.revalidate?.archive.get(prev.sha256) : null;
    if (!bytes) return this.once(url, { ...req, conditional: false });
    result.body = bytes;
    result.contentType = prev!.contentType ?? result.responseHeaders['content-type'] ?? null;
    result.text = this.decode(bytes, result.contentType, req);
    return result;
  }

  private decode(bytes: Uint8Array, contentType: string | null, req: FetchRequest): string | null {
    if (!TEXTUAL.test(contentType ?? '') && contentType) return null;
    try {
      return decodeBytes(bytes, req.encoding ? `text/html; charset=${req.encoding}` : (contentType ?? undefined)).text;
    } catch (e) {
      // A charset no decoder knows: the page has no text for us (discovery says "does not decode"); anything else is a bug.
      if (e instanceof UnsupportedEncodingError) return null;
      throw e;
    }
  }

  /** The request's headers, and the validators of the last capture when a conditional GET can be made (304 → archive). */
  private async requestHeaders(url: URL, req: FetchRequest, method: string): Promise<{ headers: Record<string, string>; prev: PreviousCapture | null }> {
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,application/pdf,*/*;q=0.8',
      'accept-language': 'zh-CN,zh;q=0.9',
      'accept-encoding': 'gzip, deflate, br',
      ...Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    };
    if (req.form) headers['content-type'] = 'application/x-www-form-urlencoded; charset=UTF-8';
    if (req.conditional === false || !this.o.revalidate || method !== 'GET' || req.form) return { headers, prev: null };
    const prev = await this.o.revalidate.log.latest(url.href);
    // Only a capture whose bytes we hold can answer a 304.
    if (!prev?.sha256 || !(prev.etag || prev.lastModified)) return { headers, prev: null };
    if (prev.etag) headers['if-none-match'] = prev.etag;
    if (prev.lastModified) headers['if-modified-since'] = prev.lastModified;
    return { headers, prev };
  }

  /** A single request. */
  private async once(url: URL, req: FetchRequest): Promise<FetchResult> {
    const method = req.method ?? 'GET';
    const { headers, prev } = await this.requestHeaders(url, req, method);
    const result: FetchResult = {
      url: url.href,
      finalUrl: url.href,
      redirects: [],
      method,
      status: null,
      outcome: 'connection_error',
      requestHeaders: headers,
      responseHeaders: {},
      body: null,
      contentType: null,
      text: null,
      startedAt: new Date(this.o.clock.now()).toISOString(),
      ms: 0,
      attempts: 1,
      via: 'static',
    };
    // Within the time budget: a timeout shortened to fit is ours, not the portal's (thrown below, not returned).
    const timeoutMs = Math.max(1, Math.min(this.o.timeoutMs, (this.o.budget?.remaining() ?? Infinity) - 1000));
    try {
      const res = await request(url, {
        method,
        headers,
        ...(req.form ? { body: new URLSearchParams(req.form).toString() } : {}),
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      return await this.answer(result, res, url, req, prev);
    } catch (e) {
      const outcome = outcomeOfError(e);
      if (outcome === 'timeout' && timeoutMs < this.o.timeoutMs)
        throw new TimeBudgetExhausted(`${url.href}: stopped after ${timeoutMs} ms, at the end of the time budget`);
      return { ...result, outcome, error: (e as Error).message };
    }
  }

  /** What the portal answered: its body (bounded, decompressed, decoded), the outcome, a 304 served from the archive. */
  private async answer(result: FetchResult, res: Dispatcher.ResponseData, url: URL, req: FetchRequest, prev: PreviousCapture | null): Promise<FetchResult> {
    result.status = res.statusCode;
    result.responseHeaders = headerRecord(res.headers as Record<string, string | string[] | undefined>);
    const length = Number(result.responseHeaders['content-length'] ?? NaN);
    if (length > this.o.maxBytes) {
      res.body.destroy();
      return { ...result, outcome: 'too_large', error: `content-length ${length} over ${this.o.maxBytes}` };
    }
    const raw = await readBody(res.body, this.o.maxBytes);
    const bytes = decompress(raw, result.responseHeaders['content-encoding'], this.o.maxBytes);
    result.body = bytes.length > 0 || res.statusCode < 300 ? new Uint8Array(bytes) : null;
    result.contentType = result.responseHeaders['content-type'] ?? null;
    if (result.body) result.text = this.decode(result.body, result.contentType, req);
    result.outcome = outcomeOfStatus(res.statusCode);
    if (result.outcome === 'not_modified') return this.fromArchive(result, prev, url, req);
    if ((result.outcome === 'ok' || result.outcome === 'blocked') && result.text !== null && isChallenge(res.statusCode, result.text))
      result.outcome = 'blocked';
    return result;
  }
}
