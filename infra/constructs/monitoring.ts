/**
 * Operations: the operators' own SNS topic (CloudWatch may publish to it; the watchdogs' alerts topic is for
 * facts about reports and its webhook robots drop anything else), alarms on it — dead-letter queues, function
 * errors and throttles, and the crawl heartbeat — and one CloudWatch dashboard.
 */
import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The metrics namespace of functions/lib/observe.ts. */
const NAMESPACE = 'nianbao';

/**
 * No crawl completed for this long during the season is an outage of nianbao itself: the default schedule
 * crawls daily from 1 January to 30 April (条例 第四十九条: departments publish by 31 January, governments by
 * 31 March), so 26 h is one missed day with two hours' slack.
 */
export const HEARTBEAT_WINDOW = Duration.hours(26);

/**
 * The heartbeat alarm acts only in season. Outside it the default schedule crawls weekly, which a 26-hour
 * heartbeat would call an outage every week. Two daily schedules (idempotent, so a deploy that resets the
 * alarm is corrected within a day) switch its actions on in January–April and off in May–December.
 */
export const SEASON_MONTHS = '1-4';
const OFF_SEASON_MONTHS = '5-12';

/**
 * One of the functions' metrics summed over `services` (each the `service` dimension), a service that emitted
 * nothing in a period counting 0 (`FILL`): the alarms read one figure across the functions that emit it. The math
 * ids are `id` and the service's index.
 */
function summedOver(metricName: string, services: readonly string[], o: { id: string; period: Duration; label: string }): cloudwatch.MathExpression {
  const usingMetrics = Object.fromEntries(
    services.map((service, i) => [
      `${o.id}${i}`,
      new cloudwatch.Metric({ namespace: NAMESPACE, metricName, dimensionsMap: { service }, statistic: 'Sum', period: o.period }),
    ]),
  );
  return new cloudwatch.MathExpression({
    expression: Object.keys(usingMetrics)
      .map((k) => `FILL(${k}, 0)`)
      .join(' + '),
    usingMetrics,
    period: o.period,
    label: o.label,
  });
}

