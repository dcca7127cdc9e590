/**
 * crawl — SQS FIFO batch → `crawlBody` for each message → alerts of those bodies delivered to SNS
 * (lib/crawl-batch.ts). Partial batch failures (ReportBatchItemFailures): a failed body is retried by SQS
 * and, after the queue's maxReceiveCount, lands in the DLQ; a poison message goes there without retries.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { clientsFromEnv } from './lib/aws.ts';
import { registryBodies } from './lib/bodies.ts';
import { configFromEnv } from './lib/config.ts';
import { awsDeps } from './lib/deps.ts';
import { crawlBatch, type CrawlContext } from './lib/crawl-batch.ts';
import { jsonLogger } from './lib/log.ts';
import { secretString } from './lib/secrets.ts';
import type { Renderer } from '../shared/crawl/renderer.ts';

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
