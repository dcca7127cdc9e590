/**
 * The pipeline's stages on their own: what a report says vs the bytes it sits in, the change record, the
 * outage rule, the unreachable rule, and duplicates by figures.
 */
import { describe, expect, it } from 'vitest';
import { randomModel } from '../../shared/demo/generate.ts';
import { dynamicReportPage, trsReportPage } from '../../shared/demo/replica/pages.ts';
import { detectChanges } from '../../shared/pipeline/changes.ts';
import type { Source } from '../../shared/pipeline/sources.ts';
import { MemoryArchiveStore } from '../../shared/store/memory.ts';
import { ReplicaState } from '../../shared/demo/replica/state.ts';
import { render } from '../../shared/demo/render.ts';
import { contentFingerprint, diffContent, isContentChange, reportContent, reportSentences } from '../../shared/report/content.ts';
import { parseReportBytes } from '../../shared/check.ts';
import { detectOutage, unreachableDue } from '../../shared/pipeline/access.ts';
import { duplicateCandidates } from '../../shared/pipeline/assess.ts';
import type { BodyYearState, StoredReport } from '../../shared/store/ports.ts';
import { captureRecord } from '../helpers/records.ts';
import { currentOfListing, currentSource } from '../../shared/archive/report-rows.ts';

const parse = (html: string) => parseReportBytes(Buffer.from(html), { name: 'page.html', year: 2024 });

describe('report content', () => {
  it('a page whose counter, clock and adverts change says the same thing', () => {
    const r = new ReplicaState([2024]).reports.get(2024)!;
    const a = parse(dynamicReportPage(r, { visits: 17, now: new Date('2025-06-01T02:00:00Z') }));
    const b = parse(dynamicReportPage(r, { visits: 9_876, now: new Date('2025-06-02T13:45:12Z') }));
    expect(a.table3).not.toBeNull();
    expect(contentFingerprint(reportContent(a))).toBe(contentFingerprint(reportContent(b)));
    expect(isContentChange(diffContent(reportContent(a), reportContent(b)))).toBe(false);
    // The article is found by its content (no known CMS container): the sidebar's news is not report text.
    expect(a.prose_text).not.toContain('最新动态');
  });

  it('an edited figure and an added sentence are a change, shown old → new', () => {
    const s = new ReplicaState([2024]);
    const r = s.reports.get(2024)!;
    const before = reportContent(parse(dynamicReportPage(r, { visits: 1, now: new Date() })));
    s.change(2024);
    const after = parse(dynamicReportPage(r, { visits: 2, now: new Date() }).replace('</p>', '</p><p>本机关另于2025年1月补充说明一件申请的处理情况。</p>'));
    const d = diffContent(before, reportContent(after));
    expect(d.figures.map((f) => f.cell)).toEqual(expect.arrayContaining(['table3.granted.natural_person', 'table3.received.total']));
    expect(d.figures.find((f) => f.cell === 'table3.received.total')!.new).toBe(d.figures.find((f) => f.cell === 'table3.received.total')!.old! + 1);
    expect(d.added).toEqual(['本机关另于2025年1月补充说明一件申请的处理情况']);
    expect(isContentChange(d)).toBe(true);
  });

  it('drops counters, clocks and page furniture from the sentences, keeps the report’s', () => {
    expect(
      reportSentences('本年度共收到申请12件。浏览次数：345\n今天是2025年6月1日 星期日\n本文已被阅读27次\n【打印本页】【关闭窗口】\n版权所有：某某区人民政府'),
    ).toEqual(['本年度共收到申请12件']);
  });

  it('a page re-rendered with identical figures in another layout is the same content', () => {
    const m = randomModel(5);
    const a = reportContent(parseReportBytes(render(m, 'html'), { year: m.year }));
    const b = reportContent(parseReportBytes(render(m, 'html'), { year: m.year }));
    expect(contentFingerprint(a)).toBe(contentFingerprint(b));
  });
});

