/**
 * The Lambda handlers with realistic events, through the real SDK clients against fauxqs (S3, SQS, SNS)
 * and dynalite (DynamoDB) over HTTP, crawling the replica portals on loopback. The handlers read their
 * configuration from the environment exactly as in AWS; only the endpoints point at the emulators.
 */
import { captureRecord } from '../helpers/records.ts';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { canaryProbe } from '../../shared/crawl/canary.ts';
import { HttpFetcher } from '../../shared/crawl/fetcher.ts';
import { asFunction, functionPolicy, recordAwsCalls, recordedCalls, recordPresigned, synthesizedTemplate } from '../helpers/iam.ts';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import type { SNSEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import dynalite from 'dynalite';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { bodyYearKey } from '../../shared/store/table.ts';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnUrl, seasonStates } from '../../shared/demo/season.ts';
import { startReplica } from '../../shared/demo/replica/server.ts';
import { ReplicaState } from '../../shared/demo/replica/state.ts';
import { ensureTable } from '../../shared/store/dynamo-client.ts';
import { ManualClock } from '../helpers/clock.ts';
import { initialState } from '../../shared/pipeline/state.ts';
import { systemClock, type Alert } from '../../shared/store/ports.ts';
import { DynamoStateStore } from '../../shared/store/state.ts';
import { clientsFromEnv, type AwsClients } from '../../functions/lib/aws.ts';
import { configFromEnv } from '../../functions/lib/config.ts';
import { awsDeps, awsStores } from '../../functions/lib/deps.ts';
import { routeApi } from '../../functions/lib/api.ts';
import { jsonLogger } from '../../functions/lib/log.ts';
import { METRICS_NAMESPACE, observe } from '../../functions/lib/observe.ts';
import { handler as dispatchHandler } from '../../functions/dispatch.ts';
import { dispatchBodies } from '../../functions/lib/dispatch-bodies.ts';
import { crawlHandler as crawlHandlerOf, handler as crawlHandler0 } from '../../functions/crawl.ts';
import { BODY_START_MS, crawlBatch as crawlBatchOf, RESERVE_MS } from '../../functions/lib/crawl-batch.ts';
import { TimeBudget, TimeBudgetExhausted } from '../../shared/crawl/budget.ts';
import { runDeadlines as runDeadlinesOf } from '../../functions/deadlines.ts';
import { notifyWebhooks, webhooksFromSecret } from '../../functions/lib/webhooks.ts';
import { registryBodies } from '../../functions/lib/bodies.ts';
import { handler as archiveApiHandler } from '../../functions/archive-api.ts';
import { handler as parseHandlerOf } from '../../functions/parse.ts';
import { handler as notifyHandler } from '../../functions/notify.ts';
import { handler as siteHandler } from '../../functions/site.ts';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type SecretsManagerStandIn, startSecretsManager } from '../helpers/secrets-manager.ts';
import type { Context, S3Event } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { S3ArchiveStore } from '../../shared/store/s3.ts';
import { DynamoStore } from '../../shared/store/dynamo.ts';
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { request } from 'undici';
import JSZip from 'jszip';
import { gunzipSync } from 'node:zlib';
import { closedOrigin } from '../helpers/closed-port.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// Every AWS call a handler makes is checked against its role in the synthesized stack (the last test of this file).
recordAwsCalls([S3Client, DynamoDBClient, DynamoDBDocumentClient, SQSClient, SNSClient, SecretsManagerClient]);
const dispatch = asFunction('CrawlingDispatchFunction', dispatchHandler);
const crawl = asFunction('CrawlingCrawlFunction', crawlHandler0);
const crawlHandler = (...a: Parameters<typeof crawlHandlerOf>) => asFunction('CrawlingCrawlFunction', crawlHandlerOf(...a));
const crawlBatch = asFunction('CrawlingCrawlFunction', crawlBatchOf);
const runDeadlines = asFunction('CrawlingDeadlinesFunction', runDeadlinesOf);
const archiveApi = asFunction('ArchiveApiHandlerFunction', archiveApiHandler);
const parseHandler = asFunction('CrawlingParseFunction', parseHandlerOf);
const notify = asFunction('AlertsNotifyFunction', notifyHandler);
const site = asFunction('SiteWriterFunction', siteHandler);
/** The secrets the stack names (context of the IAM check below), as Secrets Manager holds them. */
const SECRETS = { webhooks: 'nianbao/webhooks', proxy: 'nianbao/proxy' };
let secrets: SecretsManagerStandIn;
/** Values of the functions' environment variables that the test made but did not put in process.env. */
const iamValues: Record<string, string> = {};
process.env.NIANBAO_ALLOW_PRIVATE_NETWORK = '1'; // the replica portals are on loopback
process.env.NIANBAO_LOG_LEVEL = 'warn'; // the handlers' info lines would clutter the test output

let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
let db: ReturnType<typeof dynalite>;
let replica: Awaited<ReturnType<typeof startReplica>>;
let clients: AwsClients;
let crawlQueue: string;
let alertsInbox: string;
const logs: Record<string, unknown>[] = [];
const log = jsonLogger({ fn: 'test' }, (l) => logs.push(JSON.parse(l)));

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false } as Parameters<typeof startFauxqs>[0]);
  db = dynalite({ createTableMs: 0 });
  await new Promise<void>((r) => db.listen(0, '127.0.0.1', () => r()));
  replica = await startReplica(new ReplicaState(), seasonStates());
  secrets = await startSecretsManager();

  const registry = join(mkdtempSync(join(tmpdir(), 'nianbao-fn-')), 'portals.yaml');
  writeFileSync(
    registry,
    [
      'bodies:',
      `  - { id: on-time, name: 甲区人民政府, level: government, region: "110101", lists: ["${columnUrl(replica, 'trs')}"] }`,
      `  - { id: inconsistent, name: 丁区人民政府, level: government, region: "110105", lists: ["${columnUrl(replica, 'trs2')}"] }`,
      `  - { id: same-host, name: 丁区教育局, level: department, region: "110105", lists: ["${columnUrl(replica, 'trs2')}"] }`,
      `  - { id: no-portal, name: 庚街道办事处, level: township, region: "110108", lists: [] }`,
      '',
    ].join('\n'),
  );
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    NIANBAO_AWS_ENDPOINT: `http://127.0.0.1:${fauxqs.port}`,
    NIANBAO_DYNAMODB_ENDPOINT: `http://127.0.0.1:${(db.address() as { port: number }).port}`,
    NIANBAO_BUCKET: 'nianbao-archive',
    NIANBAO_TABLE: 'nianbao',
    NIANBAO_REGISTRY: registry,
    NIANBAO_DELAY_MS: '0',
    NIANBAO_SECRETSMANAGER_ENDPOINT: secrets.endpoint,
  });
  clients = clientsFromEnv();
  await clients.s3.send(new CreateBucketCommand({ Bucket: 'nianbao-archive' }));
  await ensureTable(clients.doc, 'nianbao');
  crawlQueue = (await clients.sqs.send(new CreateQueueCommand({ QueueName: 'nianbao-crawl.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl!;
  alertsInbox = (await clients.sqs.send(new CreateQueueCommand({ QueueName: 'alerts-inbox' }))).QueueUrl!;
  const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: 'nianbao-alerts' }));
  await clients.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:alerts-inbox' }));
  process.env.NIANBAO_QUEUE_URL = crawlQueue;
  process.env.NIANBAO_TOPIC_ARN = TopicArn;
});

afterAll(async () => {
  await replica?.close();
  await new Promise((r) => db?.close(r));
  await fauxqs?.stop();
  await secrets?.close();
});

async function drain(queueUrl: string): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    const r = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, AttributeNames: ['All'] }));
    if (!r.Messages?.length) return out;
    out.push(...r.Messages);
    // Deleting unlocks the next messages of a FIFO group (one group's messages are in flight one batch at a time).
    await clients.sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: r.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
    );
  }
}

