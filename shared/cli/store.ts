/** Opening the local store of --home for a command, and closing it whatever happens. */
import { openLocalStore, type LocalStore } from '../store/local.ts';

export async function withStore<T>(home: string, fn: (s: LocalStore) => Promise<T>): Promise<T> {
  const store = await openLocalStore(home);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

