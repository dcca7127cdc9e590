/** Group commit on the local table: one COMMIT a turn, each logical write atomic on its own, acknowledged only once committed. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { SqliteWriter } from '../../shared/store/sqlite-writer.ts';

function pair() {
  const file = join(mkdtempSync(join(tmpdir(), 'nianbao-writer-')), 'x.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(`CREATE TABLE parent (id TEXT PRIMARY KEY);
    CREATE TABLE item (id TEXT PRIMARY KEY, parent TEXT REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);`);
  // Another connection, as another process on the home would have.
  const other = new Database(file, { readonly: true });
  const seen = (id: string) => other.prepare('SELECT id FROM item WHERE id = ?').get(id) !== undefined;
  let commits = 0;
  const exec = db.exec.bind(db);
  db.exec = (sql: string) => {
    if (sql === 'COMMIT') commits++;
    return exec(sql);
  };
  return { db, file, seen, writer: new SqliteWriter(db), commits: () => commits };
}

const insert = (db: InstanceType<typeof Database>, id: string, parent: string | null = null) =>
  db.prepare('INSERT INTO item (id, parent) VALUES (?, ?)').run(id, parent).changes;

describe('SqliteWriter', () => {
  it('writes of one turn share one commit, and each resolves only once it is committed (visible to another connection)', async () => {
    const { db, seen, writer, commits } = pair();
    const writes = ['a', 'b', 'c'].map((id) => writer.write(() => insert(db, id)));
    // Not committed yet: another connection does not see them.
    expect(seen('a')).toBe(false);
    const results = await Promise.all(writes);
    expect(results).toEqual([1, 1, 1]);
    expect(['a', 'b', 'c'].map(seen)).toEqual([true, true, true]);
    expect(commits()).toBe(1);
    await writer.write(() => insert(db, 'd'));
    expect(commits()).toBe(2);
  });

  it('a write that fails is rolled back alone; the other writes of its turn commit', async () => {
    const { db, seen, writer } = pair();
    const ok = writer.write(() => insert(db, 'kept'));
    const failed = writer.write(() => {
      insert(db, 'half');
      throw new Error('the second half of this write failed');
    });
    const later = writer.write(() => insert(db, 'after'));
    await expect(failed).rejects.toThrow('the second half');
    await Promise.all([ok, later]);
    expect([seen('kept'), seen('half'), seen('after')]).toEqual([true, false, true]);
  });

  it('a batch whose COMMIT fails rejects every write of it: none is reported stored, none is kept', async () => {
    const { db, seen, writer } = pair();
    // A deferred foreign key is checked at COMMIT: the statement succeeds, the commit fails.
    const a = writer.write(() => insert(db, 'a'));
    const orphan = writer.write(() => insert(db, 'orphan', 'no-such-parent'));
    await expect(a).rejects.toThrow(/FOREIGN KEY/);
    await expect(orphan).rejects.toThrow(/FOREIGN KEY/);
    expect([seen('a'), seen('orphan')]).toEqual([false, false]);
    // The writer goes on: the next turn is a new transaction.
    await writer.write(() => insert(db, 'b'));
    expect(seen('b')).toBe(true);
  });

  it('holds the write lock only while its batch runs: another process writes between our call and our commit', async () => {
    const { db, seen, writer, file } = pair();
    const ours = writer.write(() => insert(db, 'ours'));
    // Another writer (as another `nianbao run` on the home), not willing to wait: our batch has not taken the lock.
    const theirs = new Database(file, { timeout: 0 });
    theirs.pragma('busy_timeout = 0');
    theirs.prepare('INSERT INTO item (id) VALUES (?)').run('theirs');
    theirs.close();
    await ours;
    expect([seen('ours'), seen('theirs')]).toEqual([true, true]);
  });

  it('flush commits the open batch at once (before the database is closed)', async () => {
    const { db, seen, writer } = pair();
    const w = writer.write(() => insert(db, 'last'));
    writer.flush();
    expect(seen('last')).toBe(true);
    db.close();
    await expect(w).resolves.toBe(1);
  });
});
