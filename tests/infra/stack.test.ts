/**
 * The CDK stack's template (aws-cdk-lib/assertions; bundling skipped): every property the deployment
 * promises, least-privilege IAM per function, and cdk-nag's AwsSolutions pack passing (synth fails on an
 * unacknowledged finding). Object Lock and versioning are asserted here because no emulator has them.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { DEFAULT_SCHEDULES } from '../../infra/config.ts';
import { tableDefinition } from '../../shared/store/table.ts';

const synth = (context: Record<string, unknown> = {}, env?: { region: string }) => {
  if (env) process.env.CDK_DEFAULT_REGION = env.region;
  try {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
    const { stack } = buildApp(app);
    app.synth(); // runs cdk-nag: throws "Validation failed" on any unacknowledged finding
    return Template.fromStack(stack);
  } finally {
    delete process.env.CDK_DEFAULT_REGION;
  }
};

const t = synth({ alertEmail: 'watchdog@example.org', webhookSecretName: 'nianbao/webhooks', objectLockYears: '3', deadlineGraceDays: '7' });

/** The IAM actions granted to the role of the function whose logical id starts with `prefix`. */
function actionsOf(prefix: string): { actions: string[]; resources: string[] }[] {
  const policies = t.findResources('AWS::IAM::Policy');
  const out: { actions: string[]; resources: string[] }[] = [];
  for (const [id, p] of Object.entries(policies)) {
    if (!id.startsWith(prefix)) continue;
    for (const s of p.Properties.PolicyDocument.Statement) {
      out.push({ actions: [s.Action].flat(), resources: [s.Resource].flat().map((r: unknown) => JSON.stringify(r)) });
    }
  }
  return out;
}
const allActions = (prefix: string) => actionsOf(prefix).flatMap((s) => s.actions);

describe('archive bucket and table', () => {
  it('bucket: versioned, encrypted, TLS only, no public access, access-logged, lifecycle, Object Lock (governance), retained', () => {
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'archive/' }),
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 3 * 365 } } },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Id: 'noncurrent', NoncurrentVersionExpiration: { NoncurrentDays: 365 } }),
            Match.objectLike({ Id: 'uploads', Prefix: 'tmp/', ExpirationInDays: 1 }),
            Match.objectLike({ Id: 'exports', Prefix: 'exports/', ExpirationInDays: 30 }),
          ]),
        },
      }),
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('Object Lock is off by default', () => {
    const plain = synth();
    for (const b of Object.values(plain.findResources('AWS::S3::Bucket'))) expect(b.Properties.ObjectLockEnabled).toBeUndefined();
  });

  it('table: the store’s own keys and indexes, on-demand, PITR, deletion protection, retained', () => {
    const def = tableDefinition();
    t.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: def.KeySchema,
        // Projections as the store defines them: no index carries a capture record (≈5.6 KB a fetch).
        GlobalSecondaryIndexes: def.GlobalSecondaryIndexes!.map((g) => Match.objectLike({ IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: g.Projection!.NonKeyAttributes } })),
        Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true })],
      }),
    });
  });
});

