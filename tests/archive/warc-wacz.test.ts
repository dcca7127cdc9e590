/**
 * WARC and WACZ exports read back with warcio's parser and a zip reader: the same bytes, headers and
 * digests; revisit records; the WACZ structure and every digest. The WARC bytes of fixed captures are golden.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { WARCParser } from 'warcio';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportWacz } from '../../shared/archive/export.ts';
import { writeWacz } from '../../shared/archive/wacz.ts';
import { writeWarc } from '../../shared/archive/warc.ts';
import { FsArchiveStore } from '../../shared/store/fs-archive.ts';
import { MemoryStateStore, MemoryStore } from '../../shared/store/memory.ts';
import type { CaptureRecord } from '../../shared/store/ports.ts';
import { foundState } from '../helpers/records.ts';

const hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const URL1 = 'http://www.example.gov.cn/zfxxgknb/202501/t20250120_1.html';
const PAGE_V1 = Buffer.from('<html><body>某某区2024年政府信息公开工作年度报告 v1</body></html>');
const PAGE_V2 = Buffer.from('<html><body>某某区2024年政府信息公开工作年度报告 v2 (changed)</body></html>');

let archive: FsArchiveStore;
let captures: CaptureRecord[];
beforeAll(async () => {
  archive = new FsArchiveStore(mkdtempSync(join(tmpdir(), 'nianbao-warc-')));
  const v1 = await archive.put(PAGE_V1);
  const v2 = await archive.put(PAGE_V2);
  const base = {
    url: URL1,
    finalUrl: URL1,
    redirects: [],
    method: 'static' as const,
    httpMethod: 'GET' as const,
    requestHeaders: { 'user-agent': 'nianbao/0.1', accept: 'text/html' },
    contentType: 'text/html; charset=utf-8',
  };
  const headers = { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip', 'content-length': '61', etag: '"a"' };
  captures = [
    {
      ...base,
      id: 'c1',
      time: '2026-01-20T08:00:00.000Z',
      status: 200,
      outcome: 'ok',
      responseHeaders: headers,
      sha256: v1.sha256,
      size: v1.size,
      bodyId: 'b',
      year: 2024,
    },
    {
      ...base,
      id: 'c2',
      time: '2026-01-21T08:00:00.000Z',
      status: 200,
      outcome: 'ok',
      responseHeaders: headers,
      sha256: v1.sha256,
      size: v1.size,
      revisit: { id: 'c1', time: '2026-01-20T08:00:00.000Z', url: URL1 },
    },
    { ...base, id: 'c3', time: '2026-01-22T08:00:00.000Z', status: null, outcome: 'timeout', responseHeaders: {}, sha256: null, size: 0, error: 'timeout' },
    {
      ...base,
      id: 'c4',
      time: '2026-01-23T08:00:00.000Z',
      status: 200,
      outcome: 'ok',
      responseHeaders: headers,
      sha256: v2.sha256,
      size: v2.size,
      changed: { fromSha256: v1.sha256, toSha256: v2.sha256, previousId: 'c2' },
    },
  ];
});

describe('WARC 1.1 export', () => {
  it('reads back: warcinfo, response/request pairs, a revisit, a metadata record for the failed fetch', async () => {
    const warc = await writeWarc(captures, archive);
    const types: string[] = [];
    for await (const r of WARCParser.iterRecords([warc])) {
      types.push(r.warcType);
      expect(r.warcHeaders.protocol).toBe('WARC/1.1');
      if (r.warcType === 'response') {
        const payload = await r.readFully(true);
        const expected = r.warcDate === '2026-01-20T08:00:00.000Z' ? PAGE_V1 : PAGE_V2;
        expect(Buffer.from(payload)).toEqual(expected);
        expect(r.warcPayloadDigest).toBe(`sha256:${hex(expected)}`);
        // The stored body is the decoded one: the encoding is renamed and the length is the body's.
        expect(r.httpHeaders!.headers.get('content-encoding')).toBeNull();
        expect(r.httpHeaders!.headers.get('x-archive-orig-content-encoding')).toBe('gzip');
        expect(r.httpHeaders!.headers.get('content-length')).toBe(String(expected.length));
        expect(r.httpHeaders!.headers.get('etag')).toBe('"a"');
      }
      if (r.warcType === 'revisit') {
        expect(r.warcHeader('WARC-Profile')).toBe('http://netpreserve.org/warc/1.1/revisit/identical-payload-digest');
        expect(r.warcRefersToTargetURI).toBe(URL1);
        expect(r.warcRefersToDate).toBe('2026-01-20T08:00:00.000Z');
        expect(r.warcPayloadDigest).toBe(`sha256:${hex(PAGE_V1)}`);
      }
      if (r.warcType === 'request') expect(r.httpHeaders!.headers.get('user-agent')).toBe('nianbao/0.1');
      if (r.warcType === 'metadata') expect(JSON.parse(await r.contentText())).toMatchObject({ outcome: 'timeout' });
      if (r.warcType !== 'warcinfo') expect(r.warcTargetURI).toBe(URL1);
    }
    expect(types).toEqual(['warcinfo', 'response', 'request', 'revisit', 'request', 'metadata', 'request', 'response', 'request']);
  });

  it('is reproducible byte for byte (golden digest)', async () => {
    const a = await writeWarc(captures, archive, { filename: 'golden.warc.gz' });
    const b = await writeWarc(captures, archive, { filename: 'golden.warc.gz' });
    expect(hex(a)).toBe(hex(b));
    expect(hex(a)).toMatchSnapshot();
  });
});

describe('WACZ 1.1.1 export', () => {
  it('has the WARC, a CDXJ index pointing at its records, pages, and digests of everything', async () => {
    const wacz = await writeWacz(captures, archive, {
      title: '某某区2024年报告',
      mainPage: { url: URL1, ts: '2026-01-23T08:00:00.000Z', title: '某某区2024年报告' },
    });
    const zip = await JSZip.loadAsync(wacz);
    expect(Object.keys(zip.files).sort()).toEqual([
      'archive/data.warc.gz',
      'datapackage-digest.json',
      'datapackage.json',
      'indexes/index.cdxj',
      'pages/pages.jsonl',
    ]);
    const file = async (name: string) => new Uint8Array(await zip.file(name)!.async('uint8array'));
    const dp = JSON.parse(Buffer.from(await file('datapackage.json')).toString());
    expect(dp).toMatchObject({ profile: 'data-package', wacz_version: '1.1.1', mainPageUrl: URL1 });
    for (const res of dp.resources) {
      const bytes = await file(res.path);
      expect(res.hash).toBe(`sha256:${hex(bytes)}`);
      expect(res.bytes).toBe(bytes.length);
    }
    const digest = JSON.parse(Buffer.from(await file('datapackage-digest.json')).toString());
    expect(digest).toEqual({ path: 'datapackage.json', hash: `sha256:${hex(await file('datapackage.json'))}` });
    const pages = Buffer.from(await file('pages/pages.jsonl'))
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(pages[0]).toMatchObject({ format: 'json-pages-1.0' });
    expect(pages[1]).toMatchObject({ url: URL1 });
    // Every CDXJ line points at the record it indexes.
    const warc = await file('archive/data.warc.gz');
    const lines = Buffer.from(await file('indexes/index.cdxj'))
      .toString()
      .trim()
      .split('\n');
    expect(lines).toHaveLength(3);
    expect([...lines].sort()).toEqual(lines);
    for (const line of lines) {
      const [surt, ts, json] = [line.split(' ')[0], line.split(' ')[1], JSON.parse(line.slice(line.indexOf('{')))];
      expect(surt).toBe('cn,gov,example)/zfxxgknb/202501/t20250120_1.html');
      expect(ts).toMatch(/^202601\d{8}$/);
      const slice = warc.subarray(Number(json.offset), Number(json.offset) + Number(json.length));
      const rec = await WARCParser.parse([slice]);
      expect(rec!.warcTargetURI).toBe(json.url);
      expect(rec!.warcPayloadDigest).toBe(json.digest);
    }
  });
});

describe('a body-year exported as WACZ (exportWacz)', () => {
  it("opens on the report's current source (the page its state names), not an attachment parsed at the same moment", async () => {
    const page = captures[0]!;
    const PDF_URL = 'http://www.example.gov.cn/zfxxgknb/202501/P020250120.pdf';
    // Padded until its sha256 sorts after the page's: its record is then last (same moment, then sha256), and "the
    // newest parsed report" would be the PDF.
    let pdf = await archive.put(Buffer.from('%PDF-1.7 some report'));
    for (let pad = 1; pdf.sha256 < page.sha256!; pad++) pdf = await archive.put(Buffer.from(`%PDF-1.7 some report${' '.repeat(pad)}`));
    const attachment: CaptureRecord = {
      ...page,
      id: 'c5',
      url: PDF_URL,
      finalUrl: PDF_URL,
      contentType: 'application/pdf',
      sha256: pdf.sha256,
      size: pdf.size,
    };
    const reports = new MemoryStore();
    const state = new MemoryStateStore();
    for (const sha of [page.sha256!, pdf.sha256])
      await reports.putParsed(
        {
          bodyId: 'b',
          year: 2024,
          sha256: sha,
          url: sha === pdf.sha256 ? PDF_URL : URL1,
          title: sha === pdf.sha256 ? '附件' : '某某区2024年报告',
          format: sha === pdf.sha256 ? 'pdf' : 'html',
          published: null,
          findings: [],
          parserVersion: '1.2.1',
          parsedAt: '2026-01-20T08:00:00.000Z',
        },
        [],
      );
    expect((await reports.reports('b', 2024)).at(-1)!.sha256).toBe(pdf.sha256);
    // Its figures were read from the PDF (mainSha256): the package still opens on the page, which a browser replays.
    await state.putState(foundState('b', { reportSha256: page.sha256!, mainSha256: pdf.sha256 }));
    const wacz = await exportWacz([page, attachment], { archive, reports, state }, 'b', 2024, '2026-02-01T00:00:00.000Z');
    const zip = await JSZip.loadAsync(wacz);
    const dp = JSON.parse(await zip.file('datapackage.json')!.async('string'));
    expect(dp).toMatchObject({ mainPageUrl: URL1, title: '某某区2024年报告' });
  });
});
