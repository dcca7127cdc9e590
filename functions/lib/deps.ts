/** The pipeline's ports wired to AWS adapters (S3, DynamoDB, SNS): what the functions use. */
import { SnsNotifier } from '../../shared/alerts/channels.ts';
import type { TimeBudget } from '../../shared/crawl/budget.ts';
import { HttpFetcher } from '../../shared/crawl/fetcher.ts';
import type { PipelineDeps } from '../../shared/pipeline.ts';
import { DynamoStore } from '../../shared/store/dynamo.ts';
import { systemClock, type Clock } from '../../shared/store/ports.ts';
import { S3ArchiveStore } from '../../shared/store/s3.ts';
import { DynamoStateStore } from '../../shared/store/state.ts';
import type { AwsClients } from './aws.ts';
import type { FunctionConfig } from './config.ts';

/** The storage ports alone (the archive bucket and the table): what the parse and archive-API functions need. */
export function awsStores(
  clients: AwsClients,
  config: Pick<FunctionConfig, 'bucket' | 'table'>,
  clock: Clock = systemClock,
): Pick<PipelineDeps, 'archive' | 'captures' | 'reports' | 'state'> {
  const archive = new S3ArchiveStore(clients.s3, config.bucket);
  const store = new DynamoStore(clients.doc, archive, config.table, () => clock.now());
  return { archive, captures: store, reports: store, state: new DynamoStateStore(clients.doc, config.table, () => clock.now()) };
}

/** Every port of the pipeline: the stores, the HTTP fetcher and the SNS channel (the crawl-side functions). */
export function awsDeps(clients: AwsClients, config: FunctionConfig, clock: Clock = systemClock, budget?: TimeBudget): PipelineDeps {
  const stores = awsStores(clients, config, clock);
  return {
    ...stores,
    fetcher: new HttpFetcher({ minDelayMs: config.delayMs, proxy: config.proxy, clock, budget, revalidate: { log: stores.captures, archive: stores.archive } }),
    notifiers: config.topicArn ? [new SnsNotifier(clients.sns, config.topicArn)] : [],
    clock,
  };
}
