/**
 * Reconciling one body-year's alerts on the local store (SQLite, a file on disk): the alerts it opens or resolves are
 * written together — one commit, not one each — in the candidates' order, and two reconcilers of the same body-year
 * at once still open each alert exactly once (each write is conditional on the alert's version).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertCandidate, reconcileAlerts } from '../../shared/alerts/decide.ts';
import { type Db, openDb } from '../../shared/store/sqlite-db.ts';
import { SqliteStateStore } from '../../shared/store/sqlite-state.ts';
import { SqliteWriter } from '../../shared/store/sqlite-writer.ts';

let dir: string;
let db: Db;
let commits: number;
let state: SqliteStateStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nianbao-reconcile-'));
  db = openDb(join(dir, 'nianbao.db'));
  commits = 0;
  state = new SqliteStateStore(db, new SqliteWriter(db, () => commits++));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const subject = { bodyId: 'jia', bodyName: '甲区人民政府', year: 2024 };
const candidate = (rule: string): AlertCandidate => ({
  kind: 'inconsistent',
  detail: `${rule}:table3.granted.total`,
  summaryZh: `甲区人民政府2024年度报告：${rule}`,
  summaryEn: `甲区人民政府 2024 report: ${rule}`,
  evidence: { rules: [rule], cells: ['table3.granted.total'] },
});
const rules = ['T3-TOTAL', 'T3-SUM', 'T3-OUTCOME', 'T4-SUM'];

describe('reconcileAlerts on the local store', () => {
  it('opens four alerts in one commit, in the candidates’ order; resolves the two gone in one more commit', async () => {
    const opened = await reconcileAlerts(state, subject, rules.map(candidate), ['inconsistent'], '2025-06-01T02:00:00.000Z');
    expect(opened.map((a) => a.detail.split(':')[0])).toEqual(rules);
    expect(commits).toBe(1);
    expect((await state.alertsOf('jia', 2024)).map((a) => [a.state, a.version])).toEqual(rules.map(() => ['open', 1]));

    const resolved = await reconcileAlerts(state, subject, [candidate('T3-SUM'), candidate('T4-SUM')], ['inconsistent'], '2025-06-02T02:00:00.000Z');
    // Resolutions come in the stored alerts' order (opened at, then id).
    expect(resolved.map((a) => [a.detail.split(':')[0], a.state]).sort()).toEqual([
      ['T3-OUTCOME', 'resolved'],
      ['T3-TOTAL', 'resolved'],
    ]);
    expect(commits).toBe(2);
  });

  it('two reconcilers of one body-year at once open each alert once: the loser of each write reads it again and leaves it', async () => {
    const now = '2025-06-01T02:00:00.000Z';
    const [a, b] = await Promise.all([
      reconcileAlerts(state, subject, rules.map(candidate), ['inconsistent'], now),
      reconcileAlerts(state, subject, rules.map(candidate), ['inconsistent'], now),
    ]);
    expect([...a, ...b].map((x) => x.detail.split(':')[0]).sort()).toEqual([...rules].sort());
    const stored = await state.alertsOf('jia', 2024);
    expect(stored).toHaveLength(4);
    expect(stored.every((x) => x.state === 'open' && x.version === 1)).toBe(true);
  });
});
