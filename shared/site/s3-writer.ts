/**
 * The static site written to a bucket under a prefix (the daily job on AWS: `site/` of the site bucket, served by
 * CloudFront when `-c site=public`). Pages are re-validated often, assets kept a day; a complete run removes the
 * pages it did not write (a body no longer registered).
 */
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SiteWriter } from './static.ts';

export function bucketWriter(s3: S3Client, bucket: string, prefix = 'site/'): SiteWriter {
  const written = new Set<string>();
  return {
    async write(path, body, contentType) {
      const key = `${prefix}${path}`;
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          CacheControl: path.startsWith('assets/') ? 'public, max-age=86400' : 'public, max-age=300, must-revalidate',
        }),
      );
      written.add(key);
    },
    async finish() {
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        const stale = (page.Contents ?? []).map((o) => o.Key!).filter((k) => !written.has(k));
        for (let i = 0; i < stale.length; i += 1000) {
          await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: stale.slice(i, i + 1000).map((Key) => ({ Key })) } }));
        }
        token = page.NextContinuationToken;
      } while (token);
    },
  };
}
