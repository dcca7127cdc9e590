/**
 * WAL checkpoints of the local table, off the event loop. SQLite copies the WAL back into the database file at a
 * checkpoint, which in `synchronous = NORMAL` is also where it syncs to disk; left to the default (every 1,000 WAL
 * pages, run inside whichever COMMIT crosses the mark) that copy and its fsync blocked the pipeline's only thread:
 * a third of the store's time on the bench's 2,200 pages.
 *
 * A worker thread with its own connection runs `wal_checkpoint(PASSIVE)` every `intervalMs` instead. A passive
 * checkpoint takes no lock a writer or reader waits for (https://sqlite.org/c3ref/wal_checkpoint_v2.html): the
 * writer keeps appending to the WAL meanwhile and restarts it once a checkpoint has caught up. The writer's own
 * automatic checkpoint stays, at a higher mark (`SAFETY_PAGES`), so the WAL stays bounded even if this thread
 * falls behind or fails; a failure is reported (`onError`), never swallowed.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './sqlite-db.ts';

/** The writer's own automatic checkpoint, kept as a safety net (pages of 4 KB: ~40 MB of WAL). */
export const SAFETY_PAGES = 10_000;

/** The worker's code (CommonJS, evaluated): no file of ours to locate, in a bundle or in the sources. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.libsql);
const db = new Database(workerData.file, { timeout: 30000 });
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ done: true });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Checkpoints run so far. */
  readonly runs: number;
  /** Stops the thread and closes its connection (before the writer's connection is closed). */
  stop(): Promise<void>;
}

/** Starts checkpointing `file` (already open for writing as `db`) in a worker thread. */
export function startCheckpointer(db: Db, file: string, opts: { intervalMs?: number; onError?: (message: string) => void } = {}): Checkpointer {
  db.pragma(`wal_autocheckpoint = ${SAFETY_PAGES}`);
  const libsql = createRequire(import.meta.url).resolve('libsql');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, libsql, intervalMs: opts.intervalMs ?? 250 } });
  worker.unref(); // never what keeps a process alive
  let runs = 0;
  const onError = opts.onError ?? ((m: string) => process.emitWarning(`local table checkpoint failed: ${m}`));
  worker.on('message', (m: { done?: true; error?: string }) => {
    if (m.error) onError(m.error);
    else runs++;
  });
  worker.on('error', (e) => onError(e.message));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    get runs() {
      return runs;
    },
    stop: async () => {
      worker.ref(); // awaited now: the process waits for the thread to close its connection
      worker.postMessage('stop');
      await exited;
    },
  };
}