/** An SQS event as Lambda's event source mapping delivers it. */
function sqsEvent(bodies: string[], groups?: string[]): SQSEvent {
  const Records: SQSRecord[] = bodies.map((body, i) => ({
    messageId: `m-${i}`,
    receiptHandle: `rh-${i}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1748743200000',
      SenderId: 'AROA',
      ApproximateFirstReceiveTimestamp: '1748743200000',
      MessageGroupId: groups?.[i] ?? 'g',
      MessageDeduplicationId: `d-${i}`,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:nianbao-crawl.fifo',
    awsRegion: 'us-east-1',
  }));
  return { Records };
}

/** Alert messages the SNS topic delivered to its SQS subscriber (the SNS envelope unwrapped). */
async function alertMessages(): Promise<{ event: string; alert: Alert }[]> {
  return (await drain(alertsInbox)).map((m) => {
    const published = JSON.parse(JSON.parse(m.Body!).Message);
    // SNS gives an SQS subscriber the message's `sqs` string (MessageStructure json); fauxqs passes the
    // whole structure through, so the test picks the `sqs` entry the way SNS would.
    return JSON.parse(published.sqs);
  });
}

describe('dispatch (EventBridge Scheduler → SQS FIFO)', () => {
  it('sends one message per body, grouped by portal host, deduplicated within a run', async () => {
    const result = await dispatch({ time: '2025-06-01T02:00:00Z' });
    expect(result).toMatchObject({ runId: '2025-06-01', sent: 4, failed: [] });
    const again = await asFunction('CrawlingDispatchFunction', dispatchBodies)(
      [...registryBodies(process.env.NIANBAO_REGISTRY!).values()],
      clients.sqs,
      crawlQueue,
      '2025-06-01',
    );
    expect(again.sent).toBe(4); // accepted by SQS, dropped as duplicates
    const messages = await drain(crawlQueue);
    expect(messages).toHaveLength(4);
    const byBody = new Map(messages.map((m) => [JSON.parse(m.Body!).bodyId as string, m.Attributes!.MessageGroupId]));
    expect(byBody.get('inconsistent')).toBe(new URL(columnUrl(replica, 'trs2')).host);
    expect(byBody.get('same-host')).toBe(byBody.get('inconsistent'));
    expect(byBody.get('on-time')).not.toBe(byBody.get('inconsistent'));
    expect(byBody.get('no-portal')).toBe('no-portal');
  });
});

describe('crawl (SQS batch → crawlBody → S3, DynamoDB, SNS)', () => {
  it('crawls, archives, stores state and delivers the batch bodies’ alerts; a poison message fails alone and later FIFO messages are returned unprocessed', async () => {
    const clock = new ManualClock(Date.UTC(2025, 5, 1, 2));
    const config = configFromEnv();
    const ctx = { bodies: registryBodies(config.registryFile), deps: awsDeps(clients, config, clock), options: { graceDays: 0 }, log };
    const event = sqsEvent([
      JSON.stringify({ bodyId: 'inconsistent', runId: '2025-06-01', years: [2024] }),
      '{"bodyId": 42}',
      JSON.stringify({ bodyId: 'same-host', runId: '2025-06-01', years: [2024] }),
    ]);
    const r = await crawlBatch(event, ctx);
    expect(r.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }]);
    expect(logs.find((l) => l.message === 'poison message')).toMatchObject({ level: 'error', messageId: 'm-1' });

    const state = await new DynamoStateStore(clients.doc, 'nianbao').getState('inconsistent', 2024);
    expect(state?.status).toBe('found');
    expect(await new DynamoStateStore(clients.doc, 'nianbao').getState('same-host', 2024)).toBeNull(); // not processed
    const objects = await clients.s3.send(new ListObjectsV2Command({ Bucket: 'nianbao-archive', Prefix: 'blobs/sha256/' }));
    expect(objects.KeyCount).toBeGreaterThanOrEqual(2); // the column page and the report

    // The corrupted table breaks arithmetic rules: one alert per broken rule, each sent once.
    const alerts = await alertMessages();
    expect(alerts.length).toBeGreaterThan(0);
    expect(new Set(alerts.map((a) => `${a.event} ${a.alert.bodyId} ${a.alert.kind}`))).toEqual(new Set(['opened inconsistent inconsistent']));
    expect(new Set(alerts.map((a) => a.alert.id)).size).toBe(alerts.length);
    for (const a of alerts) expect(a.alert.detail).toMatch(/^T[34]-/);

    // SQS redelivers the message (at-least-once): the body is crawled again, no alert is sent twice.
    const again = await crawlBatch(sqsEvent([event.Records[0]!.body]), ctx);
    expect(again.batchItemFailures).toEqual([]);
    expect(await alertMessages()).toEqual([]);
  });

  it('the handler wires itself from the environment and crawls a body without a portal as unknown', async () => {
    const r = await crawl(sqsEvent([JSON.stringify({ bodyId: 'no-portal', runId: '2025-06-01', years: [2024] })]));
    expect(r.batchItemFailures).toEqual([]);
    expect((await new DynamoStateStore(clients.doc, 'nianbao').getState('no-portal', 2024))?.status).toBe('unknown');
  });

  it('reads a report once: the next invocation takes it from parsed/ in the bucket, and the metrics say so', async () => {
    const handler = crawlHandler('crawl-kept-test');
    const message = JSON.stringify({ bodyId: 'inconsistent', runId: '2025-06-02', years: [2024] });
    const metrics = async () => {
      const { result, lines } = await captureStdout(() => handler(sqsEvent([message])));
      expect(result.batchItemFailures).toEqual([]);
      const emf = lines.filter((l) => l._aws);
      return { read: emf.find((l) => l.DocumentsRead)?.DocumentsRead, kept: emf.find((l) => l.DocumentsKept)?.DocumentsKept };
    };
    const first = await metrics();
    expect(first.read).toBeGreaterThan(0);
    const objects = await clients.s3.send(new ListObjectsV2Command({ Bucket: 'nianbao-archive', Prefix: 'parsed/' }));
    expect(objects.KeyCount).toBeGreaterThanOrEqual(first.read as number);
    // The same portal, unchanged: nothing read, everything kept (the report page and its attachments).
    expect(await metrics()).toEqual({ read: undefined, kept: first.read });
    await alertMessages(); // the alerts of these crawls are the first test's business
  });

  it('a portal behind a challenge is handed over to the browser-crawl queue (the plain crawler has no Chromium)', async () => {
    const config = configFromEnv();
    const browserQueue = (await clients.sqs.send(new CreateQueueCommand({ QueueName: 'nianbao-browser.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl!;
    iamValues.NIANBAO_BROWSER_QUEUE_URL = browserQueue;
    const challenged = { id: 'challenged', name: '辛区人民政府', level: 'government' as const, lists: [`${replica.origin('challenge')}/zfxxgknb/index.html`] };
    const bodies = new Map([[challenged.id, challenged]]);
    const ctx = {
      bodies,
      deps: awsDeps(clients, config, new ManualClock(Date.UTC(2025, 5, 1, 2))),
      options: {},
      log,
      handoff: async (m: { bodyId: string; runId: string; years?: number[] | undefined }) =>
        void (await dispatchBodies([bodies.get(m.bodyId)!], clients.sqs, browserQueue, `${m.runId}-browser`, m.years)),
    };
    const r = await crawlBatch(sqsEvent([JSON.stringify({ bodyId: 'challenged', runId: '2025-06-01', years: [2024] })]), ctx);
    expect(r.batchItemFailures).toEqual([]);
    const handed = await drain(browserQueue);
    expect(handed.map((m) => JSON.parse(m.Body!))).toEqual([{ bodyId: 'challenged', runId: '2025-06-01-browser', years: [2024] }]);
    // A portal that needs no browser is not handed over.
    const plain = await crawlBatch(sqsEvent([JSON.stringify({ bodyId: 'on-time', runId: '2025-06-01', years: [2024] })]), {
      ...ctx,
      bodies: registryBodies(config.registryFile),
    });
    expect(plain.batchItemFailures).toEqual([]);
    expect(await drain(browserQueue)).toEqual([]);
  });

  it('FIFO per host: a failure returns only the later messages of its own group; other hosts go on', async () => {
    const config = configFromEnv();
    const ctx = {
      bodies: registryBodies(config.registryFile),
      deps: awsDeps(clients, config, new ManualClock(Date.UTC(2025, 5, 1, 2))),
      options: { graceDays: 0 },
      log,
    };
    const event = sqsEvent(
      [
        '{"bodyId": 42}',
        JSON.stringify({ bodyId: 'same-host', runId: 'g', years: [2024] }),
        JSON.stringify({ bodyId: 'no-portal', runId: 'g', years: [2023] }),
      ],
      ['trs2-host', 'trs2-host', 'no-portal'],
    );
    const r = await crawlBatch(event, ctx);
    expect(r.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }, { itemIdentifier: 'm-1' }]);
    expect(r.tally).toEqual({ crawled: 1, deferred: 0, failed: 0, poison: 1, skipped: 1 });
    expect((await new DynamoStateStore(clients.doc, 'nianbao').getState('no-portal', 2023))?.status).toBe('unknown');
  });

  it('time budget: bodies the invocation has no time for are handed back as deferred — not failed, nothing concluded', async () => {
    const config = configFromEnv();
    const budget = new TimeBudget(systemClock);
    const deps = awsDeps(clients, config, systemClock, budget);
    const seen: string[] = [];
    const ctx = { bodies: registryBodies(config.registryFile), deps, options: { graceDays: 0 }, log: jsonLogger({ fn: 'test' }, (l) => seen.push(l)), budget };
    const bodies = [JSON.stringify({ bodyId: 'on-time', runId: 'b', years: [2021] }), JSON.stringify({ bodyId: 'no-portal', runId: 'b', years: [2021] })];
    // Less than the reserve and one body's start time left.
    const short = await crawlBatch(sqsEvent(bodies, ['a', 'b']), ctx, { getRemainingTimeInMillis: () => RESERVE_MS + BODY_START_MS - 1000 });
    expect(short.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m-0', 'm-1']);
    expect(short.tally).toMatchObject({ crawled: 0, deferred: 2, failed: 0 });
    expect(await new DynamoStateStore(clients.doc, 'nianbao').getState('on-time', 2021)).toBeNull();
    expect(await new DynamoStateStore(clients.doc, 'nianbao').getState('no-portal', 2021)).toBeNull();
    // A fetch that cannot finish in time stops its body: handed back too, and the portal is not marked unreachable.
    const stuck = {
      ...ctx,
      deps: {
        ...deps,
        fetcher: {
          fetch: async () => {
            throw new TimeBudgetExhausted('the column: 3 s left');
          },
        },
      },
    };
    const mid = await crawlBatch(sqsEvent(bodies.slice(0, 1), ['a']), stuck, { getRemainingTimeInMillis: () => 600_000 });
    expect(mid.tally).toMatchObject({ crawled: 0, deferred: 1, failed: 0 });
    expect(await new DynamoStateStore(clients.doc, 'nianbao').getState('on-time', 2021)).toBeNull();
    // With time enough, both are crawled.
    const full = await crawlBatch(sqsEvent(bodies, ['a', 'b']), ctx, { getRemainingTimeInMillis: () => 600_000 });
    expect(full.batchItemFailures).toEqual([]);
    expect(full.tally).toMatchObject({ crawled: 2, deferred: 0 });
  });

  it('browser-crawl gives Chromium the egress proxy and the time budget of plain HTTP', async () => {
    process.env.NIANBAO_PROXY = 'http://proxy.example.cn:3128';
    try {
      const given: { proxy?: string | undefined; budget: TimeBudget }[] = [];
      const handler = asFunction(
        'CrawlingBrowserCrawlFunction',
        crawlHandlerOf('browser-crawl-test', (o) => {
          given.push(o);
          return {
            render: async () => {
              throw new Error('not used');
            },
            close: async () => {},
          };
        }),
      );
      const r = await handler(sqsEvent([JSON.stringify({ bodyId: 'no-portal', runId: 'p', years: [2022] })]));
      expect(r.batchItemFailures).toEqual([]);
      expect(given).toHaveLength(1);
      expect(given[0]!.proxy).toBe('http://proxy.example.cn:3128');
      expect(given[0]!.budget).toBeInstanceOf(TimeBudget);
    } finally {
      delete process.env.NIANBAO_PROXY;
    }
  });

  it('browser-crawl reads the egress proxy from its secret (Secrets Manager over HTTP), once per container', async () => {
    secrets.secrets.set(SECRETS.proxy, ' http://user:pass@proxy.example.cn:3128\n');
    process.env.NIANBAO_PROXY_SECRET = SECRETS.proxy;
    try {
      const given: (string | undefined)[] = [];
      const handler = asFunction(
        'CrawlingBrowserCrawlFunction',
        crawlHandlerOf('browser-crawl-secret-test', (o) => {
          given.push(o.proxy);
          return { render: async () => Promise.reject(new Error('not used')), close: async () => {} };
        }),
      );
      const asked = secrets.asked.length;
      for (const runId of ['s1', 's2']) {
        const r = await handler(sqsEvent([JSON.stringify({ bodyId: 'no-portal', runId, years: [2022] })]));
        expect(r.batchItemFailures).toEqual([]);
      }
      expect(given).toEqual(['http://user:pass@proxy.example.cn:3128']);
      expect(secrets.asked.slice(asked)).toEqual([SECRETS.proxy]);
    } finally {
      delete process.env.NIANBAO_PROXY_SECRET;
    }
  });

  it('our outage blames no portal: a batch whose bodies fail below HTTP, canaries too, counts nothing; a canary that answers, and the failure is the portal’s', async () => {
    // A port nobody listens on: the column's connection is refused, as when our egress is down.
    const nowhere = `${await closedOrigin()}/`;
    const cutOff = { id: 'cut-off', name: '壬区人民政府', level: 'government' as const, lists: [`${nowhere}zfxxgknb/index.html`] };
    const bodies = new Map([[cutOff.id, cutOff]]);
    const deps = {
      ...awsDeps(clients, configFromEnv(), new ManualClock(Date.UTC(2025, 5, 1, 2))),
      fetcher: new HttpFetcher({ minDelayMs: 0, retries: 0, timeoutMs: 5000 }),
    };
    const state = new DynamoStateStore(clients.doc, 'nianbao');
    const counted: string[] = [];
    const obs = {
      count: (name: string) => void counted.push(name),
      countByOutcome: (name: string, outcome: string) => void counted.push(`${name}:${outcome}`),
    };
    const batch = (runId: string, canary: string) =>
      crawlBatch(sqsEvent([JSON.stringify({ bodyId: cutOff.id, runId, years: [2024] })]), {
        bodies,
        deps: { ...deps, network: canaryProbe(deps.fetcher, [canary]) },
        options: {},
        log,
        obs,
      });
    const before = logs.length;
    expect((await batch('o-1', nowhere)).batchItemFailures).toEqual([]);
    expect(await state.getState(cutOff.id, 2024)).toBeNull(); // nothing recorded against the portal
    // The operator's alarm (OurNetworkDown) reads OurOutages; the body is `outage` in BodiesCrawled.
    expect(counted).toEqual(expect.arrayContaining(['OurOutages', 'BodiesCrawled:outage']));
    counted.length = 0;
    const said = logs.slice(before);
    expect(said.find((l) => String(l.message).startsWith('our network looks down'))).toMatchObject({
      level: 'error',
      outcome: 'connection_error',
      bodies: [cutOff.id],
      canaries: [nowhere],
      answeredWithError: 0,
    });
    // Our network answers (the canary is a portal that is up): the refusal is the portal's, counted.
    expect((await batch('o-2', columnUrl(replica, 'trs'))).batchItemFailures).toEqual([]);
    expect(await state.getState(cutOff.id, 2024)).toMatchObject({ status: 'unreachable', consecutiveFailures: 1 });
    expect(counted).toContain('BodiesCrawled:access_failure');
    expect(counted).not.toContain('OurOutages');
  });

  it('a body whose portal failure cannot be recorded (its state damaged) goes back to the queue alone: its batch-mates are recorded and their alerts delivered', async () => {
    const nowhere = `${await closedOrigin()}/`;
    const down = (id: string) => ({ id, name: `${id}区人民政府`, level: 'government' as const, lists: [`${nowhere}${id}/index.html`] });
    const [sound, damaged] = [down('rec-sound'), down('rec-damaged')];
    const bodies = new Map([sound, damaged].map((b) => [b.id, b]));
    const key = { PK: bodyYearKey(damaged.id, 2024), SK: 'STATE' };
    await clients.doc.send(
      new PutCommand({ TableName: 'nianbao', Item: { ...key, GSI1PK: 'YEAR#2024', GSI1SK: `unreachable#${damaged.id}`, kind: 'state', data: '{"bodyId":' } }),
    );
    const deps = {
      ...awsDeps(clients, configFromEnv(), new ManualClock(Date.UTC(2025, 5, 1, 2))),
      fetcher: new HttpFetcher({ minDelayMs: 0, retries: 0, timeoutMs: 5000 }),
    };
    const counted: string[] = [];
    const obs = {
      count: (name: string) => void counted.push(name),
      countByOutcome: (name: string, outcome: string) => void counted.push(`${name}:${outcome}`),
    };
    // Two hosts' groups, so that neither waits behind the other (FIFO: a failure holds back its own group only).
    const event = sqsEvent(
      [JSON.stringify({ bodyId: sound.id, runId: 'rec-1', years: [2024] }), JSON.stringify({ bodyId: damaged.id, runId: 'rec-1', years: [2024] })],
      ['host-a', 'host-b'],
    );
    const before = logs.length;
    const r = await crawlBatch(event, { bodies, deps, options: {}, log, obs });
    expect(r.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]!.messageId }]);
    expect(r.tally).toMatchObject({ crawled: 1, failed: 1 });
    expect(await new DynamoStateStore(clients.doc, 'nianbao').getState(sound.id, 2024)).toMatchObject({ status: 'unreachable', consecutiveFailures: 1 });
    expect(counted).toEqual(expect.arrayContaining(['StoredRecordsDamaged', 'BodiesCrawled:access_failure']));
    const said = logs.slice(before);
    expect(said.find((l) => String(l.message).startsWith('crawl failed: its failure could not be recorded'))).toMatchObject({
      level: 'error',
      body: damaged.id,
    });
    // Delivery ran for the bodies crawled (it did not when the batch threw).
    expect(counted).toContain('AlertsDelivered');
    await clients.doc.send(new DeleteCommand({ TableName: 'nianbao', Key: key }));
  });

  it('a body missing from the deployed registry is poison', async () => {
    const config = configFromEnv();
    const r = await crawlBatch(sqsEvent([JSON.stringify({ bodyId: 'nobody', runId: 'x' })]), {
      bodies: registryBodies(config.registryFile),
      deps: awsDeps(clients, config),
      options: {},
      log,
    });
    expect(r.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
    expect([...logs].reverse().find((l) => l.message === 'poison message')).toMatchObject({ error: expect.stringContaining('nobody') });
  });
});

