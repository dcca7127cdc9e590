/**
 * The browser's only way out: a forward proxy on 127.0.0.1 that Chromium must use for every request —
 * navigations, every redirect hop, sub-resources, XHR/fetch, frames, TLS tunnels (CONNECT) — and that connects
 * only to addresses the HTTP fetcher may reach (address.ts). Names are resolved here, at connect time, with the
 * same safe lookup, so a name that resolves to 127.0.0.1 or to the metadata service, or that rebinds between a
 * check and the connection, is refused.
 *
 * Why a proxy and not Playwright's `route`: a routed request's redirects are followed inside the browser
 * without calling the route handler again (Playwright's "should not work with redirects"), so a public page
 * could still redirect the browser into the machine's own network. Chromium sends loopback through a
 * configured proxy when told `<-loopback>` (Playwright adds it when no loopback bypass is given).
 *
 * With an egress proxy (`upstream`), requests go on to it; the target's name is then checked by a DNS lookup
 * here first (the upstream resolves it again: the same check the HTTP fetcher makes through a proxy).
 *
 * Hand-written on node:http because no maintained proxy package lets the connect-time lookup be replaced.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { addressAllowed, checkHost, safeLookup } from './address.ts';

/** A request the guard refused. */
export interface Refusal {
  host: string;
  port: number;
  reason: string;
}

export interface GuardProxy {
  /** `http://127.0.0.1:<port>`, for Chromium's proxy setting. */
  readonly url: string;
  /** Every refusal so far (hosts the browser was steered to and not let through). */
  readonly refused: Refusal[];
  close(): Promise<void>;
}

/** The header the guard's own 403 carries, so the renderer can tell a refusal from a portal's 403. */
export const REFUSED_HEADER = 'x-nianbao-refused';

/** Hop-by-hop headers (RFC 9110 §7.6.1) and the proxy's own, never forwarded. */
const HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function forwardable(h: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !HOP.has(k)) out[k] = v;
  return out;
}

/** A raw header list ([name, value, …]) without the hop-by-hop headers. */
function endToEnd(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (!HOP.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

/** host:port of a CONNECT target (`[::1]:443` included). */
function splitTarget(authority: string): { host: string; port: number } | null {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(authority);
  return m ? { host: m[1]!, port: Number(m[2]) } : null;
}

/** What every request through the guard shares: where it may go, the upstream proxy if any, and what was refused. */
class Guard {
  readonly refused: Refusal[] = [];
  readonly upstream: URL | null;
  readonly upstreamAuth: string | undefined;

  constructor(upstream: string | undefined) {
    this.upstream = upstream ? new URL(upstream) : null;
    this.upstreamAuth = this.upstream?.username
      ? `Basic ${Buffer.from(`${decodeURIComponent(this.upstream.username)}:${decodeURIComponent(this.upstream.password)}`).toString('base64')}`
      : undefined;
  }

  /** Whether `host` may be reached: literal addresses directly (a lookup is never made for them), names by DNS. */
  async permitted(host: string, port: number): Promise<boolean> {
    // Names without an upstream are checked at connect (safeLookup), so there is no window between check and use.
    const ok = isIP(host) ? addressAllowed(host) : this.upstream ? (await checkHost(host)) === 'ok' : true;
    if (!ok) this.refuse(host, port, 'not a public address');
    return ok;
  }

  refuse(host: string, port: number, reason: string): void {
    this.refused.push({ host, port, reason });
  }
}

/** A plain-HTTP request through the guard: to a permitted address, directly or through the upstream proxy. */
async function forwardHttp(g: Guard, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let target: URL;
  try {
    target = new URL(req.url ?? '');
  } catch {
    res.writeHead(400).end(); // not an absolute URL: not a proxy request
    return;
  }
  if (target.protocol !== 'http:') {
    res.writeHead(400).end();
    return;
  }
  const port = Number(target.port || 80);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!(await g.permitted(host, port))) {
    res.writeHead(403, { [REFUSED_HEADER]: 'unsafe_address', 'content-type': 'text/plain' }).end('refused: not a public address');
    return;
  }
  const headers = forwardable(req.headers);
  const up = g.upstream;
  const out = up
    ? httpRequest({
        host: up.hostname,
        port: Number(up.port || 80),
        method: req.method,
        path: target.href,
        headers: { ...headers, ...(g.upstreamAuth ? { 'proxy-authorization': g.upstreamAuth } : {}) },
      })
    : httpRequest({ host, port, method: req.method, path: `${target.pathname}${target.search}`, headers, lookup: safeLookup as never, agent: false });
  out.on('response', (answer: IncomingMessage) => {
    res.writeHead(answer.statusCode ?? 502, endToEnd(answer.rawHeaders));
    answer.pipe(res);
  });
  out.on('error', (e: NodeJS.ErrnoException) => {
    const unsafe = e.code === 'EUNSAFEADDRESS';
    if (unsafe) g.refuse(host, port, e.message);
    if (!res.headersSent) res.writeHead(unsafe ? 403 : 502, unsafe ? { [REFUSED_HEADER]: 'unsafe_address' } : {});
    res.end();
  });
  req.pipe(out);
}

/** A CONNECT tunnel (HTTPS) through the guard: to a permitted address, directly or through the upstream proxy. */
async function tunnel(g: Guard, req: IncomingMessage, client: Duplex, head: Buffer): Promise<void> {
  const t = splitTarget(req.url ?? '');
  if (!t || !(await g.permitted(t.host, t.port))) {
    client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    return;
  }
  const open = (remote: Socket) => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) remote.write(head);
    remote.pipe(client).pipe(remote);
    remote.on('error', () => client.destroy());
    client.on('error', () => remote.destroy());
  };
  if (g.upstream) {
    const up = httpRequest({
      host: g.upstream.hostname,
      port: Number(g.upstream.port || 80),
      method: 'CONNECT',
      path: req.url,
      headers: g.upstreamAuth ? { 'proxy-authorization': g.upstreamAuth } : {},
    });
    up.on('connect', (res, socket) => (res.statusCode === 200 ? open(socket) : client.end(`HTTP/1.1 ${res.statusCode ?? 502} Upstream\r\n\r\n`)));
    up.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    up.end();
    return;
  }
  const remote = connect({ host: t.host, port: t.port, lookup: safeLookup as never });
  remote.once('connect', () => open(remote));
  remote.once('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EUNSAFEADDRESS') g.refuse(t.host, t.port, e.message);
    client.end(`HTTP/1.1 ${e.code === 'EUNSAFEADDRESS' ? '403 Forbidden' : '502 Bad Gateway'}\r\n\r\n`);
  });
}

export async function startGuardProxy(o: { upstream?: string | undefined } = {}): Promise<GuardProxy> {
  const g = new Guard(o.upstream);
  const server: Server = createServer((req, res) => void forwardHttp(g, req, res));
  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => void tunnel(g, req, client, head));
  // WebSockets over plain HTTP: no report page needs one.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    g.refuse(req.headers.host ?? '?', 0, 'websocket upgrade');
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    refused: g.refused,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
