/**
 * A crawl queue's batch: `crawlBody` for each message in order, partial batch failures, then the alerts of
 * the bodies crawled delivered.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Body } from '../../shared/crawl/registry.ts';
import { crawlBody, deliverAlerts, type PipelineDeps, type RunOptions } from '../../shared/pipeline.ts';
import { errorDetails, type Logger } from './log.ts';
import { parseCrawlMessage, PoisonMessageError, type CrawlMessage } from './messages.ts';

export interface CrawlContext {
  bodies: Map<string, Body>;
  deps: PipelineDeps;
  options: RunOptions;
  log: Logger;
  /** Sends a body to the browser-crawl queue (the plain crawl function has no Chromium). */
  handoff?: (message: CrawlMessage) => Promise<void>;
}

/**
 * Processes a batch in order. On a FIFO queue, once a message fails every later message of the batch is
 * returned as failed too, unprocessed: SQS must not deliver a group's messages out of order (AWS Lambda
 * developer guide, "Handling errors for an SQS event source": FIFO queues).
 */
export async function crawlBatch(event: SQSEvent, ctx: CrawlContext): Promise<SQSBatchResponse> {
  const failures: string[] = [];
  const crawled = new Set<string>();
  for (const record of event.Records) {
    if (failures.length) {
      failures.push(record.messageId);
      continue;
    }
    const log = ctx.log.child({ messageId: record.messageId });
    try {
      const message = parseCrawlMessage(record.body);
      const body = ctx.bodies.get(message.bodyId);
      if (!body) throw new PoisonMessageError(`body ${message.bodyId} is not in the deployed registry`);
      const results = await crawlBody(body, ctx.deps, { ...ctx.options, years: message.years });
      crawled.add(body.id);
      for (const r of results) log.log('info', 'crawled', { body: r.bodyId, year: r.year, status: r.status, reports: r.reports, alertsChanged: r.alertsChanged });
      if (ctx.handoff && results.some((r) => r.needsBrowser)) {
        await ctx.handoff(message);
        log.log('info', 'handed over to the browser crawler', { body: body.id });
      }
    } catch (e) {
      log.log('error', e instanceof PoisonMessageError ? 'poison message' : 'crawl failed', { ...errorDetails(e, !(e instanceof PoisonMessageError)), receiveCount: record.attributes.ApproximateReceiveCount });
      failures.push(record.messageId);
    }
  }
  if (crawled.size) {
    const delivery = await deliverAlerts(ctx.deps.state, ctx.deps.notifiers, ctx.deps.clock, { bodies: [...crawled] });
    ctx.log.log(delivery.failed.length ? 'warn' : 'info', 'alerts delivered', { sent: delivery.sent.length, failed: delivery.failed });
  }
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
}
