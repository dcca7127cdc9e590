/**
 * Converting a home of nianbao before 0.2 — its table in `<home>/db/`, a dynalite (LevelDB) database — to the
 * SQLite table of today: every capture, parsed source and row, state, alert and delivery record is copied
 * through the old DynamoDB adapter's own item format, then the old folder is renamed `db.migrated-<time>/`
 * (kept, not deleted). Run once per home: `nianbao store migrate`.
 */
import { existsSync, renameSync } from 'node:fs';
import { ConfigError } from '../errors.ts';
import type { Server } from 'node:http';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inOutbox } from './outbox.ts';
import dynalite from 'dynalite';
import { FsArchiveStore } from './fs-archive.ts';
import { documentClient } from './dynamo-client.ts';
import { dbFile, legacyDbDir } from './local.ts';
import type { Alert, BodyYearState, CaptureRecord, StoredReport } from './ports.ts';
import { inTransaction, openDb } from './sqlite-db.ts';
import { TABLE_NAME } from './table.ts';
import { BlobMissingError } from '../archive/verify.ts';

export interface MigrationReport {
  captures: number;
  reports: number;
  rows: number;
  states: number;
  alerts: number;
  deliveries: number;
  keptAt: string;
}

export async function migrateLegacyHome(home: string, now = new Date()): Promise<MigrationReport> {
  const legacy = legacyDbDir(home);
  if (!existsSync(legacy)) throw new ConfigError(`${home}: no table of an older nianbao here (${legacy} is missing)`);
  if (existsSync(dbFile(home))) throw new ConfigError(`${home}: already has a table (${dbFile(home)}); nothing to migrate`);
  const server: Server = dynalite({ path: legacy, createTableMs: 0 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const doc = documentClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
  const archive = new FsArchiveStore(`${home}/archive`);
  const tally = { captures: 0, reports: 0, rows: 0, states: 0, alerts: 0, deliveries: 0 };
  const db = openDb(`${dbFile(home)}.part`);
  try {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: TABLE_NAME, ExclusiveStartKey: start }));
      const items = (page.Items ?? []) as Record<string, unknown>[];
      const decoded = await Promise.all(items.map(async (i) => ({ item: i, value: await payload(i, archive) })));
      inTransaction(db, () => {
        for (const { item, value } of decoded) copy(db, item, value, tally);
      });
      start = page.LastEvaluatedKey;
    } while (start);
    // Everything into the main file before it is renamed (the write-ahead log is named after the file).
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
    doc.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
  renameSync(`${dbFile(home)}.part`, dbFile(home));
  const keptAt = `${legacy}.migrated-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(legacy, keptAt);
  return { ...tally, keptAt };
}

/** The JSON an old item holds (inline, or in the archive when it was too large for an item). */
async function payload(item: Record<string, unknown>, archive: FsArchiveStore): Promise<unknown> {
  if (typeof item.data === 'string') return JSON.parse(item.data);
  if (typeof item.record === 'string') return JSON.parse(item.record); // a capture written by nianbao ≥ 0.2's DynamoDB adapter
  if (typeof item.overflow === 'string') {
    const bytes = await archive.get(item.overflow);
    if (!bytes) throw new BlobMissingError(String(item.overflow), 'an overflow record of the old store');
    return JSON.parse(Buffer.from(bytes).toString());
  }
  return null;
}

type Db = ReturnType<typeof openDb>;
type Tally = Omit<MigrationReport, 'keptAt'>;

/** How each kind of old item becomes rows of the SQLite table (sqlite-db.ts), and what it counts as. */
const COPIERS: Record<string, (db: Db, item: Record<string, unknown>, value: unknown) => keyof Tally> = {
  capture(db, _item, value) {
    const c = value as CaptureRecord;
    db.prepare('INSERT OR IGNORE INTO captures (id, url, time, body_id, year, sha256, data) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      c.id,
      c.url,
      c.time,
      c.bodyId ?? null,
      c.year ?? null,
      c.sha256,
      JSON.stringify(c),
    );
    return 'captures';
  },
  report(db, item, value) {
    const r = value as StoredReport;
    db.prepare('INSERT OR REPLACE INTO reports (body_id, year, sha256, first_parsed_at, parser_version, data) VALUES (?, ?, ?, ?, ?, ?)').run(
      r.bodyId,
      r.year,
      r.sha256,
      String(item.firstParsedAt ?? r.parsedAt),
      r.parserVersion,
      JSON.stringify(r),
    );
    return 'reports';
  },
  row(db, item) {
    db.prepare('INSERT OR REPLACE INTO report_rows (body_id, year, sha256, row, current, parser_version, cells) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      item.bodyId,
      item.year,
      item.sha256,
      item.row,
      item.GSI2PK ? 1 : 0,
      String(item.parserVersion ?? ''),
      JSON.stringify(item.values),
    );
    return 'rows';
  },
  state(db, _item, value) {
    const s = value as BodyYearState;
    db.prepare('INSERT OR REPLACE INTO states (body_id, year, status, data) VALUES (?, ?, ?, ?)').run(s.bodyId, s.year, s.status, JSON.stringify(s));
    return 'states';
  },
  alert(db, item, value) {
    const a = value as Alert;
    const version = typeof item.version === 'number' ? item.version : 1;
    db.prepare('INSERT OR REPLACE INTO alerts (id, body_id, year, state, opened_at, version, data) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      a.id,
      a.bodyId,
      a.year,
      a.state,
      a.openedAt,
      version,
      JSON.stringify({ ...a, version }),
    );
    if (inOutbox(a)) db.prepare('INSERT OR REPLACE INTO outbox (alert_id, body_id, opened_at) VALUES (?, ?, ?)').run(a.id, a.bodyId, a.openedAt);
    return 'alerts';
  },
  delivery(db, item) {
    const [, openedAt, event, ...channel] = String(item.SK).split('#');
    db.prepare('INSERT OR REPLACE INTO deliveries (alert_id, opened_at, event, channel, claimed_at, delivered_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      String(item.PK).slice('ALERT#'.length),
      openedAt,
      event,
      channel.join('#'),
      Number(item.claimedAt ?? 0),
      (item.deliveredAt as string | undefined) ?? null,
    );
    return 'deliveries';
  },
};

/** Copies one old item; items of other kinds (none are known) are left behind, as before. */
function copy(db: Db, item: Record<string, unknown>, value: unknown, tally: Tally): void {
  const copier = COPIERS[String(item.kind)];
  if (copier) tally[copier(db, item, value)]++;
}
