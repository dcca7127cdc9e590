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
import { DEFAULT_DEADLINE_SCHEDULE, DEFAULT_SCHEDULES, DEFAULT_SITE_SCHEDULE } from '../../infra/config.ts';
import { MAX_CONCURRENCY } from '../../infra/constructs/crawling.ts';
import { tableDefinition } from '../../shared/store/table.ts';
import { KEPT_REPORT_DAYS } from '../../shared/parse-cache.ts';

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

const t = synth({
  alertEmail: 'watchdog@example.org',
  operatorEmail: 'operator@example.org',
  webhookSecretName: 'nianbao/webhooks',
  objectLockYears: '3',
  deadlineGraceDays: '7',
});

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
            Match.objectLike({ Id: 'parsed', Prefix: 'parsed/', ExpirationInDays: KEPT_REPORT_DAYS }),
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
        GlobalSecondaryIndexes: def.GlobalSecondaryIndexes!.map((g) =>
          Match.objectLike({
            IndexName: g.IndexName,
            KeySchema: g.KeySchema,
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: g.Projection!.NonKeyAttributes },
          }),
        ),
        Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true })],
      }),
    });
  });
});

describe('crawling', () => {
  it('two FIFO crawl queues and a parse queue, each with a dead-letter queue after 3 receives, encrypted, TLS only', () => {
    const queues = Object.entries(t.findResources('AWS::SQS::Queue')).map(([id, q]) => ({ id, ...q.Properties }));
    expect(queues).toHaveLength(6);
    for (const q of queues) expect(q.SqsManagedSseEnabled).toBe(true);
    expect(queues.filter((q) => q.FifoQueue)).toHaveLength(4);
    const withRedrive = queues.filter((q) => q.RedrivePolicy);
    expect(withRedrive).toHaveLength(3);
    for (const q of withRedrive) expect(q.RedrivePolicy.maxReceiveCount).toBe(3);
    for (const q of withRedrive.filter((q) => q.FifoQueue)) {
      expect(q.DeduplicationScope).toBe('messageGroup');
      expect(q.VisibilityTimeout).toBe(3600);
    }
    const parse = queues.find((q) => q.id.startsWith('CrawlingParseQueue') && !q.id.includes('Dlq'))!;
    expect(parse.FifoQueue).toBeUndefined();
    expect(parse.DelaySeconds).toBe(900); // the crawl has parsed what it archived by then
    expect(parse.VisibilityTimeout).toBe(1800);
    expect(Object.keys(t.findResources('AWS::SQS::QueuePolicy')).length).toBeGreaterThanOrEqual(6); // TLS only (and S3 → parse queue)
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
    expect(chromium.Properties.Description).toMatch(
      /@sparticuz\/chromium@147\.0\.0.*playwright-core@1\.59\.1|playwright-core@1\.59\.1.*@sparticuz\/chromium@147\.0\.0/,
    );
    expect(byId('CrawlingDispatchFunction').Environment.Variables).toMatchObject({
      NIANBAO_REGISTRY: '/var/task/portals.yaml',
      NIANBAO_QUEUE_URL: expect.anything(),
      NIANBAO_BROWSER_QUEUE_URL: expect.anything(),
    });
    expect(byId('CrawlingCrawlFunction').Environment.Variables.NIANBAO_GRACE_DAYS).toBe('7');
  });

  it('SQS event sources report partial batch failures and cap their concurrency', () => {
    const mappings = Object.values(t.findResources('AWS::Lambda::EventSourceMapping')).map((m) => m.Properties);
    expect(mappings).toHaveLength(3);
    for (const m of mappings) {
      expect(m.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(m.ScalingConfig.MaximumConcurrency).toBeGreaterThanOrEqual(2);
    }
    expect(mappings.map((m) => m.ScalingConfig.MaximumConcurrency).sort((a, b) => a - b)).toEqual(Object.values(MAX_CONCURRENCY).sort((a, b) => a - b));
  });

  it('schedules in Asia/Shanghai: daily January–April and weekly otherwise, plus the daily deadline check and the dashboard after it', () => {
    const schedules = Object.values(t.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties);
    const invoking = schedules.filter((s) => s.Target.Arn['Fn::GetAtt']);
    expect(invoking.map((s) => s.ScheduleExpression).sort()).toEqual([...DEFAULT_SCHEDULES, DEFAULT_DEADLINE_SCHEDULE, DEFAULT_SITE_SCHEDULE].sort());
    for (const s of schedules) expect(s.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
    expect(invoking.filter((s) => s.Target.RetryPolicy.MaximumRetryAttempts === 2)).toHaveLength(3);
    // The deadline check runs after the day's crawl (10:00), not before it; the dashboard after the deadline check.
    const minutes = (cron: string) => Number(cron.split(' ')[1]) * 60 + Number(cron.split(' ')[0]!.replace('cron(', ''));
    expect(minutes(DEFAULT_DEADLINE_SCHEDULE)).toBeGreaterThan(minutes(DEFAULT_SCHEDULES[0]!));
    expect(minutes(DEFAULT_SITE_SCHEDULE)).toBeGreaterThan(minutes(DEFAULT_DEADLINE_SCHEDULE));
  });

  it('least privilege: the crawler adds captures but can delete only its own staging keys; deadlines touch no S3', () => {
    const crawl = actionsOf('CrawlingCrawlFunctionServiceRoleDefaultPolicy');
    const deletes = crawl.filter((s) => s.actions.includes('s3:DeleteObject'));
    expect(deletes).toHaveLength(1);
    expect(deletes[0]!.resources.join()).toContain('/tmp/*');
    expect(deletes[0]!.resources.join()).not.toContain('/blobs/*');
    expect(deletes[0]!.resources.join()).not.toContain('/parsed/*');
    // Both crawlers read and keep the reports already read (shared/parse-cache.ts), under parsed/ only.
    for (const role of ['CrawlingCrawlFunctionServiceRoleDefaultPolicy', 'CrawlingBrowserCrawlFunctionServiceRoleDefaultPolicy']) {
      const keeps = actionsOf(role).filter((s) => s.actions.includes('s3:PutObject'));
      expect(keeps.map((s) => s.resources.join()).join(), role).toContain('/parsed/*');
    }
    expect(allActions('CrawlingCrawlFunctionServiceRoleDefaultPolicy')).not.toContain('s3:DeleteObjectVersion');
    expect(allActions('CrawlingCrawlFunctionServiceRoleDefaultPolicy').some((a) => a.startsWith('s3:PutBucket') || a === 's3:*')).toBe(false);
    expect(allActions('CrawlingDeadlinesFunctionServiceRoleDefaultPolicy').some((a) => a.startsWith('s3:'))).toBe(false);
    expect(allActions('CrawlingDispatchFunctionServiceRoleDefaultPolicy').every((a) => a.startsWith('sqs:') || a.startsWith('kms:'))).toBe(true);
    // The plain crawler may hand a body to the browser queue; the browser crawler hands nothing on.
    expect(allActions('CrawlingCrawlFunctionServiceRoleDefaultPolicy')).toContain('sqs:SendMessage');
    expect(allActions('CrawlingBrowserCrawlFunctionServiceRoleDefaultPolicy')).not.toContain('sqs:SendMessage');
  });
});

describe('egress proxy (regions outside mainland China)', () => {
  it('synthesizes with egressProxySecretName: both crawlers — plain and browser — may read the one secret', () => {
    const withProxy = synth({ egressProxySecretName: 'nianbao/proxy' });
    const policies = withProxy.findResources('AWS::IAM::Policy');
    for (const prefix of ['CrawlingCrawlFunctionServiceRoleDefaultPolicy', 'CrawlingBrowserCrawlFunctionServiceRoleDefaultPolicy']) {
      const statements = Object.entries(policies)
        .filter(([id]) => id.startsWith(prefix))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      const read = statements.filter((st: { Action: string | string[] }) => [st.Action].flat().includes('secretsmanager:GetSecretValue'));
      expect(read, prefix).toHaveLength(1);
      expect(JSON.stringify(read[0].Resource)).toContain('secret:nianbao/proxy-??????');
    }
    const fns = Object.entries(withProxy.findResources('AWS::Lambda::Function'));
    for (const id of ['CrawlingCrawlFunction', 'CrawlingBrowserCrawlFunction'])
      expect(fns.find(([k]) => k.startsWith(id))![1].Properties.Environment.Variables.NIANBAO_PROXY_SECRET).toBe('nianbao/proxy');
  });
});

describe('parsing', () => {
  it('objects created under blobs/ reach the parse queue (then the parse function), which reads the archive and writes only the table and parsed/', () => {
    t.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: [Match.objectLike({ Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'blobs/' }] } } })],
      },
    });
    expect(JSON.stringify(t.findResources('Custom::S3BucketNotifications'))).not.toContain('LambdaFunctionConfigurations');
    t.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: Match.arrayWith(['sqs:SendMessage']) }),
        ]),
      },
    });
    const s3 = actionsOf('CrawlingParseFunctionServiceRoleDefaultPolicy').filter((s) => s.actions.some((a) => a.startsWith('s3:')));
    expect([...new Set(s3.flatMap((s) => s.actions))].sort()).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    // It writes only the reports it read (parsed/), never a capture.
    for (const s of s3.filter((x) => x.actions.includes('s3:PutObject'))) expect(s.resources.join()).toContain('/parsed/*');
    expect(
      s3
        .filter((x) => x.actions.includes('s3:PutObject'))
        .flatMap((x) => x.resources)
        .join(),
    ).not.toContain('blobs');
    const parse = Object.entries(t.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('CrawlingParseFunction'))![1].Properties;
    expect(parse.Layers).toHaveLength(1); // the report readers (pdfjs-dist, mammoth, word-extractor)
  });
});

