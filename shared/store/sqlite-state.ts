/**
 * StateStore on the local SQLite database: body-year states, alerts (versioned writes: a write based on a stale
 * read changes nothing) and delivery claims — the same behaviour as the DynamoDB adapter (state.ts).
 */
import type { Alert, AlertEvent, AlertOpening, AlertState, BodyYearState, ListOptions, StateStore } from './ports.ts';
import { inOutbox } from './outbox.ts';
import { readAlert, readEach, readState } from './records.ts';
import { type Db, prepared } from './sqlite-db.ts';
import { alertLabel, stateLabel } from './sqlite-labels.ts';
import type { SqliteWriter } from './sqlite-writer.ts';

type AlertRow = { id: string; data: string; version: number };
const alertOf = (r: AlertRow): Alert => ({ ...readAlert(r.data, alertLabel(r.id)), version: r.version });

export class SqliteStateStore implements StateStore {
  constructor(
    private readonly db: Db,
    private readonly writer: SqliteWriter,
    private readonly now: () => number = Date.now,
  ) {}

  async getState(bodyId: string, year: number): Promise<BodyYearState | null> {
    const r = prepared(this.db, 'SELECT data FROM states WHERE body_id = ? AND year = ?').get(bodyId, year) as { data: string } | undefined;
    return r ? readState(r.data, stateLabel(bodyId, year)) : null;
  }

  async putState(s: BodyYearState): Promise<void> {
    await this.writer.write(() =>
      prepared(
        this.db,
        'INSERT INTO states (body_id, year, status, data) VALUES (?, ?, ?, ?) ON CONFLICT (body_id, year) DO UPDATE SET status = excluded.status, data = excluded.data',
      ).run(s.bodyId, s.year, s.status, JSON.stringify(s)),
    );
  }

  async states(year?: number, options?: ListOptions): Promise<BodyYearState[]> {
    const rows = (
      year === undefined
        ? prepared(this.db, 'SELECT body_id, year, data FROM states ORDER BY year, status, body_id').all()
        : prepared(this.db, 'SELECT body_id, year, data FROM states WHERE year = ? ORDER BY status, body_id').all(year)
    ) as { body_id: string; year: number; data: string }[];
    return readEach(
      rows,
      (r) => readState(r.data, stateLabel(r.body_id, r.year)),
      options,
      (r) => ({ bodyId: r.body_id, year: r.year }),
    );
  }

  async getAlert(id: string): Promise<Alert | null> {
    const r = prepared(this.db, 'SELECT id, data, version FROM alerts WHERE id = ?').get(id) as AlertRow | undefined;
    return r ? alertOf(r) : null;
  }

  async saveAlert(a: Alert): Promise<boolean> {
    const expected = a.version ?? 0;
    const data = JSON.stringify({ ...a, version: expected + 1 });
    const args = [a.bodyId, a.year, a.state, a.openedAt, expected + 1, data];
    // The alert and its outbox entry commit together.
    const changes = await this.writer.write(() => {
      const n =
        expected === 0
          ? prepared(
              this.db,
              'INSERT INTO alerts (id, body_id, year, state, opened_at, version, data) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
            ).run(a.id, ...args).changes
          : prepared(this.db, 'UPDATE alerts SET body_id = ?, year = ?, state = ?, opened_at = ?, version = ?, data = ? WHERE id = ? AND version = ?').run(
              ...args,
              a.id,
              expected,
            ).changes;
      if (n !== 1) return n;
      if (inOutbox(a))
        prepared(
          this.db,
          'INSERT INTO outbox (alert_id, body_id, opened_at) VALUES (?, ?, ?) ON CONFLICT (alert_id) DO UPDATE SET body_id = excluded.body_id, opened_at = excluded.opened_at',
        ).run(a.id, a.bodyId, a.openedAt);
      else prepared(this.db, 'DELETE FROM outbox WHERE alert_id = ?').run(a.id);
      return n;
    });
    if (changes !== 1) return false;
    a.version = expected + 1;
    return true;
  }

  async alerts(state?: AlertState, options?: ListOptions): Promise<Alert[]> {
    const rows = (
      state
        ? prepared(this.db, 'SELECT id, data, version FROM alerts WHERE state = ? ORDER BY opened_at, id').all(state)
        : prepared(this.db, 'SELECT id, data, version FROM alerts ORDER BY opened_at, id').all()
    ) as AlertRow[];
    return readEach(rows, alertOf, options);
  }

  async undelivered(bodies?: string[], options?: ListOptions): Promise<Alert[]> {
    const select = 'SELECT a.id, a.data, a.version FROM outbox o JOIN alerts a ON a.id = o.alert_id';
    const rows = bodies
      ? [...new Set(bodies)].flatMap((b) => prepared(this.db, `${select} WHERE o.body_id = ?`).all(b) as AlertRow[])
      : (prepared(this.db, select).all() as AlertRow[]);
    return readEach(rows, alertOf, options)
      .filter(inOutbox)
      .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.id.localeCompare(b.id));
  }

  async alertsOf(bodyId: string, year?: number, options?: ListOptions): Promise<Alert[]> {
    const rows =
      year === undefined
        ? prepared(this.db, 'SELECT id, data, version FROM alerts WHERE body_id = ? ORDER BY opened_at, id').all(bodyId)
        : prepared(this.db, 'SELECT id, data, version FROM alerts WHERE body_id = ? AND year = ? ORDER BY opened_at, id').all(bodyId, year);
    return readEach(rows as AlertRow[], alertOf, options);
  }

  async claimDelivery(alert: AlertOpening, event: AlertEvent, channel: string, now: number, staleMs: number): Promise<boolean> {
    const sql = `INSERT INTO deliveries (alert_id, opened_at, event, channel, claimed_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (alert_id, opened_at, event, channel) DO UPDATE SET claimed_at = excluded.claimed_at
      WHERE deliveries.delivered_at IS NULL AND deliveries.claimed_at < ?`;
    const r = await this.writer.write(() => prepared(this.db, sql).run(alert.id, alert.openedAt, event, channel, now, now - staleMs));
    return r.changes === 1;
  }

  async completeDelivery(alert: AlertOpening, event: AlertEvent, channel: string): Promise<void> {
    const sql = 'UPDATE deliveries SET delivered_at = ? WHERE alert_id = ? AND opened_at = ? AND event = ? AND channel = ?';
    await this.writer.write(() => prepared(this.db, sql).run(new Date(this.now()).toISOString(), alert.id, alert.openedAt, event, channel));
  }

  async deliveryCompleted(alert: AlertOpening, event: AlertEvent, channel: string): Promise<boolean> {
    const sql = 'SELECT 1 FROM deliveries WHERE alert_id = ? AND opened_at = ? AND event = ? AND channel = ? AND delivered_at IS NOT NULL';
    return prepared(this.db, sql).get(alert.id, alert.openedAt, event, channel) !== undefined;
  }

  async releaseDelivery(alert: AlertOpening, event: AlertEvent, channel: string): Promise<void> {
    const sql = 'DELETE FROM deliveries WHERE alert_id = ? AND opened_at = ? AND event = ? AND channel = ? AND delivered_at IS NULL';
    await this.writer.write(() => prepared(this.db, sql).run(alert.id, alert.openedAt, event, channel));
  }
}
