/**
 * Archiving a fetch (docs/store.md): the body's exact bytes into the ArchiveStore under their sha256, and a
 * capture record into the CaptureLog. Same bytes as the URL's previous capture → a revisit (no new blob);
 * different bytes → a `changed` event carrying both hashes. A fetch without a body (timeout, blocked) is
 * recorded too: "we could not get in" is evidence as well.
 */
import { randomBytes } from 'node:crypto';
import type { FetchResult } from '../crawl/fetcher.ts';
import type { ArchiveStore, CaptureLog, CaptureRecord } from '../store/ports.ts';

/** A capture id that sorts by time: base36 milliseconds + random. */
export function newCaptureId(time: string): string {
  return `c${Date.parse(time).toString(36)}${randomBytes(5).toString('hex')}`;
}

export interface CaptureContext {
  bodyId?: string | undefined;
  year?: number | undefined;
}

export async function archiveFetch(result: FetchResult, deps: { archive: ArchiveStore; log: CaptureLog }, ctx: CaptureContext = {}): Promise<CaptureRecord> {
  const previous = await deps.log.latestCapture(result.url, { withBody: true });
  const base: CaptureRecord = {
    id: newCaptureId(result.startedAt),
    url: result.url,
    finalUrl: result.finalUrl,
    redirects: result.redirects,
    time: result.startedAt,
    method: result.via,
    httpMethod: result.method,
    status: result.status,
    outcome: result.outcome,
    requestHeaders: result.requestHeaders,
    responseHeaders: result.responseHeaders,
    sha256: null,
    size: 0,
    contentType: result.contentType,
    ...(ctx.bodyId ? { bodyId: ctx.bodyId } : {}),
    ...(ctx.year ? { year: ctx.year } : {}),
    ...(result.error ? { error: result.error } : {}),
  };
  const prior = previous;
  if (result.outcome === 'not_modified' && prior) {
    // 304: the server confirms the bytes we have.
    base.sha256 = prior.sha256;
    base.size = prior.size;
    base.revisit = { id: prior.id, time: prior.time, url: prior.url };
  } else if (result.body && result.outcome === 'ok') {
    const blob = await deps.archive.put(result.body);
    base.sha256 = blob.sha256;
    base.size = blob.size;
    if (result.via === 'browser') base.domSha256 = blob.sha256;
    if (prior && prior.sha256 === blob.sha256) base.revisit = { id: prior.id, time: prior.time, url: prior.url };
    else if (prior) base.changed = { fromSha256: prior.sha256!, toSha256: blob.sha256, previousId: prior.id };
  }
  await deps.log.put(base);
  return base;
}
