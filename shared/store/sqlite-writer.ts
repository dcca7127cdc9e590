/**
 * Group commit for the local table (sqlite-db.ts). Each logical write (a capture, a parsed source and its rows,
 * an alert and its outbox entry, a delivery claim) runs at once, synchronously, inside a SAVEPOINT of the one
 * transaction open for the current turn of the event loop; that transaction commits on the next turn
 * (`setImmediate`), and only then do the writes' promises resolve. So:
 *
 * - a logical write is still atomic: a write that fails is rolled back to its savepoint, alone;
 * - a write is durable when its promise resolves, as before (a caller that sends a webhook after `claimDelivery`
 *   resolved finds the claim committed, visible to every other process on the home);
 * - a batch whose COMMIT fails rejects every write of it: none is reported stored;
 * - the pipeline's ten concurrent body-years, which each wrote four or five small transactions a report,
 *   share their commits: a COMMIT (its WAL write, and the checkpoint that some commits run) costs more than the
 *   statements of a typical logical write.
 *
 * The write lock is held from the first write of a turn to the end of it (a few milliseconds); another process's
 * writer waits for it (busy_timeout), as it waits for any transaction.
 */
import type { Db } from './sqlite-db.ts';

type Settle = (error?: unknown) => void;

export class SqliteWriter {
  private batch: Settle[] | null = null;

  constructor(
    private readonly db: Db,
    /** Called after each successful COMMIT (the local store starts its checkpointer at the first). */
    private readonly onCommit?: () => void,
  ) {}

  /** Runs `fn` as one logical write; resolves with its result once it is committed. */
  write<T>(fn: () => T): Promise<T> {
    const batch = this.batch ?? this.begin();
    this.db.exec('SAVEPOINT write');
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.db.exec('ROLLBACK TO write');
      this.db.exec('RELEASE write');
      return Promise.reject(error);
    }
    this.db.exec('RELEASE write');
    return new Promise<T>((resolve, reject) => batch.push((error) => (error === undefined ? resolve(result) : reject(error))));
  }

  /** Commits the open batch now (before the database is closed). */
  flush(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = null;
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
    for (const settle of batch) settle(failure);
  }

  private begin(): Settle[] {
    this.db.exec('BEGIN IMMEDIATE');
    const batch: Settle[] = [];
    this.batch = batch;
    setImmediate(() => {
      if (this.batch === batch) this.flush();
    });
    return batch;
  }
}