export interface MonitoringProps {
  functions: Record<string, lambda.IFunction>;
  /** The crawl functions, whose completed crawls are the heartbeat. */
  crawlers: string[];
  /** Log groups of the crawl functions (fetch time per host is read from their logs). */
  crawlLogGroups: logs.ILogGroup[];
  dlqs: sqs.IQueue[];
  queues: Record<string, sqs.IQueue>;
  operatorEmail?: string | undefined;
}

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly heartbeat: cloudwatch.Alarm;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.topic = new sns.Topic(this, 'OperatorTopic', { displayName: 'nianbao operators', enforceSSL: true });
    // enforceSSL writes a topic policy holding only a Deny: without an Allow, CloudWatch cannot publish alarms.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*' }) },
        },
      }),
    );
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason: 'Operator alarms carry alarm names and states only; CloudWatch publishing to a KMS-encrypted topic would need a customer key policy.',
    });
    if (props.operatorEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.operatorEmail));
    const action = new SnsAction(this.topic);

    const add = (alarmId: string, metric: cloudwatch.IMetric, description: string) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
    };
    props.dlqs.forEach((q, i) =>
      add(
        `Dlq${i + 1}Depth`,
        q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        `nianbao: messages in the dead-letter queue ${q.node.id} (failed three times; see README "Replaying a dead-letter queue")`,
      ),
    );
    for (const [name, fn] of Object.entries(props.functions)) {
      add(`${name}Errors`, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), `nianbao: ${name} function errors`);
      add(`${name}Throttles`, fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), `nianbao: ${name} function throttled`);
    }

    // Stored records that could not be read (docs/store.md "Damaged records"): left out of listings and deliveries,
    // named in the functions' logs. Nothing repairs them but an operator.
    add(
      'StoredRecordsDamaged',
      summedOver('StoredRecordsDamaged', ['site', 'deadlines', ...props.crawlers], { id: 'd', period: Duration.hours(1), label: 'stored records damaged' }),
      'nianbao: stored records that could not be read (docs/store.md "Damaged records"); each is named in the log of the function that met it',
    );

    // Our own network down (shared/crawl/canary.ts, functions/lib/crawl-batch.ts): the crawl batches count nothing
    // against the portals, and nothing else would tell the operator — the crawls still complete.
    add(
      'OurNetworkDown',
      summedOver('OurOutages', props.crawlers, { id: 'o', period: Duration.hours(1), label: 'crawl batches in our outage' }),
      'nianbao: our network looks down — crawl batches whose portals and canary pages all failed below HTTP (the NAT gateway, the egress proxy); nothing was counted against the portals',
    );

    // The heartbeat: crawls completed by the crawl functions over the window; none (or no data at all) alarms.
    this.heartbeat = new cloudwatch.Alarm(this, 'CrawlHeartbeat', {
      metric: summedOver('CrawlsCompleted', props.crawlers, { id: 'c', period: HEARTBEAT_WINDOW, label: 'crawls completed' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      actionsEnabled: false, // switched on in season by the schedules below
      alarmDescription: `nianbao: no crawl completed in ${HEARTBEAT_WINDOW.toHours()} h during the reporting season (January–April): the schedule, dispatch or the crawl functions are not working`,
    });
    this.heartbeat.addAlarmAction(action);
    this.heartbeat.addOkAction(action);
    this.alarms.push(this.heartbeat);
    for (const [idPart, months, api] of [
      ['On', SEASON_MONTHS, 'enableAlarmActions'],
      ['Off', OFF_SEASON_MONTHS, 'disableAlarmActions'],
    ] as const) {
      new scheduler.Schedule(this, `HeartbeatSeason${idPart}`, {
        description: `nianbao: crawl heartbeat alarm actions ${idPart.toLowerCase()} (daily in months ${months}, Asia/Shanghai)`,
        schedule: scheduler.ScheduleExpression.expression(`cron(5 0 * ${months} ? *)`, TimeZone.ASIA_SHANGHAI),
        target: new targets.Universal({
          service: 'cloudwatch',
          action: api,
          input: scheduler.ScheduleTargetInput.fromObject({ AlarmNames: [this.heartbeat.alarmName] }),
          policyStatements: [
            new iam.PolicyStatement({ actions: [`cloudwatch:${api[0]!.toUpperCase()}${api.slice(1)}`], resources: [this.heartbeat.alarmArn] }),
          ],
        }),
      });
    }

    this.dashboard = this.makeDashboard(props);
  }

  private makeDashboard(props: MonitoringProps): cloudwatch.Dashboard {
    const hour = Duration.hours(1);
    const search = (metric: string, dims: string, stat = 'Sum') =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{${NAMESPACE},${dims}} MetricName="${metric}"', '${stat}', 3600)`,
        usingMetrics: {},
        period: hour,
        label: '',
      });
    const m = (metric: string, service: string, stat = 'Sum') =>
      new cloudwatch.Metric({
        namespace: NAMESPACE,
        metricName: metric,
        dimensionsMap: { service },
        statistic: stat,
        period: hour,
        label: `${service} ${metric}${stat === 'Sum' ? '' : ` ${stat}`}`,
      });
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8) => new cloudwatch.GraphWidget({ title, left, width, height: 6 });
    const crawlers = props.crawlers;
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-operations`,
      defaultInterval: Duration.days(7),
    });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          '## nianbao\nBodies crawled by outcome (`crawled`, `access_failure`, `outage`); **deferred** bodies ran out of invocation time and were handed back, **failed** ones are retried and then kept in a dead-letter queue. ' +
          'Unread cells are figures the parser could not read (CELL-UNREAD). Fetch time per host: the table at the bottom. Runbook: README "Deploy to AWS → First deploy".',
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      graph('Bodies crawled, by outcome', [search('BodiesCrawled', 'service,outcome')]),
      graph('Deferred and failed bodies', [...crawlers.map((s) => m('BodiesDeferred', s)), search('BodiesFailed', 'service,outcome')]),
      graph(
        'Crawls completed (heartbeat)',
        crawlers.map((s) => m('CrawlsCompleted', s)),
      ),
    );
    dashboard.addWidgets(
      graph('Reports parsed and unread cells', [
        ...[...crawlers, 'parse'].map((s) => m('ReportsParsed', s)),
        ...[...crawlers, 'parse'].map((s) => m('UnreadCells', s)),
      ]),
      // A crawl reads only the documents that changed (shared/parse-cache.ts): kept ones are the rest. The parse
      // function takes what the crawl read from the same place.
      graph('Documents read and kept', [
        ...[...crawlers, 'parse'].map((s) => m('DocumentsRead', s)),
        ...[...crawlers, 'parse'].map((s) => m('DocumentsKept', s)),
        ...[...crawlers, 'parse'].map((s) => m('ParseCacheErrors', s)),
      ]),
      graph('Alerts opened, delivered, failed deliveries', [
        ...[...crawlers, 'parse', 'deadlines'].map((s) => m('AlertsOpened', s)),
        ...[...crawlers, 'deadlines'].map((s) => m('AlertsDelivered', s)),
        ...[...crawlers, 'deadlines'].map((s) => m('AlertDeliveryFailures', s)),
      ]),
      graph(
        'Fetch time (ms, p50 / p90 / max)',
        crawlers.flatMap((s) => [m('FetchTime', s, 'p50'), m('FetchTime', s, 'p90'), m('FetchTime', s, 'Maximum')]),
      ),
    );
    dashboard.addWidgets(
      graph(
        'Queues: messages waiting',
        Object.entries(props.queues).map(([name, q]) =>
          q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum', label: name }),
        ),
      ),
      graph(
        'Queues: age of the oldest message (s)',
        Object.entries(props.queues).map(([name, q]) =>
          q.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum', label: name }),
        ),
      ),
      graph(
        'Dead-letter queues',
        props.dlqs.map((q) => q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum', label: q.node.id })),
      ),
    );
    dashboard.addWidgets(
      graph(
        'Function errors',
        Object.entries(props.functions).map(([name, fn]) => fn.metricErrors({ period: hour, label: name })),
        12,
      ),
      graph(
        'Function duration (p90, ms)',
        Object.entries(props.functions).map(([name, fn]) => fn.metricDuration({ period: hour, statistic: 'p90', label: name })),
        12,
      ),
    );
    dashboard.addWidgets(
      new cloudwatch.LogQueryWidget({
        title: 'Fetch time per portal host (slowest first)',
        logGroupNames: props.crawlLogGroups.map((g) => g.logGroupName),
        queryLines: [
          'fields host, fetches, totalMs, maxMs',
          'filter message = "fetches"',
          'stats sum(fetches) as requests, sum(totalMs) / sum(fetches) as avgMs, max(maxMs) as slowestMs by host',
          'sort avgMs desc',
          'limit 50',
        ],
        width: 24,
        height: 8,
      }),
    );
    return dashboard;
  }
}
