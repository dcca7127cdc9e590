/**
 * crawl — SQS FIFO batch → `crawlBody` for each message → alerts of those bodies delivered to SNS.
 * Partial batch failures (ReportBatchItemFailures): a failed body is retried by SQS and, after the
 * queue's maxReceiveCount, lands in the DLQ; a poison message goes there without retries.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { crawlBody, deliverAlerts, type PipelineDeps, type RunOptions } from '../shared/pipeline.ts';
import type { Body } from '../shared/crawl/registry.ts';
import { clientsFromEnv } from './lib/aws.ts';
import { registryBodies } from './lib/bodies.ts';
import { configFromEnv } from './lib/config.ts';
import { awsDeps } from './lib/deps.ts';
import { errorDetails, jsonLogger, type Logger } from './lib/log.ts';
import { parseCrawlMessage, PoisonMessageError } from './lib/messages.ts';
import { secretString } from './lib/secrets.ts';
import type { Renderer } from '../shared/crawl/renderer.ts';

export interface CrawlContext {
  bodies: Map<string, Body>;
  deps: PipelineDeps;
  options: RunOptions;
  log: Logger;
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
    } catch (e) {
      log.log('error', e instanceof PoisonMessageError ? 'poison message' : 'crawl failed', { ...errorDetails(e, !(e instanceof PoisonMessageError)), receiveCount: record.attributes.ApproximateReceiveCount });
      failures.push(record.messageId);
    }
  }
  if (crawled.size) {
    const delivery = await deliverAlerts(ctx.deps.state, ctx.deps.notifiers, ctx.deps.clock, { only: (a) => crawled.has(a.bodyId) });
    ctx.log.log(delivery.failed.length ? 'warn' : 'info', 'alerts delivered', { sent: delivery.sent.length, failed: delivery.failed });
  }
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
}

/**
 * The handler of a crawl queue. `browser-crawl` uses the same one with a Chromium renderer (its own
 * queue, x86_64, the Chromium layer); `crawl` has none and crawls with plain HTTP only.
 */
export function crawlHandler(fn: string, renderer?: () => Renderer): (event: SQSEvent) => Promise<SQSBatchResponse> {
  let context: Promise<CrawlContext> | undefined;
  return async (event) => {
    context ??= (async () => {
      const config = configFromEnv();
      const proxy = process.env.NIANBAO_PROXY_SECRET ? await secretString(process.env.NIANBAO_PROXY_SECRET) : config.proxy;
      const deps = awsDeps(clientsFromEnv(), { ...config, proxy });
      return {
        bodies: registryBodies(config.registryFile),
        deps: { ...deps, renderer: renderer?.() },
        options: { graceDays: config.graceDays, unreachableAfter: config.unreachableAfter },
        log: jsonLogger({ fn }),
      };
    })().catch((e) => {
      context = undefined; // configuration is read again on the next invocation
      throw e;
    });
    return crawlBatch(event, await context);
  };
}

export const handler = crawlHandler('crawl');
