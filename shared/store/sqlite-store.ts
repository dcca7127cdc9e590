/**
 * CaptureLog and ReportStore on the local SQLite database (sqlite-db.ts), with the same behaviour as the DynamoDB
 * adapter (dynamo.ts) — one contract suite runs against both. A parsed source and its rows are written in one
 * transaction: a reader sees the old rows or the new ones, never a mixture.
 */
import { validatorsOf } from './validators.ts';
import { readCapture, readEach, readReport, readRowValues } from './records.ts';
import type {
  CaptureLog,
  CaptureQuery,
  CaptureRecord,
  ListOptions,
  Page,
  PreviousCapture,
  PutParsedOptions,
  ReportStore,
  StoredReport,
  RowQuery,
  StoredRow,
} from './ports.ts';
import { decodeCursor, encodeCursor, type Db, prepared } from './sqlite-db.ts';
import { captureLabel, reportLabel, rowLabel } from './sqlite-labels.ts';
import { checkTable } from './sqlite-repair.ts';
import { currentAfterPut } from './current.ts';
import type { SqliteWriter } from './sqlite-writer.ts';

interface CaptureRow {
  id: string;
  time: string;
  data: string;
}

const DEFAULT_LIMIT = 100;
/** Rows of one INSERT (6 parameters each, far below SQLite's 32,766). */
const ROWS_PER_INSERT = 64;

/** One row across bodies, in body order (after a cursor's body and source): read through rows_by_year (sqlite-db.ts). */
export const rowAcrossSql = (afterCursor: boolean) =>
  `SELECT body_id, sha256, cells FROM report_rows WHERE year = ? AND row = ? AND current = 1 ${afterCursor ? 'AND (body_id, sha256) > (?, ?)' : ''} ORDER BY body_id, sha256 LIMIT ?`;
const insertRows = (n: number, current: boolean) =>
  `INSERT INTO report_rows (body_id, year, sha256, row, current, parser_version, cells) VALUES ${Array.from({ length: n }, () => `(?, ?, ?, ?, ${current ? 1 : 0}, ?, ?)`).join(', ')}`;

/** A source's rows as stored (`report_rows`). */
type StoredRowCells = { row: string; cells: string; current: number; parser_version: string };

/** Whether a source's stored rows are exactly `rows` (names, cells, parser version). */
function sameRows(stored: StoredRowCells[], rows: StoredRow[], cells: string[], parserVersion: string): boolean {
  if (stored.length !== rows.length) return false;
  const byRow = new Map(stored.map((r) => [r.row, r]));
  return rows.every((r, i) => {
    const s = byRow.get(r.row);
    return s !== undefined && s.parser_version === parserVersion && s.cells === cells[i];
  });
}

export class SqliteStore implements CaptureLog, ReportStore {
  constructor(
    private readonly db: Db,
    private readonly writer: SqliteWriter,
  ) {}

  // ---------------------------------------------------------------------------------------- captures

  async put(record: CaptureRecord): Promise<void> {
    const sql = 'INSERT INTO captures (id, url, time, body_id, year, sha256, data) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING';
    const data = JSON.stringify(record);
    await this.writer.write(() =>
      prepared(this.db, sql).run(record.id, record.url, record.time, record.bodyId ?? null, record.year ?? null, record.sha256, data),
    );
  }

  async get(id: string): Promise<CaptureRecord | null> {
    const row = prepared(this.db, 'SELECT data FROM captures WHERE id = ?').get(id) as { data: string } | undefined;
    return row ? readCapture(row.data, captureLabel(id)) : null;
  }

  async latestCapture(url: string, opts: { withBody?: boolean } = {}): Promise<CaptureRecord | null> {
    const row = prepared(
      this.db,
      `SELECT data FROM captures WHERE url = ? ${opts.withBody ? 'AND sha256 IS NOT NULL' : ''} ORDER BY time DESC, id DESC LIMIT 1`,
    ).get(url) as { data: string } | undefined;
    return row ? readCapture(row.data, `latest capture of ${url} (SQLite captures)`) : null;
  }

  async latest(url: string): Promise<PreviousCapture | null> {
    return validatorsOf(url, await this.latestCapture(url, { withBody: true }));
  }

  async byUrl(url: string, q: CaptureQuery = {}): Promise<Page<CaptureRecord>> {
    return this.captures('url = ?', [url], q, q.newestFirst ?? false);
  }

  async byBody(bodyId: string, year?: number | 'all', q: CaptureQuery = {}): Promise<Page<CaptureRecord>> {
    if (year === 'all') {
      if (q.newestFirst) throw new Error("byBody(…, 'all') is in year order; ask for one year newest first");
      return this.captures('body_id = ?', [bodyId], q, false);
    }
    return year === undefined
      ? this.captures('body_id = ? AND year IS NULL', [bodyId], q, q.newestFirst ?? false)
      : this.captures('body_id = ? AND year = ?', [bodyId, year], q, q.newestFirst ?? false);
  }

