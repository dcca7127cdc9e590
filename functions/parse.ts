/**
 * parse — S3 ObjectCreated on `blobs/` → SQS (delivered 15 minutes late, with a dead-letter queue) → the
 * captures of that object → `parseCapture` → figures and findings in DynamoDB → `inconsistent` alerts for a
 * body-year's report page (lib/parse-objects.ts). The crawl function parses what it fetches as it goes (its
 * alerts need the figures at once); this function covers every other way bytes reach the archive (imports,
 * re-parsing after a parser upgrade, a crawl that stopped between archiving and parsing). The delay lets the
 * crawl finish first: a report it already stored with the current parser version is skipped (one query), and a
 * document it read without storing figures (a scan, a page of no tables) is taken from the reports it kept under
 * parsed/ (lib/documents.ts) instead of being read again; what this function reads is kept there too.
 * A message whose objects could not be parsed is retried, then kept in the DLQ (an alarm) — never lost.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, S3Event, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { systemClock } from '../shared/store/ports.ts';
import { clientsFromEnv } from './lib/aws.ts';
import { registryBodies } from './lib/bodies.ts';
import { configFromEnv } from './lib/config.ts';
import { awsStores } from './lib/deps.ts';
import { PoisonMessageError } from './lib/messages.ts';
import { jsonChecker } from '../shared/schema/check.ts';
import { observe } from './lib/observe.ts';
import { parseObjects, type ParseDeps } from './lib/parse-objects.ts';
import { countDocuments, keptReportsParser } from './lib/documents.ts';
import type { CachedParser, ParseCounts } from '../shared/parse-cache.ts';

const obs = observe('parse');
let deps: ParseDeps | undefined;
// Documents the crawl read are kept under parsed/: taken from there, not read again (a scan, a report of no figures).
let parser: CachedParser | undefined;
let reported: ParseCounts = { read: 0, kept: 0, cacheErrors: 0 };

const S3_EVENT = {
  type: 'object',
  properties: {
    // S3's `s3:TestEvent` (sent when the notification is set up) carries no records.
    Records: {
      type: 'array',
      items: {
        type: 'object',
        required: ['s3'],
        properties: {
          s3: { type: 'object', required: ['object'], properties: { object: { type: 'object', required: ['key'], properties: { key: { type: 'string' } } } } },
        },
      },
    },
  },
};

const readS3Event = jsonChecker<Partial<S3Event>>(S3_EVENT, (m) => new PoisonMessageError(m));

/** The S3 event notification an SQS message carries; a malformed one is poison (to the DLQ, named). */
export function s3EventOf(body: string): S3Event {
  return { Records: readS3Event(body, 'parse message').Records ?? [] };
}

export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  obs.start(context);
  try {
    if (!deps) {
      const config = configFromEnv();
      const clients = clientsFromEnv();
      parser = keptReportsParser(clients, config.bucket);
      deps = { ...awsStores(clients, config), parser, bodies: registryBodies(config.registryFile), clock: systemClock, log: obs.log };
    }
    const d = deps;
    const one = async (record: SQSRecord) => {
      const result = await parseObjects(s3EventOf(record.body), d);
      if (result.parsed) obs.count('ReportsParsed', result.parsed);
      if (result.skipped) obs.count('ParseSkipped', result.skipped);
      if (result.unread) obs.count('UnreadCells', result.unread);
      if (result.alerts) obs.count('AlertsOpened', result.alerts);
      if (result.failed) {
        obs.count('ParseFailed', result.failed);
        throw new Error(`${result.failed} captures could not be parsed (see the log); the message is retried, then kept in the DLQ`);
      }
    };
    const response = await processPartialResponse(event, one, new BatchProcessor(EventType.SQS), { throwOnFullBatchFailure: false });
    if (parser) {
      // Kept before the invocation ends (a frozen sandbox finishes nothing); counted per invocation.
      await parser.settle();
      reported = countDocuments(obs, obs.log, parser.counts, reported);
    }
    return { batchItemFailures: response.batchItemFailures };
  } finally {
    obs.flush();
  }
}
