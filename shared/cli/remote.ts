/**
 * The deployed archive API from the command line (`--api URL`): `status`, `report`, `findings`, `export`, `captures`, `get`,
 * `alerts` and `alerts dismiss` use the AWS deployment as they use a home, so a watchdog gets the same output either
 * way. Requests are signed with SigV4 for `execute-api` (the API is IAM-authorized, infra/constructs/api.ts) with the
 * default AWS credentials (environment, profile, SSO, instance role); pages are followed by their `next` cursor.
 */
import { createHash, createHmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Checksum, SourceData } from '@smithy/types';
import { request } from 'undici';
import { sha256Hex } from '../store/hash.ts';
import { CliError, EXIT } from './exit.ts';

/** SHA-256 (and its HMAC) for the signer, from node:crypto. */
export class Sha256 implements Checksum {
  private hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: Uint8Array | string): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    throw new Error('not used by the signer');
  }
}
const toBytes = (d: SourceData): Uint8Array =>
  typeof d === 'string' ? Buffer.from(d) : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d);

/** The region of an API Gateway address (`abc123.execute-api.cn-north-1.amazonaws.com.cn`), else undefined. */
export function regionOfApi(url: URL): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(url.hostname)?.[1];
}

/** An answer of the API: a page of a listing (its `next` cursor, null at the end), or one object. */
export interface RemotePage {
  next: string | null;
  [key: string]: unknown;
}

export interface RemoteApiOptions {
  region?: string | undefined;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Tries of a request that may pass (throttled, not answered in time): 4 by default. */
  attempts?: number;
  /** The first wait before trying again (doubled each time): 500 ms by default. */
  backoffMs?: number;
}

export class RemoteApi {
  private readonly base: URL;
  private readonly signer: SignatureV4;

  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(base: string, options: RemoteApiOptions = {}) {
    this.attempts = options.attempts ?? 4;
    this.backoffMs = options.backoffMs ?? 500;
    this.base = new URL(base.endsWith('/') ? base : `${base}/`);
    const region = options.region ?? regionOfApi(this.base) ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new CliError(`--api ${base}: its region cannot be told from the address; set AWS_REGION (e.g. cn-north-1)`);
    this.signer = new SignatureV4({ service: 'execute-api', region, credentials: options.credentials ?? defaultProvider(), sha256: Sha256 });
  }

  /** GET `path` (relative to the API's address) with `query`, signed; the answer's JSON, or a CliError that says why not. */
  get(path: string, query: Record<string, string | undefined>): Promise<RemotePage> {
    return this.call('GET', path, query);
  }

  /** POST `body` as JSON to `path`, signed (the signature covers the body); the answer's JSON. */
  post(path: string, body: unknown): Promise<RemotePage> {
    return this.call('POST', path, {}, JSON.stringify(body));
  }

  /**
   * One request, tried again on what passes: API Gateway's throttling (429; the stage allows 20 requests a second)
   * and, for a read, a gateway or a cold function that did not answer (502, 503, 504) or a connection that failed.
   * A dismissal is sent again only when it was refused before it ran (429). Waits 0.5, 1, 2 s (or Retry-After).
   */
  private async call(method: 'GET' | 'POST', path: string, query: Record<string, string | undefined>, body?: string): Promise<RemotePage> {
    for (let attempt = 1; ; attempt++) {
      const r = await this.once(method, path, query, body);
      const again = r.retry !== undefined && attempt < this.attempts && (r.retry === 429 || method === 'GET');
      if (!again) {
        if (r.error) throw r.error;
        return r.answer!;
      }
      await new Promise((done) => setTimeout(done, r.after ?? this.backoffMs * 2 ** (attempt - 1)));
    }
  }