  async bySha256(sha256: string, q: CaptureQuery = {}): Promise<Page<CaptureRecord>> {
    return this.captures('sha256 = ?', [sha256], q, false);
  }

  /** Every capture of the home, in time order (verification, migration). */
  async allCaptures(q: CaptureQuery = {}): Promise<Page<CaptureRecord>> {
    return this.captures('1 = 1', [], q, false);
  }

  /** A page of captures in time order, from..to inclusive (ISO prefixes), after the cursor's (time, id). */
  private captures(where: string, args: unknown[], q: CaptureQuery, newestFirst: boolean): Page<CaptureRecord> {
    const limit = q.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(q.cursor) as [string, string] | null;
    const cmp = newestFirst ? '<' : '>';
    const sql = `SELECT id, time, data FROM captures WHERE ${where} AND time >= ? AND time <= ?
      ${after ? `AND (time, id) ${cmp} (?, ?)` : ''} ORDER BY time ${newestFirst ? 'DESC' : 'ASC'}, id ${newestFirst ? 'DESC' : 'ASC'} LIMIT ?`;
    const rows = prepared(this.db, sql).all(...args, q.from ?? '', `${q.to ?? '~'}~`, ...(after ?? []), limit + 1) as CaptureRow[];
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: readEach(items, (r) => readCapture(r.data, captureLabel(r.id)), q),
      next: rows.length > limit && last ? encodeCursor([last.time, last.id]) : undefined,
    };
  }

  // ----------------------------------------------------------------------------------------- reports

  async putParsed(report: StoredReport, rows: StoredRow[], options: PutParsedOptions = {}): Promise<void> {
    const { bodyId, year, sha256 } = report;
    const makeCurrent = options.current ?? true;
    await this.writer.write(() => {
      const existing = prepared(this.db, 'SELECT first_parsed_at FROM reports WHERE body_id = ? AND year = ? AND sha256 = ?').get(bodyId, year, sha256) as
        | { first_parsed_at: string }
        | undefined;
      const cells = rows.map((r) => JSON.stringify(r.values));
      const stored = prepared(this.db, 'SELECT row, cells, current, parser_version FROM report_rows WHERE body_id = ? AND year = ? AND sha256 = ?').all(
        bodyId,
        year,
        sha256,
      ) as StoredRowCells[];
      const same = sameRows(stored, rows, cells, report.parserVersion);
      // A daily crawl puts most sources again as they are (the same bytes, read by the same parser): their rows are
      // left alone when they already stand as they would be written, cell for cell and current or not — rewriting them
      // changed nothing but cost a report's ~33 rows in three B-trees (and the WAL) every run. The report item below is
      // written either way (its findings follow today's rules).
      const otherCurrent = this.otherCurrent(report);
      const current = currentAfterPut(
        makeCurrent,
        stored.some((r) => r.current === 1),
        otherCurrent,
      );
      // Older sources of this body-year leave the across-bodies index when this one is put as current (their figures
      // stay, for old → new).
      if (makeCurrent && otherCurrent)
        prepared(this.db, 'UPDATE report_rows SET current = 0 WHERE body_id = ? AND year = ? AND sha256 <> ?').run(bodyId, year, sha256);
      if (!same) this.replaceRows(report, rows, cells, current);
      else if (stored.some((r) => (r.current === 1) !== current))
        prepared(this.db, 'UPDATE report_rows SET current = ? WHERE body_id = ? AND year = ? AND sha256 = ?').run(current ? 1 : 0, bodyId, year, sha256);
      prepared(
        this.db,
        'INSERT INTO reports (body_id, year, sha256, first_parsed_at, parser_version, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (body_id, year, sha256) DO UPDATE SET parser_version = excluded.parser_version, data = excluded.data',
      ).run(bodyId, year, sha256, existing?.first_parsed_at ?? report.parsedAt, report.parserVersion, JSON.stringify(report));
    });
  }

  /** Re-parsing replaces the source's rows (a row a newer parser no longer produces goes). */
  private replaceRows(report: StoredReport, rows: StoredRow[], cells: string[], current: boolean): void {
    const { bodyId, year, sha256 } = report;
    prepared(this.db, 'DELETE FROM report_rows WHERE body_id = ? AND year = ? AND sha256 = ?').run(bodyId, year, sha256);
    // Many rows a statement: one call into SQLite for a report's thirty-odd rows instead of one each.
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + ROWS_PER_INSERT);
      const args = chunk.flatMap((r, j) => [bodyId, year, sha256, r.row, report.parserVersion, cells[i + j]]);
      prepared(this.db, insertRows(chunk.length, current)).run(...args);
    }
  }

  /** Whether another source of the body-year is current. */
  private otherCurrent(report: StoredReport): boolean {
    const sql = 'SELECT 1 FROM report_rows WHERE year = ? AND body_id = ? AND sha256 <> ? AND current = 1 LIMIT 1';
    return prepared(this.db, sql).get(report.year, report.bodyId, report.sha256) !== undefined;
  }

  /**
   * How many damaged records `nianbao verify --repair` has moved into `damaged_records` (sqlite-repair.ts), so `verify`
   * can say they are there. A home no repair has touched, opened read-only, may not have the table yet: 0.
   */
  async movedAside(): Promise<number> {
    const table = prepared(this.db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'damaged_records'").get();
    return table ? (prepared(this.db, 'SELECT COUNT(*) AS n FROM damaged_records').get() as { n: number }).n : 0;
  }

  /**
   * Reads every parsed report and row of the home, checking each against its shape (`nianbao verify`): the damaged
   * ones are handed to `onDamaged`. Returns how many were read.
   */
  async checkParsed(onDamaged: NonNullable<ListOptions['onDamaged']>): Promise<number> {
    // The checks `verify --repair` makes (sqlite-repair.ts), one record at a time.
    return checkTable(this.db, 'reports', onDamaged) + checkTable(this.db, 'report_rows', onDamaged);
  }

  async reports(bodyId: string, year: number, options?: ListOptions): Promise<StoredReport[]> {
    const rows = prepared(this.db, 'SELECT data FROM reports WHERE body_id = ? AND year = ? ORDER BY first_parsed_at, sha256').all(bodyId, year) as {
      data: string;
    }[];
    return readEach(
      rows,
      (r) => readReport(r.data, reportLabel(bodyId, year)),
      options,
      () => ({ bodyId, year }),
    );
  }

  async rows(bodyId: string, year: number, sha256: string, options?: ListOptions): Promise<StoredRow[]> {
    const rows = prepared(this.db, 'SELECT row, cells FROM report_rows WHERE body_id = ? AND year = ? AND sha256 = ? ORDER BY row').all(
      bodyId,
      year,
      sha256,
    ) as { row: string; cells: string }[];
    return readEach(
      rows,
      (r) => ({ bodyId, year, sha256, row: r.row, values: readRowValues(r.cells, rowLabel(r.row, bodyId, year, sha256)) }),
      options,
      () => ({ bodyId, year }),
    );
  }

  /**
   * The bodies with current rows in a year, each once (`nianbao export`'s list of bodies): one pass over
   * `rows_by_year`. The export then reads each body's rows (`currentRows`), so it never holds a year of 30,000 bodies
   * (a million rows) in memory at once; reading `rowAcrossBodies` once per row key walked the year's whole index ~30
   * times (schema 3 keys it by year and body).
   */
  async bodiesWithRows(year: number): Promise<string[]> {
    const rows = prepared(this.db, 'SELECT DISTINCT body_id FROM report_rows WHERE year = ? AND current = 1 ORDER BY body_id').all(year) as {
      body_id: string;
    }[];
    return rows.map((r) => r.body_id);
  }

  /** A body's current rows of a year (its current source's), in source and row order, through `rows_by_year`. */
  async currentRows(bodyId: string, year: number, options?: ListOptions): Promise<StoredRow[]> {
    const sql = 'SELECT sha256, row, cells FROM report_rows WHERE year = ? AND body_id = ? AND current = 1 ORDER BY sha256, row';
    const rows = prepared(this.db, sql).all(year, bodyId) as { sha256: string; row: string; cells: string }[];
    return readEach(
      rows,
      (r) => ({ bodyId, year, sha256: r.sha256, row: r.row, values: readRowValues(r.cells, rowLabel(r.row, bodyId, year, r.sha256)) }),
      options,
      () => ({ bodyId, year }),
    );
  }

  async rowAcrossBodies(year: number, row: string, q: RowQuery = {}): Promise<Page<StoredRow>> {
    const limit = q.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(q.cursor) as [string, string] | null;
    const rows = prepared(this.db, rowAcrossSql(after !== null)).all(year, row, ...(after ?? []), limit + 1) as {
      body_id: string;
      sha256: string;
      cells: string;
    }[];
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: readEach(
        items,
        (r) => ({
          bodyId: r.body_id,
          year,
          sha256: r.sha256,
          row,
          values: readRowValues(r.cells, rowLabel(row, r.body_id, year, r.sha256)),
        }),
        q,
      ),
      next: rows.length > limit && last ? encodeCursor([last.body_id, last.sha256]) : undefined,
    };
  }
}