describe('deadlines (daily)', () => {
  it('a department still pending after 31 January becomes missing; the alert goes to SNS once', async () => {
    const config = configFromEnv();
    const state = new DynamoStateStore(clients.doc, 'nianbao');
    await state.putState({
      bodyId: 'same-host',
      year: 2024,
      status: 'pending',
      missedAt: [],
      consecutiveFailures: 0,
      deadline: '01-31',
      updatedAt: '2025-01-20T00:00:00.000Z',
    });
    const bodies = [...registryBodies(config.registryFile).values()];
    const deps = awsDeps(clients, config, new ManualClock(Date.UTC(2025, 1, 3, 2)));
    const summary = await runDeadlines(bodies, deps, { graceDays: 0, years: [2024] });
    expect(summary.counts.missing).toBe(1);
    const again = await runDeadlines(bodies, deps, { graceDays: 0, years: [2024] });
    expect(again.sent).toBe(0);
    const alerts = await alertMessages();
    expect(alerts.map((a) => `${a.event} ${a.alert.bodyId} ${a.alert.kind}`)).toEqual(['opened same-host missing']);
  });
});

describe('notify (SNS → webhooks)', () => {
  it('posts each alert to every webhook of the secret; one failing robot does not hold back the others', async () => {
    const received: unknown[] = [];
    const server: HttpServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/broken') return void res.writeHead(500).end('down');
        received.push({ path: req.url, body: JSON.parse(body) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const hooks = webhooksFromSecret(`webhook:dingtalk=${base}/ding\n# a comment\nwebhook=${base}/json, webhook:slack=${base}/broken`, 'nianbao/webhooks');
      expect(hooks).toHaveLength(3);
      // The SNS message exactly as the topic's SnsNotifier publishes it for a Lambda subscriber.
      const state = new DynamoStateStore(clients.doc, 'nianbao');
      const alert = (await state.alerts('open')).find((a) => a.kind === 'missing')!;
      const event: SNSEvent = {
        Records: [
          {
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:nianbao-alerts:1',
            Sns: {
              Type: 'Notification',
              MessageId: 'sns-1',
              TopicArn: 'arn:aws:sns:us-east-1:000000000000:nianbao-alerts',
              Subject: 'x',
              Message: JSON.stringify({ event: 'opened', alert }),
              Timestamp: '2025-02-03T02:00:00.000Z',
              SignatureVersion: '1',
              Signature: '',
              SigningCertUrl: '',
              UnsubscribeUrl: '',
              MessageAttributes: {},
            },
          },
        ],
      };
      const r = await notifyWebhooks(event, hooks, log);
      expect(r).toEqual({ sent: 2, failed: 1 });
      expect(received.map((x) => (x as { path: string }).path).sort()).toEqual(['/ding', '/json']);
      expect(JSON.stringify(received)).toContain('same-host');
      expect(logs.at(-1)).toMatchObject({ message: 'webhook failed', channel: expect.stringContaining('slack') });
      // Every webhook failing: the function fails so SNS retries the message.
      await expect(notifyWebhooks(event, [hooks[2]!], log)).rejects.toThrow(/no webhook accepted/);
      // A message that is not an alert (no kind) is dropped with an error that names it and the field; nothing is posted.
      const { kind: _, ...noKind } = alert;
      const bad = structuredClone(event);
      bad.Records[0]!.Sns.Message = JSON.stringify({ event: 'opened', alert: noKind });
      const before = received.length;
      expect(await notifyWebhooks(bad, hooks, log)).toEqual({ sent: 0, failed: 0 });
      expect(received).toHaveLength(before);
      expect(logs.at(-1)).toMatchObject({ message: 'unreadable alert message (dropped)', error: 'SNS message sns-1: alert: missing field "kind"' });
    } finally {
      server.close();
    }
  });

  it('the handler reads its webhooks from the secret over the Secrets Manager API: a missing secret fails the invocation and is read again next time', async () => {
    const received: string[] = [];
    const server: HttpServer = createServer((req, res) => {
      req.resume().on('end', () => {
        received.push(req.url!);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    process.env.NIANBAO_WEBHOOK_SECRET = SECRETS.webhooks;
    try {
      const alert = (await new DynamoStateStore(clients.doc, 'nianbao').alerts('open')).find((a) => a.kind === 'missing')!;
      const event = {
        Records: [
          {
            EventSource: 'aws:sns',
            Sns: { MessageId: 'sns-2', TopicArn: 'arn:aws:sns:us-east-1:000000000000:nianbao-alerts', Message: JSON.stringify({ event: 'opened', alert }) },
          },
        ],
      } as unknown as SNSEvent;
      const asked = secrets.asked.length;
      // Not there yet (a secret made after the stack): the invocation fails, SNS retries it.
      secrets.secrets.delete(SECRETS.webhooks);
      await expect(notify(event)).rejects.toThrow(/can't find the specified secret/);
      secrets.secrets.set(SECRETS.webhooks, `webhook:dingtalk=${base}/ding\nwebhook=${base}/json`);
      expect(await notify(event)).toEqual({ sent: 2, failed: 0 });
      expect(await notify(event)).toEqual({ sent: 2, failed: 0 });
      expect(received.sort()).toEqual(['/ding', '/ding', '/json', '/json']);
      // Read again after the failure, then kept for the container.
      expect(secrets.asked.slice(asked)).toEqual([SECRETS.webhooks, SECRETS.webhooks]);
    } finally {
      delete process.env.NIANBAO_WEBHOOK_SECRET;
      server.close();
    }
  });

  it('a secret entry that is not a webhook names the secret and the entry', () => {
    expect(() => webhooksFromSecret('webhook=https://example.org/x\nsmtp://mail', 'nianbao/webhooks')).toThrow(
      /nianbao\/webhooks: "smtp:\/\/mail" is not a webhook spec/,
    );
  });
});

/** An HTTP API (payload 2.0) request as API Gateway sends it, signed by an IAM user unless `iam` is false. */
function apiEvent(
  routeKey: string,
  o: { path?: Record<string, string>; query?: Record<string, string>; body?: unknown; iam?: boolean } = {},
): APIGatewayProxyEventV2WithIAMAuthorizer {
  const [method, route] = routeKey.split(' ') as [string, string];
  const rawPath = route.replace(/\{(\w+)\}/g, (_, k: string) => o.path?.[k] ?? '');
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(o.query ?? {}).toString(),
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com', 'content-type': 'application/json' },
    queryStringParameters: o.query,
    pathParameters: o.path,
    body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body), // a string: sent as it is
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'awscurl' },
      requestId: 'req-1',
      routeKey,
      stage: '$default',
      time: '01/Jun/2025:02:00:00 +0000',
      timeEpoch: 1748743200000,
      authorizer: (o.iam === false
        ? undefined
        : {
            iam: {
              accessKey: 'AKIA',
              accountId: '000000000000',
              callerId: 'AIDA',
              cognitoIdentity: null,
              principalOrgId: null,
              userArn: 'arn:aws:iam::000000000000:user/archivist',
              userId: 'AIDA',
            },
          }) as never,
    },
  } as APIGatewayProxyEventV2WithIAMAuthorizer;
}

async function call(e: APIGatewayProxyEventV2WithIAMAuthorizer) {
  const r = (await archiveApi(e)) as APIGatewayProxyStructuredResultV2;
  const body = JSON.parse(r.body!);
  // A presigned URL is used with the function's own credentials: its GET needs the function's s3:GetObject.
  if (typeof body?.url === 'string') recordPresigned('ArchiveApiHandlerFunction', body.url);
  return { status: r.statusCode, body };
}

/** Every page of a listing route, following `next` (at most 100 pages): its items under `key`, and each page. */
async function everyPage(route: string, key: string, query: Record<string, string>) {
  const items: unknown[] = [];
  const pages: { bodyYears: number }[] = [];
  let cursor: string | undefined;
  do {
    const r = await call(apiEvent(route, { query: { ...query, ...(cursor ? { cursor } : {}) } }));
    expect(r.status, route).toBe(200);
    items.push(...r.body[key]);
    pages.push(r.body);
    cursor = r.body.next ?? undefined;
  } while (cursor && pages.length < 100);
  return { items, pages };
}

describe('archive API (HTTP API, IAM)', () => {
  it('refuses a request without an IAM identity', async () => {
    expect(await call(apiEvent('GET /bodies', { iam: false }))).toMatchObject({ status: 403 });
  });

  it("lists bodies with their status and a body's reports with figures and findings", async () => {
    const bodies = await call(apiEvent('GET /bodies', { query: { year: '2024' } }));
    expect(bodies.status).toBe(200);
    expect(bodies.body.bodies.find((b: { id: string }) => b.id === 'inconsistent')).toMatchObject({ name: '丁区人民政府', status: 'found' });
    // Its report's findings counted per rule (the crawl kept them in the state): the rule that does not add up is there.
    const { findings } = bodies.body.bodies.find((b: { id: string }) => b.id === 'inconsistent');
    expect(Object.keys(findings)).toEqual(expect.arrayContaining([expect.stringMatching(/^T3-/)]));
    const reports = await call(apiEvent('GET /bodies/{id}/reports', { path: { id: 'inconsistent' }, query: { year: '2024' } }));
    expect(reports.status).toBe(200);
    expect(reports.body.reports.length).toBeGreaterThan(0);
    const r = reports.body.reports.at(-1);
    expect(r.findings.length).toBeGreaterThan(0);
    expect(r.rows.find((x: { row: string }) => x.row === 'table3.received').values).toHaveProperty('natural_person');
    // Each row names its figures that could not be read (null, as a blank is): as many as the CELL-UNREAD findings list.
    const named = r.rows.flatMap((x: { unread: string[] }) => x.unread);
    const listed = r.findings.filter((f: { rule: string }) => f.rule === 'CELL-UNREAD').flatMap((f: { cells: string[] }) => f.cells);
    expect(r.rows.every((x: { unread?: unknown }) => Array.isArray(x.unread))).toBe(true);
    expect(named).toHaveLength(listed.length);
    expect(await call(apiEvent('GET /bodies/{id}/reports', { path: { id: 'inconsistent' }, query: { year: '24' } }))).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('year=24') },
    });
    expect(await call(apiEvent('GET /bodies/{id}/reports', { path: { id: 'nobody' }, query: { year: '2024' } }))).toMatchObject({ status: 404 });
  });

  it('a state that cannot be read is named under `damaged`, and every other body still listed', async () => {
    const key = { PK: bodyYearKey('on-time', 2019), SK: 'STATE' };
    await clients.doc.send(
      new PutCommand({ TableName: 'nianbao', Item: { ...key, GSI1PK: 'YEAR#2019', GSI1SK: 'found#on-time', kind: 'state', data: '{"bodyId":' } }),
    );
    try {
      const r = await call(apiEvent('GET /bodies', { query: { year: '2019' } }));
      expect(r.status).toBe(200);
      expect(r.body.bodies.map((b: { id: string }) => b.id)).toEqual(['on-time', 'inconsistent', 'same-host', 'no-portal']);
      expect(r.body.bodies[0].status).toBeNull();
      expect(r.body.damaged).toEqual([expect.stringMatching(/^stored record state \S*on-time\S* \(DynamoDB nianbao\): not JSON/)]);
      expect((await call(apiEvent('GET /bodies', { query: { year: '2024' } }))).body.damaged).toEqual([]);
      const captures = await call(apiEvent('GET /captures', { query: { body: 'inconsistent', year: '2024' } }));
      expect(captures).toMatchObject({ status: 200, body: { damaged: [] } });
      // One body's reports: the damaged state is null and named; the answer is still given.
      const reports = await call(apiEvent('GET /bodies/{id}/reports', { path: { id: 'on-time' }, query: { year: '2019' } }));
      expect(reports).toMatchObject({
        status: 200,
        body: { state: null, damaged: [expect.stringMatching(/^stored record state of on-time 2019 \(DynamoDB nianbao\): not JSON/)] },
      });
    } finally {
      await clients.doc.send(new DeleteCommand({ TableName: 'nianbao', Key: key }));
    }
    // A damaged row of a source: left out of that source's rows and named; its other rows are there.
    const sound = await call(apiEvent('GET /bodies/{id}/reports', { path: { id: 'inconsistent' }, query: { year: '2024' } }));
    expect(sound.body.damaged).toEqual([]);
    const sha = sound.body.reports.at(-1).sha256 as string;
    const rowKey = { PK: bodyYearKey('inconsistent', 2024), SK: `ROW#${sha}#table3.zz_damaged` };
    await clients.doc.send(
      new PutCommand({
        TableName: 'nianbao',
        Item: { ...rowKey, bodyId: 'inconsistent', year: 2024, sha256: sha, row: 'table3.zz_damaged', values: 'twelve' },
      }),
    );
    try {
      const r = await call(apiEvent('GET /bodies/{id}/reports', { path: { id: 'inconsistent' }, query: { year: '2024' } }));
      expect(r.status).toBe(200);
      expect(r.body.damaged).toEqual([expect.stringMatching(/^stored record row table3\.zz_damaged of inconsistent 2024 \(DynamoDB .*\): must be object/)]);
      const rows = r.body.reports.at(-1).rows.map((x: { row: string }) => x.row);
      expect(rows).toContain('table3.received');
      expect(rows).not.toContain('table3.zz_damaged');
    } finally {
      await clients.doc.send(new DeleteCommand({ TableName: 'nianbao', Key: rowKey }));
    }
  });

  it("lists a year's findings body by body: the report route's findings, filtered, paged, and what could not be listed named", async () => {
    type Line = { body: string; rule: string; severity: string; source_sha256: string };
    const all = await call(apiEvent('GET /findings', { query: { year: '2024' } }));
    expect(all).toMatchObject({ status: 200, body: { year: 2024, next: null, notRead: [], lost: [], malformed: 0, damaged: [] } });
    // The body's lines are the findings of the source its report was assessed by, as its own route gives them.
    const own = await call(apiEvent('GET /bodies/{id}/reports', { path: { id: 'inconsistent' }, query: { year: '2024' } }));
    const main = own.body.state.mainSha256 ?? own.body.state.reportSha256;
    const current = own.body.reports.find((r: { sha256: string }) => r.sha256 === main);
    const lines: Line[] = all.body.findings.filter((l: Line) => l.body === 'inconsistent');
    expect(lines.map((l) => l.rule).sort()).toEqual(current.findings.map((f: { rule: string }) => f.rule).sort());
    expect(lines[0]).toMatchObject({ name: '丁区人民政府', level: 'government', region: '110105', year: 2024, source_sha256: main, status: 'found' });
    expect(all.body.reports).toBeGreaterThan(0);
    expect(all.body.bodyYears).toBeGreaterThanOrEqual(all.body.reports);

    // Filters: rules (a comma-separated list, any case) and a severity with the graver ones.
    // (The replica's inconsistent report raises T3-RESULTS and T3-ROW-TOTAL, both errors; tests/cli/findings.test.ts
    // holds the severities' order on warnings too.)
    const t3 = await call(apiEvent('GET /findings', { query: { year: '2024', rule: 'T3-RESULTS,cell-unread' } }));
    const wanted = all.body.findings.filter((l: Line) => l.rule === 'T3-RESULTS' || l.rule === 'CELL-UNREAD');
    expect(wanted.length).toBeGreaterThan(0);
    expect(wanted.length).toBeLessThan(all.body.findings.length);
    expect(t3.body.findings).toEqual(wanted);
    const errors = await call(apiEvent('GET /findings', { query: { year: '2024', severity: 'error' } }));
    expect(errors.body.findings).toEqual(all.body.findings.filter((l: Line) => l.severity === 'error'));

    // Paged one body-year at a time: the same lines in the same order, and the cursor ends.
    const { items: paged, pages } = await everyPage('GET /findings', 'findings', { year: '2024', limit: '1' });
    expect(pages.every((p) => p.bodyYears <= 1)).toBe(true);
    expect(paged).toEqual(all.body.findings);
    expect(pages).toHaveLength(all.body.bodyYears);

    // A page also ends once its lines pass a size (Lambda answers at most 6 MB): here, after the first body with findings.
    const small = { ...awsStores(clients, configFromEnv()), bodies: registryBodies(process.env.NIANBAO_REGISTRY!), s3: clients.s3, bucket: 'nianbao-archive' };
    const sized = async (cursor?: string) => {
      const r = (await routeApi(apiEvent('GET /findings', { query: { year: '2024', ...(cursor ? { cursor } : {}) } }), {
        ...small,
        pageBytes: 1,
      })) as APIGatewayProxyStructuredResultV2;
      return JSON.parse(r.body!);
    };
    const first = await sized();
    expect(first.next).toBe('inconsistent');
    expect(first.findings.at(-1).body).toBe('inconsistent');
    const rest = await sized(first.next);
    expect([...first.findings, ...rest.findings]).toEqual(all.body.findings);
    expect(first.bodyYears + rest.bodyYears).toBe(all.body.bodyYears);

    // A request it cannot answer names the parameter and the problem.
    for (const [query, says] of [
      [{}, 'year is required'],
      [{ year: '2024', rule: 'T9-NOTHING' }, 'rule=T9-NOTHING'],
      [{ year: '2024', severity: 'fatal' }, 'severity=fatal'],
      [{ year: '2024', limit: '0' }, 'limit=0'],
      [{ year: '2024', limit: 'ten' }, 'limit=ten'],
    ] as const)
      expect(await call(apiEvent('GET /findings', { query }))).toMatchObject({ status: 400, body: { error: expect.stringContaining(says) } });

    // The current source damaged in the table: the body-year is named as lost (never listed as clean), the rest listed.
    const key = { PK: bodyYearKey('inconsistent', 2024), SK: `REPORT#${main}` };
    const { Item } = await clients.doc.send(new GetCommand({ TableName: 'nianbao', Key: key }));
    await clients.doc.send(new PutCommand({ TableName: 'nianbao', Item: { ...Item, data: '{"sha256":' } }));
    try {
      const r = await call(apiEvent('GET /findings', { query: { year: '2024' } }));
      expect(r.status).toBe(200);
      expect(r.body.lost).toEqual(['inconsistent']);
      expect(r.body.damaged).toEqual([expect.stringContaining('inconsistent')]);
      expect(r.body.findings.filter((l: Line) => l.body === 'inconsistent')).toEqual([]);
      expect(r.body.findings).toEqual(all.body.findings.filter((l: Line) => l.body !== 'inconsistent'));
    } finally {
      await clients.doc.send(new PutCommand({ TableName: 'nianbao', Item }));
    }
  });

  it("lists a year's figures body by body: the rows of the source each report was assessed by, with what could not be read", async () => {
    type Line = { body: string; row: string; values: Record<string, number | null>; unread: string[]; source_sha256: string };
    const all = await call(apiEvent('GET /figures', { query: { year: '2024' } }));
    expect(all).toMatchObject({ status: 200, body: { year: 2024, next: null, notRead: [], lost: [], damaged: [] } });
    // A body's lines are its current source's rows as its own route gives them, in the template's order.
    const own = await call(apiEvent('GET /bodies/{id}/reports', { path: { id: 'inconsistent' }, query: { year: '2024' } }));
    const main = own.body.state.mainSha256 ?? own.body.state.reportSha256;
    const current = own.body.reports.find((r: { sha256: string }) => r.sha256 === main);
    const lines: Line[] = all.body.figures.filter((l: Line) => l.body === 'inconsistent');
    expect(lines.length).toBeGreaterThan(20);
    expect(new Set(lines.map((l) => l.source_sha256))).toEqual(new Set([main]));
    const byRow = new Map<string, Line>(current.rows.map((r: Line) => [r.row, r]));
    for (const l of lines) expect({ values: l.values, unread: l.unread }).toEqual({ values: byRow.get(l.row)!.values, unread: byRow.get(l.row)!.unread });
    expect(lines[0]).toMatchObject({ row: 'table3.received', row_label: expect.stringContaining('本年新收'), name: '丁区人民政府', year: 2024 });
    expect(lines.findIndex((l) => l.row === 'table4')).toBeGreaterThan(lines.findIndex((l) => l.row === 'table3.carried_forward'));
    expect(all.body.unread).toBe(all.body.figures.reduce((n: number, l: Line) => n + l.unread.length, 0));

    // One row across bodies, and pages of one body-year that add up to the whole.
    const received = await call(apiEvent('GET /figures', { query: { year: '2024', row: 'table3.received' } }));
    expect(received.body.figures).toEqual(all.body.figures.filter((l: Line) => l.row === 'table3.received'));
    expect(received.body.figures.length).toBe(all.body.reports);
    expect((await everyPage('GET /figures', 'figures', { year: '2024', limit: '1' })).items).toEqual(all.body.figures);
    for (const [query, says] of [
      [{ year: '2024', row: 'table3.nothing' }, 'row=table3.nothing'],
      [{ year: '2024', limit: '1001' }, 'limit=1001'],
      [{ row: 'table4' }, 'year is required'],
    ] as const)
      expect(await call(apiEvent('GET /figures', { query }))).toMatchObject({ status: 400, body: { error: expect.stringContaining(says) } });
  });

  it("lists the body-years' states as nianbao status shows them, paged, by body then year", async () => {
    type S = { bodyId: string; year: number; status: string };
    const all = await call(apiEvent('GET /states', { query: { year: '2024' } }));
    expect(all).toMatchObject({ status: 200, body: { next: null, damaged: [] } });
    expect(all.body.states.find((x: S) => x.bodyId === 'inconsistent')).toMatchObject({ year: 2024, status: 'found', reportUrl: expect.any(String) });
    expect((await everyPage('GET /states', 'states', { year: '2024', limit: '1' })).items).toEqual(all.body.states);
    const every = await call(apiEvent('GET /states'));
    expect(new Set(every.body.states.map((x: S) => x.year)).size).toBeGreaterThan(1); // no year: every year's
    expect(await call(apiEvent('GET /states', { query: { limit: '0' } }))).toMatchObject({ status: 400, body: { error: expect.stringContaining('limit=0') } });
  });

  it('lists alerts by state, body and year, and dismisses a false one with its reason: kept, named, never listed open again', async () => {
    type A = { id: string; bodyId: string; year: number; state: string; kind: string; dismissReason?: string };
    const open = await call(apiEvent('GET /alerts', { query: { state: 'open' } }));
    expect(open).toMatchObject({ status: 200, body: { next: null, damaged: [] } });
    expect(open.body.alerts.length).toBeGreaterThan(0);
    expect(open.body.alerts.every((a: A) => a.state === 'open')).toBe(true);
    const target: A = open.body.alerts.find((a: A) => a.bodyId === 'inconsistent') ?? open.body.alerts[0];
    const ofBody = await call(apiEvent('GET /alerts', { query: { body: target.bodyId, year: String(target.year) } }));
    expect(ofBody.body.alerts.map((a: A) => a.id)).toContain(target.id);
    expect(ofBody.body.alerts.every((a: A) => a.bodyId === target.bodyId && a.year === target.year)).toBe(true);

    const dismissed = await call(
      apiEvent('POST /alerts/{id}/dismiss', { path: { id: target.id }, body: { reason: '表格为扫描件，数字系人工核对无误 the figures were checked by hand' } }),
    );
    expect(dismissed).toMatchObject({
      status: 200,
      // Who dismissed it is kept with it: the IAM identity API Gateway authorized.
      body: {
        alert: {
          id: target.id,
          state: 'dismissed',
          dismissReason: expect.stringContaining('checked by hand'),
          dismissedBy: 'arn:aws:iam::000000000000:user/archivist',
        },
      },
    });
    const after = await call(apiEvent('GET /alerts', { query: { state: 'open' } }));
    expect(after.body.alerts.map((a: A) => a.id)).not.toContain(target.id);
    const gone = await call(apiEvent('GET /alerts', { query: { state: 'dismissed' } }));
    expect(gone.body.alerts.map((a: A) => a.id)).toContain(target.id);

    for (const [event, status, says] of [
      [apiEvent('POST /alerts/{id}/dismiss', { path: { id: 'no-such-alert' }, body: { reason: 'x' } }), 404, 'alert no-such-alert not found'],
      [apiEvent('POST /alerts/{id}/dismiss', { path: { id: target.id }, body: { reason: '   ' } }), 400, 'reason'],
      [apiEvent('POST /alerts/{id}/dismiss', { path: { id: target.id }, body: 'not json' }), 400, 'request body'],
      [apiEvent('GET /alerts', { query: { state: 'closed' } }), 400, 'state=closed'],
    ] as const)
      expect(await call(event)).toMatchObject({ status, body: { error: expect.stringContaining(says) } });
  });

  it('lists captures and hands out a presigned download that is an attachment with the archived bytes', async () => {
    const list = await call(apiEvent('GET /captures', { query: { body: 'inconsistent', year: '2024' } }));
    expect(list.status).toBe(200);
    // A cursor the store did not make is the caller's to fix (400), never a server error.
    const forged = Buffer.from(JSON.stringify({ PK: 'x', Evil: 'y' })).toString('base64url');
    for (const cursor of ['not-a-cursor', forged])
      expect(await call(apiEvent('GET /captures', { query: { body: 'inconsistent', year: '2024', cursor } }))).toMatchObject({
        status: 400,
        body: { error: expect.stringMatching(/^cursor "/) },
      });
    // So is a limit that is not a whole number from 1 to 500 (a negative one reached the store as it came).
    for (const limit of ['-5', 'ten', '0', '501', '2.5'])
      expect(await call(apiEvent('GET /captures', { query: { body: 'inconsistent', year: '2024', limit } }))).toMatchObject({
        status: 400,
        body: { error: `query parameter limit=${limit}: expected a whole number of captures from 1 to 500` },
      });
    const two = await call(apiEvent('GET /captures', { query: { body: 'inconsistent', year: '2024', limit: '2' } }));
    expect(two.body.items.length).toBeLessThanOrEqual(2);
    expect(two.body.items.length).toBeGreaterThan(0);
    const capture = list.body.items.find((c: { sha256: string | null; url: string }) => c.sha256 && /\.html?$/.test(c.url) && !c.url.endsWith('index.html'));
    expect(capture).toBeDefined();
    const dl = await call(apiEvent('GET /captures/{id}/download', { path: { id: capture.id } }));
    expect(dl.status).toBe(200);
    const url = new URL(dl.body.url);
    expect(url.searchParams.get('response-content-disposition')).toMatch(/^attachment; filename="/);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    const res = await request(dl.body.url);
    const bytes = Buffer.from(await res.body.arrayBuffer());
    expect(res.statusCode).toBe(200);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(capture.sha256);
    expect(await call(apiEvent('GET /captures/{id}/download', { path: { id: 'no-such-capture' } }))).toMatchObject({ status: 404 });
    // A report linked with GBK escapes (older portals): named in the download, not a URIError and a 500.
    const archive = new S3ArchiveStore(clients.s3, 'nianbao-archive');
    const gbkBytes = Buffer.from('%PDF-1.4 gbk-named');
    const { sha256: gbkSha } = await archive.put(gbkBytes);
    const gbkUrl = 'http://www.xx.gov.cn/upload/%D6%D0%CE%C4.pdf';
    await new DynamoStore(clients.doc, archive, 'nianbao').put(
      captureRecord('gbk-1', gbkUrl, { sha256: gbkSha, size: gbkBytes.length, contentType: 'application/pdf', bodyId: 'on-time', year: 2024 }),
    );
    const gbk = await call(apiEvent('GET /captures/{id}/download', { path: { id: 'gbk-1' } }));
    expect(gbk.status).toBe(200);
    expect(new URL(gbk.body.url).searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="${gbkSha.slice(0, 12)}-__.pdf"; filename*=UTF-8''${gbkSha.slice(0, 12)}-%E4%B8%AD%E6%96%87.pdf`,
    );
    expect(await call(apiEvent('GET /captures'))).toMatchObject({ status: 400 });
  });

  it('exports WARC and WACZ to S3 and returns presigned URLs', async () => {
    const warc = await call(apiEvent('POST /exports', { body: { format: 'warc', body: 'inconsistent', year: 2024 } }));
    expect(warc.status).toBe(200);
    expect(warc.body.key).toMatch(/^exports\/.+\.warc\.gz$/);
    const warcBytes = Buffer.from(await (await request(warc.body.url)).body.arrayBuffer());
    expect(gunzipSync(warcBytes).toString('latin1')).toContain('WARC/1.1');
    const wacz = await call(apiEvent('POST /exports', { body: { format: 'wacz', body: 'inconsistent', year: 2024 } }));
    expect(wacz.status).toBe(200);
    const zip = await JSZip.loadAsync(Buffer.from(await (await request(wacz.body.url)).body.arrayBuffer()));
    expect(Object.keys(zip.files)).toEqual(expect.arrayContaining(['datapackage.json', 'archive/data.warc.gz']));
    expect(await call(apiEvent('POST /exports', { body: { format: 'zip', body: 'inconsistent', year: 2024 } }))).toMatchObject({
      status: 400,
      body: { error: 'request body: format: must be one of warc, wacz' },
    });
    expect(await call(apiEvent('POST /exports', { body: { format: 'wacz', body: 'inconsistent' } }))).toMatchObject({ status: 400 });
    // Every field is checked where the request enters: a year as text, a field the API does not have, no JSON.
    for (const [body, error] of [
      [{ format: 'warc', body: 'inconsistent', year: '2024' }, 'request body: year: must be integer'],
      [{ format: 'warc', body: 'inconsistent', yaer: 2024 }, 'request body: unknown field "yaer"'],
      ['{"format":', 'request body: not JSON ("{\\"format\\":")'],
    ] as const)
      expect(await call(apiEvent('POST /exports', { body }))).toMatchObject({ status: 400, body: { error } });
  });
});

describe('parse (S3 ObjectCreated → SQS → parse → DynamoDB)', () => {
  it('parses an archived report from its capture, stores figures and findings, and skips it the second time', async () => {
    // A real report (上海市人民政府办公厅 2019) imported into the archive, as an archivist's import would.
    const bytes = readFileSync(join(import.meta.dirname, '..', 'fixtures', '01-shanghai-szfbgt-2019.html'));
    const archive = new S3ArchiveStore(clients.s3, 'nianbao-archive');
    const store = new DynamoStore(clients.doc, archive, 'nianbao');
    const { sha256 } = await archive.put(bytes);
    await store.put(
      captureRecord('import-1', 'https://www.shanghai.gov.cn/nw12344/20200813/0001-12344_1.html', {
        time: '2020-03-30T02:00:00.000Z',
        responseHeaders: { 'content-type': 'text/html; charset=utf-8' },
        sha256,
        size: bytes.length,
        contentType: 'text/html; charset=utf-8',
        bodyId: 'on-time',
        year: 2019,
      }),
    );
    const event: S3Event = {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventTime: '2020-03-30T02:00:01.000Z',
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'AWS:AROA' },
          requestParameters: { sourceIPAddress: '10.0.0.1' },
          responseElements: { 'x-amz-request-id': 'r', 'x-amz-id-2': 'i' },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'parse',
            bucket: { name: 'nianbao-archive', ownerIdentity: { principalId: 'A' }, arn: 'arn:aws:s3:::nianbao-archive' },
            object: { key: `blobs/sha256/${sha256}`, size: bytes.length, eTag: 'e', sequencer: '01' },
          },
        },
        // Keys outside blobs/ (staging uploads, exports) are not captures.
        { s3: { object: { key: 'exports/2025-06-01/x.wacz' } } } as S3Event['Records'][number],
      ],
    };
    // The crawl had chosen this page as the body-year's report: its defects become alerts.
    const state = new DynamoStateStore(clients.doc, 'nianbao');
    await state.putState({
      bodyId: 'on-time',
      year: 2019,
      status: 'found',
      missedAt: [],
      consecutiveFailures: 0,
      deadline: '03-31',
      updatedAt: '2020-03-30T02:00:00.000Z',
      firstSeenAt: '2020-03-30T02:00:00.000Z',
      reportUrl: 'https://www.shanghai.gov.cn/nw12344/20200813/0001-12344_1.html',
    });
    // S3 → SQS → parse: the notification as S3 puts it on the parse queue, received as Lambda's poller would.
    const parseQueue = (await clients.sqs.send(new CreateQueueCommand({ QueueName: 'nianbao-parse' }))).QueueUrl!;
    const deliver = async (...bodies: string[]): Promise<SQSEvent> => {
      for (const MessageBody of bodies) await clients.sqs.send(new SendMessageCommand({ QueueUrl: parseQueue, MessageBody }));
      const received = await drain(parseQueue);
      return {
        Records: received.map((m) => ({
          messageId: m.MessageId!,
          receiptHandle: m.ReceiptHandle!,
          body: m.Body!,
          attributes: m.Attributes as never,
          messageAttributes: {},
          md5OfBody: m.MD5OfBody!,
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:nianbao-parse',
          awsRegion: 'us-east-1',
        })),
      };
    };
    // The parse function's logger is made on its first invocation, at the level then set: info, to see its lines.
    process.env.NIANBAO_LOG_LEVEL = 'info';
    const run = async (e: SQSEvent) => {
      const out = await captureStdout(() => parseHandler(e, { awsRequestId: 'req-parse-1' } as Context));
      return { ...out.result, lines: out.lines };
    };
    const first = await run(await deliver(JSON.stringify(event), JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'nianbao-archive' })));
    expect(first.batchItemFailures).toEqual([]);
    process.env.NIANBAO_LOG_LEVEL = 'warn';
    expect(first.lines.filter((l) => l.message === 'parsed')).toMatchObject([
      { level: 'INFO', service: 'parse', requestId: 'req-parse-1', sha256, body: 'on-time', year: 2019, format: '2019' },
    ]);
    const emf = first.lines.find((l) => l._aws)!;
    expect(emf).toMatchObject({ service: 'parse', ReportsParsed: 1 });
    const opened = emf.AlertsOpened as number;
    expect(opened).toBeGreaterThan(0);
    const reports = await store.reports('on-time', 2019);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ sha256, format: '2019', captureId: 'import-1' });
    const received = (await store.rows('on-time', 2019, sha256)).find((r) => r.row === 'table3.received')!;
    const expected = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', '01-shanghai-szfbgt-2019.expected.json'), 'utf8'));
    expect(received.values.total).toBe((Object.values(expected.table3.rows)[0] as number[])[6]);
    // Delivered twice (at-least-once), or already parsed by the crawl: skipped, not parsed again.
    const second = await run(await deliver(JSON.stringify(event)));
    expect(second.batchItemFailures).toEqual([]);
    expect(second.lines.filter((l) => l.message === 'parsed')).toEqual([]);
    expect(second.lines.find((l) => l._aws)).toMatchObject({ ParseSkipped: 1 });
    // A message that is not an S3 notification fails alone (retried, then kept in the DLQ).
    const poison = await run(await deliver('not json', JSON.stringify(event)));
    expect(poison.batchItemFailures).toHaveLength(1);

    // Opened by parse, delivered by the next delivery run (here the daily deadlines run): S3 → parse → DynamoDB → SNS.
    const config = configFromEnv();
    const summary = await runDeadlines([...registryBodies(config.registryFile).values()], awsDeps(clients, config), { graceDays: 0, years: [2019] });
    expect(summary.sent).toBe(opened);
    const alerts = await alertMessages();
    expect(alerts).toHaveLength(opened);
    for (const a of alerts) expect(a).toMatchObject({ event: 'opened', alert: { bodyId: 'on-time', year: 2019, kind: 'inconsistent', evidence: { sha256 } } });
  });

  it('opens alerts only for the source the crawl assessed the report by: a page that leaves tables 三 and 四 to its attachment raises none of its own', async () => {
    const { parseObjects } = await import('../../functions/lib/parse-objects.ts');
    const { trsReportPage } = await import('../../shared/demo/replica/pages.ts');
    const archive = new S3ArchiveStore(clients.s3, 'nianbao-archive');
    const store = new DynamoStore(clients.doc, archive, 'nianbao');
    const state = new DynamoStateStore(clients.doc, 'nianbao');
    const report = new ReplicaState().reports.get(2024)!;
    report.tablesInAttachment = true;
    const bytes = Buffer.from(trsReportPage(report));
    const { sha256 } = await archive.put(bytes);
    const bodies = new Map(['att-main', 'page-main'].map((id) => [id, { id, name: `${id}区人民政府`, level: 'government' as const, lists: [] }]));
    const url = (id: string) => `https://www.${id}.gov.cn/zfxxgknb/202501/t20250120_1.html`;
    for (const id of bodies.keys()) {
      await store.put(captureRecord(`cap-${id}`, url(id), { sha256, size: bytes.length, contentType: 'text/html', bodyId: id, year: 2024 }));
      // The crawl chose this page as the report's; its figures were read from the attachment (att-main), or from the page.
      await state.putState({
        ...initialState(bodies.get(id)!, 2024, '2025-02-01T02:00:00.000Z'),
        status: 'found',
        reportUrl: url(id),
        reportSha256: sha256,
        mainSha256: id === 'att-main' ? 'f'.repeat(64) : sha256,
      });
    }
    const event = { Records: [{ s3: { object: { key: `blobs/sha256/${sha256}` } } }] } as unknown as S3Event;
    const tally = await parseObjects(event, { archive, captures: store, reports: store, state, bodies, clock: new ManualClock(), log });
    expect(tally).toMatchObject({ parsed: 2, failed: 0 });
    const open = async (id: string) => (await state.alertsOf(id, 2024)).filter((a) => a.state === 'open').map((a) => a.detail.split(':')[0]);
    expect(await open('att-main')).toEqual([]);
    expect(await open('page-main')).toEqual(['TABLE-MISSING', 'TABLE-MISSING']);
    // The page's table 二 is stored either way, beside whatever the crawl made current.
    expect((await store.reports('att-main', 2024)).map((r) => r.sha256)).toEqual([sha256]);
  });

  it('a document of no figures is read once: kept under parsed/, then taken from there (as what the crawl kept would be)', async () => {
    // A body-year's page that is not a report of figures (a notice), so nothing is stored and each event reads it.
    const bytes = Buffer.from('<html><body><div class="TRS_Editor"><p>关于2019年政府信息公开工作年度报告的说明：报告将于近期发布。</p></div></body></html>');
    const archive = new S3ArchiveStore(clients.s3, 'nianbao-archive');
    const { sha256 } = await archive.put(bytes);
    await new DynamoStore(clients.doc, archive, 'nianbao').put(
      captureRecord('notice-1', 'https://www.example.gov.cn/notice.html', {
        sha256,
        size: bytes.length,
        contentType: 'text/html',
        bodyId: 'on-time',
        year: 2019,
      }),
    );
    const body = JSON.stringify({ Records: [{ s3: { object: { key: `blobs/sha256/${sha256}` } } }] });
    const event = {
      Records: [
        {
          messageId: 'p-1',
          receiptHandle: 'r',
          body,
          attributes: {},
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:nianbao-parse',
          awsRegion: 'us-east-1',
        },
      ],
    } as unknown as SQSEvent;
    const metrics = async () => {
      const { result, lines } = await captureStdout(() => parseHandler(event, { awsRequestId: 'req-parse-2' } as Context));
      expect(result.batchItemFailures).toEqual([]);
      const emf = lines.find((l) => l._aws)!;
      return { parsed: emf.ReportsParsed, read: emf.DocumentsRead, kept: emf.DocumentsKept };
    };
    expect(await metrics()).toEqual({ parsed: 1, read: 1, kept: undefined });
    const kept = await clients.s3.send(new ListObjectsV2Command({ Bucket: 'nianbao-archive', Prefix: 'parsed/' }));
    expect((kept.Contents ?? []).length).toBeGreaterThan(0);
    expect(await metrics()).toEqual({ parsed: 1, read: undefined, kept: 1 });
  });
});

/** What a handler writes to stdout and stderr (Powertools logs and EMF metrics), as JSON lines. */
async function captureStdout<T>(fn: () => Promise<T>): Promise<{ result: T; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((s) => s.write.bind(s));
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      for (const l of String(chunk).split('\n')) {
        try {
          if (l.trim()) lines.push(JSON.parse(l));
        } catch {
          return writes[i]!(chunk, ...(rest as []));
        }
      }
      return true;
    }) as typeof stream.write;
  });
  try {
    return { result: await fn(), lines };
  } finally {
    streams.forEach((stream, i) => (stream.write = writes[i]!));
  }
}

