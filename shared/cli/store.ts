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

/** Every page of a paginated query. */
export async function all<T>(page: (cursor?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    out.push(...p.items);
    cursor = p.next;
  } while (cursor);
  return out;
}
