/**
 * A crawl queue's batch: `crawlBody` for each message, partial batch failures, then the alerts of the bodies
 * crawled delivered.
 *
 * - FIFO order per portal host (the message group): Powertools' `SqsFifoPartialProcessorAsync` with
 *   `skipGroupOnError` — a failure returns the later messages of *its* group unprocessed (SQS must not deliver
 *   a group out of order: AWS Lambda developer guide, "Handling errors for an SQS event source"), while other
 *   hosts' messages go on. A poison message fails alone and reaches the DLQ after the queue's maxReceiveCount.
 * - Time budget: the invocation's remaining time (`context.getRemainingTimeInMillis`) less a reserve for
 *   delivery is the crawl's deadline (shared/crawl/budget.ts). A body is not started without `BODY_START_MS`
 *   left, and a fetch that cannot finish in time stops the body: such messages go back to the queue as batch
 *   item failures, logged and counted as *deferred* — not as failed, and nothing about their portals concluded.
 * - Our outage blames no portal: a column that fails at the network level is held back until the batch is done,
 *   then recorded against its portal — unless most of the batch failed so and the canaries fail too (a batch has
 *   five bodies at most, too few to tell by numbers: shared/crawl/canary.ts). Then nothing is counted, the bodies
 *   are `outage` in the metrics, and the log says so once, for the operator.
 */
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { TimeBudgetExhausted, type TimeBudget } from '../../shared/crawl/budget.ts';
import { IntegrityError, RetryLaterError } from '../../shared/errors.ts';
import { byHost, type FetchMeasure } from '../../shared/crawl/measured.ts';
import type { Body } from '../../shared/crawl/registry.ts';
import { crawlBody, deliverAlerts, type PipelineDeps, recordDeferred, type RunOptions } from '../../shared/pipeline.ts';
import type { BodyResult } from '../../shared/pipeline/state.ts';
import { errorDetails, type Logger } from './log.ts';
import { parseCrawlMessage, PoisonMessageError, type CrawlMessage } from './messages.ts';
import { MetricUnit, type FunctionObservability } from './observe.ts';

/** Kept back from the invocation's time for delivering the batch's alerts and answering. */
export const RESERVE_MS = 45_000;
/** The least time left to start crawling a body (a column, its pages and a report or two). */
export const BODY_START_MS = 60_000;

export interface CrawlContext {
  bodies: Map<string, Body>;
  deps: PipelineDeps;
  options: RunOptions;
  log: Logger;
  /** Metrics (EMF); absent in tests that do not look at them. */
  obs?: Pick<FunctionObservability, 'count' | 'countByOutcome'> | undefined;
  /** The fetcher's and browser's time budget, set from the invocation's remaining time. */
  budget?: TimeBudget | undefined;
  /** The fetches made since the last call (MeasuredFetcher), for fetch time per host. */
  fetches?: { take(): FetchMeasure[] };
  /** Sends a body to the browser-crawl queue (the plain crawl function has no Chromium). */
  handoff?: ((message: CrawlMessage) => Promise<void>) | undefined;
}

/** What became of each message of a batch. */
export interface BatchTally {
  crawled: number;
  deferred: number;
  failed: number;
  poison: number;
  /** Returned unprocessed behind a failure of their group. */
  skipped: number;
}