describe('site (daily static dashboard)', () => {
  it('writes the dashboard to site/ of its own bucket, rewrites only what changed, and removes pages no longer made', async () => {
    const bucket = 'nianbao-site';
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    process.env.NIANBAO_SITE_BUCKET = bucket;
    iamValues.NIANBAO_SITE_BUCKET = bucket;
    try {
      await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'site/body/retired.html', Body: '<p>a body no longer registered</p>' }));
      const first = await site();
      expect(first).toMatchObject({ skipped: 0 });
      expect(first.pages).toBeGreaterThan(first.unchanged);
      const keys = async () => ((await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'site/' }))).Contents ?? []).map((o) => o.Key!);
      expect(await keys()).toEqual(expect.arrayContaining(['site/index.html', 'site/data/overview.js']));
      expect(await keys()).not.toContain('site/body/retired.html');
      // The next day, nothing changed in the table: the pages are listed, not written again.
      const again = await site();
      expect(again.pages - again.unchanged).toBeLessThan(first.pages - first.unchanged);
    } finally {
      delete process.env.NIANBAO_SITE_BUCKET;
    }
  });
});

describe('logs and metrics (Powertools)', () => {
  it('a function logs JSON lines with its service and request id at NIANBAO_LOG_LEVEL, and writes metrics in the embedded metric format', async () => {
    process.env.NIANBAO_LOG_LEVEL = 'warn';
    const obs = observe('crawl');
    const { lines } = await captureStdout(async () => {
      obs.start({ awsRequestId: 'req-7', functionName: 'crawl' });
      const log = obs.log.child({ messageId: 'm-9' });
      log.log('warn', 'kept', { body: 'x' });
      log.log('info', 'dropped at warn');
      obs.count('BodiesDeferred', 2);
      obs.countByOutcome('BodiesCrawled', 'access_failure', 3);
      obs.flush();
    });
    expect(lines.filter((l) => !l._aws)).toEqual([
      expect.objectContaining({ level: 'WARN', message: 'kept', service: 'crawl', requestId: 'req-7', messageId: 'm-9', body: 'x' }),
    ]);
    const emf = lines.filter((l) => l._aws) as { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] }; [k: string]: unknown }[];
    expect(emf.map((e) => e._aws.CloudWatchMetrics[0]!.Namespace)).toEqual([METRICS_NAMESPACE, METRICS_NAMESPACE]);
    expect(emf.find((e) => e.BodiesCrawled)).toMatchObject({ service: 'crawl', outcome: 'access_failure', BodiesCrawled: 3 });
    expect(emf.find((e) => e.BodiesCrawled)!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'outcome']]);
    expect(emf.find((e) => e.BodiesDeferred)).toMatchObject({ service: 'crawl', BodiesDeferred: 2 });
  });
});

