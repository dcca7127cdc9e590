/**
 * The local store of a home directory (docs/store.md): the archive in `<home>/archive/` (same key layout as S3) and
 * the table in `<home>/nianbao.db`, an embedded SQLite database (sqlite-db.ts) behind the same ports as the
 * DynamoDB adapters. Any number of processes may open one home at once; nothing is started or left running.
 *
 * A home written by nianbao before 0.2 keeps its table in `<home>/db/` (a dynalite LevelDB): it is not read
 * silently as empty — opening it says how to convert it (`nianbao store migrate`).
 */
import { ConfigError } from '../errors.ts';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FsArchiveStore } from './fs-archive.ts';
import { openDb, type Db } from './sqlite-db.ts';
import { SqliteStateStore } from './sqlite-state.ts';
import { type MovedRecord, moveDamaged } from './sqlite-repair.ts';
import { SqliteStore } from './sqlite-store.ts';
import { SqliteParsedCache } from './sqlite-parsed.ts';
import { SqliteWriter } from './sqlite-writer.ts';
import { type Checkpointer, startCheckpointer } from './sqlite-checkpointer.ts';

export interface LocalStore {
  home: string;
  archive: FsArchiveStore;
  /** The capture log and the report store. */
  store: SqliteStore;
  state: SqliteStateStore;
  /** Reports already read (parse-cache.ts), so a run reads again only the documents that changed. */
  parsed: SqliteParsedCache;
  /** Moves every record that cannot be read into `damaged_records` (`nianbao verify --repair`: sqlite-repair.ts). */
  moveDamaged(): Promise<MovedRecord[]>;
  close(): Promise<void>;
}

/** The file of a home's table. */
export const dbFile = (home: string) => join(home, 'nianbao.db');
/** Where nianbao before 0.2 kept a home's table (dynalite). */
export const legacyDbDir = (home: string) => join(home, 'db');

/** A home whose table is in the old format. */
export class LegacyStoreError extends ConfigError {
  constructor(readonly home: string) {
    super(
      `${home}: this home's table is in the format of nianbao before 0.2 (${legacyDbDir(home)}); convert it once with: nianbao --home ${home} store migrate`,
    );
  }
}

/** Opens (creating if needed) the local store of `home`. `readonly` opens an existing store without writing to it. */
export async function openLocalStore(home: string, opts: { readonly?: boolean | undefined; now?: (() => number) | undefined } = {}): Promise<LocalStore> {
  if (!existsSync(dbFile(home)) && existsSync(legacyDbDir(home))) throw new LegacyStoreError(home);
  if (!opts.readonly) mkdirSync(join(home, 'archive'), { recursive: true });
  const db: Db = openDb(dbFile(home), { readonly: opts.readonly === true });
  // Checkpoints run in a thread of their own from the first commit on (a command that writes nothing starts none).
  let checkpointer: Checkpointer | undefined;
  const writer = new SqliteWriter(db, () => {
    checkpointer ??= startCheckpointer(db, dbFile(home));
  });
  return {
    home,
    archive: new FsArchiveStore(join(home, 'archive')),
    store: new SqliteStore(db, writer),
    state: new SqliteStateStore(db, writer, opts.now),
    parsed: new SqliteParsedCache(db, writer, opts.now),
    moveDamaged: async () => {
      writer.flush();
      return moveDamaged(db, new Date((opts.now ?? Date.now)()).toISOString());
    },
    close: async () => {
      writer.flush();
      await checkpointer?.stop();
      db.close();
    },
  };
}