describe('our outage or theirs', () => {
  const f = (bodyId: string, outcome: string) => ({ bodyId, outcome });
  it('more than half of the bodies failing at the network level (at least five) is our outage', () => {
    const six = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(
      detectOutage(
        six.map((b) => f(b, 'connection_error')),
        6,
      ),
    ).toEqual({ outcome: 'connection_error', bodies: 6, of: 6 });
    expect(detectOutage([...six.slice(0, 5).map((b) => f(b, 'connection_error')), f('f', 'dns_error')], 8)).toMatchObject({
      bodies: 6,
      outcome: 'connection_error',
    });
    expect(
      detectOutage(
        six.slice(0, 5).map((b) => f(b, 'dns_error')),
        10,
      ),
    ).toBeNull(); // half is not most
    expect(
      detectOutage(
        six.slice(0, 4).map((b) => f(b, 'timeout')),
        4,
      ),
    ).toBeNull(); // too few to tell
    expect(
      detectOutage(
        six.map((b) => f(b, 'blocked')),
        6,
      ),
    ).toBeNull(); // portals refusing us answer: not our network
  });
});

describe('unreachable needs failures spread over time', () => {
  const state = (n: number, since: string): BodyYearState => ({
    bodyId: 'x',
    year: 2024,
    status: 'unreachable',
    missedAt: [],
    consecutiveFailures: n,
    failingSince: since,
    deadline: '03-31',
    updatedAt: since,
  });
  it('three failed crawls across 48 hours, by default', () => {
    const since = '2025-06-01T02:00:00.000Z';
    const at = (h: number) => Date.parse(since) + h * 3600_000;
    expect(unreachableDue(state(3, since), at(0.1), {})).toBe(false); // three runs in a minute
    expect(unreachableDue(state(2, since), at(72), {})).toBe(false);
    expect(unreachableDue(state(3, since), at(47), {})).toBe(false);
    expect(unreachableDue(state(3, since), at(48), {})).toBe(true);
    expect(unreachableDue(state(2, since), at(24), { unreachableAfter: 2, unreachableHours: 24 })).toBe(true);
  });
});

describe('duplicates are told by their figures', () => {
  const m = randomModel(11);
  const page = parseReportBytes(render(m, 'html'), { year: m.year });
  it('a page and its PDF copy (same figures), or a copy not read, are one report', () => {
    const copy = structuredClone(page);
    copy.table3!.rows.received![0] = null; // a cell the copy could not read is no disagreement
    expect(
      duplicateCandidates({ name: '某区' }, 2024, [
        { url: 'a.html', parsed: page },
        { url: 'a.pdf', parsed: copy },
        { url: 'b.html', parsed: null },
      ]),
    ).toEqual([]);
  });
  it('two items whose figures disagree are a DUPLICATE-REPORT', () => {
    const other = structuredClone(page);
    other.table3!.rows.granted![0]! += 3;
    const [c] = duplicateCandidates({ name: '某区' }, 2024, [
      { url: 'a.html', parsed: page },
      { url: 'b.html', parsed: other },
    ]);
    expect(c).toMatchObject({ kind: 'inconsistent', detail: 'DUPLICATE-REPORT:a.html b.html' });
    expect(c!.summaryEn).toBe('某区 published 2 2024 reports with different figures');
  });
  it('a corrected edition read beside its original: the same alert, said as a correction the column shows twice', () => {
    const fixed = structuredClone(page);
    fixed.table3!.rows.granted![0]! += 3;
    const name = '某区2024年政府信息公开工作年度报告';
    const items = [
      { url: 'b.html', title: `${name}（更正版）`, parsed: fixed },
      { url: 'a.html', title: name, parsed: page },
    ];
    const [c] = duplicateCandidates({ name: '某区' }, 2024, items);
    expect(c).toMatchObject({ detail: 'DUPLICATE-REPORT:a.html b.html', summaryZh: '某区2024年度报告的更正版与原版数据不同，栏目仍同时列出两版' });
    // Another report of the year among them (not a version of the one read): two reports, as before.
    const other = { url: 'c.html', title: '某区2024年政务公开年度报告', parsed: structuredClone(page) };
    other.parsed.table3!.rows.granted![0]! += 7;
    expect(duplicateCandidates({ name: '某区' }, 2024, [...items, other])[0]!.summaryEn).toBe('某区 published 3 2024 reports with different figures');
  });
});

