import { createHash } from 'node:crypto';

/** sha256 of bytes, lower-case hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export const SHA256 = /^[0-9a-f]{64}$/;

/** The archive key of a blob (docs/store.md): blobs/sha256/<hex>. */
export const blobKey = (sha256: string) => `blobs/sha256/${sha256}`;
