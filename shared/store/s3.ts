/**
 * The archive on S3 (@aws-sdk/client-s3, injected client): blobs/sha256/<hex>, never overwritten (a HEAD
 * first, and the bucket is versioned with optional Object Lock in the CDK stack). Streamed puts go to a
 * temporary key and are committed with a server-side copy, so an interrupted upload leaves nothing under
 * blobs/. Client options for emulators: CONTRIBUTING.md (path style, checksums WHEN_REQUIRED).
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ArchiveStore, BlobInfo } from './ports.ts';
import { SHA256, blobKey, sha256Hex } from './hash.ts';

/** A GET or HEAD of a key that is not there (S3 answers 404 with ListBucket, 403 without: the stack grants it). */
export const notFound = (e: unknown) => {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err.name === 'NotFound' || err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404;
};

export class S3ArchiveStore implements ArchiveStore {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    /** Keys per ListObjectsV2 page (1000 on S3; small in tests to exercise pagination). */
    private readonly pageSize = 1000,
  ) {}

  async put(bytes: Uint8Array): Promise<BlobInfo & { created: boolean }> {
    const sha256 = sha256Hex(bytes);
    if (await this.exists(sha256)) return { sha256, size: bytes.length, created: false };
    // A PutObject is atomic: the object appears complete or not at all.
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: blobKey(sha256), Body: bytes, ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64') }),
    );
    return { sha256, size: bytes.length, created: true };
  }

  async putStream(chunks: AsyncIterable<Uint8Array>): Promise<BlobInfo & { created: boolean }> {
    // Bodies are bounded by the fetcher's size limit; they are gathered, hashed, uploaded to a temporary
    // key, then committed by a server-side copy.
    const hash = createHash('sha256');
    const parts: Buffer[] = [];
    for await (const c of chunks) {
      hash.update(c);
      parts.push(Buffer.from(c));
    }
    const body = Buffer.concat(parts);
    const sha256 = hash.digest('hex');
    if (await this.exists(sha256)) return { sha256, size: body.length, created: false };
    const tmp = `tmp/${randomUUID()}.part`;
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: tmp, Body: body }));
    try {
      await this.s3.send(new CopyObjectCommand({ Bucket: this.bucket, Key: blobKey(sha256), CopySource: `${this.bucket}/${tmp}` }));
    } finally {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: tmp }));
    }
    return { sha256, size: body.length, created: true };
  }

  async get(sha256: string): Promise<Uint8Array | null> {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: blobKey(sha256) }));
      return await r.Body!.transformToByteArray();
    } catch (e) {
      if (notFound(e)) return null;
      throw e;
    }
  }

  async head(sha256: string): Promise<BlobInfo | null> {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    try {
      const r = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: blobKey(sha256) }));
      return { sha256, size: r.ContentLength ?? 0 };
    } catch (e) {
      if (notFound(e)) return null;
      throw e;
    }
  }

  async exists(sha256: string): Promise<boolean> {
    return (await this.head(sha256)) !== null;
  }

  async *list(): AsyncIterable<BlobInfo> {
    let token: string | undefined;
    do {
      const r = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: 'blobs/sha256/', ContinuationToken: token, MaxKeys: this.pageSize }),
      );
      for (const o of r.Contents ?? []) yield { sha256: o.Key!.slice('blobs/sha256/'.length), size: o.Size ?? 0 };
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
  }
}