describe('a report that cannot be read at all is said, never passed over', () => {
  it('its page over a limit: a REPORT-UNREADABLE candidate with the problem and the capture as evidence', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openLocalStore } = await import('../../shared/store/local.ts');
    const { gatherSources } = await import('../../shared/pipeline/sources.ts');
    const { archiveFetch } = await import('../../shared/archive/capture.ts');
    const { nestedDivs } = await import('../../shared/demo/hostile.ts');
    const store = await openLocalStore(mkdtempSync(join(tmpdir(), 'nianbao-unreadable-')));
    try {
      const url = 'https://www.example.gov.cn/2024nb.html';
      const bytes = Buffer.from(nestedDivs(2000));
      const page = await archiveFetch(
        {
          url,
          finalUrl: url,
          redirects: [],
          method: 'GET',
          status: 200,
          outcome: 'ok',
          requestHeaders: {},
          responseHeaders: { 'content-type': 'text/html' },
          body: bytes,
          contentType: 'text/html',
          text: bytes.toString(),
          startedAt: '2025-03-01T00:00:00.000Z',
          ms: 1,
          attempts: 1,
          via: 'static',
        },
        { archive: store.archive, log: store.store },
        { bodyId: 'b', year: 2024 },
      );
      const r = await gatherSources(
        { id: 'b', name: '甲区' },
        2024,
        { url, year: 2024, title: '甲区2024年政府信息公开工作年度报告', attachments: [] } as never,
        page,
        {
          fetcher: {
            fetch: async () => {
              throw new Error('no fetch');
            },
          },
          archive: store.archive,
          captures: store.store,
          reports: store.store,
        },
      );
      expect(r.sources).toEqual([]);
      expect(r.unreadable).toEqual([expect.stringMatching(/nested more than 512 deep/)]);
      expect(r.candidates).toMatchObject([{ kind: 'unread', detail: `REPORT-UNREADABLE:${url}`, evidence: { url, sha256: page.sha256 } }]);
    } finally {
      await store.close();
    }
  });
});

describe('currentSource', () => {
  const src = (sha256: string, parsedAt: string) => ({ sha256, parsedAt }) as unknown as StoredReport;
  it('is the report page as last captured when its figures are stored, else the source parsed last', () => {
    const page = src('a'.repeat(64), '2025-06-01T02:00:00.000Z');
    const attachment = src('b'.repeat(64), '2025-06-01T02:00:00.000Z');
    expect(currentSource([page, attachment], { reportSha256: page.sha256 })).toBe(page);
    expect(currentSource([page, attachment], { reportSha256: 'c'.repeat(64) })).toBe(attachment);
    expect(currentSource([page, attachment], null)).toBe(attachment);
    expect(currentSource([], { reportSha256: page.sha256 })).toBeUndefined();
  });

  it('is the source the report was assessed by when the state names it (mainSha256), whatever the page', () => {
    const page = src('a'.repeat(64), '2025-06-01T02:00:00.000Z');
    const attachment = src('b'.repeat(64), '2025-06-01T02:00:00.000Z');
    const other = src('c'.repeat(64), '2025-06-01T02:00:00.000Z');
    expect(currentSource([page, attachment, other], { reportSha256: page.sha256, mainSha256: attachment.sha256 })).toBe(attachment);
    // Named but not among the sources (left out as damaged): the page as before, never a guess among the others.
    expect(currentSource([page, other], { reportSha256: page.sha256, mainSha256: attachment.sha256 })).toBe(page);
    expect(currentOfListing([page, other], { reportSha256: page.sha256, mainSha256: attachment.sha256 }, true)).toEqual({ current: undefined, lost: true });
    expect(currentOfListing([page, attachment], { reportSha256: page.sha256, mainSha256: attachment.sha256 }, true)).toEqual({
      current: attachment,
      lost: false,
    });
  });
});

