/**
 * The stack's context values (`cdk deploy -c alertEmail=… -c registry=…`), with defaults and validation:
 * a bad value stops the synth with a message naming the value and what is expected.
 */
import { ConfigError } from '../shared/errors.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRegistry } from '../shared/crawl/registry.ts';
import { canaryUrls } from '../shared/crawl/canary.ts';

export interface NianbaoConfig {
  alertEmail?: string | undefined;
  /** An operator's email: CloudWatch alarms (DLQs, errors, the crawl heartbeat) go to the operators' own topic. */
  operatorEmail?: string | undefined;
  webhookSecretName?: string | undefined;
  /** EventBridge Scheduler cron expressions (Asia/Shanghai) that start a crawl of every body. */
  crawlSchedules: string[];
  /** The daily deadline check and delivery (Asia/Shanghai), after the day's crawl. */
  deadlineSchedule: string;
  deadlineGraceDays: number;
  /** S3 Object Lock (governance mode) default retention; 0 = no Object Lock. */
  objectLockYears: number;
  /** The registry YAML deployed with the functions. */
  registry: string;
  egressProxySecretName?: string | undefined;
  /**
   * Canary pages that tell our outage from the portals' in a crawl batch (shared/crawl/canary.ts): URLs, or `none`;
   * unset, the functions' default (https://www.gov.cn/).
   */
  canaryUrls?: string | undefined;
  /** `public`: CloudFront serves the dashboard's static site; `private` (default): it is written, not served. */
  site: 'private' | 'public';
  /** When the daily job writes the site (Asia/Shanghai), after the deadline check. */
  siteSchedule: string;
  /** A custom domain for the public site, with its ACM certificate in us-east-1 (both or neither). */
  siteDomain?: string | undefined;
  siteCertificateArn?: string | undefined;
}

/**
 * Daily from 1 January to 30 April (departments publish by 31 January, governments by 31 March:
 * 条例 第四十九条), weekly on Mondays for the rest of the year. 10:00 in Shanghai (portal office hours).
 */
export const DEFAULT_SCHEDULES = ['cron(0 10 * 1-4 ? *)', 'cron(0 10 ? 5-12 MON *)'];

/** 18:00 in Shanghai: after the 10:00 crawl has had its hours (a 30 000-body registry takes a few). */
export const DEFAULT_DEADLINE_SCHEDULE = 'cron(0 18 * * ? *)';

/** 18:30 in Shanghai: the dashboard after the 18:00 deadline check has opened and resolved the day's alerts. */
export const DEFAULT_SITE_SCHEDULE = 'cron(30 18 * * ? *)';

export { ConfigError };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CRON = /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$|^rate\(\d+ (minute|minutes|hour|hours|day|days)\)$/;
const SECRET_NAME = /^[\w/+=.@-]{1,512}$/;

type Context = (key: string) => unknown;

function int(get: Context, key: string, fallback: number, max: number): number {
  const v = get(key);
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new ConfigError(`context ${key}=${String(v)}: expected a whole number from 0 to ${max}`);
  return n;
}

function optional(get: Context, key: string, pattern: RegExp, what: string): string | undefined {
  const v = get(key);
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !pattern.test(v)) throw new ConfigError(`context ${key}=${String(v)}: expected ${what}`);
  return v;
}

export const DEFAULT_REGISTRY_FILE = fileURLToPath(new URL('../registry/portals.yaml', import.meta.url));

/** Reads and validates the context; the registry is parsed so a broken one never deploys. */
export function configFromContext(get: Context): NianbaoConfig {
  const schedules = get('crawlSchedules');
  const crawlSchedules =
    schedules === undefined || schedules === ''
      ? DEFAULT_SCHEDULES
      : Array.isArray(schedules)
        ? schedules.map(String)
        : String(schedules)
            .split(';')
            .map((s) => s.trim());
  for (const s of crawlSchedules) if (!CRON.test(s)) throw new ConfigError(`context crawlSchedules: "${s}" is not a Scheduler cron(…) or rate(…) expression`);
  const registry = resolve(String(get('registry') ?? DEFAULT_REGISTRY_FILE));
  if (!existsSync(registry)) throw new ConfigError(`context registry=${registry}: no such file`);
  const parsed = loadRegistry(registry);
  if (parsed.problems.length)
    throw new ConfigError(
      `context registry=${registry}: ${parsed.problems.length} problems, first at line ${parsed.problems[0]!.line}: ${parsed.problems[0]!.message} (run nianbao registry check)`,
    );
  return {
    alertEmail: optional(get, 'alertEmail', EMAIL, 'an email address'),
    operatorEmail: optional(get, 'operatorEmail', EMAIL, 'an email address'),
    webhookSecretName: optional(get, 'webhookSecretName', SECRET_NAME, 'a Secrets Manager secret name'),
    crawlSchedules,
    deadlineSchedule: optional(get, 'deadlineSchedule', CRON, 'a Scheduler cron(…) or rate(…) expression') ?? DEFAULT_DEADLINE_SCHEDULE,
    deadlineGraceDays: int(get, 'deadlineGraceDays', 0, 90),
    objectLockYears: int(get, 'objectLockYears', 0, 100),
    registry,
    egressProxySecretName: optional(get, 'egressProxySecretName', SECRET_NAME, 'a Secrets Manager secret name'),
    canaryUrls: canaries(get),
    ...siteConfig(get),
  };
}

/** `canaryUrls`: a comma-separated list of http(s) URLs, or `none`, checked as the functions read it. */
function canaries(get: Context): string | undefined {
  const v = get('canaryUrls');
  if (v === undefined || v === '') return undefined;
  try {
    canaryUrls(String(v));
  } catch (e) {
    throw new ConfigError(`context canaryUrls=${String(v)}: ${(e as Error).message}`);
  }
  return String(v);
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CERTIFICATE_ARN = /^arn:aws(?:-cn)?:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;

function siteConfig(get: Context): Pick<NianbaoConfig, 'site' | 'siteSchedule' | 'siteDomain' | 'siteCertificateArn'> {
  const site = get('site') ?? 'private';
  if (site !== 'private' && site !== 'public') throw new ConfigError(`context site=${String(site)}: expected private or public`);
  const siteDomain = optional(get, 'siteDomain', DOMAIN, 'a domain name (lower case)');
  const siteCertificateArn = optional(get, 'siteCertificateArn', CERTIFICATE_ARN, 'an ACM certificate ARN in us-east-1 (CloudFront reads certificates there)');
  if (Boolean(siteDomain) !== Boolean(siteCertificateArn)) throw new ConfigError('context siteDomain and siteCertificateArn: give both or neither');
  if (siteDomain && site !== 'public') throw new ConfigError('context siteDomain: only with site=public');
  return {
    site,
    siteSchedule: optional(get, 'siteSchedule', CRON, 'a Scheduler cron(…) or rate(…) expression') ?? DEFAULT_SITE_SCHEDULE,
    ...(siteDomain ? { siteDomain, siteCertificateArn } : {}),
  };
}
