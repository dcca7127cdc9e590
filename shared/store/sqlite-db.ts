/**
 * The local table: an embedded SQLite database in the home (`<home>/nianbao.db`, libsql — SQLite with its
 * binaries prebuilt in the npm package). WAL journal, so readers never wait for the writer and several processes
 * (two `nianbao run`s, a `status` beside them) share one home; every logical write is one transaction, so an item
 * and what indexes it commit together or not at all (a `kill -9` leaves no half-written alert). Nothing to start,
 * nothing left running.
 *
 * The tables mirror the access patterns of the DynamoDB single table (table.ts, docs/store.md): captures by URL,
 * body-year and sha256; report sources and their rows; one row across bodies; states by year; alerts by state and
 * by body; delivery claims.
 */
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import Database from 'libsql';
import { inOutbox } from './outbox.ts';
import { readAlert } from './records.ts';
import { alertLabel } from './sqlite-labels.ts';
import { ConfigError } from '../errors.ts';
import { cursorDecoder, encodeCursor } from './cursor.ts';

export type Db = InstanceType<typeof Database>;

/** Bumped when the schema changes; older databases are migrated in `open`. */
export const SCHEMA_VERSION = 3;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS captures (
  id TEXT PRIMARY KEY, url TEXT NOT NULL, time TEXT NOT NULL, body_id TEXT, year INTEGER, sha256 TEXT, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS captures_by_url ON captures (url, time, id);
CREATE INDEX IF NOT EXISTS captures_by_body ON captures (body_id, year, time, id);
CREATE INDEX IF NOT EXISTS captures_by_sha ON captures (sha256, time, id) WHERE sha256 IS NOT NULL;
CREATE TABLE IF NOT EXISTS reports (
  body_id TEXT NOT NULL, year INTEGER NOT NULL, sha256 TEXT NOT NULL, first_parsed_at TEXT NOT NULL, parser_version TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (body_id, year, sha256)
);
CREATE TABLE IF NOT EXISTS report_rows (
  body_id TEXT NOT NULL, year INTEGER NOT NULL, sha256 TEXT NOT NULL, row TEXT NOT NULL, current INTEGER NOT NULL, parser_version TEXT NOT NULL, cells TEXT NOT NULL,
  PRIMARY KEY (body_id, year, sha256, row)
);
-- One row across bodies (rowAcrossBodies: a year's figure for every body) reads this index in body order and skips
-- the other rows (about 30 a report). Keyed by year and body, not by year and row: a report's rows are then
-- neighbours, one or two pages written a report instead of one page for each of its rows (schema 3; schema 2's
-- rows_across_bodies, keyed by row, made every report's commit rewrite about 30 scattered pages).
CREATE INDEX IF NOT EXISTS rows_by_year ON report_rows (year, body_id, sha256, row) WHERE current = 1;
CREATE TABLE IF NOT EXISTS states (
  body_id TEXT NOT NULL, year INTEGER NOT NULL, status TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (body_id, year)
);
CREATE INDEX IF NOT EXISTS states_by_year ON states (year, status, body_id);
CREATE TABLE IF NOT EXISTS alerts (
  id TEXT PRIMARY KEY, body_id TEXT NOT NULL, year INTEGER NOT NULL, state TEXT NOT NULL, opened_at TEXT NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_by_state ON alerts (state, opened_at, id);
CREATE INDEX IF NOT EXISTS alerts_by_body ON alerts (body_id, opened_at, id);
CREATE TABLE IF NOT EXISTS outbox (
  alert_id TEXT PRIMARY KEY, body_id TEXT NOT NULL, opened_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_by_body ON outbox (body_id, opened_at, alert_id);
-- Records that could not be read, moved out of their tables by \`nianbao verify --repair\` (sqlite-repair.ts): kept,
-- never read by nianbao, so nothing stored is lost and a person can look at them.
CREATE TABLE IF NOT EXISTS damaged_records (
  id INTEGER PRIMARY KEY AUTOINCREMENT, moved_at TEXT NOT NULL, from_table TEXT NOT NULL, record_key TEXT NOT NULL, record TEXT NOT NULL, problem TEXT NOT NULL
);
-- Reports already read, by what they were read from (parse-cache.ts, sqlite-parsed.ts): a cache, gzip-compressed
-- JSON, read by nothing else. Added without a schema version: an older nianbao opening the home ignores it.
-- kept_at (ms since the epoch; added later, by keptAtColumn) expires an entry as S3's lifecycle rule does parsed/.
CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, data BLOB NOT NULL, kept_at INTEGER);
CREATE TABLE IF NOT EXISTS deliveries (
  alert_id TEXT NOT NULL, opened_at TEXT NOT NULL, event TEXT NOT NULL, channel TEXT NOT NULL, claimed_at INTEGER NOT NULL, delivered_at TEXT,
  PRIMARY KEY (alert_id, opened_at, event, channel)
);
`;

/** How long a writer waits for another process's transaction before giving up (ms). */
const BUSY_TIMEOUT_MS = 30_000;

/** Opens (creating if needed) the database at `file`; `readonly` for a store that may not be written. */
export function openDb(file: string, opts: { readonly?: boolean } = {}): Db {
  if (opts.readonly) return openReadonly(file);
  const db = new Database(file, { readonly: false, timeout: BUSY_TIMEOUT_MS });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a committed transaction survives the process being killed (only an OS crash may lose the last ones).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  keptAtColumn(db);
  const stored = db.prepare(`SELECT value FROM meta WHERE key = 'schema'`).get() as { value: string } | undefined;
  if (stored && Number(stored.value) > SCHEMA_VERSION) {
    db.close();
    throw new ConfigError(`${file}: database schema ${stored.value} is newer than this nianbao knows (${SCHEMA_VERSION}): upgrade nianbao`);
  }
  if (stored && Number(stored.value) < 2) inTransaction(db, () => fillOutbox(db));
  if (stored && Number(stored.value) < 3) db.exec('DROP INDEX IF EXISTS rows_across_bodies'); // schema 3: rows_by_year replaces it
  db.prepare(`INSERT INTO meta (key, value) VALUES ('schema', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(String(SCHEMA_VERSION));
  return db;
}

/**
 * A database opened only to read. A WAL database needs its `-shm` file even to be read, which a read-only folder
 * (a copy on a read-only disk, an archive handed over) cannot hold: there it is opened immutable — read as it
 * lies on disk, no lock taken (no one can be writing to a read-only copy).
 */
function openReadonly(file: string): Db {
  if (!existsSync(file)) throw new Error(`${file}: no such database`);
  let writable = true;
  try {
    accessSync(dirname(file), constants.W_OK);
  } catch {
    writable = false;
  }
  if (!writable && hasWal(file)) return openReadonlyCopy(file);
  const db = writable ? new Database(file, { readonly: true, timeout: BUSY_TIMEOUT_MS }) : new Database(`file:${file}?immutable=1`, { readonly: true });
  if (writable) db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}

/** True when the database has writes in its WAL not yet checkpointed into the main file. */
const hasWal = (file: string) => existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0;

/**
 * A read-only copy made while a writer had the home open carries its last writes in the `-wal` file only, which an
 * immutable open would not read (the store would look older than it is, silently). The database and its WAL are
 * copied to a private temporary folder and read there; the copy is removed when the database is closed.
 */
function openReadonlyCopy(file: string): Db {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-readonly-'));
  const copy = join(dir, basename(file));
  copyFileSync(file, copy);
  copyFileSync(`${file}-wal`, `${copy}-wal`);
  const db = new Database(copy, { readonly: true });
  const close = db.close.bind(db);
  db.close = () => {
    const r = close();
    rmSync(dir, { recursive: true, force: true });
    return r;
  };
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return db;
}

/**
 * `parsed.kept_at` and its index, in a home whose cache table was made without them. The cache table is outside the
 * schema's version (an older nianbao ignores it, and writes its entries with `kept_at` NULL: sqlite-parsed.ts's
 * `prune` dates them). Two processes opening one home may both add the column: the second finds it there.
 */
function keptAtColumn(db: Db): void {
  const columns = db.prepare('PRAGMA table_info(parsed)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'kept_at')) {
    try {
      db.exec('ALTER TABLE parsed ADD COLUMN kept_at INTEGER');
    } catch (e) {
      if (!/duplicate column/i.test((e as Error).message)) throw e;
    }
  }
  db.exec('CREATE INDEX IF NOT EXISTS parsed_by_kept_at ON parsed (kept_at)');
}

/** Schema 1 → 2: the outbox (outbox.ts) gets every alert still to deliver. */
function fillOutbox(db: Db): void {
  const rows = db.prepare(`SELECT id, body_id, opened_at, data FROM alerts WHERE state != 'dismissed'`).all() as {
    id: string;
    body_id: string;
    opened_at: string;
    data: string;
  }[];
  const insert = db.prepare('INSERT INTO outbox (alert_id, body_id, opened_at) VALUES (?, ?, ?) ON CONFLICT (alert_id) DO NOTHING');
  for (const r of rows) if (inOutbox(readAlert(r.data, alertLabel(r.id)))) insert.run(r.id, r.body_id, r.opened_at);
}

type Statement = ReturnType<Db['prepare']> & {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
};
const statements = new WeakMap<Db, Map<string, Statement>>();

/** A prepared statement of `db`, compiled once per database and SQL text (preparing costs more than running). */
export function prepared(db: Db, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let st = cache.get(sql);
  if (!st) cache.set(sql, (st = db.prepare<unknown[]>(sql) as Statement));
  return st;
}

/** Runs `fn` in one IMMEDIATE transaction (the write lock taken up front, so two processes never deadlock on upgrade). */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

export { encodeCursor };
/** A SQLite cursor: the sort key of the last row of the page (strings and numbers). */
const decodeSqliteCursor = cursorDecoder<unknown[]>({ type: 'array', maxItems: 4, items: { type: ['string', 'number'] } });
export const decodeCursor = (cursor: string | undefined): unknown[] | null => (cursor ? decodeSqliteCursor(cursor) : null);
