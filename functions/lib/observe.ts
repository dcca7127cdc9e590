/**
 * Observability of the functions: Powertools for AWS Lambda — Logger (one JSON line per event, with the
 * function, the invocation's request id and details) and Metrics (CloudWatch embedded metric format: the
 * figures an operator watches, written into the log and turned into metrics by CloudWatch at no API cost).
 *
 * Metrics are in the `nianbao` namespace with one dimension, `service` (the function), plus `outcome` where a
 * count is split by outcome. Nothing per portal host is a dimension (thousands of hosts would be thousands of
 * billed metrics): fetch times per host are log fields, read with Logs Insights (the dashboard's table).
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { LOG_LEVELS, type Logger, type LogLevel } from './log.ts';

export const METRICS_NAMESPACE = 'nianbao';

/** Every metric the functions emit (infra/constructs/monitoring.ts draws and alarms on these names). */
export const METRIC_NAMES = [
  'BodiesCrawled',
  'CrawlsCompleted',
  'BodiesDeferred',
  'BodiesFailed',
  'ReportsParsed',
  'ParseSkipped',
  'DocumentsRead',
  'DocumentsKept',
  'ParseCacheErrors',
  'ParseFailed',
  'UnreadCells',
  'AlertsOpened',
  'AlertsDelivered',
  'AlertDeliveryFailures',
  'FetchTime',
  'Fetches',
  'MessagesDispatched',
  'WebhooksSent',
  'WebhooksFailed',
  'SitePagesWritten',
  'SiteBodiesSkipped',
  'SiteDownloadsSkipped',
  'SitePagesUnchanged',
  'StoredRecordsDamaged',
  'OurOutages',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** The least severe level written: `NIANBAO_LOG_LEVEL` (default info). */
function levelFromEnv(): LogLevel {
  const v = (process.env.NIANBAO_LOG_LEVEL ?? 'info').toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(v) ? (v as LogLevel) : 'info';
}

/** Our Logger port over a Powertools Logger. */
function adapt(pt: PowertoolsLogger): Logger & { powertools: PowertoolsLogger } {
  return {
    powertools: pt,
    log(level, message, details = {}) {
      pt[level](message, details);
    },
    child(context) {
      const c = pt.createChild();
      c.appendKeys(context as Record<string, string>);
      return adapt(c);
    },
  };
}

export interface FunctionObservability {
  log: Logger & { powertools: PowertoolsLogger };
  metrics: Metrics;
  /** Counts `value` of a metric (buffered until `flush`). */
  count(name: MetricName, value: number, unit?: (typeof MetricUnit)[keyof typeof MetricUnit]): void;
  /** A count split by outcome (`outcome` dimension), emitted at once. */
  countByOutcome(name: MetricName, outcome: string, value: number): void;
  /** Per invocation: the request id in every log line. */
  start(context?: Pick<Context, 'awsRequestId' | 'functionName'>): void;
  /** Writes the buffered metrics (end of every invocation, also after an error). */
  flush(): void;
}

/**
 * Logger and metrics of one function (`service` = its name). Made on first use, not at module load, so the
 * environment (NIANBAO_LOG_LEVEL) is read when the function runs.
 */
export function observe(fn: string): FunctionObservability {
  let made: { log: Logger & { powertools: PowertoolsLogger }; metrics: Metrics } | undefined;
  const get = () =>
    (made ??= {
      log: adapt(new PowertoolsLogger({ serviceName: fn, logLevel: levelFromEnv().toUpperCase() as 'INFO' })),
      metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: fn }),
    });
  let counted = false;
  return {
    get log() {
      return get().log;
    },
    get metrics() {
      return get().metrics;
    },
    count(name, value, unit = MetricUnit.Count) {
      get().metrics.addMetric(name, unit, value);
      counted = true;
    },
    countByOutcome(name, outcome, value) {
      const single = get().metrics.singleMetric();
      single.addDimension('outcome', outcome);
      single.addMetric(name, MetricUnit.Count, value);
    },
    start(context) {
      if (context?.awsRequestId) get().log.powertools.appendKeys({ requestId: context.awsRequestId });
    },
    flush() {
      if (counted) get().metrics.publishStoredMetrics();
      counted = false;
    },
  };
}

export { MetricUnit };