export async function crawlBatch(
  event: SQSEvent,
  ctx: CrawlContext,
  lambda?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<SQSBatchResponse & { tally: BatchTally }> {
  const clock = ctx.deps.clock;
  ctx.budget?.setDeadline(lambda ? clock.now() + lambda.getRemainingTimeInMillis() - RESERVE_MS : null);
  const tally: BatchTally = { crawled: 0, deferred: 0, failed: 0, poison: 0, skipped: 0 };
  const crawled = new Set<string>();
  const outcomes = new Map<string, number>();
  /** The crawled bodies' results, network failures held back (recorded once the whole batch is in). */
  const held: { log: Logger; results: BodyResult[]; messageId: string }[] = [];

  const handle = async (record: SQSRecord): Promise<void> => {
    const log = ctx.log.child({ messageId: record.messageId });
    const receiveCount = record.attributes.ApproximateReceiveCount;
    try {
      const message = parseCrawlMessage(record.body);
      const body = ctx.bodies.get(message.bodyId);
      if (!body) throw new PoisonMessageError(`body ${message.bodyId} is not in the deployed registry`);
      ctx.budget?.require(`${body.id}: not started`, BODY_START_MS);
      let results: BodyResult[];
      try {
        results = await crawlBody(body, ctx.deps, { ...ctx.options, years: message.years, deferNetworkFailures: true });
      } finally {
        reportFetches(ctx, log, body.id);
      }
      crawled.add(body.id);
      tally.crawled++;
      held.push({ log, results, messageId: record.messageId });
      if (ctx.handoff && results.some((r) => r.needsBrowser)) {
        await ctx.handoff(message);
        log.log('info', 'handed over to the browser crawler', { body: body.id });
      }
    } catch (e) {
      if (e instanceof RetryLaterError) {
        // The time budget spent, others writing the same alert: nothing concluded, the message comes back.
        tally.deferred++;
        log.log('info', e instanceof TimeBudgetExhausted ? 'handed back: time budget' : 'handed back: retry later', { reason: e.message, receiveCount });
      } else if (e instanceof PoisonMessageError) {
        tally.poison++;
        log.log('error', 'poison message', { ...errorDetails(e), receiveCount });
      } else {
        tally.failed++;
        // A stored record of this body that cannot be read (docs/store.md "Damaged records"): counted with the others.
        if (e instanceof IntegrityError) ctx.obs?.count('StoredRecordsDamaged', 1);
        log.log('error', 'crawl failed', { ...errorDetails(e, true), receiveCount });
      }
      throw e;
    }
  };

  const processor = new SqsFifoPartialProcessorAsync();
  const response = await processPartialResponse(event, handle, processor, { skipGroupOnError: true, throwOnFullBatchFailure: false });
  tally.skipped = response.batchItemFailures.length - tally.deferred - tally.failed - tally.poison;

  // The held-back network failures, recorded against their portals — or, in our outage, against nobody.
  const batchBodies = [...crawled].map((id) => ctx.bodies.get(id)!);
  const {
    results: recorded,
    outage,
    failed: notRecorded,
  } = await recordDeferred(
    held.flatMap((h) => h.results),
    batchBodies,
    ctx.deps,
    ctx.options,
  );
  const batchItemFailures = [...response.batchItemFailures];
  const heldOf = new Map(held.flatMap((h) => h.results.map((r) => [r.bodyId, h] as const)));
  for (const { bodyId, error } of notRecorded) {
    // One body's failure that could not be recorded never takes its batch-mates' records with it. Its message goes back
    // to the queue (crawled again, then the DLQ after maxReceiveCount, as a crawl that failed), and a damaged stored
    // record is counted (docs/store.md "Damaged records"). FIFO: its group's later messages may already be done — a
    // body crawled again out of turn is harmless; its failure lost would not be.
    const h = heldOf.get(bodyId)!;
    tally.failed++;
    tally.crawled--;
    crawled.delete(bodyId);
    if (error instanceof IntegrityError) ctx.obs?.count('StoredRecordsDamaged', 1);
    h.log.log('error', 'crawl failed: its failure could not be recorded', { body: bodyId, ...errorDetails(error, true) });
    batchItemFailures.push({ itemIdentifier: h.messageId });
  }
  if (outage) {
    ctx.obs?.count('OurOutages', 1);
    // Only failures of the network path are held back; a portal that answered with an error was counted as any day.
    const answered = new Set(
      held
        .flatMap((h) => h.results)
        .filter((r) => r.outcome === 'access_failure' && !('deferred' in r && r.deferred))
        .map((r) => r.bodyId),
    ).size;
    ctx.log.log('error', 'our network looks down: no network failure counted against the portals', {
      ...outage,
      bodies: batchBodies.map((b) => b.id),
      answeredWithError: answered,
    });
  }
  for (const r of recorded) {
    outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
    ctx.obs?.count('AlertsOpened', r.alertsChanged);
    if (r.reports) ctx.obs?.count('ReportsParsed', r.reports);
    if (r.readWithGaps) ctx.obs?.count('UnreadCells', r.readWithGaps);
    (heldOf.get(r.bodyId)?.log ?? ctx.log).log('info', 'crawled', {
      body: r.bodyId,
      year: r.year,
      status: r.status,
      outcome: r.outcome,
      reports: r.reports,
      alertsChanged: r.alertsChanged,
      ...(r.readWithGaps ? { unreadCells: r.readWithGaps } : {}),
      ...(r.failure ? { failure: r.failure } : {}),
    });
  }

  for (const [outcome, n] of outcomes) ctx.obs?.countByOutcome('BodiesCrawled', outcome, n);
  // The heartbeat (infra/constructs/monitoring.ts): bodies whose crawl ran to the end, whatever it found.
  if (tally.crawled) ctx.obs?.count('CrawlsCompleted', tally.crawled);
  if (tally.deferred + tally.skipped) ctx.obs?.count('BodiesDeferred', tally.deferred + tally.skipped);
  if (tally.failed) ctx.obs?.countByOutcome('BodiesFailed', 'error', tally.failed);
  if (tally.poison) ctx.obs?.countByOutcome('BodiesFailed', 'poison', tally.poison);

  if (crawled.size) {
    const delivery = await deliverAlerts(ctx.deps.state, ctx.deps.notifiers, clock, { bodies: [...crawled] });
    ctx.obs?.count('AlertsDelivered', delivery.sent.length);
    if (delivery.failed.length) ctx.obs?.count('AlertDeliveryFailures', delivery.failed.length);
    if (delivery.damaged.length) ctx.obs?.count('StoredRecordsDamaged', delivery.damaged.length);
    ctx.log.log(delivery.failed.length || delivery.damaged.length ? 'warn' : 'info', 'alerts delivered', {
      sent: delivery.sent.length,
      failed: delivery.failed,
      damaged: delivery.damaged,
    });
  }
  ctx.log.log('info', 'batch done', { ...tally });
  return { batchItemFailures, tally };
}

/** Fetch time per host as log fields (a dimension per host would bill a metric per portal), totals as metrics. */
function reportFetches(ctx: CrawlContext, log: Logger, bodyId: string): void {
  const measures = ctx.fetches?.take() ?? [];
  for (const m of measures) {
    ctx.obs?.count('FetchTime', m.ms, MetricUnit.Milliseconds);
    ctx.obs?.count('Fetches', 1);
  }
  for (const h of byHost(measures)) log.log('info', 'fetches', { body: bodyId, ...h });
}
