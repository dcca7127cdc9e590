/** Opening the local store of --home for a command, and closing it whatever happens. */
import { LegacyStoreError, openLocalStore, type LocalStore } from '../store/local.ts';
import { CliError } from './exit.ts';

export async function withStore<T>(home: string, fn: (s: LocalStore) => Promise<T>, opts: { readonly?: boolean } = {}): Promise<T> {
  let store: LocalStore;
  try {
    store = await openLocalStore(home, opts);
  } catch (e) {
    if (e instanceof LegacyStoreError) throw new CliError(e.message);
    throw e;
  }
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
