/**
 * The parsed-report cache (parse-cache.ts) on S3, for the crawl functions: one object a key under `parsed/`
 * (`parsed/<parser tag>/<hex>.json.gz`, the report as the cache keeps it: `keptBytes`, gzip-compressed JSON).
 * The archive bucket holds it beside the captures, as it holds exports/: derived, never read by anything else, and
 * expired by the bucket's lifecycle (infra/constructs/archive.ts), after which a document is read once more. Another
 * parser's objects are never read (their tag is in the key) and go the same way.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { keptBytes, keptReport, type ParsedCache } from '../parse-cache.ts';
import type { ParsedReport } from '../report/model.ts';
import { notFound } from './s3.ts';

/** Where the cache's objects are in the bucket. */
export const PARSED_PREFIX = 'parsed/';

/** The object key of a cache key (`<tag> <hex>`, parse-cache.ts). */
export const parsedObjectKey = (key: string) => `${PARSED_PREFIX}${key.replace(' ', '/')}.json.gz`;

export class S3ParsedCache implements ParsedCache {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async get(key: string): Promise<ParsedReport | null> {
    let bytes: Uint8Array;
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: parsedObjectKey(key) }));
      bytes = await r.Body!.transformToByteArray();
    } catch (e) {
      // A missing bucket also answers 404: the store failing, not a miss (cachedParser counts it), as any other error.
      if (notFound(e) && (e as { name?: string }).name !== 'NoSuchBucket') return null;
      throw e;
    }
    // A damaged object throws: cachedParser counts it, reads the document again, and its `put` writes it anew.
    return keptReport(key, bytes);
  }

  async put(key: string, report: ParsedReport): Promise<void> {
    const body = keptBytes(report);
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: parsedObjectKey(key), Body: body, ContentType: 'application/gzip' }));
  }
}