describe('crawling', () => {
  it('two FIFO crawl queues, each with a FIFO dead-letter queue after 3 receives, encrypted', () => {
    const queues = Object.values(t.findResources('AWS::SQS::Queue')).map((q) => q.Properties);
    expect(queues).toHaveLength(4);
    for (const q of queues) {
      expect(q.FifoQueue).toBe(true);
      expect(q.SqsManagedSseEnabled).toBe(true);
    }
    const withRedrive = queues.filter((q) => q.RedrivePolicy);
    expect(withRedrive).toHaveLength(2);
    for (const q of withRedrive) {
      expect(q.RedrivePolicy.maxReceiveCount).toBe(3);
      expect(q.DeduplicationScope).toBe('messageGroup');
      expect(q.VisibilityTimeout).toBe(3600);
    }
  });

  it('functions: nodejs22.x; crawl on arm64, browser-crawl on x86_64 with ≥1600 MB and the Chromium layer', () => {
    const fns = Object.entries(t.findResources('AWS::Lambda::Function')).filter(([, f]) => f.Properties.Runtime?.startsWith('nodejs'));
    for (const [, f] of fns.filter(([id]) => !id.includes('LogRetention'))) expect(f.Properties.Runtime).toBe('nodejs22.x');
    const byId = (prefix: string) => fns.find(([id]) => id.startsWith(prefix))![1].Properties;
    expect(byId('CrawlingCrawlFunction').Architectures).toEqual(['arm64']);
    const browser = byId('CrawlingBrowserCrawlFunction');
    expect(browser.Architectures).toEqual(['x86_64']);
    expect(browser.MemorySize).toBeGreaterThanOrEqual(1600);
    expect(browser.Layers).toHaveLength(2);
    const layers = t.findResources('AWS::Lambda::LayerVersion');
    const chromium = Object.entries(layers).find(([id]) => id.startsWith('ChromiumLayer'))![1];
    expect(chromium.Properties.CompatibleArchitectures).toEqual(['x86_64']);
    expect(chromium.Properties.Description).toMatch(/@sparticuz\/chromium@147\.0\.0.*playwright-core@1\.59\.1|playwright-core@1\.59\.1.*@sparticuz\/chromium@147\.0\.0/);
    expect(byId('CrawlingDispatchFunction').Environment.Variables).toMatchObject({ NIANBAO_REGISTRY: '/var/task/portals.yaml', NIANBAO_QUEUE_URL: expect.anything(), NIANBAO_BROWSER_QUEUE_URL: expect.anything() });
    expect(byId('CrawlingCrawlFunction').Environment.Variables.NIANBAO_GRACE_DAYS).toBe('7');
  });

  it('SQS event sources report partial batch failures', () => {
    const mappings = Object.values(t.findResources('AWS::Lambda::EventSourceMapping')).map((m) => m.Properties);
    expect(mappings).toHaveLength(2);
    for (const m of mappings) expect(m.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  it('schedules in Asia/Shanghai: daily January–April and weekly otherwise, plus the daily deadline check', () => {
    const schedules = Object.values(t.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties);
    expect(schedules.map((s) => s.ScheduleExpression).sort()).toEqual([...DEFAULT_SCHEDULES, 'cron(30 9 * * ? *)'].sort());
    for (const s of schedules) expect(s.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
    expect(schedules.filter((s) => s.Target.RetryPolicy.MaximumRetryAttempts === 2)).toHaveLength(3);
  });

  it('least privilege: the crawler adds captures but can delete only its own staging keys; deadlines touch no S3', () => {
    const crawl = actionsOf('CrawlingCrawlFunctionServiceRoleDefaultPolicy');
    const deletes = crawl.filter((s) => s.actions.includes('s3:DeleteObject'));
    expect(deletes).toHaveLength(1);
    expect(deletes[0]!.resources.join()).toContain('/tmp/*');
    expect(deletes[0]!.resources.join()).not.toContain('/blobs/*');
    expect(allActions('CrawlingCrawlFunctionServiceRoleDefaultPolicy')).not.toContain('s3:DeleteObjectVersion');
    expect(allActions('CrawlingCrawlFunctionServiceRoleDefaultPolicy').some((a) => a.startsWith('s3:PutBucket') || a === 's3:*')).toBe(false);
    expect(allActions('CrawlingDeadlinesFunctionServiceRoleDefaultPolicy').some((a) => a.startsWith('s3:'))).toBe(false);
    expect(allActions('CrawlingDispatchFunctionServiceRoleDefaultPolicy').every((a) => a.startsWith('sqs:') || a.startsWith('kms:'))).toBe(true);
    // The plain crawler may hand a body to the browser queue; the browser crawler hands nothing on.
    expect(allActions('CrawlingCrawlFunctionServiceRoleDefaultPolicy')).toContain('sqs:SendMessage');
    expect(allActions('CrawlingBrowserCrawlFunctionServiceRoleDefaultPolicy')).not.toContain('sqs:SendMessage');
  });
});

describe('parsing', () => {
  it('objects created under blobs/ invoke the parse function, which reads the archive and writes only the table', () => {
    t.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [Match.objectLike({ Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'blobs/' }] } } })],
      },
    });
    const s3Actions = allActions('CrawlingParseFunctionServiceRoleDefaultPolicy').filter((a) => a.startsWith('s3:'));
    expect(s3Actions.sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    const parse = Object.entries(t.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('CrawlingParseFunction'))![1].Properties;
    expect(parse.Layers).toHaveLength(1); // the report readers (pdfjs-dist, mammoth, word-extractor)
  });
});

