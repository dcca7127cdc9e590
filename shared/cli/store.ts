/** Opening the local store of --home for a command, and closing it whatever happens. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_REGISTRY } from '../crawl/registry.ts';
import { dbFile, legacyDbDir, LegacyStoreError, openLocalStore, type LocalStore } from '../store/local.ts';
import { CliError, EXIT } from './exit.ts';

/**
 * `readonly` for commands that only read (status, alerts, report, captures, get, exports): they work on a read-only
 * copy of a home too. A home that cannot be opened is a one-line error naming it, never a stack trace.
 */
export async function withStore<T>(home: string, fn: (s: LocalStore) => Promise<T>, opts: { readonly?: boolean } = {}): Promise<T> {
  let store: LocalStore;
  if (existsSync(home) && !statSync(home).isDirectory()) throw new CliError(`--home ${home}: is a file, not a folder / 不是目录`);
  if (opts.readonly && !existsSync(dbFile(home))) {
    if (existsSync(legacyDbDir(home))) throw new CliError(new LegacyStoreError(home).message);
    throw new CliError(`--home ${home}: no nianbao store here yet (nianbao run or capture creates one) / 尚无数据`, EXIT.nothingFound);
  }
  try {
    store = await openLocalStore(home, opts);
  } catch (e) {
    if (e instanceof LegacyStoreError) throw new CliError(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`--home ${home}: cannot open the store (${code ?? (e as Error).message}) / 无法打开数据目录`);
  }
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * The registry a home was crawled with (`run` and `demo` keep a copy in it: names, levels and regions of its
 * bodies), else the one shipped. Commands that show bodies use it unless `--registry` says otherwise.
 */
export function homeRegistry(home: string): string {
  const own = join(home, 'registry.yaml');
  return existsSync(own) ? own : DEFAULT_REGISTRY;
}
