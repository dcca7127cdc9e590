/**
 * The store contract: what every adapter of CaptureLog, ReportStore and StateStore must do, run against each one
 * (contract.test.ts): the local SQLite store and the DynamoDB adapters (on dynalite over HTTP; on real DynamoDB
 * with NIANBAO_TEST_DYNAMODB_ENDPOINT, docs/store.md).
 */
import { openAlert } from '../helpers/records.ts';
import { InvalidCursorError } from '../../shared/store/cursor.ts';
import { describe, expect, it } from 'vitest';
import { archiveFetch } from '../../shared/archive/capture.ts';
import { toStored } from '../../shared/archive/report-rows.ts';
import type { FetchResult } from '../../shared/crawl/fetcher.ts';
import { parseReportBytes } from '../../shared/check.ts';
import { randomModel } from '../../shared/demo/generate.ts';
import { render } from '../../shared/demo/render.ts';
import { settleKey } from '../../shared/store/outbox.ts';
import type { ArchiveStore, Alert, CaptureLog, CaptureRecord, ReportStore, StateStore } from '../../shared/store/ports.ts';

export interface Stores {
  store: CaptureLog & ReportStore;
  state: StateStore;
  archive: ArchiveStore;
}

/** Registers the contract's tests for the stores `get()` returns (set up by the caller's beforeAll). */
export function storeContract(get: () => Stores): void {
  let clock = Date.UTC(2026, 0, 10);
  function fetched(url: string, body: string | null, extra: Partial<FetchResult> = {}): FetchResult {
    clock += 60_000;
    return {
      url,
      finalUrl: url,
      redirects: [],
      method: 'GET',
      status: body === null ? null : 200,
      outcome: body === null ? 'timeout' : 'ok',
      requestHeaders: { 'user-agent': 'nianbao test' },
      responseHeaders: body === null ? {} : { 'content-type': 'text/html; charset=utf-8', etag: '"e1"' },
      body: body === null ? null : Buffer.from(body),
      contentType: 'text/html',
      text: body,
      startedAt: new Date(clock).toISOString(),
      ms: 5,
      attempts: 1,
      via: 'static',
      ...extra,
    };
  }

  describe('CaptureLog', () => {
    const url = 'http://www.example.gov.cn/zfxxgknb/202501/t20250120_1.html';
    const deps = () => ({ archive: get().archive, log: get().store });

    it('records a capture, a revisit for the same bytes, a change with both hashes, and a fetch without a body', async () => {
      const a = await archiveFetch(fetched(url, '<p>v1</p>'), deps(), { bodyId: 'b1', year: 2024 });
      const b = await archiveFetch(fetched(url, '<p>v1</p>'), deps(), { bodyId: 'b1', year: 2024 });
      const c = await archiveFetch(fetched(url, null), deps(), { bodyId: 'b1', year: 2024 });
      const d = await archiveFetch(fetched(url, '<p>v2</p>'), deps(), { bodyId: 'b1', year: 2024 });
      expect(a.revisit).toBeUndefined();
      expect(b.revisit).toEqual({ id: a.id, time: a.time, url });
      expect(b.sha256).toBe(a.sha256);
      expect(c).toMatchObject({ sha256: null, outcome: 'timeout', size: 0 });
      expect(d.changed).toEqual({ fromSha256: a.sha256, toSha256: d.sha256, previousId: b.id });
      const history = (await get().store.byUrl(url)).items.map((x) => x.id);
      expect(history).toEqual([a.id, b.id, c.id, d.id]);
      expect((await get().store.latestCapture(url))!.id).toBe(d.id);
      expect((await get().store.get(c.id))!.outcome).toBe('timeout');
      expect((await get().store.bySha256(a.sha256!)).items.map((x) => x.id)).toEqual([a.id, b.id]);
      expect(await get().store.latest(url)).toMatchObject({ etag: '"e1"', sha256: d.sha256 });
    });

    it('pages through long listings with a cursor', async () => {
      const u = 'http://www.example.gov.cn/list.html';
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await archiveFetch(fetched(u, `<p>${i}</p>`), deps(), { bodyId: 'b2', year: 2023 })).id);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const p = await get().store.byBody('b2', 2023, { limit: 3, cursor });
        seen.push(...p.items.map((x) => x.id));
        cursor = p.next;
        pages++;
      } while (cursor);
      expect(seen).toEqual(ids);
      expect(pages).toBeGreaterThanOrEqual(3);
      // A cursor this store did not make (cut short, edited, another store's) is a request to fix, named.
      for (const bad of ['not-a-cursor', Buffer.from('{"Evil":1}').toString('base64url'), Buffer.from('"a"').toString('base64url')]) {
        await expect(get().store.byBody('b2', 2023, { limit: 3, cursor: bad })).rejects.toBeInstanceOf(InvalidCursorError);
        await expect(get().store.byBody('b2', 'all', { limit: 3, cursor: bad })).rejects.toBeInstanceOf(InvalidCursorError);
      }
      const window = await get().store.byUrl(u, { from: (await get().store.get(ids[2]!))!.time, to: (await get().store.get(ids[4]!))!.time });
      expect(window.items.map((x) => x.id)).toEqual(ids.slice(2, 5));
    });

    it("a body's captures: of one year, of no year (its column pages), or all of them, paged across years", async () => {
      const made: Record<string, string[]> = { 2023: [], 2024: [], none: [] };
      for (const [year, n] of [
        [2023, 2],
        [2024, 3],
        [undefined, 2],
      ] as const) {
        for (let i = 0; i < n; i++)
          made[year ?? 'none']!.push(
            (await archiveFetch(fetched(`http://www.example.gov.cn/all-${year}-${i}.html`, `<p>${year} ${i}</p>`), deps(), { bodyId: 'b-all', year })).id,
          );
      }
      expect((await get().store.byBody('b-all', 2024)).items.map((x) => x.id)).toEqual(made[2024]);
      expect((await get().store.byBody('b-all')).items.map((x) => x.id)).toEqual(made.none);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const p = await get().store.byBody('b-all', 'all', { limit: 2, cursor });
        expect(p.items.length).toBeLessThanOrEqual(2);
        seen.push(...p.items.map((x) => x.id));
        cursor = p.next;
      } while (cursor);
      expect(seen.sort()).toEqual([...made[2023]!, ...made[2024]!, ...made.none!].sort());
      // Newest first, a page at a time (the dashboard's timeline reads only the latest of each year).
      const newest = await get().store.byBody('b-all', 2024, { newestFirst: true, limit: 2 });
      expect(newest.items.map((x) => x.id)).toEqual([...made[2024]!].reverse().slice(0, 2));
      const rest = await get().store.byBody('b-all', 2024, { newestFirst: true, limit: 2, cursor: newest.next });
      expect([...newest.items, ...rest.items].map((x) => x.id)).toEqual([...made[2024]!].reverse());
      expect((await get().store.byBody('b-all', undefined, { newestFirst: true })).items.map((x) => x.id)).toEqual([...made.none!].reverse());
      await expect(get().store.byBody('b-all', 'all', { newestFirst: true })).rejects.toThrow(/year order/);
    });

    it('a put of the same record twice is idempotent', async () => {
      const rec = await archiveFetch(fetched('http://www.example.gov.cn/x.html', '<p>x</p>'), deps());
      await get().store.put(rec);
      expect((await get().store.byUrl(rec.url)).items).toHaveLength(1);
    });

    it('a record larger than one DynamoDB item (400 KB) is kept in the archive by reference', async () => {
      const huge: CaptureRecord = {
        ...(await archiveFetch(fetched('http://www.example.gov.cn/big.html', '<p>big</p>'), deps())),
        id: 'c-huge',
        responseHeaders: { 'x-padding': 'x'.repeat(500_000) },
      };
      await get().store.put(huge);
      const back = await get().store.get('c-huge');
      expect(back!.responseHeaders['x-padding']).toHaveLength(500_000);
    });
  });

  describe('ReportStore', () => {
    const model = randomModel(31);
    const report = parseReportBytes(render(model, 'html'));
    const stored = (sha: string, parsedAt: string) => toStored(report, { bodyId: 'b9', sha256: sha, url: 'http://x.gov.cn/r.html', parsedAt });
    const sha1 = '1'.repeat(64);
    const sha2 = '2'.repeat(64);

    it('stores one item per table row with the public keys, idempotently', async () => {
      const s = stored(sha1, '2026-01-20T00:00:00.000Z');
      await get().store.putParsed(s.report, s.rows);
      await get().store.putParsed(s.report, s.rows);
      const rows = await get().store.rows('b9', report.year!, sha1);
      expect(rows).toHaveLength(s.rows.length);
      expect(rows.find((r) => r.row === 'table3.received')!.values).toEqual(
        Object.fromEntries(
          ['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org', 'total'].map((c, i) => [
            c,
            model.table3.rows.received![i],
          ]),
        ),
      );
      expect(rows.find((r) => r.row === 'table4')!.values.review_total).toBe(model.table4.review_total);
    });

    it('a source with more rows than one write holds keeps every row, each with its own cells', async () => {
      const sha = '3'.repeat(64);
      const s = stored(sha, '2026-01-22T00:00:00.000Z');
      // 200 rows: several SQLite statements, several DynamoDB batches.
      const many = Array.from({ length: 200 }, (_, i) => ({
        ...s.rows[0]!,
        sha256: sha,
        row: `table2.extra${String(i).padStart(3, '0')}`,
        values: { issued: i },
      }));
      await get().store.putParsed(
        { ...s.report, bodyId: 'b-many', sha256: sha },
        many.map((r) => ({ ...r, bodyId: 'b-many' })),
      );
      const back = await get().store.rows('b-many', report.year!, sha);
      expect(back).toHaveLength(200);
      expect(back.map((r) => r.values.issued)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    });

    it('re-parsing the same source with a newer parser replaces its rows (stale ones removed)', async () => {
      const s = stored(sha1, '2026-01-21T00:00:00.000Z');
      await get().store.putParsed(
        { ...s.report, parserVersion: '9.9.9' },
        s.rows.filter((r) => r.row !== 'table2.fees'),
      );
      expect((await get().store.rows('b9', report.year!, sha1)).some((r) => r.row === 'table2.fees')).toBe(false);
      const [only] = await get().store.reports('b9', report.year!);
      expect(only!.parserVersion).toBe('9.9.9');
    });

    it('a new source keeps the older source figures (old → new), and only the current one is across bodies', async () => {
      const s2 = stored(sha2, '2026-02-01T00:00:00.000Z');
      await get().store.putParsed(s2.report, s2.rows);
      const reports = await get().store.reports('b9', report.year!);
      expect(reports.map((r) => r.sha256)).toEqual([sha1, sha2]);
      expect((await get().store.rows('b9', report.year!, sha1)).length).toBeGreaterThan(0);
      const across = await get().store.rowAcrossBodies(report.year!, 'table3.received');
      expect(across.items.filter((r) => r.bodyId === 'b9').map((r) => r.sha256)).toEqual([sha2]);
    });

    it('putting a source again as it was (a daily crawl) leaves what is current as a new put would', async () => {
      const current = async () =>
        (await get().store.rowAcrossBodies(report.year!, 'table3.received')).items.filter((r) => r.bodyId === 'b9').map((r) => r.sha256);
      const s1 = stored(sha1, '2026-02-02T00:00:00.000Z');
      const s2 = stored(sha2, '2026-02-02T00:00:00.000Z');
      // sha2 is current (the test above); sha1 put again, unchanged, becomes the current one: its rows are not as
      // they would be left alone.
      await get().store.putParsed(s1.report, s1.rows);
      expect(await current()).toEqual([sha1]);
      await get().store.putParsed(s1.report, s1.rows);
      expect(await current()).toEqual([sha1]);
      expect(await get().store.rows('b9', report.year!, sha1)).toHaveLength(s1.rows.length);
      // The report item follows the put even when its rows stand: today's findings, today's time.
      const findings = [{ rule: 'T3-RESULTS', severity: 'error', cells: ['table3.total_handled.total'] }];
      await get().store.putParsed({ ...s1.report, findings, parsedAt: '2026-02-03T00:00:00.000Z' }, s1.rows);
      const back = (await get().store.reports('b9', report.year!)).find((r) => r.sha256 === sha1)!;
      expect(back.findings).toEqual(findings);
      expect(back.parsedAt).toBe('2026-02-03T00:00:00.000Z');
      // A cell that differs is written, and sha2 put again takes the index back.
      const edited = s1.rows.map((r) => (r.row === 'table4' ? { ...r, values: { ...r.values, review_total: 99_999 } } : r));
      await get().store.putParsed(s1.report, edited);
      expect((await get().store.rows('b9', report.year!, sha1)).find((r) => r.row === 'table4')!.values.review_total).toBe(99_999);
      await get().store.putParsed(s2.report, s2.rows);
      expect(await current()).toEqual([sha2]);
    });

    it('another source of the report (current: false) is stored beside the current one and leaves it current', async () => {
      const body = 'b-other';
      const [page, attachment, duplicate] = ['4', '5', '6'].map((c) => c.repeat(64)) as [string, string, string];
      const put = (sha: string, current: boolean, values?: (r: { row: string; values: Record<string, number | null> }) => Record<string, number | null>) => {
        const s = stored(sha, '2026-03-01T00:00:00.000Z');
        const rows = s.rows.map((r) => ({ ...r, bodyId: body, values: values ? values(r) : r.values }));
        return get().store.putParsed({ ...s.report, bodyId: body }, rows, { current });
      };
      const current = async () =>
        (await get().store.rowAcrossBodies(report.year!, 'table3.received')).items.filter((r) => r.bodyId === body).map((r) => r.sha256);
      // A lone source is listed even when it does not speak for the report (a capture parsed on its own).
      await put(attachment, false);
      expect(await current()).toEqual([attachment]);
      // The page the crawl assessed the report by takes over; the attachment put after it (read last) does not take it back.
      await put(page, true);
      await put(attachment, false);
      await put(attachment, false, (r) => (r.row === 'table3.received' ? { ...r.values, total: 123_456_789 } : r.values));
      expect(await current()).toEqual([page]);
      expect((await get().store.rows(body, report.year!, attachment)).find((r) => r.row === 'table3.received')!.values.total).toBe(123_456_789);
      // Another item of the year, and the current source itself put again on its own (the parse function), change nothing.
      await put(duplicate, false);
      await put(page, false);
      expect(await current()).toEqual([page]);
      expect((await get().store.reports(body, report.year!)).map((r) => r.sha256).sort()).toEqual([page, attachment, duplicate].sort());
      // The crawl names another source as the report's: it alone is current.
      await put(attachment, true);
      expect(await current()).toEqual([attachment]);
      await put(page, false);
      expect(await current()).toEqual([attachment]);
    });
  });

  describe('StateStore', () => {
    const alert = (id: string, bodyId = 'sb1', openedAt = '2025-06-01T02:00:00.000Z'): Alert => openAlert(id, { bodyId, openedAt });

    it('keeps a state per body-year, listed by year', async () => {
      const s = {
        bodyId: 'sb1',
        year: 2024,
        status: 'found' as const,
        missedAt: [],
        consecutiveFailures: 0,
        deadline: '03-31',
        updatedAt: '2025-06-01T00:00:00.000Z',
      };
      await get().state.putState(s);
      await get().state.putState({ ...s, status: 'late', findings: { 'T3-BALANCE': 2, 'PROSE-TABLE': 1 } });
      await get().state.putState({ ...s, bodyId: 'sb2', year: 2023 });
      expect(await get().state.getState('sb1', 2024)).toMatchObject({ status: 'late', findings: { 'T3-BALANCE': 2, 'PROSE-TABLE': 1 } });
      expect((await get().state.states(2024)).filter((x) => x.bodyId.startsWith('sb')).map((x) => x.bodyId)).toEqual(['sb1']);
      expect(
        (await get().state.states())
          .filter((x) => x.bodyId.startsWith('sb'))
          .map((x) => `${x.bodyId} ${x.year}`)
          .sort(),
      ).toEqual(['sb1 2024', 'sb2 2023']);
      expect(await get().state.getState('nobody', 2024)).toBeNull();
    });

    it('versioned alert writes: a write from a stale read is refused; alerts by state and by body', async () => {
      const a = alert('cs-a1');
      expect(await get().state.saveAlert(a)).toBe(true);
      expect(a.version).toBe(1);
      expect(await get().state.saveAlert(alert('cs-a1'))).toBe(false); // "new" again: exists
      const one = (await get().state.getAlert('cs-a1'))!;
      const two = (await get().state.getAlert('cs-a1'))!;
      expect(await get().state.saveAlert({ ...one, state: 'resolved' })).toBe(true);
      expect(await get().state.saveAlert({ ...two, state: 'dismissed' })).toBe(false);
      expect((await get().state.getAlert('cs-a1'))!).toMatchObject({ state: 'resolved', version: 2 });
      await get().state.saveAlert(alert('cs-a2', 'sb9'));
      expect((await get().state.alerts('resolved')).map((x) => x.id)).toContain('cs-a1');
      expect((await get().state.alerts('open')).map((x) => x.id)).toContain('cs-a2');
      expect((await get().state.alertsOf('sb9')).map((x) => x.id)).toEqual(['cs-a2']);
      // One report year of a body: the other years' alerts are left out.
      await get().state.saveAlert(openAlert('cs-a3', { bodyId: 'sb9', year: 2023, openedAt: '2024-06-01T02:00:00.000Z' }));
      expect((await get().state.alertsOf('sb9')).map((x) => x.id)).toEqual(['cs-a3', 'cs-a2']);
      expect((await get().state.alertsOf('sb9', 2023)).map((x) => x.id)).toEqual(['cs-a3']);
      expect((await get().state.alertsOf('sb9', 2024)).map((x) => x.id)).toEqual(['cs-a2']);
      expect(await get().state.alertsOf('sb9', 2022)).toEqual([]);
    });

    it('the outbox: an alert is undelivered until settled for its latest event; resolving puts it back, dismissing takes it out', async () => {
      const ids = async (bodies?: string[]) => (await get().state.undelivered(bodies)).map((x) => x.id).filter((id) => id.startsWith('ob-'));
      // Many bodies: shards and per-body reads must find exactly the right alerts.
      const bodies = Array.from({ length: 40 }, (_, i) => `ob-body-${i}`);
      for (const [i, b] of bodies.entries()) await get().state.saveAlert(alert(`ob-${i}`, b, `2025-06-01T02:00:${String(i).padStart(2, '0')}.000Z`));
      expect(await ids()).toEqual(bodies.map((_, i) => `ob-${i}`)); // oldest first
      expect(await ids(['ob-body-7', 'ob-body-31', 'ob-body-7'])).toEqual(['ob-7', 'ob-31']);
      expect(await ids(['nobody'])).toEqual([]);

      const settle = async (id: string) => {
        const a = (await get().state.getAlert(id))!;
        expect(await get().state.saveAlert({ ...a, settled: settleKey(a) })).toBe(true);
      };
      await settle('ob-7');
      expect(await ids(['ob-body-7'])).toEqual([]);
      expect(await ids()).not.toContain('ob-7');
      // Resolved: a new event to deliver.
      const a7 = (await get().state.getAlert('ob-7'))!;
      expect(await get().state.saveAlert({ ...a7, state: 'resolved', resolvedAt: '2025-07-01T00:00:00.000Z' })).toBe(true);
      expect(await ids(['ob-body-7'])).toEqual(['ob-7']);
      await settle('ob-7');
      expect(await ids(['ob-body-7'])).toEqual([]);
      // Dismissed: never sent again.
      const a8 = (await get().state.getAlert('ob-8'))!;
      expect(await get().state.saveAlert({ ...a8, state: 'dismissed', dismissedAt: '2025-07-01T00:00:00.000Z' })).toBe(true);
      expect(await ids(['ob-body-8'])).toEqual([]);
      expect((await ids()).length).toBe(38);
    });

    it('delivery claims: one holder; a stale claim is taken over; a completed one never again; a released one is free', async () => {
      const a = { id: 'cs-d1', openedAt: '2025-06-01T02:00:00.000Z' };
      const t = Date.UTC(2025, 5, 1, 3);
      expect(await get().state.claimDelivery(a, 'opened', 'sns', t, 60_000)).toBe(true);
      expect(await get().state.claimDelivery(a, 'opened', 'sns', t + 1000, 60_000)).toBe(false);
      expect(await get().state.claimDelivery(a, 'opened', 'sns', t + 61_000, 60_000)).toBe(true);
      expect(await get().state.deliveryCompleted(a, 'opened', 'sns')).toBe(false); // claimed is not sent
      await get().state.completeDelivery(a, 'opened', 'sns');
      expect(await get().state.deliveryCompleted(a, 'opened', 'sns')).toBe(true);
      expect(await get().state.deliveryCompleted({ ...a, openedAt: '2025-07-01T02:00:00.000Z' }, 'opened', 'sns')).toBe(false); // another opening
      expect(await get().state.claimDelivery(a, 'opened', 'sns', t + 10 * 3600_000, 60_000)).toBe(false);
      expect(await get().state.claimDelivery(a, 'resolved', 'sns', t, 60_000)).toBe(true);
      await get().state.releaseDelivery(a, 'resolved', 'sns');
      expect(await get().state.deliveryCompleted(a, 'resolved', 'sns')).toBe(false);
      expect(await get().state.claimDelivery(a, 'resolved', 'sns', t + 1, 60_000)).toBe(true);
    });
  });
}