describe('alerts and monitoring', () => {
  it('an SNS topic (TLS only) with the email subscription from context, and the notify function reading the webhook secret', () => {
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'watchdog@example.org' });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda' });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    const notify = actionsOf('AlertsNotifyFunctionServiceRoleDefaultPolicy');
    expect(notify.flatMap((s) => s.actions)).toEqual(['secretsmanager:GetSecretValue']);
    expect(notify[0]!.resources.join()).toContain('secret:nianbao/webhooks-??????');
  });

  it('without alertEmail and webhookSecretName there is no subscription and no notify function', () => {
    const bare = synth();
    expect(Object.keys(bare.findResources('AWS::SNS::Subscription'))).toHaveLength(0);
    expect(Object.keys(bare.findResources('AWS::Lambda::Function')).some((id) => id.startsWith('AlertsNotify'))).toBe(false);
  });

  it('alarms on DLQ depth and on every function’s errors and throttles, to the operators’ topic — which CloudWatch may publish to', () => {
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const metric = (name: string) => alarms.filter((a) => a.MetricName === name);
    expect(metric('ApproximateNumberOfMessagesVisible')).toHaveLength(3);
    expect(metric('Errors')).toHaveLength(8); // dispatch, crawl, browser-crawl, parse, deadlines, archive-api, site, notify
    expect(metric('Throttles')).toHaveLength(8);
    // Damaged stored records, summed over the functions that count them.
    const damaged = alarms.filter((a) => String(a.AlarmDescription).includes('could not be read'));
    expect(damaged).toHaveLength(1);
    const metrics = (damaged[0].Metrics as { Id: string; MetricStat?: { Metric: { MetricName: string; Dimensions: { Value: string }[] } } }[])
      .filter((x) => x.MetricStat)
      .map((x) => `${x.MetricStat!.Metric.MetricName} ${x.MetricStat!.Metric.Dimensions[0]!.Value}`);
    expect(metrics.sort()).toEqual(['browser-crawl', 'crawl', 'deadlines', 'site'].map((s) => `StoredRecordsDamaged ${s}`));
    // Our own network down: the crawl batches say so (OurOutages), and nothing else would tell the operator.
    const down = alarms.filter((a) => String(a.AlarmDescription).includes('our network looks down'));
    expect(down).toHaveLength(1);
    const outageInputs = (down[0].Metrics as { MetricStat?: { Metric: { MetricName: string; Dimensions: { Value: string }[] } } }[])
      .filter((x) => x.MetricStat)
      .map((x) => `${x.MetricStat!.Metric.MetricName} ${x.MetricStat!.Metric.Dimensions[0]!.Value}`);
    expect(outageInputs.sort()).toEqual(['OurOutages browser-crawl', 'OurOutages crawl']);
    const topics = t.findResources('AWS::SNS::Topic');
    const operator = Object.keys(topics).find((id) => id.startsWith('MonitoringOperatorTopic'))!;
    const alertsTopic = Object.keys(topics).find((id) => id.startsWith('AlertsTopic'))!;
    for (const a of alarms) {
      expect(a.AlarmActions).toEqual([{ Ref: operator }]);
      expect(JSON.stringify(a)).not.toContain(alertsTopic);
    }
    // The operators' topic policy allows CloudWatch to publish (enforceSSL alone leaves only a Deny).
    const policies = Object.values(t.findResources('AWS::SNS::TopicPolicy')).filter((p) => JSON.stringify(p.Properties.Topics).includes(operator));
    expect(policies).toHaveLength(1);
    const statements = policies[0]!.Properties.PolicyDocument.Statement as {
      Effect: string;
      Principal?: { Service?: string };
      Action: string | string[];
      Condition?: Record<string, unknown>;
    }[];
    const allow = statements.find((s) => s.Effect === 'Allow' && s.Principal?.Service === 'cloudwatch.amazonaws.com')!;
    expect([allow.Action].flat()).toEqual(['sns:Publish']);
    expect(allow.Condition).toMatchObject({ StringEquals: { 'aws:SourceAccount': expect.anything() }, ArnLike: { 'aws:SourceArn': expect.anything() } });
    expect(statements.some((s) => s.Effect === 'Deny')).toBe(true);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'operator@example.org', TopicArn: { Ref: operator } });
  });

  it('a crawl heartbeat: no crawl completed in 26 h alarms — its actions switched on in season (January–April) and off after', () => {
    const alarms = Object.entries(t.findResources('AWS::CloudWatch::Alarm'))
      .filter(([id]) => id.includes('CrawlHeartbeat'))
      .map(([, a]) => a.Properties);
    expect(alarms).toHaveLength(1);
    const hb = alarms[0]!;
    expect(hb).toMatchObject({
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      TreatMissingData: 'breaching',
      ActionsEnabled: false,
    });
    const expression = hb.Metrics.find((m: { Expression?: string }) => m.Expression);
    expect(expression.Expression).toMatch(/FILL\(c0, 0\) \+ FILL\(c1, 0\)/);
    const inputs = hb.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat);
    expect(
      inputs.map((m: { MetricStat: { Metric: { MetricName: string; Dimensions: { Value: string }[] }; Period: number } }) => [
        m.MetricStat.Metric.MetricName,
        m.MetricStat.Metric.Dimensions[0]!.Value,
        m.MetricStat.Period,
      ]),
    ).toEqual([
      ['CrawlsCompleted', 'crawl', 26 * 3600],
      ['CrawlsCompleted', 'browser-crawl', 26 * 3600],
    ]);
    const season = Object.values(t.findResources('AWS::Scheduler::Schedule'))
      .map((s) => s.Properties)
      .filter((s) => JSON.stringify(s.Target.Arn).includes('cloudwatch'));
    expect(season.map((s) => [s.ScheduleExpression, JSON.stringify(s.Target.Arn).match(/cloudwatch:(\w+)/)![1]]).sort()).toEqual([
      ['cron(5 0 * 1-4 ? *)', 'enableAlarmActions'],
      ['cron(5 0 * 5-12 ? *)', 'disableAlarmActions'],
    ]);
    // The input names the heartbeat alarm (a reference resolved at deploy).
    for (const s of season) expect(JSON.stringify(s.Target.Input)).toMatch(/AlarmNames.*MonitoringCrawlHeartbeat/);
  });

  it('one CloudWatch dashboard: outcomes, deferred, parsed, unread, alerts, fetch time (per host from the logs), queues, errors', () => {
    const dashboards = Object.values(t.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
    for (const name of [
      'BodiesCrawled',
      'BodiesDeferred',
      'CrawlsCompleted',
      'ReportsParsed',
      'UnreadCells',
      'AlertsOpened',
      'AlertsDelivered',
      'FetchTime',
      'ApproximateAgeOfOldestMessage',
      'Errors',
    ])
      expect(body).toContain(name);
    expect(body).toMatch(/filter message = .{0,8}fetches.{0,8}\\n\| stats .* by host/);
  });
});

