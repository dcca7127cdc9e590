/**
 * The parsed-report cache (parse-cache.ts) in the local table: one row a key, the report as the cache keeps it
 * (`keptBytes`: gzip-compressed JSON, whose CRC-32 tells a damaged entry from a good one). It is
 * a cache: nothing else reads it, a damaged or missing entry only means the document is read again, and at the start
 * of each run (`prune`) the entries of another parser go, and those kept more than KEPT_REPORT_DAYS ago — as S3's
 * lifecycle rule expires parsed/ in AWS. Without the expiry a home grew by a reading a day for every page whose
 * bytes change daily (a visit counter, a clock: the page is read again to learn whether its report changed), readings
 * asked for never again.
 */
import { KEPT_REPORT_DAYS, keptBytes, keptReport, type ParsedCache } from '../parse-cache.ts';
import type { ParsedReport } from '../report/model.ts';
import { type Db, prepared } from './sqlite-db.ts';
import type { SqliteWriter } from './sqlite-writer.ts';

export class SqliteParsedCache implements ParsedCache {
  constructor(
    private readonly db: Db,
    private readonly writer: SqliteWriter,
    /** The time an entry is kept at, and that `prune` counts its age from (ms since the epoch). */
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<ParsedReport | null> {
    const row = prepared(this.db, 'SELECT data FROM parsed WHERE key = ?').get(key) as { data: Uint8Array } | undefined;
    // A damaged entry throws: cachedParser counts it, reads the document again, and its `put` overwrites the entry.
    return row ? keptReport(key, row.data) : null;
  }

  async put(key: string, report: ParsedReport): Promise<void> {
    // Compressed in this turn, not in libuv's pool: the write then joins the commit of the report's own rows
    // (sqlite-writer.ts) instead of making one of its own when the pool answers.
    const data = keptBytes(report);
    const keptAt = this.now();
    await this.writer.write(() =>
      prepared(
        this.db,
        'INSERT INTO parsed (key, data, kept_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data, kept_at = excluded.kept_at',
      ).run(key, data, keptAt),
    );
  }

  /**
   * Removes the entries of every parser but `tag`'s (keys are `<tag> <hex>`: this tag's are the range from
   * `"<tag> "` up to `"<tag>!"`, read through the key's index), and those kept more than KEPT_REPORT_DAYS ago
   * (through `kept_at`'s index). An entry an older nianbao wrote has no `kept_at`: it is dated now, and goes when
   * that many days have passed. Returns how many went.
   */
  async prune(tag: string): Promise<number> {
    const now = this.now();
    return this.writer.write(() => {
      prepared(this.db, 'UPDATE parsed SET kept_at = ? WHERE kept_at IS NULL').run(now);
      const otherParsers = prepared(this.db, 'DELETE FROM parsed WHERE key < ? OR key >= ?').run(`${tag} `, `${tag}!`).changes;
      const expired = prepared(this.db, 'DELETE FROM parsed WHERE kept_at < ?').run(now - KEPT_REPORT_DAYS * 86_400_000).changes;
      return otherParsers + expired;
    });
  }

  /** Entries kept. */
  async count(): Promise<number> {
    return (prepared(this.db, 'SELECT COUNT(*) AS n FROM parsed').get() as { n: number }).n;
  }
}