  private async once(
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, string | undefined>,
    body?: string,
  ): Promise<{ answer?: RemotePage; error?: CliError; retry?: number; after?: number }> {
    const url = new URL(path, this.base);
    const q: Record<string, string> = {};
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q[k] = v;
    let signed: { headers: Record<string, string> };
    try {
      signed = await this.signer.sign({
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query: q,
        headers: { host: url.host, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body }),
      });
    } catch (e) {
      throw new CliError(`--api: no AWS credentials to sign the request with (${(e as Error).message})`, EXIT.failed);
    }
    for (const [k, v] of Object.entries(q)) url.searchParams.set(k, v);
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, { method, headers: signed.headers, ...(body === undefined ? {} : { body }) });
    } catch (e) {
      return { retry: 0, error: new CliError(`${url.origin}${url.pathname}: the API could not be reached (${(e as Error).message})`, EXIT.failed) };
    }
    const text = await res.body.text();
    if ([429, 502, 503, 504].includes(res.statusCode)) {
      const after = Number(res.headers['retry-after']);
      return {
        retry: res.statusCode,
        ...(Number.isFinite(after) && after > 0 ? { after: Math.min(after, 30) * 1000 } : {}),
        error: new CliError(
          `${url.origin}${url.pathname}: HTTP ${res.statusCode} (${res.statusCode === 429 ? 'throttled' : 'not answered in time'}), ${this.attempts} attempts: ${text.slice(0, 200)}`,
          EXIT.failed,
        ),
      };
    }
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      return { error: new CliError(`${url.origin}${url.pathname}: HTTP ${res.statusCode}, not JSON: ${text.slice(0, 200)}`, EXIT.failed) };
    }
    if (res.statusCode !== 200) {
      const said = (answer as { error?: string; message?: string }).error ?? (answer as { message?: string }).message ?? text.slice(0, 200);
      // API Gateway answers 403 for a request its IAM authorizer refused: the identity lacks execute-api:Invoke.
      const hint = res.statusCode === 403 ? ' (the AWS identity signing it needs execute-api:Invoke on the API)' : '';
      // As from a home: a bad request is a usage error (2), nothing there is nothing found (3), the rest failed (1).
      const code = res.statusCode === 400 ? EXIT.usage : res.statusCode === 404 ? EXIT.nothingFound : EXIT.failed;
      return { error: new CliError(`${url.origin}${url.pathname}: HTTP ${res.statusCode}: ${said}${hint}`, code) };
    }
    return { answer: answer as RemotePage };
  }

  /**
   * The bytes behind a presigned URL the API handed out (`GET /captures/{id}/download`): a plain GET, the URL carries
   * its own signature. Checked by the caller against the capture's sha256.
   */
  async download(presigned: string): Promise<Uint8Array> {
    const url = new URL(presigned);
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, { method: 'GET' });
    } catch (e) {
      throw new CliError(`${url.origin}${url.pathname}: the archive could not be reached (${(e as Error).message})`, EXIT.failed);
    }
    const bytes = new Uint8Array(await res.body.arrayBuffer());
    if (res.statusCode !== 200)
      throw new CliError(`${url.origin}${url.pathname}: HTTP ${res.statusCode} for the archived bytes (a presigned URL lasts 15 minutes)`, EXIT.failed);
    return bytes;
  }

  /**
   * A capture's archived bytes (`GET /captures/{id}/download`, then its presigned URL), with the sha256 the capture
   * names and the sha256 of what came: the caller writes or reads nothing unless the two are the same.
   */
  async captureBytes(id: string): Promise<{ sha256: string | null; bytes: Uint8Array; actual: string } | { sha256: null }> {
    const answer = (await this.get(`captures/${encodeURIComponent(id)}/download`, {})) as unknown as { capture: { sha256: string | null }; url: string };
    if (!answer.capture.sha256) return { sha256: null };
    const bytes = await this.download(answer.url);
    return { sha256: answer.capture.sha256, bytes, actual: sha256Hex(bytes) };
  }

  /** Every page of a listing, following `next` (the API's pages: body-years, or captures). */
  async *pages(path: string, query: Record<string, string | undefined>): AsyncGenerator<RemotePage> {
    let cursor: string | undefined;
    do {
      const page = await this.get(path, { ...query, ...(cursor === undefined ? {} : { cursor }) });
      yield page;
      cursor = page.next ?? undefined;
    } while (cursor !== undefined);
  }
}