describe('a report that moved to another URL is compared with what it replaced', () => {
  const capture = (url: string, sha256: string, contentType: string) =>
    captureRecord(`c-${sha256.slice(0, 8)}`, url, { time: '2025-06-10T02:00:00.000Z', sha256, size: 1, contentType });
  const source = async (archive: MemoryArchiveStore, url: string, role: Source['role'], bytes: Uint8Array, type: string): Promise<Source> => {
    const { sha256 } = await archive.put(bytes);
    return { url, role, capture: capture(url, sha256, type), parsed: parseReportBytes(bytes, { name: url, year: 2024 }) };
  };

  it('page to page and each attachment to the old one of its type: the figures old → new, the old URL named', async () => {
    const s = new ReplicaState([2024]);
    const archive = new MemoryArchiveStore();
    const r = s.reports.get(2024)!;
    const oldPage = await source(archive, 'https://x.gov.cn/a/t1.html', 'page', Buffer.from(trsReportPage(r)), 'text/html');
    const oldDoc = await source(archive, 'https://x.gov.cn/a/P01.doc', 'attachment', render(r.model, 'lines'), 'application/msword');
    const state = { sources: { [oldPage.url]: oldPage.capture.sha256!, [oldDoc.url]: oldDoc.capture.sha256! } } as unknown as BodyYearState;
    const fixed = s.correct(2024, '2025-06-10')!;
    const page = await source(archive, 'https://x.gov.cn/b/t2.html', 'page', Buffer.from(trsReportPage(fixed)), 'text/html');
    const doc = await source(archive, 'https://x.gov.cn/b/P02.doc', 'attachment', render(fixed.model, 'lines'), 'application/msword');
    const change = (await detectChanges(state, [page, doc], archive, 2024, '2025-06-10T02:00:00.000Z', undefined, oldPage.url))!;
    expect(change).toMatchObject({ url: page.url, movedFrom: oldPage.url, fromSha256: oldPage.capture.sha256, toSha256: page.capture.sha256 });
    expect(change.also).toEqual([{ url: doc.url, fromSha256: oldDoc.capture.sha256, toSha256: doc.capture.sha256 }]);
    expect(change.figures).toEqual(
      expect.arrayContaining([{ cell: 'table3.granted.total', old: r.model.table3.rows.granted![6], new: fixed.model.table3.rows.granted![6] }]),
    );
    // The old URLs are no longer the report's baselines; the new ones are.
    expect(state.sources).toEqual({ [page.url]: page.capture.sha256, [doc.url]: doc.capture.sha256 });
    // Without the move, a source at a URL never seen has nothing to be compared with.
    const fresh = { sources: { [oldPage.url]: oldPage.capture.sha256! } } as unknown as BodyYearState;
    expect(await detectChanges(fresh, [page, doc], archive, 2024, '2025-06-10T02:00:00.000Z')).toBeNull();
  });

  it('a report listed as its document moved to another document of that type', async () => {
    const s = new ReplicaState([2024]);
    const archive = new MemoryArchiveStore();
    const r = s.reports.get(2024)!;
    const old = await source(archive, 'https://x.gov.cn/a/report.doc', 'attachment', render(r.model, 'lines'), 'application/msword');
    const state = { sources: { [old.url]: old.capture.sha256!, 'https://x.gov.cn/a/other.doc': old.capture.sha256! } } as unknown as BodyYearState;
    const fixed = s.correct(2024, '2025-06-10')!;
    const doc = await source(archive, 'https://x.gov.cn/b/report2.doc', 'attachment', render(fixed.model, 'lines'), 'application/msword');
    const change = (await detectChanges(state, [doc], archive, 2024, '2025-06-10T02:00:00.000Z', undefined, old.url))!;
    expect(change).toMatchObject({ url: doc.url, movedFrom: old.url });
  });

  it('a report that was a bare document and is now a page with that document attached: document to document', async () => {
    const s = new ReplicaState([2024]);
    const archive = new MemoryArchiveStore();
    const r = s.reports.get(2024)!;
    const old = await source(archive, 'https://x.gov.cn/a/report.doc', 'attachment', render(r.model, 'lines'), 'application/msword');
    const state = { sources: { [old.url]: old.capture.sha256! } } as unknown as BodyYearState;
    const fixed = s.correct(2024, '2025-06-10')!;
    const page = await source(archive, 'https://x.gov.cn/b/t2.html', 'page', Buffer.from(trsReportPage(fixed)), 'text/html');
    const doc = await source(archive, 'https://x.gov.cn/b/P02.doc', 'attachment', render(fixed.model, 'lines'), 'application/msword');
    const change = (await detectChanges(state, [page, doc], archive, 2024, '2025-06-10T02:00:00.000Z', undefined, old.url))!;
    // The page is new (no text of a document to compare it with); the document changed.
    expect(change).toMatchObject({ url: doc.url, movedFrom: old.url, fromSha256: old.capture.sha256 });
    expect(change.also).toBeUndefined();
  });
});
