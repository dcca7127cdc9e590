/**
 * `nianbao verify --repair` on a local home: every stored record that cannot be read (cut short, edited by hand,
 * written by a version this one does not know: docs/store.md, "Damaged records") is moved out of its table into
 * `damaged_records`, whole, with what was wrong with it. Nothing is deleted: the record is kept for a person to look
 * at, and the next crawl of its body-year writes it again (a state, a parsed source and its rows, a capture of the
 * same URL); an alert whose fact still holds is raised again as a new one.
 *
 * Until then a damaged record stops the work that decides from it (that body-year's crawl, its alerts): moving it
 * aside is how that work goes on without a person editing the database by hand.
 */
import { readAlert, readCapture, readReport, readRowValues, readState, StoredRecordError } from './records.ts';
import { type Db, inTransaction, prepared } from './sqlite-db.ts';
import { alertLabel, captureLabel, reportLabel, rowLabel, stateLabel } from './sqlite-labels.ts';

type Row = Record<string, unknown>;
const str = (v: unknown) => String(v);

/** The tables of records kept as JSON, each with its key and the check its readers make. */
const TABLES = [
  { table: 'states', key: ['body_id', 'year'], json: 'data', check: (r: Row) => readState(str(r.data), stateLabel(str(r.body_id), Number(r.year))) },
  { table: 'alerts', key: ['id'], json: 'data', check: (r: Row) => readAlert(str(r.data), alertLabel(str(r.id))) },
  { table: 'captures', key: ['id'], json: 'data', check: (r: Row) => readCapture(str(r.data), captureLabel(str(r.id))) },
  {
    table: 'reports',
    key: ['body_id', 'year', 'sha256'],
    json: 'data',
    check: (r: Row) => readReport(str(r.data), reportLabel(str(r.body_id), Number(r.year))),
  },
  {
    table: 'report_rows',
    key: ['body_id', 'year', 'sha256', 'row'],
    json: 'cells',
    check: (r: Row) => readRowValues(str(r.cells), rowLabel(str(r.row), str(r.body_id), Number(r.year), str(r.sha256))),
  },
] as const;

/** One record moved into `damaged_records`. */
export interface MovedRecord {
  /** The table it was in. */
  table: (typeof TABLES)[number]['table'];
  /** Its key columns (`{ body_id, year }` for a state). */
  key: Record<string, unknown>;
  /** Why it could not be read (the StoredRecordError's message, naming the record). */
  problem: string;
}

/** A record found damaged by `findDamaged`, as it was read. */
export interface FoundDamaged {
  spec: (typeof TABLES)[number];
  rowid: unknown;
  row: Row;
  problem: string;
}

/**
 * Reads every record of one table with the check its readers make, one at a time (a home may hold millions of rows),
 * handing each refused one to `onDamaged` with its row. Returns how many were read (`nianbao verify` counts them).
 */
export function checkTable(db: Db, table: MovedRecord['table'], onDamaged: (error: StoredRecordError, found: FoundDamaged) => void): number {
  const spec = TABLES.find((t) => t.table === table)!;
  let n = 0;
  for (const row of prepared(db, `SELECT rowid AS rowid_, * FROM ${spec.table}`).iterate() as Iterable<Row>) {
    n++;
    try {
      spec.check(row);
    } catch (e) {
      if (!(e instanceof StoredRecordError)) throw e;
      const { rowid_, ...record } = row;
      onDamaged(e, { spec, rowid: rowid_, row: record, problem: e.message });
    }
  }
  return n;
}

/** Every record of the database that its reader refuses. */
export function findDamaged(db: Db): FoundDamaged[] {
  const found: FoundDamaged[] = [];
  for (const { table } of TABLES) checkTable(db, table, (_, f) => found.push(f));
  return found;
}

/**
 * Moves the records `findDamaged` found into `damaged_records`, in one transaction: the whole row as JSON, its key,
 * the problem and `movedAt`. An alert's outbox entry goes with it (an alert that cannot be read cannot be sent). A
 * record another process rewrote since it was read is left where it is: only the damaged record that was read moves.
 */
export function moveAside(db: Db, found: readonly FoundDamaged[], movedAt: string): MovedRecord[] {
  if (found.length === 0) return [];
  return inTransaction(db, () => {
    const moved: MovedRecord[] = [];
    for (const { spec, rowid, row, problem } of found) {
      const gone = prepared(db, `DELETE FROM ${spec.table} WHERE rowid = ? AND ${spec.json} = ?`).run(rowid, row[spec.json]).changes;
      if (gone !== 1) continue;
      const key = Object.fromEntries(spec.key.map((k) => [k, row[k]]));
      prepared(db, 'INSERT INTO damaged_records (moved_at, from_table, record_key, record, problem) VALUES (?, ?, ?, ?, ?)').run(
        movedAt,
        spec.table,
        JSON.stringify(key),
        JSON.stringify(row),
        problem,
      );
      if (spec.table === 'alerts') prepared(db, 'DELETE FROM outbox WHERE alert_id = ?').run(row.id);
      moved.push({ table: spec.table, key, problem });
    }
    return moved;
  });
}

/** `findDamaged`, then `moveAside`. */
export const moveDamaged = (db: Db, movedAt: string): MovedRecord[] => moveAside(db, findDamaged(db), movedAt);