describe('alerts and monitoring', () => {
  it('an SNS topic (TLS only) with the email subscription from context, and the notify function reading the webhook secret', () => {
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'watchdog@example.org' });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda' });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });
    const notify = actionsOf('AlertsNotifyFunctionServiceRoleDefaultPolicy');
    expect(notify.flatMap((s) => s.actions)).toEqual(['secretsmanager:GetSecretValue']);
    expect(notify[0]!.resources.join()).toContain('secret:nianbao/webhooks-??????');
  });

  it('without alertEmail and webhookSecretName there is no subscription and no notify function', () => {
    const bare = synth();
    expect(Object.keys(bare.findResources('AWS::SNS::Subscription'))).toHaveLength(0);
    expect(Object.keys(bare.findResources('AWS::Lambda::Function')).some((id) => id.startsWith('AlertsNotify'))).toBe(false);
  });

  it('alarms on DLQ depth and on every function’s errors and throttles, to the alerts topic', () => {
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const metric = (name: string) => alarms.filter((a) => a.MetricName === name);
    expect(metric('ApproximateNumberOfMessagesVisible')).toHaveLength(2);
    expect(metric('Errors')).toHaveLength(7); // dispatch, crawl, browser-crawl, parse, deadlines, archive-api, notify
    expect(metric('Throttles')).toHaveLength(7);
    for (const a of alarms) expect(a.AlarmActions).toHaveLength(1);
  });
});

describe('archive API', () => {
  it('every route is IAM-authorized; access logs on; the function reads the table and writes only exports', () => {
    const routes = Object.values(t.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(['GET /bodies', 'GET /bodies/{id}/reports', 'GET /captures', 'GET /captures/{id}/download', 'POST /exports']);
    for (const r of routes) expect(r.AuthorizationType).toBe('AWS_IAM');
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }) });
    const api = actionsOf('ArchiveApiHandlerFunctionServiceRoleDefaultPolicy');
    const actions = api.flatMap((s) => s.actions);
    expect(actions.filter((a) => a.startsWith('dynamodb:') && /Put|Update|Delete|Write/.test(a))).toEqual([]);
    const puts = api.filter((s) => s.actions.includes('s3:PutObject'));
    expect(puts.map((s) => s.resources.join())).toEqual([expect.stringContaining('/exports/*')]);
    expect(actions).not.toContain('s3:DeleteObject');
  });
});

describe('cdk-nag', () => {
  it('is active: an unacknowledged finding (a queue without a DLQ or TLS policy) fails the synth', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const { stack } = buildApp(app);
    new sqs.Queue(stack, 'Careless');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3|SQS queue is not used as a dead-letter queue/);
  });
});

describe('context and regions', () => {
  it('bad context values stop the synth with the value and what was expected', () => {
    expect(() => synth({ alertEmail: 'not-an-email' })).toThrow(/alertEmail=not-an-email: expected an email address/);
    expect(() => synth({ objectLockYears: '-1' })).toThrow(/objectLockYears=-1: expected a whole number/);
    expect(() => synth({ crawlSchedules: 'every day' })).toThrow(/crawlSchedules: "every day"/);
    expect(() => synth({ registry: '/nonexistent/portals.yaml' })).toThrow(/registry=\/nonexistent\/portals.yaml: no such file/);
  });

  it('synthesizes for the aws-cn partition and ap-east-1 (partition-relative ARNs)', () => {
    for (const region of ['cn-north-1', 'cn-northwest-1', 'ap-east-1']) {
      const tpl = synth({}, { region });
      expect(JSON.stringify(tpl.toJSON())).not.toContain('arn:aws:');
    }
  });
});
