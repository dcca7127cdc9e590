/**
 * A damaged stored record (cut short, edited by hand) in the jobs that walk many of them: the daily deadline check and
 * alert delivery name it and go on with every other body-year and alert (docs/store.md, "Damaged records"). The
 * local SQLite store, damaged by writing its table directly.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverAlerts } from '../../shared/alerts/deliver.ts';
import type { Body } from '../../shared/crawl/registry.ts';
import { checkDeadlines } from '../../shared/pipeline.ts';
import { initialState } from '../../shared/pipeline/state.ts';
import { dbFile, type LocalStore, openLocalStore } from '../../shared/store/local.ts';
import type { Alert, Notifier, StateStore } from '../../shared/store/ports.ts';
import type { StoredRecordError } from '../../shared/store/records.ts';
import { ManualClock } from '../helpers/clock.ts';
import { openAlert } from '../helpers/records.ts';
import { closedOrigin } from '../helpers/closed-port.ts';

let local: LocalStore;
beforeEach(async () => {
  local = await openLocalStore(mkdtempSync(join(tmpdir(), 'nianbao-damaged-')));
});
afterEach(() => local?.close());

/** Writes `data` over a row, as a disk that filled up mid-write or a hand edit leaves it. */
function damage(table: 'states' | 'alerts', where: string, args: unknown[], data: string): void {
  const db = new Database(dbFile(local.home));
  try {
    expect(db.prepare(`UPDATE ${table} SET data = ? WHERE ${where}`).run(data, ...args).changes).toBe(1);
  } finally {
    db.close();
  }
}

const body = (id: string): Body => ({ id, name: `${id}区人民政府`, level: 'government', lists: [`https://www.${id}.gov.cn/zfxxgknb/`] });

describe('a damaged record in the daily deadline check', () => {
  it('stops its own body-year, named, and every other body-year is checked', async () => {
    const clock = new ManualClock(Date.UTC(2025, 3, 2, 2)); // 2 April 2025: the 31 March deadline has passed
    const bodies = ['jia', 'yi', 'bing'].map(body);
    for (const b of bodies) await local.state.putState(initialState(b, 2024, '2025-01-01T00:00:00.000Z'));
    damage('states', 'body_id = ?', ['yi'], '{"bodyId":"yi","year":2024,"status":"pend');
    const results = await checkDeadlines(bodies, { state: local.state, clock }, { years: [2024] });
    expect(results.map((r) => `${r.bodyId} ${r.status} ${r.outcome}`)).toEqual(['jia missing crawled', 'yi error error', 'bing missing crawled']);
    expect(results[1]!.error).toMatch(/^stored record state of yi 2024 \(SQLite states\): not JSON/);
    expect((await local.state.alerts('open')).map((a) => `${a.bodyId} ${a.kind}`).sort()).toEqual(['bing missing', 'jia missing']);
  });

  it('an error that is not a damaged record (the store gone) still stops the whole check', async () => {
    const bodies = ['jia', 'yi'].map(body);
    const failing: StateStore = Object.assign(Object.create(local.state) as StateStore, {
      getState: async () => {
        throw new Error('SQLITE_IOERR: disk I/O error');
      },
    });
    await expect(checkDeadlines(bodies, { state: failing, clock: new ManualClock() }, { years: [2024] })).rejects.toThrow(/disk I\/O error/);
  });
});

describe('a damaged record in a run', () => {
  it("a body whose portal failed below HTTP and whose state is damaged is an error of its own: every other body's failure is recorded, the alerts delivered", async () => {
    const { HttpFetcher } = await import('../../shared/crawl/fetcher.ts');
    const { run } = await import('../../shared/pipeline.ts');
    // A port nobody listens on: each column's connection is refused (held back, then recorded when the run ends).
    const nowhere = await closedOrigin();
    const bodies = ['jia', 'yi', 'bing'].map((id) => ({ ...body(id), lists: [`${nowhere}/${id}/`] }));
    for (const b of bodies) await local.state.putState(initialState(b, 2024, '2025-01-01T00:00:00.000Z'));
    damage('states', 'body_id = ?', ['yi'], '{"bodyId":"yi","year":2024,"status":"pend');
    process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1';
    const fetcher = new HttpFetcher({ minDelayMs: 0, retries: 0, timeoutMs: 5000 });
    const clock = new ManualClock(Date.UTC(2025, 5, 1, 2));
    let delivered = 0;
    const channel: Notifier = {
      name: 'jsonl',
      async send() {
        delivered++;
      },
    };
    await local.state.saveAlert(openAlert('waiting', { bodyId: 'jia', openedAt: '2025-05-01T02:00:00.000Z' }));
    try {
      const digest = await run(
        bodies,
        { fetcher, archive: local.archive, captures: local.store, reports: local.store, state: local.state, notifiers: [channel], clock },
        { years: [2024] },
      );
      expect(digest.results.map((r) => `${r.bodyId} ${r.status} ${r.outcome}`)).toEqual([
        'jia unreachable access_failure',
        'yi error error',
        'bing unreachable access_failure',
      ]);
      expect(digest.errors).toEqual([{ bodyId: 'yi', error: expect.stringMatching(/^stored record state of yi 2024 \(SQLite states\): not JSON/) }]);
      expect(await local.state.getState('bing', 2024)).toMatchObject({ consecutiveFailures: 1, failures: [{ outcome: 'connection_error' }] });
      expect(delivered).toBe(1);
    } finally {
      delete process.env.NIANBAO_ALLOW_PRIVATE_NETWORK;
      await fetcher.close();
    }
  });
});

