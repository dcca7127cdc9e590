/**
 * The crawl queue's message: one body to crawl. The queue is FIFO with the portal host as message group,
 * so one host is never crawled by two functions at once (politeness, docs/architecture.md §7).
 */
import { GiveUpError } from '../../shared/errors.ts';
import { jsonChecker } from '../../shared/schema/check.ts';
import { createHash } from 'node:crypto';
import type { Body } from '../../shared/crawl/registry.ts';

export interface CrawlMessage {
  bodyId: string;
  /** Report years to check (default: last year's report). */
  years?: number[] | undefined;
  /** The run this message belongs to (the dispatch date, Asia/Shanghai). */
  runId: string;
}

export class PoisonMessageError extends GiveUpError {}

const CRAWL_MESSAGE = {
  type: 'object',
  required: ['bodyId'],
  properties: {
    bodyId: { type: 'string', minLength: 1, maxLength: 200 },
    // 条例 (2019 revision) reports begin with 2008's, the first year of the original 条例.
    years: { type: 'array', maxItems: 50, items: { type: 'integer', minimum: 2008, maximum: 2100 } },
    runId: { type: 'string' },
  },
  additionalProperties: false,
};

const readCrawlMessage = jsonChecker<Partial<CrawlMessage> & { bodyId: string }>(CRAWL_MESSAGE, (m) => new PoisonMessageError(m));

/** Parses and validates a message body; a malformed one is poison (it goes to the DLQ, never retried forever). */
export function parseCrawlMessage(body: string): CrawlMessage {
  const m = readCrawlMessage(body, 'crawl message');
  return { bodyId: m.bodyId, years: m.years, runId: m.runId ?? 'unknown' };
}

/** The message group of a body: the host of its first column URL (bodies without one share a group). */
export function messageGroup(body: Body): string {
  const url = body.lists[0];
  if (!url) return 'no-portal';
  try {
    return new URL(url).host;
  } catch {
    return 'bad-url';
  }
}

/** Deduplication id: one message per body per run, whatever retries the scheduler makes. */
export const dedupId = (runId: string, bodyId: string) => createHash('sha256').update(`${runId}\n${bodyId}`).digest('hex');
