/** The local archive's memory of what it just wrote: read back without the disk, bounded, never shared with a reader. */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsArchiveStore } from '../../shared/store/fs-archive.ts';
import { blobKey } from '../../shared/store/hash.ts';

const root = () => mkdtempSync(join(tmpdir(), 'nianbao-fsarchive-'));
/** Removes a blob's file behind the store's back (blobs are read-only files). */
function removeFile(dir: string, sha256: string): void {
  const file = join(dir, blobKey(sha256));
  chmodSync(file, 0o644);
  rmSync(file);
}
const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe('FsArchiveStore recent blobs', () => {
  it('a blob this store put is read back from memory; another store on the same folder (a reading command) reads the disk', async () => {
    const dir = root();
    const writer = new FsArchiveStore(dir);
    const { sha256 } = await writer.put(bytes(1000, 7));
    removeFile(dir, sha256);
    expect(await writer.get(sha256)).toEqual(bytes(1000, 7));
    expect(await new FsArchiveStore(dir).get(sha256)).toBeNull();
  });

  it('keeps only the last blobs within its budget, and none larger than a quarter of it', async () => {
    const dir = root();
    const store = new FsArchiveStore(dir, 1000);
    const a = await store.put(bytes(240, 1));
    const b = await store.put(bytes(240, 2));
    await store.put(bytes(240, 3));
    await store.put(bytes(240, 4));
    const e = await store.put(bytes(240, 5)); // 1,200 bytes: the oldest goes
    const big = await store.put(bytes(251, 6)); // over a quarter: not kept (and nothing evicted for it)
    for (const x of [a, b, e, big]) removeFile(dir, x.sha256);
    expect(await store.get(a.sha256)).toBeNull();
    expect(await store.get(big.sha256)).toBeNull();
    expect((await store.get(b.sha256))?.[0]).toBe(2);
    expect((await store.get(e.sha256))?.[0]).toBe(5);
  });

  it('hands out copies: neither the bytes put nor the bytes read change what is kept', async () => {
    const store = new FsArchiveStore(root());
    const put = bytes(100, 9);
    const { sha256 } = await store.put(put);
    put.fill(0);
    const first = (await store.get(sha256))!;
    first.fill(1);
    structuredClone(first.buffer, { transfer: [first.buffer as ArrayBuffer] }); // handed on to a thread: its buffer is gone
    expect(await store.get(sha256)).toEqual(bytes(100, 9));
  });

  it('a blob already archived (put again) is kept too', async () => {
    const dir = root();
    const { sha256 } = await new FsArchiveStore(dir).put(bytes(50, 3));
    const second = new FsArchiveStore(dir);
    expect((await second.put(bytes(50, 3))).created).toBe(false);
    removeFile(dir, sha256);
    expect(await second.get(sha256)).toEqual(bytes(50, 3));
  });
});
