/**
 * WARC 1.1 export (warcio): a `warcinfo` record, then per capture a `request` and a `response` record with
 * the original headers and the exact archived bytes — Content-Encoding and Transfer-Encoding renamed to
 * X-Archive-Orig-* and Content-Length corrected, since the stored body is the decoded one (docs/store.md) —
 * or a `revisit` record (WARC 1.1 §6.7.2 identical-payload-digest profile, WARC-Refers-To-*) when the bytes
 * equal an earlier capture's. A fetch that got no body is a `metadata` record with its outcome. SHA-256
 * digests; each record its own gzip member (so offsets can be indexed). Record ids are derived from the
 * capture ids, so an export is reproducible byte for byte.
 */
import { BlobMissingError, verifiedBlob } from './verify.ts';
import { PRODUCT } from '../version.ts';
import { createHash } from 'node:crypto';
import { WARCRecord, WARCSerializer } from 'warcio';
import type { ArchiveStore, CaptureRecord } from '../store/ports.ts';

const DIGEST = { algo: 'sha-256' as const, prefix: 'sha256:', base32: false };
const RENAMED = new Set(['content-encoding', 'transfer-encoding']);
const REASONS: Record<number, string> = {
  200: 'OK',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  403: 'Forbidden',
  404: 'Not Found',
  410: 'Gone',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** One serialized record and what an index needs to find it. */
export interface WarcEntry {
  bytes: Uint8Array;
  type: string;
  capture?: CaptureRecord;
  recordId: string;
}

/** Response headers as archived: encodings renamed, length of the stored body. */
export function archivedHeaders(headers: Record<string, string>, bodyLength: number): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(headers)) {
    if (RENAMED.has(k)) out.push([`X-Archive-Orig-${k}`, v]);
    else if (k === 'content-length') out.push(['X-Archive-Orig-content-length', v]);
    else out.push([k, v]);
  }
  out.push(['Content-Length', String(bodyLength)]);
  return out;
}

function requestLine(c: CaptureRecord): string {
  const u = new URL(c.url);
  return `${c.httpMethod} ${u.pathname}${u.search} HTTP/1.1`;
}

async function serialize(record: WARCRecord): Promise<Uint8Array> {
  return WARCSerializer.serialize(record, { gzip: true, digest: DIGEST });
}

/** Record ids derived from what they record, so the same captures always give the same WARC bytes. */
function recordId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\n')).digest('hex');
  return `<urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}>`;
}

/** The warcinfo record (WARC 1.1 §6.2): what wrote the file, and the caller's fields. */
async function warcinfoEntry(sorted: CaptureRecord[], info: Record<string, string>): Promise<WarcEntry> {
  const { filename = 'nianbao.warc.gz', date = sorted.at(-1)?.time ?? new Date(0).toISOString(), ...rest } = info;
  const recordIdOf = recordId('warcinfo', filename, ...sorted.map((c) => c.id));
  const warcinfo = WARCRecord.createWARCInfo(
    { filename, warcVersion: 'WARC/1.1', date, warcHeaders: { 'WARC-Record-ID': recordIdOf } },
    {
      software: `${PRODUCT} (warcio)`,
      format: 'WARC File Format 1.1',
      conformsTo: 'https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/',
      ...rest,
    },
  );
  return { bytes: await serialize(warcinfo), type: 'warcinfo', recordId: recordIdOf };
}

const statusLine = (status: number) => `HTTP/1.1 ${status} ${REASONS[status] ?? ''}`.trim();

/**
 * What a capture recorded: a revisit (same bytes as an earlier capture, WARC 1.1 §6.7, identical-payload-digest
 * profile), a response with the archived bytes (verified), or — a fetch with no body — a metadata record of its outcome.
 */
async function captureEntry(c: CaptureRecord, archive: ArchiveStore): Promise<WarcEntry> {
  const date = c.time;
  const responseId = recordId('response', c.id);
  const status = c.status ?? 0;
  if (c.sha256 && c.revisit) {
    const rec = WARCRecord.create({
      url: c.url,
      date,
      type: 'revisit',
      warcVersion: 'WARC/1.1',
      refersToUrl: c.revisit.url,
      refersToDate: c.revisit.time,
      statusline: statusLine(status),
      httpHeaders: archivedHeaders(c.responseHeaders, c.size),
      warcHeaders: {
        'WARC-Record-ID': responseId,
        'WARC-Profile': 'http://netpreserve.org/warc/1.1/revisit/identical-payload-digest',
        'WARC-Payload-Digest': `sha256:${c.sha256}`,
        'WARC-Refers-To': `<urn:nianbao:capture:${c.revisit.id}>`,
      },
    });
    return { bytes: await serialize(rec), type: 'revisit', capture: c, recordId: responseId };
  }
  if (c.sha256) {
    const body = await verifiedBlob(archive, c.sha256);
    if (!body) throw new BlobMissingError(c.sha256, `capture ${c.id}`);
    const rec = WARCRecord.create(
      {
        url: c.url,
        date,
        type: 'response',
        warcVersion: 'WARC/1.1',
        statusline: statusLine(status),
        httpHeaders: archivedHeaders(c.responseHeaders, body.length),
        warcHeaders: { 'WARC-Record-ID': responseId, 'WARC-Protocol': 'http/1.1' },
      },
      [body],
    );
    return { bytes: await serialize(rec), type: 'response', capture: c, recordId: responseId };
  }
  const meta = WARCRecord.create(
    { url: c.url, date, type: 'metadata', warcVersion: 'WARC/1.1', warcHeaders: { 'WARC-Record-ID': responseId, 'Content-Type': 'application/json' } },
    [new TextEncoder().encode(JSON.stringify({ outcome: c.outcome, status: c.status, error: c.error ?? null, via: c.method }))],
  );
  return { bytes: await serialize(meta), type: 'metadata', capture: c, recordId: responseId };
}

/** The request record of a capture, concurrent to its response (WARC 1.1 §6.6). */
async function requestEntry(c: CaptureRecord): Promise<WarcEntry> {
  const id = recordId('request', c.id);
  const request = WARCRecord.create({
    url: c.url,
    date: c.time,
    type: 'request',
    warcVersion: 'WARC/1.1',
    statusline: requestLine(c),
    httpHeaders: Object.entries(c.requestHeaders),
    warcHeaders: { 'WARC-Record-ID': id, 'WARC-Concurrent-To': recordId('response', c.id) },
  });
  return { bytes: await serialize(request), type: 'request', capture: c, recordId: id };
}

/** The records of a WARC for `captures` (time order), with a warcinfo first. */
export async function warcEntries(captures: CaptureRecord[], archive: ArchiveStore, info: Record<string, string> = {}): Promise<WarcEntry[]> {
  const sorted = [...captures].sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
  const entries = [await warcinfoEntry(sorted, info)];
  for (const c of sorted) entries.push(await captureEntry(c, archive), await requestEntry(c));
  return entries;
}

/** The whole WARC (concatenated gzip members). */
export async function writeWarc(captures: CaptureRecord[], archive: ArchiveStore, info: Record<string, string> = {}): Promise<Uint8Array> {
  const entries = await warcEntries(captures, archive, info);
  return Buffer.concat(entries.map((e) => e.bytes));
}
