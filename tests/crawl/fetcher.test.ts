/**
 * The HTTP fetcher against the replica portals on loopback (real HTTP servers, real sockets). Waits go
 * through a ManualClock, so politeness delays, Crawl-delay and Retry-After are asserted without sleeping.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, connect, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimeBudget, TimeBudgetExhausted } from '../../shared/crawl/budget.ts';
import { HttpFetcher, type HttpFetcherOptions } from '../../shared/crawl/fetcher.ts';
import { startReplica, type Replica } from '../../shared/demo/replica/server.ts';
import { ManualClock } from '../helpers/clock.ts';

let replica: Replica;
const fetchers: HttpFetcher[] = [];
beforeAll(async () => {
  process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1';
  replica = await startReplica();
});
afterAll(async () => {
  await Promise.all(fetchers.map((f) => f.close()));
  await replica.close();
  delete process.env.NIANBAO_ALLOW_PRIVATE_NETWORK;
});

function make(opts: HttpFetcherOptions = {}) {
  const clock = new ManualClock();
  const f = new HttpFetcher({ clock, minDelayMs: 1000, timeoutMs: 2000, retries: 2, backoffBaseMs: 500, random: () => 1, ...opts });
  fetchers.push(f);
  return { f, clock };
}
const q = (path: string) => `${replica.origin('quirks')}${path}`;

describe('HttpFetcher outcomes', () => {
  it('ok: bytes, decoded text and all headers; an honest User-Agent with a contact URL', async () => {
    const { f } = make({ contact: 'https://watchdog.example.org/contact' });
    const r = await f.fetch({ url: `${replica.origin('trs')}/zfxxgknb/index.html` });
    expect(r).toMatchObject({ outcome: 'ok', status: 200, via: 'static', attempts: 1 });
    expect(r.text).toContain('政府信息公开工作年度报告');
    expect(r.responseHeaders['content-type']).toMatch(/text\/html/);
    expect(r.requestHeaders['user-agent']).toMatch(/^nianbao\/.*watchdog\.example\.org\/contact/);
  });

  it('the User-Agent contact is the operator’s when NIANBAO_CONTACT says so', async () => {
    process.env.NIANBAO_CONTACT = 'mailto:watchdog@example.org';
    try {
      const { f } = make();
      expect((await f.fetch({ url: `${replica.origin('trs')}/zfxxgknb/index.html` })).requestHeaders['user-agent']).toMatch(
        /\(\+mailto:watchdog@example\.org; government annual-report watchdog\)$/,
      );
    } finally {
      delete process.env.NIANBAO_CONTACT;
    }
  });

  it('decodes GBK pages and gzip bodies (the stored bytes are the decoded body, Content-Encoding kept)', async () => {
    const { f } = make();
    const gbk = await f.fetch({ url: `${replica.origin('trsGbk')}/zfxxgknb/index.html` });
    expect(gbk.text).toMatch(/某某区人民政府2024年政府信息公开工作年度报告/);
    const gz = await f.fetch({ url: q('/gzip') });
    expect(gz.responseHeaders['content-encoding']).toBe('gzip');
    expect(Buffer.from(gz.body!).toString()).toContain('压缩的页面');
  });

  it.each([
    ['/missing', 'not_found', 404],
    ['/gone', 'gone', 410],
    ['/forbidden', 'blocked', 403],
  ] as const)('%s → %s', async (path, outcome, status) => {
    const { f } = make();
    expect(await f.fetch({ url: q(path) })).toMatchObject({ outcome, status });
  });

  it('a 412 JS challenge is blocked (an access failure, never "no report")', async () => {
    const { f } = make();
    const r = await f.fetch({ url: `${replica.origin('challenge')}/zfxxgknb/index.html` });
    expect(r).toMatchObject({ outcome: 'blocked', status: 412 });
  });

  it('honours robots.txt (Disallow) and its Crawl-delay', async () => {
    const { f, clock } = make({ minDelayMs: 100 });
    expect((await f.fetch({ url: q('/private/secret.html') })).outcome).toBe('robots_disallowed');
    await f.fetch({ url: q('/etag') });
    await f.fetch({ url: q('/gone') });
    expect(clock.sleeps.filter((s) => s === 3000).length).toBeGreaterThanOrEqual(1);
  });

  it('429 with Retry-After: waits as told (through the clock) and retries', async () => {
    const { f, clock } = make({ retries: 3 });
    const r = await f.fetch({ url: q('/ratelimited') });
    expect(r).toMatchObject({ outcome: 'ok', attempts: 3 });
    expect(clock.sleeps.filter((s) => s >= 7000).length).toBe(2);
  });

  it('5xx: exponential backoff, then server_error; the retry budget caps retries over a run', async () => {
    const { f, clock } = make({ retries: 3, backoffBaseMs: 500, minDelayMs: 0, robots: false });
    const r = await f.fetch({ url: q('/error') });
    expect(r).toMatchObject({ outcome: 'server_error', status: 503, attempts: 4 });
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
    const { f: g } = make({ retries: 3, retryBudget: 1, minDelayMs: 0, robots: false });
    expect((await g.fetch({ url: q('/error') })).attempts).toBe(2);
    expect((await g.fetch({ url: q('/error') })).attempts).toBe(1);
  });

  it('timeout, oversized bodies (declared or decompressed), redirect loops', async () => {
    const { f } = make({ timeoutMs: 300, retries: 0, maxBytes: 1024 * 1024 });
    expect((await f.fetch({ url: q('/slow') })).outcome).toBe('timeout');
    expect((await f.fetch({ url: q('/huge') })).outcome).toBe('too_large');
    expect((await f.fetch({ url: q('/gzip-bomb') })).outcome).toBe('too_large');
    const loop = await f.fetch({ url: q('/loop') });
    expect(loop).toMatchObject({ outcome: 'redirect_loop' });
    expect(loop.redirects).toHaveLength(2);
  });

  it('follows a redirect and records the chain', async () => {
    const { f } = make();
    const r = await f.fetch({ url: q('/moved') });
    expect(r).toMatchObject({ outcome: 'ok', finalUrl: q('/etag'), redirects: [q('/moved')] });
  });

  it('conditional GET from the last capture: 304 → not_modified with the archived bytes; without a capture log, a plain GET', async () => {
    const archived = new Map([['b'.repeat(64), new TextEncoder().encode('<p>versioned</p>')]]);
    const revalidate = {
      log: { latest: async (url: string) => ({ url, etag: '"v1"', sha256: 'b'.repeat(64), contentType: 'text/html; charset=utf-8' }) },
      archive: { get: async (sha: string) => archived.get(sha) ?? null },
    };
    const { f } = make({ revalidate });
    const r = await f.fetch({ url: q('/etag') });
    expect(r).toMatchObject({ outcome: 'not_modified', status: 304, text: '<p>versioned</p>' });
    expect(r.requestHeaders['if-none-match']).toBe('"v1"');
    const { f: plain } = make();
    expect((await plain.fetch({ url: q('/etag') })).outcome).toBe('ok');
    // The archive lost the bytes: the page is asked again without validators, never "nothing read".
    archived.clear();
    const again = await f.fetch({ url: q('/etag') });
    expect(again).toMatchObject({ outcome: 'ok', status: 200, text: '<p>versioned</p>' });
    expect(again.requestHeaders['if-none-match']).toBeUndefined();
  });

  it('one request at a time per origin, with the minimum delay between them', async () => {
    const { f, clock } = make({ minDelayMs: 1500, robots: false });
    const results = await Promise.all([1, 2, 3].map(() => f.fetch({ url: q('/etag') })));
    expect(results.map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok']);
    expect(clock.sleeps).toEqual([1500, 1500]);
  });
});

describe('the time budget (a Lambda invocation ends)', () => {
  const budgeted = (leftMs: number, minFetchMs: number, opts: HttpFetcherOptions = {}) => {
    const clock = new ManualClock();
    const budget = new TimeBudget(clock, minFetchMs);
    budget.setDeadline(clock.now() + leftMs);
    const f = new HttpFetcher({ clock, budget, minDelayMs: 0, timeoutMs: 30_000, retries: 3, backoffBaseMs: 500, random: () => 1, robots: false, ...opts });
    fetchers.push(f);
    return { f, clock };
  };

  it('a Retry-After the budget cannot wait for hands the work back (TimeBudgetExhausted), instead of sleeping past the end', async () => {
    // A portal that asks every other request to come back in 7 s.
    let n = 0;
    const server = createHttpServer((_req, res) => {
      if (n++ % 2 === 0) {
        res.writeHead(429, { 'retry-after': '7' });
        return res.end('slow down');
      }
      res.end('<p>ok after waiting</p>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    try {
      const { f, clock } = budgeted(10_000, 5_000);
      await expect(f.fetch({ url })).rejects.toThrow(TimeBudgetExhausted);
      expect(clock.sleeps.filter((s) => s >= 7000)).toEqual([]);
      // With time enough, the same fetch waits as told and succeeds.
      n = 0;
      const { f: g, clock: c2 } = budgeted(60_000, 5_000);
      expect(await g.fetch({ url })).toMatchObject({ outcome: 'ok', attempts: 2 });
      expect(c2.sleeps.filter((s) => s >= 7000)).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('a request is cut to the time left, and one cut short is ours — not a `timeout` of the portal', async () => {
    const { f } = budgeted(1_600, 100);
    await expect(f.fetch({ url: q('/slow') })).rejects.toThrow(/time budget/);
  });

  it('no request starts without the least fetch time left', async () => {
    let hits = 0;
    const server = createHttpServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const { f } = budgeted(1_000, 5_000);
      await expect(f.fetch({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })).rejects.toThrow(TimeBudgetExhausted);
      expect(hits).toBe(0);
      const { f: g } = budgeted(60_000, 5_000);
      expect((await g.fetch({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })).outcome).toBe('ok');
      expect(hits).toBe(1);
    } finally {
      server.close();
    }
  });
});

describe('the remaining outcomes', () => {
  it('client_error (400), rate_limited (429 beyond the retries or the longest Retry-After)', async () => {
    const { f } = make({ retries: 1, maxRetryAfterMs: 60_000 });
    expect(await f.fetch({ url: q('/bad-request') })).toMatchObject({ outcome: 'client_error', status: 400 });
    expect(await f.fetch({ url: q('/always-429') })).toMatchObject({ outcome: 'rate_limited', status: 429, attempts: 1 });
  });

  it('connection_error (nothing listens), tls_error (https to a plain-HTTP port), dns_error (no such name)', async () => {
    const { f } = make({ retries: 0, robots: false });
    expect((await f.fetch({ url: 'http://127.0.0.1:9/x' })).outcome).toBe('connection_error');
    expect((await f.fetch({ url: `${q('/etag').replace('http://', 'https://')}` })).outcome).toBe('tls_error');
    expect((await f.fetch({ url: 'http://no-such-portal.invalid/zfxxgknb/' })).outcome).toBe('dns_error');
  });

  it("decodes with the registry's encoding hint a page that declares no charset", async () => {
    const { f } = make();
    const hinted = await f.fetch({ url: q('/gbk-no-charset'), encoding: 'gbk' });
    expect(hinted.text).toContain('某某区2024年政府信息公开工作年度报告');
  });
});

describe('address safety', () => {
  it('refuses loopback and private addresses unless NIANBAO_ALLOW_PRIVATE_NETWORK=1', async () => {
    const { f } = make();
    delete process.env.NIANBAO_ALLOW_PRIVATE_NETWORK;
    try {
      expect((await f.fetch({ url: q('/etag') })).outcome).toBe('unsafe_address');
      expect((await f.fetch({ url: 'http://10.1.2.3/x' })).outcome).toBe('unsafe_address');
      expect((await f.fetch({ url: 'http://[::1]/x' })).outcome).toBe('unsafe_address');
    } finally {
      process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1';
    }
  });

  it('never reaches the metadata address, even after a redirect and with private networks allowed', async () => {
    const { f } = make();
    const r = await f.fetch({ url: q('/to-metadata') });
    expect(r.outcome).toBe('unsafe_address');
    expect(r.redirects).toEqual([q('/to-metadata')]);
  });

  it('rejects URLs that are not http(s)', async () => {
    const { f } = make();
    expect((await f.fetch({ url: 'file:///etc/passwd' })).outcome).toBe('bad_url');
    expect((await f.fetch({ url: 'not a url' })).outcome).toBe('bad_url');
  });
});

describe('egress proxy', () => {
  let proxy: TcpServer;
  let tunnels = 0;
  beforeAll(async () => {
    // A minimal CONNECT proxy on loopback (undici's ProxyAgent tunnels through CONNECT).
    proxy = createTcpServer((client) => {
      client.once('data', (head) => {
        const m = /^CONNECT ([^:\s]+):(\d+)/.exec(head.toString());
        if (!m) return client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
        tunnels++;
        const upstream = connect(Number(m[2]), m[1]!, () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(() => new Promise<void>((r) => proxy.close(() => r())));

  it('sends requests through the configured proxy', async () => {
    const port = (proxy.address() as { port: number }).port;
    const { f } = make({ proxy: `http://127.0.0.1:${port}`, robots: false });
    const r = await f.fetch({ url: `${replica.origin('trs')}/zfxxgknb/index.html` });
    expect(r.outcome).toBe('ok');
    expect(tunnels).toBeGreaterThan(0);
  });
});
