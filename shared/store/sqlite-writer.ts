/**
 * Group commit for the local table (sqlite-db.ts). The logical writes asked for in one turn of the event loop (a
 * capture, a parsed source and its rows, an alert and its outbox entry, a delivery claim) are run together on the
 * next turn (`setImmediate`), each in a SAVEPOINT of one transaction, and committed at once; only then do their
 * promises resolve. So:
 *
 * - a logical write is still atomic: a write that fails is rolled back to its savepoint, alone, and its promise
 *   rejects with its own error;
 * - a write is durable when its promise resolves, as before (a caller that sends a webhook after `claimDelivery`
 *   resolved finds the claim committed, visible to every other process on the home);
 * - a batch whose COMMIT fails rejects every write of it: none is reported stored;
 * - the write lock is held only while the batch runs (milliseconds), not while this process does other work in
 *   between: another process's writer waits no longer than it would for one transaction of ours;
 * - the pipeline's concurrent body-years, which each wrote four or five small transactions a report, share their
 *   commits: a COMMIT (its WAL write, the checkpoint some commits run) costs more than a typical write's statements.
 *
 * Callers await their writes before reading what they wrote (every store method is async), so running a write on the
 * next turn instead of at once changes nothing they can see.
 */
import type { Db } from './sqlite-db.ts';

interface Pending {
  fn: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class SqliteWriter {
  private queue: Pending[] = [];

  constructor(
    private readonly db: Db,
    /** Called after each successful COMMIT (the local store starts its checkpointer at the first). */
    private readonly onCommit?: () => void,
  ) {}

  /** Runs `fn` as one logical write with the others of this turn; resolves with its result once committed. */
  write<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Runs and commits the waiting writes now (before the database is closed). */
  flush(): void {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      for (const w of batch) w.reject(error); // the lock was not had (another process held it past busy_timeout)
      return;
    }
    const done: { w: Pending; ok: boolean; value: unknown }[] = [];
    for (const w of batch) {
      this.db.exec('SAVEPOINT write');
      try {
        const value = w.fn();
        this.db.exec('RELEASE write');
        done.push({ w, ok: true, value });
      } catch (error) {
        this.db.exec('ROLLBACK TO write');
        this.db.exec('RELEASE write');
        done.push({ w, ok: false, value: error });
      }
    }
    let failure: unknown;
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      failure = error;
      try {
        this.db.exec('ROLLBACK');
      } catch {
        // The failed COMMIT already ended the transaction.
      }
    }
    if (failure === undefined) this.onCommit?.();
    for (const { w, ok, value } of done) {
      if (!ok) w.reject(value);
      else if (failure !== undefined) w.reject(failure);
      else w.resolve(value);
    }
  }
}
