/**
 * Reports already read, for the functions that read documents (crawl, browser-crawl, parse): kept under parsed/ in
 * the archive bucket (shared/parse-cache.ts, store/s3-parsed.ts), so a document the crawl read is not read again by
 * the parse function, nor by the next crawl, and the counts of what was read and what was taken are metrics.
 */
import { inThisThread } from '../../shared/check.ts';
import { type CachedParser, cachedParser, type ParseCounts } from '../../shared/parse-cache.ts';
import { S3ParsedCache } from '../../shared/store/s3-parsed.ts';
import type { AwsClients } from './aws.ts';
import type { Logger } from './log.ts';
import type { FunctionObservability } from './observe.ts';

/** The reader of a function's documents, in its own thread, keeping what it reads in the archive bucket. */
export const keptReportsParser = (clients: Pick<AwsClients, 's3'>, bucket: string): CachedParser =>
  cachedParser(inThisThread, new S3ParsedCache(clients.s3, bucket));

/** Emits the documents read and kept since `before` (the counts of a warm sandbox add up); returns the counts now. */
export function countDocuments(obs: FunctionObservability, log: Logger, now: ParseCounts, before: ParseCounts): ParseCounts {
  const read = now.read - before.read;
  const kept = now.kept - before.kept;
  const errors = now.cacheErrors - before.cacheErrors;
  if (read) obs.count('DocumentsRead', read);
  if (kept) obs.count('DocumentsKept', kept);
  if (errors) {
    obs.count('ParseCacheErrors', errors);
    log.log('warn', 'the parsed-report cache failed: documents were read again', { errors, lastError: now.lastError });
  }
  return { ...now };
}
