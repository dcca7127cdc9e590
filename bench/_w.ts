import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WARCParser } from 'warcio';
import { openLocalStore } from '../shared/store/local.ts';
import { archiveFetch } from '../shared/archive/capture.ts';
import { writeWarc } from '../shared/archive/warc.ts';
import type { FetchResult } from '../shared/crawl/fetcher.ts';
const home = mkdtempSync(join(tmpdir(), 'nb-'));
const s = await openLocalStore(home);
const mk = (body: string, t: string): FetchResult => ({ url: 'http://x.gov.cn/a.html', finalUrl: 'http://x.gov.cn/a.html', redirects: [], method: 'GET', status: 200, outcome: 'ok', requestHeaders: { 'user-agent': 'nianbao' }, responseHeaders: { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip', 'content-length': '12' }, body: Buffer.from(body), contentType: 'text/html', text: body, startedAt: t, ms: 1, attempts: 1, via: 'static' });
const a = await archiveFetch(mk('<p>报告</p>', '2026-01-01T00:00:00.000Z'), { archive: s.archive, log: s.store }, { bodyId: 'b1', year: 2025 });
const b = await archiveFetch(mk('<p>报告</p>', '2026-01-02T00:00:00.000Z'), { archive: s.archive, log: s.store }, { bodyId: 'b1', year: 2025 });
const c = await archiveFetch(mk('<p>改了</p>', '2026-01-03T00:00:00.000Z'), { archive: s.archive, log: s.store }, { bodyId: 'b1', year: 2025 });
console.log(a.revisit, b.revisit, c.changed);
const caps = (await s.store.byBody('b1', 2025)).items;
const warc = await writeWarc(caps, s.archive);
for await (const r of WARCParser.iterRecords([warc])) {
  const payload = await r.readFully(false);
  console.log(r.warcType, r.warcTargetURI, r.warcPayloadDigest, r.warcBlockDigest?.slice(0, 20), r.httpHeaders?.headers.get('content-length'), r.httpHeaders?.headers.get('x-archive-orig-content-encoding'), Buffer.from(payload).toString().slice(0, 40).replace(/\r\n/g, '|'));
}
await s.close();
