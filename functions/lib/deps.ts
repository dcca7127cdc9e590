/** The pipeline's ports wired to AWS adapters (S3, DynamoDB, SNS): what every crawl-side function uses. */
import { SnsNotifier } from '../../shared/alerts/channels.ts';
import { HttpFetcher } from '../../shared/crawl/fetcher.ts';
import type { PipelineDeps } from '../../shared/pipeline.ts';
import { DynamoStore } from '../../shared/store/dynamo.ts';
import { systemClock, type Clock } from '../../shared/store/ports.ts';
import { S3ArchiveStore } from '../../shared/store/s3.ts';
import { DynamoStateStore } from '../../shared/store/state.ts';
import type { AwsClients } from './aws.ts';
import type { FunctionConfig } from './config.ts';

export function awsDeps(clients: AwsClients, config: FunctionConfig, clock: Clock = systemClock): PipelineDeps {
  const archive = new S3ArchiveStore(clients.s3, config.bucket);
  const store = new DynamoStore(clients.doc, archive, config.table);
  return {
    fetcher: new HttpFetcher({ minDelayMs: config.delayMs, proxy: config.proxy, clock }),
    archive,
    captures: store,
    reports: store,
    state: new DynamoStateStore(clients.doc, config.table),
    notifiers: config.topicArn ? [new SnsNotifier(clients.sns, config.topicArn)] : [],
    clock,
  };
}
