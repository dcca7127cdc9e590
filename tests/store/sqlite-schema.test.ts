/** The local database's schema: what reads use which index, and an older home's upgrade (sqlite-db.ts). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { toStored } from '../../shared/archive/report-rows.ts';
import { parseReportBytes } from '../../shared/check.ts';
import { randomModel } from '../../shared/demo/generate.ts';
import { render } from '../../shared/demo/render.ts';
import { SCHEMA_VERSION } from '../../shared/store/sqlite-db.ts';
import { dbFile, openLocalStore } from '../../shared/store/local.ts';
import { rowAcrossSql } from '../../shared/store/sqlite-store.ts';

const indexes = (db: InstanceType<typeof Database>) =>
  (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'report_rows' AND sql IS NOT NULL`).all() as { name: string }[])
    .map((r) => r.name)
    .sort();

/** A home with the current sources of `bodies` bodies for one year (and an older source of the first). */
async function homeWithReports(bodies: number): Promise<{ home: string; year: number }> {
  const home = mkdtempSync(join(tmpdir(), 'nianbao-schema-'));
  const report = parseReportBytes(render(randomModel(7), 'html'));
  const s = await openLocalStore(home);
  for (let i = 0; i < bodies; i++) {
    const stored = toStored(report, {
      bodyId: `b${i}`,
      sha256: String(i % 10).repeat(64),
      url: 'http://x.gov.cn/r.html',
      parsedAt: '2026-01-20T00:00:00.000Z',
    });
    await s.store.putParsed(stored.report, stored.rows);
  }
  const newer = toStored(report, { bodyId: 'b0', sha256: 'f'.repeat(64), url: 'http://x.gov.cn/r2.html', parsedAt: '2026-02-01T00:00:00.000Z' });
  await s.store.putParsed(newer.report, newer.rows);
  await s.close();
  return { home, year: report.year! };
}

/** Every item of one row across bodies, page by page. */
async function across(home: string, year: number, row: string): Promise<string[]> {
  const s = await openLocalStore(home, { readonly: true });
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await s.store.rowAcrossBodies(year, row, { limit: 2, cursor });
    out.push(...page.items.map((r) => `${r.bodyId}#${r.sha256.slice(0, 1)}#${JSON.stringify(r.values)}`));
    cursor = page.next;
  } while (cursor);
  await s.close();
  return out;
}

describe('SQLite schema', () => {
  it('one row across bodies is read through rows_by_year, with and without a cursor (no scan of the table)', async () => {
    const { home } = await homeWithReports(3);
    const db = new Database(dbFile(home), { readonly: true });
    for (const cursor of [false, true]) {
      const plan = (
        db.prepare(`EXPLAIN QUERY PLAN ${rowAcrossSql(cursor)}`).all(2024, 'table3.received', ...(cursor ? ['b1', 'x'] : []), 10) as { detail: string }[]
      )
        .map((r) => r.detail)
        .join('; ');
      expect(plan).toMatch(/USING INDEX rows_by_year/);
      expect(plan).not.toMatch(/TEMP B-TREE/); // already in body order
    }
    db.close();
  });

  it('a schema-2 home is upgraded when opened: rows_across_bodies (keyed by row) makes way for rows_by_year, with the same answers', async () => {
    const { home, year } = await homeWithReports(5);
    const before = await across(home, year, 'table3.received');
    expect(before).toHaveLength(5); // b0's older source is not across bodies
    expect(before[0]).toMatch(/^b0#f#/);
    // Back to schema 2 as it was shipped.
    const raw = new Database(dbFile(home));
    raw.exec(`DROP INDEX rows_by_year;
      CREATE INDEX rows_across_bodies ON report_rows (year, row, body_id, sha256) WHERE current = 1;
      UPDATE meta SET value = '2' WHERE key = 'schema';`);
    expect(indexes(raw)).toEqual(['rows_across_bodies']);
    raw.close();

    const s = await openLocalStore(home);
    await s.close();
    const after = new Database(dbFile(home), { readonly: true });
    expect(indexes(after)).toEqual(['rows_by_year']);
    expect((after.prepare(`SELECT value FROM meta WHERE key = 'schema'`).get() as { value: string }).value).toBe(String(SCHEMA_VERSION));
    after.close();
    expect(await across(home, year, 'table3.received')).toEqual(before);
  });
});
