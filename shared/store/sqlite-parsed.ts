/**
 * The parsed-report cache (parse-cache.ts) in the local table: one row a key, the report as gzip-compressed JSON
 * (a report's JSON is 15–35 KB, 3–7 KB compressed; gzip's CRC-32 also tells a damaged entry from a good one). It is
 * a cache: nothing else reads it, a damaged or missing entry only means the document is read again, and the rows of
 * another parser are pruned at the start of each run (`prune`).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { DamagedKeptReportError, type ParsedCache } from '../parse-cache.ts';
import { validUtf8 } from '../report/decode.ts';
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
    if (!row) return null;
    try {
      return JSON.parse(validUtf8(gunzipSync(row.data))) as ParsedReport;
    } catch (e) {
      // Counted by cachedParser; the document is read again and its `put` overwrites the entry.
      throw new DamagedKeptReportError(key, e);
    }
  }

  async put(key: string, report: ParsedReport): Promise<void> {
    // Serialised now: a caller that changes the report afterwards does not change what is kept. Compressed in this
    // turn (~0.1 ms a report at level 1), not in libuv's pool: the write then joins the commit of the report's own
    // rows (sqlite-writer.ts) instead of making one of its own when the pool answers.
    const data = gzipSync(JSON.stringify(report), { level: 1 });
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
