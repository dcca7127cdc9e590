/**
 * crawl — SQS FIFO batch → `crawlBody` for each message → alerts of those bodies delivered to SNS
 * (lib/crawl-batch.ts). Partial batch failures (ReportBatchItemFailures): a failed body is retried by SQS
 * and, after the queue's maxReceiveCount, lands in the DLQ; a poison message fails alone; bodies the
 * invocation has no time left for are handed back (deferred), not failed.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { TimeBudget } from '../shared/crawl/budget.ts';
import { MeasuredFetcher } from '../shared/crawl/measured.ts';
import type { Renderer } from '../shared/crawl/renderer.ts';
import { systemClock } from '../shared/store/ports.ts';
import { clientsFromEnv } from './lib/aws.ts';
import { registryBodies } from './lib/bodies.ts';
import { configFromEnv } from './lib/config.ts';
import { crawlBatch, type CrawlContext } from './lib/crawl-batch.ts';
import { awsDeps } from './lib/deps.ts';
import { dispatchBodies } from './lib/dispatch-bodies.ts';
import type { CrawlMessage } from './lib/messages.ts';
import { observe } from './lib/observe.ts';
import type { CachedParser, ParseCounts } from '../shared/parse-cache.ts';
import { countDocuments, keptReportsParser } from './lib/documents.ts';
import { canaryUrls, networkProbe } from '../shared/crawl/canary.ts';
import { secretString } from './lib/secrets.ts';

/**
 * The handler of a crawl queue. `browser-crawl` uses the same one with a Chromium renderer (its own
 * queue, x86_64, the Chromium layer); `crawl` has none and crawls with plain HTTP only.
 */
export function crawlHandler(
  fn: string,
  renderer?: (o: { proxy?: string | undefined; budget: TimeBudget }) => Renderer,
): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  const obs = observe(fn);
  let crawlContext: Promise<CrawlContext> | undefined;
  // Reports read by earlier invocations are taken from the archive bucket (shared/parse-cache.ts).
  let parser: CachedParser | undefined;
  let reported: ParseCounts = { read: 0, kept: 0, cacheErrors: 0 };
  return async (event, lambda) => {
    obs.start(lambda);
    try {
      crawlContext ??= (async () => {
        const config = configFromEnv();
        const proxy = process.env.NIANBAO_PROXY_SECRET ? await secretString(process.env.NIANBAO_PROXY_SECRET) : config.proxy;
        const clients = clientsFromEnv();
        const budget = new TimeBudget(systemClock);
        const deps = awsDeps(clients, { ...config, proxy }, systemClock, budget);
        parser = keptReportsParser(clients, config.bucket);
        const fetcher = new MeasuredFetcher(deps.fetcher);
        const browserQueue = process.env.NIANBAO_BROWSER_QUEUE_URL;
        const bodies = registryBodies(config.registryFile);
        return {
          bodies,
          // Chromium's traffic takes the same egress proxy as plain HTTP (browser.ts: guard proxy → upstream).
          // Our outage told from the portals' in a batch too small to tell by numbers (shared/crawl/canary.ts): the
          // canaries of NIANBAO_CANARY_URLS are fetched as the portals are, through the egress proxy.
          deps: {
            ...deps,
            fetcher,
            parser,
            renderer: renderer?.({ proxy, budget }),
            network: networkProbe(deps.fetcher, canaryUrls(process.env.NIANBAO_CANARY_URLS)),
          },
          budget,
          fetches: fetcher,
          obs,
          // Without Chromium, a body whose portal turns out to need it goes to the browser-crawl queue.
          handoff:
            !renderer && browserQueue
              ? async (m: CrawlMessage) => {
                  const sent = await dispatchBodies([bodies.get(m.bodyId)!], clients.sqs, browserQueue, `${m.runId}-browser`, m.years);
                  if (sent.failed.length) throw new Error(`handing ${m.bodyId} to the browser queue failed: ${sent.failed[0]!.error}`);
                }
              : undefined,
          options: { graceDays: config.graceDays, unreachableAfter: config.unreachableAfter },
          log: obs.log,
        };
      })().catch((e) => {
        crawlContext = undefined; // configuration is read again on the next invocation
        throw e;
      });
      const ctx = await crawlContext;
      const { batchItemFailures } = await crawlBatch(event, ctx, lambda);
      if (parser) {
        // Kept before the invocation ends (a frozen sandbox finishes nothing); counted per invocation.
        await parser.settle();
        reported = countDocuments(obs, ctx.log, parser.counts, reported);
      }
      return { batchItemFailures };
    } finally {
      obs.flush();
    }
  };
}

export const handler = crawlHandler('crawl');