describe('archive API', () => {
  it('every route is IAM-authorized; access logs on; the function reads the table, writes alert items only, and S3 only under exports/', () => {
    const routes = Object.values(t.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual([
      'GET /alerts',
      'GET /bodies',
      'GET /bodies/{id}/reports',
      'GET /captures',
      'GET /captures/{id}/download',
      'GET /figures',
      'GET /findings',
      'GET /states',
      'POST /alerts/{id}/dismiss',
      'POST /exports',
    ]);
    for (const r of routes) expect(r.AuthorizationType).toBe('AWS_IAM');
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }) });
    const api = actionsOf('ArchiveApiHandlerFunctionServiceRoleDefaultPolicy');
    const actions = api.flatMap((s) => s.actions);
    // The one table write (a dismissal) is of alert items only.
    expect(actions.filter((a) => a.startsWith('dynamodb:') && /Put|Update|Delete|Write/.test(a))).toEqual(['dynamodb:PutItem']);
    const policy = Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('ArchiveApiHandlerFunctionServiceRoleDefaultPolicy'))![1];
    const put = policy.Properties.PolicyDocument.Statement.find((x: { Action: unknown }) => x.Action === 'dynamodb:PutItem');
    expect(put.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ALERT#*'] } });
    const puts = api.filter((s) => s.actions.includes('s3:PutObject'));
    expect(puts.map((s) => s.resources.join())).toEqual([expect.stringContaining('/exports/*')]);
    expect(actions).not.toContain('s3:DeleteObject');
  });
});