describe('a damaged alert in the outbox', () => {
  it('is named and kept; every other alert is delivered', async () => {
    for (const id of ['a1', 'a2', 'a3']) await local.state.saveAlert(openAlert(id, { openedAt: `2025-06-0${id.slice(1)}T02:00:00.000Z` }));
    damage('alerts', 'id = ?', ['a2'], '{"id":"a2","bodyId":');
    const sent: string[] = [];
    const channel: Notifier = {
      name: 'jsonl',
      async send(a: Alert, event) {
        sent.push(`${a.id} ${event}`);
      },
    };
    const report = await deliverAlerts(local.state, [channel], new ManualClock());
    expect(sent).toEqual(['a1 opened', 'a3 opened']);
    expect(report.failed).toEqual([]);
    expect(report.damaged).toEqual([expect.stringMatching(/^stored record alert a2 \(SQLite alerts\): not JSON/)]);
    // Still in the outbox: named again by the next delivery, sent once it is repaired.
    const again = await deliverAlerts(local.state, [channel], new ManualClock());
    expect(again.sent).toEqual([]);
    expect(again.damaged).toHaveLength(1);
  });
});

describe('moving damaged records aside (nianbao verify --repair)', () => {
  const report = (sha256: string) => ({
    bodyId: 'jia',
    year: 2024,
    sha256,
    url: 'https://www.jia.gov.cn/r.html',
    title: null,
    format: 'html' as const,
    published: '2025-01-20',
    findings: [],
    parserVersion: '1.2.0',
    parsedAt: '2025-02-01T02:00:00.000Z',
  });

  it('the work that stopped at a damaged state goes on once it is moved; a damaged parsed source is written again by the next parse', async () => {
    const clock = new ManualClock(Date.UTC(2025, 3, 2, 2));
    const bodies = ['jia', 'yi'].map(body);
    for (const b of bodies) await local.state.putState(initialState(b, 2024, '2025-01-01T00:00:00.000Z'));
    damage('states', 'body_id = ?', ['yi'], '{"bodyId":"yi"');
    const sha = 'a'.repeat(64);
    await local.store.putParsed(report(sha), [{ bodyId: 'jia', year: 2024, sha256: sha, row: 'table3.received', values: { total: 70 } }]);
    const db = new Database(dbFile(local.home));
    db.prepare('UPDATE reports SET data = ? WHERE body_id = ?').run('{"bodyId":"jia"}', 'jia');
    db.close();
    await expect(local.store.reports('jia', 2024)).rejects.toThrow(/report of jia 2024 \(SQLite reports\): missing field/);
    const handed: StoredRecordError[] = []; // a listing for people (the export) goes on without it
    expect(await local.store.reports('jia', 2024, { onDamaged: (e) => handed.push(e) })).toEqual([]);
    expect(handed.map((e) => e.record)).toEqual([{ bodyId: 'jia', year: 2024 }]);

    const moved = await local.moveDamaged();
    expect(moved.map((m) => [m.table, m.key])).toEqual([
      ['states', { body_id: 'yi', year: 2024 }],
      ['reports', { body_id: 'jia', year: 2024, sha256: sha }],
    ]);
    // The source's rows could be read, so they stay; the next parse of the source writes its record again.
    expect((await local.store.rows('jia', 2024, sha)).map((r) => r.values)).toEqual([{ total: 70 }]);
    expect(await local.store.reports('jia', 2024)).toEqual([]);
    await local.store.putParsed(report(sha), [{ bodyId: 'jia', year: 2024, sha256: sha, row: 'table3.received', values: { total: 70 } }]);
    expect((await local.store.reports('jia', 2024)).map((r) => r.sha256)).toEqual([sha]);
    // The deadline check no longer stops at yi; the states read whole (the next crawl of yi writes its state again).
    const results = await checkDeadlines(bodies, { state: local.state, clock }, { years: [2024] });
    expect(results.filter((r) => r.outcome === 'error')).toEqual([]);
    expect((await local.state.states(2024)).map((s) => s.bodyId)).toEqual(['jia']);
    expect(await local.moveDamaged()).toEqual([]);
  });

  it('a record rewritten after it was found damaged is left where it is', async () => {
    const { findDamaged, moveAside } = await import('../../shared/store/sqlite-repair.ts');
    await local.state.putState(initialState(body('jia'), 2024, '2025-01-01T00:00:00.000Z'));
    damage('states', 'body_id = ?', ['jia'], '{"bodyId":"jia"');
    const db = new Database(dbFile(local.home));
    try {
      const found = findDamaged(db);
      expect(found).toHaveLength(1);
      await local.state.putState(initialState(body('jia'), 2024, '2025-01-02T00:00:00.000Z')); // another process repairs it meanwhile
      expect(moveAside(db, found, '2025-01-02T00:00:00.000Z')).toEqual([]);
      expect((db.prepare('SELECT COUNT(*) AS n FROM damaged_records').get() as { n: number }).n).toBe(0);
    } finally {
      db.close();
    }
    expect((await local.state.getState('jia', 2024))?.status).toBe('pending');
  });
});
