/** The nianbao stack: archive, alerts, crawling, archive API and alarms (docs/architecture.md §7). */
import { join } from 'node:path';
import { CfnOutput, Stack, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { NianbaoConfig } from './config.ts';
import { Alerts } from './constructs/alerts.ts';
import { ArchiveApi } from './constructs/api.ts';
import { Archive } from './constructs/archive.ts';
import { Crawling } from './constructs/crawling.ts';
import { LAYER_PACKAGES, PROJECT_ROOT } from './constructs/function.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { Site } from './constructs/site.ts';
import { packageLayer } from './layers.ts';

export interface NianbaoStackProps extends StackProps {
  config: NianbaoConfig;
}

export class NianbaoStack extends Stack {
  constructor(scope: Construct, id: string, props: NianbaoStackProps) {
    super(scope, id, props);
    const { config } = props;
    const nodeModules = join(PROJECT_ROOT, 'node_modules');
    const archive = new Archive(this, 'Archive', { objectLockYears: config.objectLockYears });
    const alerts = new Alerts(this, 'Alerts', { alertEmail: config.alertEmail, webhookSecretName: config.webhookSecretName, registry: config.registry });
    const parsersLayer = packageLayer(this, 'ParsersLayer', {
      packages: [...LAYER_PACKAGES.parsers],
      nodeModules,
      architectures: [lambda.Architecture.ARM_64, lambda.Architecture.X86_64],
      description: 'nianbao report readers',
    });
    const chromiumLayer = packageLayer(this, 'ChromiumLayer', {
      packages: [...LAYER_PACKAGES.chromium],
      nodeModules,
      architectures: [lambda.Architecture.X86_64],
      description: 'nianbao headless Chromium',
    });
    const crawling = new Crawling(this, 'Crawling', {
      bucket: archive.bucket,
      table: archive.table,
      topic: alerts.topic,
      registry: config.registry,
      crawlSchedules: config.crawlSchedules,
      deadlineSchedule: config.deadlineSchedule,
      deadlineGraceDays: config.deadlineGraceDays,
      egressProxySecretName: config.egressProxySecretName,
      canaryUrls: config.canaryUrls,
      parsersLayer,
      chromiumLayer,
    });
    const api = new ArchiveApi(this, 'ArchiveApi', { bucket: archive.bucket, table: archive.table, registry: config.registry });
    const site = new Site(this, 'Site', {
      table: archive.table,
      archiveBucketName: archive.bucket.bucketName,
      logs: archive.logs,
      registry: config.registry,
      schedule: config.siteSchedule,
      exposure: config.site,
      domainName: config.siteDomain,
      certificateArn: config.siteCertificateArn,
    });
    const monitoring = new Monitoring(this, 'Monitoring', {
      functions: { ...crawling.functions, archiveApi: api.fn, site: site.fn, ...(alerts.notify ? { notify: alerts.notify } : {}) },
      crawlers: ['crawl', 'browser-crawl'],
      crawlLogGroups: [crawling.logGroups.crawl, crawling.logGroups.browserCrawl],
      dlqs: crawling.dlqs,
      queues: crawling.queues,
      operatorEmail: config.operatorEmail,
    });

    // Findings acknowledged for the whole stack, each with its reason (cdk-nag AwsSolutions).
    const arn = (c: Construct) => `<${this.getLogicalId(c.node.defaultChild as CfnElement)}.Arn>`;
    const wildcard = (resource: string, reason: string) => ({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`, reason });
    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'AWSLambdaBasicExecutionRole only allows a function to write its own CloudWatch logs.',
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'nodejs22.x is the runtime nianbao is built and tested for (docs/architecture.md §7); newer runtimes are adopted deliberately.',
      },
      wildcard(`${arn(archive.bucket)}/blobs/*`, 'Captures are content-addressed objects under blobs/sha256/<hex>: their keys are not known in advance.'),
      wildcard(`${arn(archive.bucket)}/tmp/*`, 'Streamed uploads are staged under tmp/<uuid>.part before their sha256 is known (expired after a day).'),
      wildcard(`${arn(archive.bucket)}/exports/*`, 'WARC/WACZ exports are written under exports/<date>/<uuid> (expired after 30 days).'),
      wildcard(
        `${arn(archive.bucket)}/parsed/*`,
        'Reports already read are kept under parsed/<parser>/<hash of the document and its options> (expired after 90 days).',
      ),
      wildcard(`${arn(archive.table)}/index/*`, 'The single table is queried through its GSI1–GSI3 (docs/store.md).'),
      wildcard(`${arn(crawling.functions.dispatch)}:*`, 'EventBridge Scheduler invokes the function (any published version, CDK default).'),
      wildcard(`${arn(crawling.functions.deadlines)}:*`, 'EventBridge Scheduler invokes the function (any published version, CDK default).'),
      wildcard(`${arn(site.fn)}:*`, 'EventBridge Scheduler invokes the function (any published version, CDK default).'),
      wildcard(`${arn(site.bucket)}/site/*`, 'The dashboard is one object per page under site/ (body/<id>.html, report/<id>/<year>.html …), written daily.'),
    );

    new CfnOutput(this, 'ArchiveBucket', { value: archive.bucket.bucketName });
    new CfnOutput(this, 'Table', { value: archive.table.tableName });
    new CfnOutput(this, 'AlertsTopic', { value: alerts.topic.topicArn });
    new CfnOutput(this, 'ArchiveApiUrl', { value: api.api.apiEndpoint });
    new CfnOutput(this, 'OperatorTopic', { value: monitoring.topic.topicArn });
    new CfnOutput(this, 'Dashboard', { value: monitoring.dashboard.dashboardName });
    new CfnOutput(this, 'SiteBucket', { value: site.bucket.bucketName, description: 'the dashboard as a static site, under site/' });
    if (site.distribution) new CfnOutput(this, 'SiteUrl', { value: `https://${config.siteDomain ?? site.distribution.distributionDomainName}/` });
  }
}
