/**
 * The archive in a local folder (`<home>/archive/`), with the S3 key layout (blobs/sha256/<hex>). Writes go
 * to a temporary file and are committed with a rename, so an interrupted put leaves no blob that looks
 * complete; an existing blob is never overwritten.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ArchiveStore, BlobInfo } from './ports.ts';
import { SHA256, blobKey, sha256Hex } from './hash.ts';

/** How many bytes of the blobs this process wrote last are kept to be read back without the disk (see `get`). */
export const DEFAULT_RECENT_BYTES = 8 * 1024 * 1024;

export class FsArchiveStore implements ArchiveStore {
  /** The blobs this process put last, oldest first, within `recentBytes` (their bytes as hashed at put). */
  private readonly recent = new Map<string, Uint8Array>();
  private recentSize = 0;

  /**
   * `recentBytes`: the pipeline reads a page back moments after archiving it (sources.ts reads every report from
   * the archive, as a Lambda reads it from S3), and opening, reading and closing the file cost about 0.4 ms a page
   * on the pipeline's busiest thread; the last blobs this process put, up to this many bytes, are read from memory.
   * Only blobs put by this process are kept, so a command that only reads (verify, export) always reads the disk.
   */
  constructor(
    readonly root: string,
    private readonly recentBytes = DEFAULT_RECENT_BYTES,
  ) {}

  private remember(sha256: string, bytes: Uint8Array): void {
    if (bytes.length > this.recentBytes / 4 || this.recent.has(sha256)) return;
    this.recent.set(sha256, Uint8Array.prototype.slice.call(bytes)); // a copy: the caller's buffer is its own
    this.recentSize += bytes.length;
    for (const [k, v] of this.recent) {
      if (this.recentSize <= this.recentBytes) break;
      this.recent.delete(k);
      this.recentSize -= v.length;
    }
  }

  private path(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.root, blobKey(sha256));
  }

  private tmp(): string {
    return join(this.root, 'tmp', `${randomUUID()}.part`);
  }

  async put(bytes: Uint8Array): Promise<BlobInfo & { created: boolean }> {
    const sha256 = sha256Hex(bytes);
    const target = this.path(sha256);
    if (existsSync(target)) {
      this.remember(sha256, bytes);
      return { sha256, size: bytes.length, created: false };
    }
    const tmp = this.tmp();
    await mkdir(dirname(tmp), { recursive: true });
    await writeFile(tmp, bytes);
    const info = await this.commit(tmp, sha256, bytes.length);
    this.remember(sha256, bytes);
    return info;
  }

  async putStream(chunks: AsyncIterable<Uint8Array>): Promise<BlobInfo & { created: boolean }> {
    const tmp = this.tmp();
    await mkdir(dirname(tmp), { recursive: true });
    const hash = createHash('sha256');
    const out = createWriteStream(tmp);
    let size = 0;
    try {
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.length;
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    } catch (e) {
      // The stream opens its file asynchronously: removed before that open completed, the file would be created
      // after the removal and stay behind. Its 'close' comes once the open (if any) is done and the file closed.
      const closed = out.closed ? Promise.resolve() : new Promise<void>((resolve) => out.once('close', () => resolve()));
      out.destroy();
      await closed;
      await rm(tmp, { force: true });
      throw e;
    }
    const sha256 = hash.digest('hex');
    if (existsSync(this.path(sha256))) {
      await rm(tmp, { force: true });
      return { sha256, size, created: false };
    }
    return this.commit(tmp, sha256, size);
  }

  private async commit(tmp: string, sha256: string, size: number): Promise<BlobInfo & { created: boolean }> {
    const target = this.path(sha256);
    await mkdir(dirname(target), { recursive: true });
    if (existsSync(target)) {
      await rm(tmp, { force: true });
      return { sha256, size, created: false };
    }
    await chmod(tmp, 0o444); // an archived blob is never written again
    await rename(tmp, target); // atomic on one file system
    return { sha256, size, created: true };
  }

  async get(sha256: string): Promise<Uint8Array | null> {
    const recent = this.recent.get(sha256);
    if (recent) return Uint8Array.prototype.slice.call(recent); // a copy: the caller may hand its buffer on
    try {
      return new Uint8Array(await readFile(this.path(sha256)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async head(sha256: string): Promise<BlobInfo | null> {
    try {
      return { sha256, size: (await stat(this.path(sha256))).size };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async exists(sha256: string): Promise<boolean> {
    return (await this.head(sha256)) !== null;
  }

  async *list(): AsyncIterable<BlobInfo> {
    const dir = join(this.root, 'blobs', 'sha256');
    const names = existsSync(dir) ? (await readdir(dir)).filter((n) => SHA256.test(n)).sort() : [];
    for (const n of names) yield { sha256: n, size: (await stat(join(dir, n))).size };
  }
}
