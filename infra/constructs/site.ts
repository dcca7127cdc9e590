/**
 * The dashboard on AWS (docs/architecture.md §dashboard): a daily function writes the static site (shared/site)
 * from the table to its own bucket under `site/`; with `-c site=public`, CloudFront serves it over TLS through
 * Origin Access Control. The site has its own bucket: CloudFront is never given read access to the archive, and
 * pages rewritten daily do not pile up as versions under the archive's Object Lock. Dismissals stay in the CLI and
 * the signed API: the public site has no state-changing request at all.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { TimeZone } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SITE_ASSETS } from '../../shared/site/assets.ts';
import { NianbaoFunction, PROJECT_ROOT } from './function.ts';

export interface SiteProps {
  table: dynamodb.ITableV2;
  /** The archive bucket's name (the stores' wiring needs it; the function reads no blob). */
  archiveBucketName: string;
  /** Where S3 and CloudFront access logs go (an ACL-enabled bucket, as CloudFront standard logging requires). */
  logs: s3.IBucket;
  registry: string;
  schedule: string;
  /** `public`: CloudFront serves the site. */
  exposure: 'private' | 'public';
  /** A custom domain and its ACM certificate (us-east-1): TLS 1.2 (2021 policy) instead of CloudFront's default certificate. */
  domainName?: string;
  certificateArn?: string;
}

/** The security headers of every page CloudFront serves: the same policy as `nianbao serve` (shared/site/app.ts). */
export const SITE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/** The files the site function carries beside its bundle (shared/site/assets.ts reads them from NIANBAO_SITE_ASSETS). */
export function siteAssetFiles(): Record<string, string> {
  const require = createRequire(import.meta.url);
  return Object.fromEntries(
    SITE_ASSETS.map((a) => [
      a === 'echarts.min.js' ? require.resolve('echarts/dist/echarts.common.min.js') : join(PROJECT_ROOT, 'shared', 'site', 'assets', a),
      `assets/${a}`,
    ]),
  );
}

export class Site extends Construct {
  readonly bucket: s3.Bucket;
  readonly fn: lambda.IFunction;
  readonly logGroup: logs.ILogGroup;
  readonly distribution?: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: SiteProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: props.logs,
      serverAccessLogsPrefix: 'site-bucket/',
      // Everything in it is made again every day from the table.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const made = new NianbaoFunction(this, 'Writer', {
      entry: 'site',
      description: 'nianbao: the dashboard as a static site (site/ of the site bucket), daily',
      architecture: lambda.Architecture.ARM_64,
      memorySize: 1024,
      timeout: Duration.minutes(15),
      registry: props.registry,
      files: siteAssetFiles(),
      environment: {
        NIANBAO_TABLE: props.table.tableName,
        NIANBAO_BUCKET: props.archiveBucketName,
        NIANBAO_SITE_BUCKET: this.bucket.bucketName,
        NIANBAO_SITE_ASSETS: '/var/task/assets',
      },
    });
    this.fn = made.fn;
    this.logGroup = made.logGroup;
    props.table.grantReadData(this.fn);
    // Least privilege: write and prune its own prefix, nothing else.
    this.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:DeleteObject'], resources: [this.bucket.arnForObjects('site/*')] }));
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn], conditions: { StringLike: { 's3:prefix': ['site/*'] } } }),
    );
    new scheduler.Schedule(this, 'Schedule', {
      description: `nianbao dashboard, written after the deadline check (${props.schedule}, Asia/Shanghai)`,
      schedule: scheduler.ScheduleExpression.expression(props.schedule, TimeZone.ASIA_SHANGHAI),
      target: new targets.LambdaInvoke(this.fn, { retryAttempts: 1 }),
    });
    if (props.exposure === 'public') this.distribution = this.publish(props);
  }

  private publish(props: SiteProps): cloudfront.Distribution {
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'nianbao dashboard: the same security headers as nianbao serve',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: SITE_CSP, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });
    const custom = props.domainName && props.certificateArn;
    const distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'nianbao dashboard (static, read-only)',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket, { originPath: '/site' }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
      // OAC answers 403 for a key that is not there (no ListBucket for CloudFront): shown as our 404 page.
      errorResponses: [{ httpStatus: 403, responseHttpStatus: 404, responsePagePath: '/404.html', ttl: Duration.minutes(5) }],
      enableLogging: true,
      logBucket: props.logs,
      logFilePrefix: 'cloudfront/',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      ...(custom
        ? {
            domainNames: [props.domainName!],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn!),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    Validations.of(distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'The dashboard is public information (reports bodies must publish, 条例 第四十九条): no country is excluded.' },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'A read-only static site cached at the edge, with no form and no origin that computes: a WAF adds cost and nothing to protect.',
      },
      ...(custom
        ? []
        : [
            {
              id: 'AwsSolutions-CFR4',
              reason:
                'Without -c siteDomain/siteCertificateArn the distribution uses the *.cloudfront.net certificate, whose security policy CloudFront fixes; with them, TLSv1.2_2021 is set.',
            },
          ]),
    );
    return distribution;
  }
}
