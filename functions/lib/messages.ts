/**
 * The crawl queue's message: one body to crawl. The queue is FIFO with the portal host as message group,
 * so one host is never crawled by two functions at once (politeness, docs/architecture.md §7).
 */
import { GiveUpError } from '../../shared/errors.ts';
import { createHash } from 'node:crypto';
import type { Body } from '../../shared/crawl/registry.ts';

export interface CrawlMessage {
  bodyId: string;
  /** Report years to check (default: last year's report). */
  years?: number[];
  /** The run this message belongs to (the dispatch date, Asia/Shanghai). */
  runId: string;
}

export class PoisonMessageError extends GiveUpError {}

/** Parses and validates a message body; a malformed one is poison (it goes to the DLQ, never retried forever). */
export function parseCrawlMessage(body: string): CrawlMessage {
  let m: unknown;
  try {
    m = JSON.parse(body);
  } catch {
    throw new PoisonMessageError(`crawl message is not JSON: ${body.slice(0, 80)}`);
  }
  const o = m as Partial<CrawlMessage>;
  if (typeof o !== 'object' || o === null || typeof o.bodyId !== 'string' || !o.bodyId)
    throw new PoisonMessageError(`crawl message has no bodyId: ${body.slice(0, 80)}`);
  if (o.years !== undefined && (!Array.isArray(o.years) || !o.years.every((y) => Number.isInteger(y) && y >= 2008 && y <= 2100))) {
    throw new PoisonMessageError(`crawl message for ${o.bodyId}: years must be report years (2008–2100)`);
  }
  return { bodyId: o.bodyId, years: o.years, runId: typeof o.runId === 'string' ? o.runId : 'unknown' };
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
