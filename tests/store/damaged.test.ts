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
import { ManualClock } from '../helpers/clock.ts';
import { openAlert } from '../helpers/records.ts';

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