describe('the dashboard (static site)', () => {
  it('private by default: its own bucket (never the archive), no CloudFront; the writer reads the table and writes only site/', () => {
    expect(Object.keys(t.findResources('AWS::CloudFront::Distribution'))).toEqual([]);
    const writer = actionsOf('SiteWriterFunctionServiceRoleDefaultPolicy');
    const actions = writer.flatMap((s) => s.actions);
    expect(actions.filter((a) => a.startsWith('dynamodb:') && /Put|Update|Delete|Write/.test(a))).toEqual([]);
    const s3 = writer.filter((s) => s.actions.some((a) => a.startsWith('s3:')));
    expect(s3.flatMap((x) => x.actions).sort()).toEqual(['s3:DeleteObject', 's3:ListBucket', 's3:PutObject']);
    for (const x of s3) expect(x.resources.join()).toContain('SiteBucket');
    expect(s3.find((x) => x.actions.includes('s3:PutObject'))!.resources.join()).toContain('/site/*');
    const fn = Object.entries(t.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('SiteWriterFunction'))![1].Properties;
    expect(fn.Environment.Variables.NIANBAO_SITE_ASSETS).toBe('/var/task/assets');
    expect(fn.Timeout).toBe(900);
  });

  it('-c site=public: CloudFront with Origin Access Control on site/, HTTPS only, the dashboard’s CSP, logged, cdk-nag clean', () => {
    const pub = synth({ site: 'public' });
    const dist = Object.values(pub.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    expect(dist.DefaultRootObject).toBe('index.html');
    expect(dist.Origins[0].OriginPath).toBe('/site');
    expect(dist.Origins[0].OriginAccessControlId).toBeDefined();
    expect(dist.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(dist.Logging.Prefix).toBe('cloudfront/');
    pub.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const headers = Object.values(pub.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0]!.Properties.ResponseHeadersPolicyConfig;
    expect(headers.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy).toContain("script-src 'self'");
    // Only CloudFront (this distribution) may read the site bucket, and only its objects.
    const policies = Object.values(pub.findResources('AWS::S3::BucketPolicy')).map((p) => JSON.stringify(p.Properties));
    const site = policies.find((p) => p.includes('cloudfront.amazonaws.com'))!;
    expect(site).toContain('SiteBucket');
    expect(site).toContain('AWS:SourceArn');
    expect(site).not.toContain('ArchiveBucket');
  });

  it('a custom domain gets TLS 1.2 (2021 policy); half a domain setting is refused', () => {
    const arn = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
    const custom = synth({ site: 'public', siteDomain: 'nianbao.example.org', siteCertificateArn: arn });
    const dist = Object.values(custom.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    expect(dist.Aliases).toEqual(['nianbao.example.org']);
    expect(dist.ViewerCertificate.MinimumProtocolVersion).toBe('TLSv1.2_2021');
    expect(() => synth({ site: 'public', siteDomain: 'nianbao.example.org' })).toThrow(/give both or neither/);
    expect(() => synth({ site: 'open' })).toThrow(/site=open: expected private or public/);
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
    expect(() => synth({ canaryUrls: 'www.gov.cn' })).toThrow(/canaryUrls=www.gov.cn: canary "www.gov.cn": not an http\(s\) URL/);
  });

  it('canaryUrls reaches both crawl functions; unset, they use their default', () => {
    const env = (tpl: Template, prefix: string) =>
      Object.entries(tpl.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith(prefix))![1].Properties.Environment.Variables;
    const set = synth({ canaryUrls: 'https://www.gov.cn/,http://www.beijing.gov.cn/' });
    for (const fn of ['CrawlingCrawlFunction', 'CrawlingBrowserCrawlFunction'])
      expect(env(set, fn).NIANBAO_CANARY_URLS, fn).toBe('https://www.gov.cn/,http://www.beijing.gov.cn/');
    expect(env(t, 'CrawlingCrawlFunction').NIANBAO_CANARY_URLS).toBeUndefined();
  });

  it('synthesizes for the aws-cn partition and ap-east-1 (partition-relative ARNs)', () => {
    for (const region of ['cn-north-1', 'cn-northwest-1', 'ap-east-1']) {
      const tpl = synth({}, { region });
      expect(JSON.stringify(tpl.toJSON())).not.toContain('arn:aws:');
    }
  });
});
