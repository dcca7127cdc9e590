/** WAL checkpoints in a thread of their own: the writes reach the database file without a COMMIT of ours copying them. */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../shared/store/sqlite-db.ts';
import { SAFETY_PAGES, startCheckpointer } from '../../shared/store/sqlite-checkpointer.ts';

const until = async (what: () => boolean) => {
  for (let i = 0; i < 400 && !what(); i++) await new Promise((r) => setTimeout(r, 25));
  return what();
};

describe('startCheckpointer', () => {
  it('copies committed pages into the database file from its own thread; the writer keeps its own checkpoint only as a safety net', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nianbao-ckpt-')), 'nianbao.db');
    const db = openDb(file);
    const errors: string[] = [];
    const ckpt = startCheckpointer(db, file, { intervalMs: 20, onError: (m) => errors.push(m) });
    expect((db.pragma('wal_autocheckpoint') as { wal_autocheckpoint: number }[])[0]!.wal_autocheckpoint).toBe(SAFETY_PAGES);
    const before = statSync(file).size;
    const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    // ~2 MB in 200 transactions: far below the writer's own mark, so only the thread can have copied it.
    for (let i = 0; i < 200; i++) db.transaction(() => insert.run(`k${i}`, 'x'.repeat(10_000))).immediate();
    // The file itself (read immutable: without the WAL) holds the rows once a checkpoint has run after the last commit.
    const inFile = () => {
      const raw = new Database(`file:${file}?immutable=1`, { readonly: true });
      try {
        return (raw.prepare(`SELECT count(*) AS n FROM meta WHERE key LIKE 'k%'`).get() as { n: number }).n;
      } catch {
        return -1; // not even the schema copied yet
      } finally {
        raw.close();
      }
    };
    // (A run's message may arrive after its pages: wait for both.)
    expect(await until(() => inFile() === 200 && ckpt.runs > 0)).toBe(true);
    expect(statSync(file).size).toBeGreaterThan(before + 1_000_000);
    await ckpt.stop();
    db.close();
    expect(errors).toEqual([]);
  });

  it('a checkpoint that fails is reported, not swallowed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-ckpt-'));
    const db = openDb(join(dir, 'nianbao.db'));
    const errors: string[] = [];
    // Pointed at a file that is not a database: its connection's first checkpoint fails.
    const bogus = join(dir, 'not-a-db');
    writeFileSync(bogus, 'this is not an SQLite database '.repeat(200));
    const ckpt = startCheckpointer(db, bogus, { intervalMs: 20, onError: (m) => errors.push(m) });
    expect(await until(() => errors.length > 0)).toBe(true);
    expect(errors[0]).toMatch(/not a database|file is not a database|NOTADB/i);
    await ckpt.stop();
    db.close();
  });
});
