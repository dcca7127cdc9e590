/**
 * The static site written to a bucket under a prefix (the daily job on AWS: `site/` of the site bucket, served by
 * CloudFront when `-c site=public`). Pages are re-validated often, assets kept a day; a complete run removes the
 * pages it did not write (a body no longer registered).
 *
 * A page whose bytes are already in the bucket is not written again: the object's ETag (the MD5 of a single-part
 * upload, RFC 7232 strong validator as S3 sets it) is compared with the page's MD5, read from one listing of the
 * prefix. Static pages carry no time of their own (layout.ts, data/generated.js), so most are the same from day to
 * day: the daily job costs a listing and the PUTs of what changed, not a PUT of every page.
 */
import { createHash } from 'node:crypto';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SiteWriter } from './static.ts';

/** Every object under `prefix` with its ETag (quotes removed). */
async function listing(s3: S3Client, bucket: string, prefix: string): Promise<Map<string, string>> {
  const objects = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) objects.set(o.Key, (o.ETag ?? '').replace(/"/g, ''));
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}

export function bucketWriter(s3: S3Client, bucket: string, prefix = 'site/'): SiteWriter {
  const written = new Set<string>();
  let existing: Promise<Map<string, string>> | undefined;
  return {
    async write(path, body, contentType) {
      const key = `${prefix}${path}`;
      written.add(key);
      existing ??= listing(s3, bucket, prefix);
      if ((await existing).get(key) === createHash('md5').update(body).digest('hex')) return false;
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          CacheControl: path.startsWith('assets/') ? 'public, max-age=86400' : 'public, max-age=300, must-revalidate',
        }),
      );
      return true;
    },
    async finish() {
      // What was there before this run (read once, at the first write) less what this run wrote.
      existing ??= listing(s3, bucket, prefix);
      const stale = [...(await existing).keys()].filter((k) => !written.has(k));
      for (let i = 0; i < stale.length; i += 1000) {
        await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: stale.slice(i, i + 1000).map((Key) => ({ Key })) } }));
      }
    },
  };
}