describe('logs', () => {
  it('one JSON line per event with the context; NIANBAO_LOG_LEVEL drops the less severe', () => {
    const lines: string[] = [];
    const logger = jsonLogger({ fn: 'crawl' }, (l) => lines.push(l)).child({ messageId: 'm-9' });
    logger.log('warn', 'kept', { body: 'x' });
    logger.log('info', 'dropped at warn');
    expect(lines.map((l) => JSON.parse(l))).toEqual([{ time: expect.any(String), level: 'warn', message: 'kept', fn: 'crawl', messageId: 'm-9', body: 'x' }]);
  });
});

describe('IAM: what the functions do, against what their roles allow', () => {
  it('every AWS call a handler made above is allowed by its role in the synthesized stack', async () => {
    const template = await synthesizedTemplate({ webhookSecretName: SECRETS.webhooks, egressProxySecretName: SECRETS.proxy });
    const values = { ...process.env, ...iamValues };
    const calls = recordedCalls();
    // The recording saw each function that ran here: a vacuous pass is not a pass.
    expect([...new Set(calls.map((c) => c.fn))].sort()).toEqual([
      'AlertsNotifyFunction',
      'ArchiveApiHandlerFunction',
      'CrawlingBrowserCrawlFunction',
      'CrawlingCrawlFunction',
      'CrawlingDeadlinesFunction',
      'CrawlingDispatchFunction',
      'CrawlingParseFunction',
      'SiteWriterFunction',
    ]);
    const denied = new Set<string>();
    for (const c of calls) {
      const policy = functionPolicy(template, c.fn, values);
      for (const r of c.requests)
        if (!policy.allows(r)) denied.add(`${c.fn}: ${c.call} needs ${r.action} on ${r.resource}${r.context ? ` ${JSON.stringify(r.context)}` : ''}`);
    }
    expect([...denied]).toEqual([]);
  });
});
