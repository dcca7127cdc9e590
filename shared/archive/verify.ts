/**
 * Archive integrity: a blob is its sha256 — bytes read back are hashed again before anyone is handed them, and a
 * blob whose bytes no longer match is an error naming it, never a WARC record with a freshly computed digest.
 */
import { IntegrityError } from '../errors.ts';
import { sha256Hex } from '../store/hash.ts';
import type { ArchiveStore, CaptureRecord } from '../store/ports.ts';

/** The bytes of a blob no longer match the sha256 they are stored under (disk damage, an edited file). */
export class BlobCorruptError extends IntegrityError {
  constructor(
    readonly sha256: string,
    actual: string,
  ) {
    super(`blob ${sha256}: its bytes hash to ${actual} — the archive copy is damaged / 存档文件已损坏`);
  }
}

/** A record points at a blob the archive does not hold (deleted, a partial copy of a home): what it proves is gone. */
export class BlobMissingError extends IntegrityError {
  constructor(
    readonly sha256: string,
    /** What points at it: `capture c1`, `baseline of https://…`. */
    readonly of: string,
  ) {
    super(`${of}: blob ${sha256} is missing from the archive / 存档文件缺失`);
  }
}

/** A blob's bytes, verified against their sha256; null when the archive does not hold it. */
export async function verifiedBlob(archive: Pick<ArchiveStore, 'get'>, sha256: string): Promise<Uint8Array | null> {
  const bytes = await archive.get(sha256);
  if (!bytes) return null;
  const actual = sha256Hex(bytes);
  if (actual !== sha256) throw new BlobCorruptError(sha256, actual);
  return bytes;
}

export interface VerifyReport {
  blobs: number;
  records: number;
  /** Blobs whose bytes do not match their name. */
  corrupt: string[];
  /** Capture records pointing at a blob the archive does not hold. */
  missing: { capture: string; sha256: string }[];
}

/** Checks every blob of the archive and every capture record that points at one. */
export async function verifyArchive(archive: ArchiveStore, captures: AsyncIterable<CaptureRecord>): Promise<VerifyReport> {
  const report: VerifyReport = { blobs: 0, records: 0, corrupt: [], missing: [] };
  for await (const b of archive.list()) {
    report.blobs++;
    try {
      await verifiedBlob(archive, b.sha256);
    } catch (e) {
      if (e instanceof BlobCorruptError) report.corrupt.push(b.sha256);
      else throw e;
    }
  }
  for await (const c of captures) {
    report.records++;
    if (c.sha256 && !(await archive.exists(c.sha256))) report.missing.push({ capture: c.id, sha256: c.sha256 });
  }
  return report;
}
