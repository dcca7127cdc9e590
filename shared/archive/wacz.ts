/**
 * WACZ 1.1.1 (https://specs.webrecorder.net/wacz/1.1.1/) per report: `archive/data.warc.gz`, a CDXJ index
 * `indexes/index.cdxj` (SURT key, 14-digit timestamp, JSON with url, mime, status, digest, offset, length,
 * filename), `pages/pages.jsonl`, `datapackage.json` listing every file with its sha256 and size, and
 * `datapackage-digest.json` with the digest of datapackage.json — what ReplayWeb.page loads.
 */
import { PRODUCT } from '../version.ts';
import { createHash } from 'node:crypto';
import { getSurt } from 'warcio';
import yazl from 'yazl';
import type { ArchiveStore, CaptureRecord } from '../store/ports.ts';
import { warcEntries } from './warc.ts';

const sha = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const ts14 = (iso: string) => iso.replace(/[-:T]/g, '').slice(0, 14);

export interface WaczPage {
  url: string;
  ts: string;
  title?: string | undefined;
}

export interface WaczOptions {
  title: string;
  /** The page opened first (the report). */
  mainPage?: WaczPage;
  pages?: WaczPage[];
  created?: string;
}

async function zip(files: [string, Uint8Array, boolean][]): Promise<Uint8Array> {
  const z = new yazl.ZipFile();
  const date = new Date('2026-01-01T00:00:00Z');
  for (const [name, data, compress] of files) z.addBuffer(Buffer.from(data), name, { compress, mtime: date });
  z.end();
  const chunks: Buffer[] = [];
  for await (const c of z.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Builds a WACZ file from captures (their WARC records, index, pages and package descriptors). */
export async function writeWacz(captures: CaptureRecord[], archive: ArchiveStore, o: WaczOptions): Promise<Uint8Array> {
  const entries = await warcEntries(captures, archive, { filename: 'data.warc.gz', description: o.title });
  const cdx: string[] = [];
  let offset = 0;
  for (const e of entries) {
    const c = e.capture;
    if (c && (e.type === 'response' || e.type === 'revisit')) {
      const json: Record<string, unknown> = {
        url: c.url,
        mime: (c.contentType ?? 'application/octet-stream').split(';')[0]!.trim(),
        status: String(c.status ?? ''),
        digest: `sha256:${c.sha256}`,
        length: String(e.bytes.length),
        offset: String(offset),
        filename: 'data.warc.gz',
      };
      if (e.type === 'revisit') json.mime = 'warc/revisit';
      cdx.push(`${getSurt(c.url)} ${ts14(c.time)} ${JSON.stringify(json)}`);
    }
    offset += e.bytes.length;
  }
  cdx.sort();
  const warc = Buffer.concat(entries.map((e) => e.bytes));
  const pages = o.pages ?? (o.mainPage ? [o.mainPage] : []);
  const pagesJsonl = [
    JSON.stringify({ format: 'json-pages-1.0', id: 'pages', title: 'All Pages' }),
    ...pages.map((p, i) => JSON.stringify({ id: `p${i + 1}`, url: p.url, ts: p.ts, title: p.title ?? p.url })),
  ].join('\n');
  const files: [string, Uint8Array, boolean][] = [
    ['archive/data.warc.gz', warc, false],
    ['indexes/index.cdxj', Buffer.from(`${cdx.join('\n')}\n`), true],
    ['pages/pages.jsonl', Buffer.from(`${pagesJsonl}\n`), true],
  ];
  const created = o.created ?? new Date().toISOString();
  const datapackage = {
    profile: 'data-package',
    wacz_version: '1.1.1',
    title: o.title,
    created,
    modified: created,
    software: PRODUCT,
    ...(o.mainPage ? { mainPageUrl: o.mainPage.url, mainPageDate: o.mainPage.ts } : {}),
    resources: files.map(([path, data]) => ({ name: path.split('/').pop(), path, hash: sha(data), bytes: data.length })),
  };
  const dp = Buffer.from(JSON.stringify(datapackage, null, 2));
  const digest = Buffer.from(JSON.stringify({ path: 'datapackage.json', hash: sha(dp) }, null, 2));
  return zip([...files, ['datapackage.json', dp, true], ['datapackage-digest.json', digest, true]]);
}
