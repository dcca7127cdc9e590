/** The site in a bucket (the daily job on AWS), against fauxqs over HTTP: content types, caching, stale pages pruned. */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketWriter } from '../../shared/site/s3-writer.ts';
import { type LocalS3, startS3 } from '../helpers/fauxqs.ts';

let local: LocalS3;
let s3: S3Client;
const BUCKET = 'site-writer';

beforeAll(async () => {
  local = await startS3();
  s3 = local.s3;
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(() => local?.stop());

const keys = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key!).sort();

describe('bucketWriter', () => {
  it('writes under site/ with the content type and a short cache for pages, a day for assets', async () => {
    // fauxqs keeps the content type but not Cache-Control: what is sent is read off the client instead.
    const sent: Record<string, string | undefined> = {};
    s3.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Key?: string; CacheControl?: string };
        if (input.Key && input.CacheControl) sent[input.Key] = input.CacheControl;
        return next(args);
      },
      { step: 'initialize', name: 'recordCacheControl' },
    );
    const w = bucketWriter(s3, BUCKET);
    await w.write('index.html', '<!doctype html>总览', 'text/html; charset=utf-8');
    await w.write('assets/site.css', 'body{}', 'text/css; charset=utf-8');
    const page = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'site/index.html' }));
    expect(page.ContentType).toBe('text/html; charset=utf-8');
    expect(await page.Body!.transformToString()).toBe('<!doctype html>总览');
    expect(sent['site/index.html']).toContain('max-age=300');
    expect(sent['site/assets/site.css']).toContain('max-age=86400');
    s3.middlewareStack.remove('recordCacheControl');
  });

  it('a page already in the bucket with the same bytes is not written again; a changed one is; neither is pruned', async () => {
    const bucket = 'site-writer-same';
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const first = bucketWriter(s3, bucket);
    expect(await first.write('body/a.html', '<p>甲</p>', 'text/html; charset=utf-8')).toBe(true);
    expect(await first.write('body/b.html', '<p>乙</p>', 'text/html; charset=utf-8')).toBe(true);
    await first.finish!();
    const puts: string[] = [];
    s3.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Key?: string; Body?: unknown };
        if (input.Key && input.Body !== undefined) puts.push(input.Key);
        return next(args);
      },
      { step: 'initialize', name: 'recordPuts' },
    );
    try {
      const next = bucketWriter(s3, bucket);
      expect(await next.write('body/a.html', '<p>甲</p>', 'text/html; charset=utf-8')).toBe(false);
      expect(await next.write('body/b.html', '<p>乙 changed</p>', 'text/html; charset=utf-8')).toBe(true);
      await next.finish!();
      expect(puts).toEqual(['site/body/b.html']);
    } finally {
      s3.middlewareStack.remove('recordPuts');
    }
    const listed = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key).sort();
    expect(listed).toEqual(['site/body/a.html', 'site/body/b.html']);
    const b = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'site/body/b.html' }));
    expect(await b.Body!.transformToString()).toBe('<p>乙 changed</p>');
  });

  it('a complete run removes the pages it did not write, and nothing outside its prefix', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'site/body/gone.html', Body: 'old' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'other/keep.txt', Body: 'not ours' }));
    const w = bucketWriter(s3, BUCKET);
    await w.write('index.html', 'new', 'text/html; charset=utf-8');
    await w.finish!();
    expect(await keys()).toEqual(['other/keep.txt', 'site/index.html']);
  });
});
