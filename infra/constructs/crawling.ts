/**
 * Crawling: EventBridge Scheduler (Asia/Shanghai) → dispatch → SQS FIFO (message group = portal host, so
 * one host is never crawled in parallel) with a DLQ → crawl (arm64) and browser-crawl (x86_64, Chromium
 * layer) → S3 + DynamoDB + SNS; S3 ObjectCreated → SQS (with a DLQ) → parse; a daily deadlines function
 * after the day's crawl.
 */
import { Duration, TimeZone } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NianbaoFunction } from './function.ts';

export interface CrawlingProps {
  bucket: s3.IBucket;
  table: dynamodb.ITableV2;
  topic: sns.ITopic;
  registry: string;
  crawlSchedules: string[];
  /** When the daily deadline check and delivery run (after the day's crawl). */
  deadlineSchedule: string;
  deadlineGraceDays: number;
  egressProxySecretName?: string;
  /** NIANBAO_CANARY_URLS of the crawl functions (shared/crawl/canary.ts); unset, their default. */
  canaryUrls?: string | undefined;
  parsersLayer: lambda.ILayerVersion;
  chromiumLayer: lambda.ILayerVersion;
}

/** A FIFO crawl queue and its dead-letter queue (3 receives, then the DLQ keeps the message 14 days). */
function crawlQueue(scope: Construct, id: string, functionTimeout: Duration): { queue: sqs.Queue; dlq: sqs.Queue } {
  const dlq = new sqs.Queue(scope, `${id}Dlq`, {
    fifo: true,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const queue = new sqs.Queue(scope, id, {
    fifo: true,
    // High-throughput FIFO: ordering and deduplication per message group (portal host).
    deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
    fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // AWS: at least six times the function timeout, so a retried batch is not received twice.
    visibilityTimeout: Duration.seconds(functionTimeout.toSeconds() * 6),
    deadLetterQueue: { queue: dlq, maxReceiveCount: 3 },
  });
  return { queue, dlq };
}

/**
 * Most concurrent invocations per event source (Lambda's `maxConcurrency`, 2–1000): the FIFO groups already keep
 * one host to one crawler; these caps keep a season's first day from taking the account's concurrency and the
 * table's on-demand burst at once (and Chromium's 2 GB instances few).
 */
export const MAX_CONCURRENCY = { crawl: 20, browserCrawl: 4, parse: 5 } as const;

/** How late S3 notifications reach the parse function: the crawl that archived the object has parsed it by then. */
export const PARSE_DELAY = Duration.minutes(15);

export class Crawling extends Construct {
  readonly functions: Record<'dispatch' | 'crawl' | 'browserCrawl' | 'parse' | 'deadlines', lambda.IFunction>;
  readonly logGroups: Record<'dispatch' | 'crawl' | 'browserCrawl' | 'parse' | 'deadlines', logs.ILogGroup>;
  readonly dlqs: sqs.IQueue[];
  readonly queues: Record<'crawl' | 'browserCrawl' | 'parse', sqs.IQueue>;

  constructor(scope: Construct, id: string, props: CrawlingProps) {
    super(scope, id);
    const crawlTimeout = Duration.minutes(10);
    const plain = crawlQueue(this, 'CrawlQueue', crawlTimeout);
    const browser = crawlQueue(this, 'BrowserQueue', crawlTimeout);

    const common = {
      NIANBAO_BUCKET: props.bucket.bucketName,
      NIANBAO_TABLE: props.table.tableName,
      NIANBAO_TOPIC_ARN: props.topic.topicArn,
      NIANBAO_GRACE_DAYS: String(props.deadlineGraceDays),
      ...(props.egressProxySecretName ? { NIANBAO_PROXY_SECRET: props.egressProxySecretName } : {}),
      ...(props.canaryUrls ? { NIANBAO_CANARY_URLS: props.canaryUrls } : {}),
    };
    const made: Record<string, NianbaoFunction> = {};
    const make = (
      fnId: string,
      entry: string,
      description: string,
      o: { architecture: lambda.Architecture; memorySize: number; timeout: Duration; layers?: lambda.ILayerVersion[]; environment?: Record<string, string> },
    ) =>
      (made[fnId] = new NianbaoFunction(this, fnId, { entry, description, registry: props.registry, ...o, environment: { ...common, ...o.environment } })).fn;

    const dispatch = make('Dispatch', 'dispatch', 'nianbao: one crawl message per registry body', {
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.minutes(5),
      environment: { NIANBAO_QUEUE_URL: plain.queue.queueUrl, NIANBAO_BROWSER_QUEUE_URL: browser.queue.queueUrl },
    });
    const crawl = make('Crawl', 'crawl', 'nianbao: crawl bodies over plain HTTP, archive, parse, alert', {
      architecture: lambda.Architecture.ARM_64,
      memorySize: 1024,
      timeout: crawlTimeout,
      layers: [props.parsersLayer],
      environment: { NIANBAO_BROWSER_QUEUE_URL: browser.queue.queueUrl }, // hand-over of portals that need Chromium
    });
    browser.queue.grantSendMessages(crawl);
    const browserCrawl = make('BrowserCrawl', 'browser-crawl', 'nianbao: crawl bodies whose portals need a browser (headless Chromium)', {
      architecture: lambda.Architecture.X86_64, // @sparticuz/chromium's binary is x86_64
      memorySize: 2048,
      timeout: crawlTimeout,
      layers: [props.parsersLayer, props.chromiumLayer],
    });
    const deadlines = make('Deadlines', 'deadlines', 'nianbao: daily deadline check (missing reports) and alert delivery', {
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.minutes(10),
    });
    const parseTimeout = Duration.minutes(5);
    const parse = make('Parse', 'parse', 'nianbao: parse archived captures (S3 ObjectCreated on blobs/, through SQS) into figures and findings', {
      architecture: lambda.Architecture.ARM_64,
      memorySize: 1536, // pdfjs on a 300-page PDF
      timeout: parseTimeout,
      layers: [props.parsersLayer],
    });
    // S3 → SQS → parse, not S3 → parse: an asynchronous invocation's failures vanish after two retries; a queue
    // retries, then keeps the message in its DLQ (alarmed) for 14 days.
    const parseDlq = new sqs.Queue(this, 'ParseQueueDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const parseQueue = new sqs.Queue(this, 'ParseQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED, // S3 may send to SSE-SQS queues (a KMS key would need a key policy)
      enforceSSL: true,
      deliveryDelay: PARSE_DELAY,
      visibilityTimeout: Duration.seconds(parseTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: parseDlq, maxReceiveCount: 3 },
    });
    props.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(parseQueue), { prefix: 'blobs/' });
    parse.addEventSource(new SqsEventSource(parseQueue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: MAX_CONCURRENCY.parse }));
    parse.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [props.bucket.arnForObjects('blobs/*')] }));
    // The reports the crawl read are taken from parsed/, and what this function reads is kept there (shared/parse-cache.ts).
    parse.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [props.bucket.arnForObjects('parsed/*')] }));
    parse.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.bucket.bucketArn] }));
    props.table.grantReadWriteData(parse);
    this.functions = { dispatch, crawl, browserCrawl, parse, deadlines };
    this.logGroups = {
      dispatch: made.Dispatch!.logGroup,
      crawl: made.Crawl!.logGroup,
      browserCrawl: made.BrowserCrawl!.logGroup,
      parse: made.Parse!.logGroup,
      deadlines: made.Deadlines!.logGroup,
    };
    this.queues = { crawl: plain.queue, browserCrawl: browser.queue, parse: parseQueue };
    this.dlqs = [plain.dlq, browser.dlq, parseDlq];

    plain.queue.grantSendMessages(dispatch);
    browser.queue.grantSendMessages(dispatch);
    // One reference to the secret for both crawlers (a construct id per function collided: both are 'Function').
    const proxySecret = props.egressProxySecretName
      ? secretsmanager.Secret.fromSecretNameV2(this, 'EgressProxySecret', props.egressProxySecretName)
      : undefined;
    for (const [fn, q, maxConcurrency] of [
      [crawl, plain.queue, MAX_CONCURRENCY.crawl],
      [browserCrawl, browser.queue, MAX_CONCURRENCY.browserCrawl],
    ] as const) {
      fn.addEventSource(new SqsEventSource(q, { batchSize: 5, reportBatchItemFailures: true, maxConcurrency }));
      // Least privilege: read and add captures, and the reports already read (parsed/: shared/parse-cache.ts); the
      // only deletion is of the crawler's own upload staging keys (tmp/), never of an archived capture.
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [props.bucket.arnForObjects('blobs/*'), props.bucket.arnForObjects('tmp/*'), props.bucket.arnForObjects('parsed/*')],
        }),
      );
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [props.bucket.arnForObjects('tmp/*')] }));
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.bucket.bucketArn] })); // a missing key answers 404, not 403
      props.table.grantReadWriteData(fn);
      props.topic.grantPublish(fn);
      if (proxySecret)
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [`${proxySecret.secretArn}-??????`] }));
    }
    props.table.grantReadWriteData(deadlines);
    props.topic.grantPublish(deadlines);

    props.crawlSchedules.forEach((expression, i) => {
      new scheduler.Schedule(this, `CrawlSchedule${i + 1}`, {
        description: `nianbao crawl of every body (${expression}, Asia/Shanghai)`,
        schedule: scheduler.ScheduleExpression.expression(expression, TimeZone.ASIA_SHANGHAI),
        target: new targets.LambdaInvoke(dispatch, {
          retryAttempts: 2,
          input: scheduler.ScheduleTargetInput.fromObject({ time: '<aws.scheduler.scheduled-time>' }),
        }),
      });
    });
    new scheduler.Schedule(this, 'DeadlineSchedule', {
      description: `nianbao daily deadline check and delivery, after the day's crawl (${props.deadlineSchedule}, Asia/Shanghai)`,
      schedule: scheduler.ScheduleExpression.expression(props.deadlineSchedule, TimeZone.ASIA_SHANGHAI),
      target: new targets.LambdaInvoke(deadlines, { retryAttempts: 2 }),
    });
  }
}
