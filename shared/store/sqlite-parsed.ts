/**
 * The parsed-report cache (parse-cache.ts) in the local table: one row a key, the report as the cache keeps it
 * (`keptBytes`: gzip-compressed JSON, whose CRC-32 tells a damaged entry from a good one). It is
 * a cache: nothing else reads it, a damaged or missing entry only means the document is read again, and the rows of
 * another parser are pruned at the start of each run (`prune`).
 */
import { keptBytes, keptReport, type ParsedCache } from '../parse-cache.ts';
import type { ParsedReport } from '../report/model.ts';
import { type Db, prepared } from './sqlite-db.ts';
import type { SqliteWriter } from './sqlite-writer.ts';

export class SqliteParsedCache implements ParsedCache {
  constructor(
    private readonly db: Db,
    private readonly writer: SqliteWriter,
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
    await this.writer.write(() =>
      prepared(this.db, 'INSERT INTO parsed (key, data) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data').run(key, data),
    );
  }

  /**
   * Removes the entries of every parser but `tag`'s (keys are `<tag> <hex>`: this tag's are the range from
   * `"<tag> "` up to `"<tag>!"`, read through the key's index). Returns how many went.
   */
  async prune(tag: string): Promise<number> {
    return this.writer.write(() => prepared(this.db, 'DELETE FROM parsed WHERE key < ? OR key >= ?').run(`${tag} `, `${tag}!`).changes);
  }

  /** Entries kept. */
  async count(): Promise<number> {
    return (prepared(this.db, 'SELECT COUNT(*) AS n FROM parsed').get() as { n: number }).n;
  }
}
