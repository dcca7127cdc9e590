/**
 * The archive API: an HTTP API whose every route is IAM-authorized (SigV4-signed requests from archivists'
 * IAM users or roles), served by the read-only archive-api function (functions/lib/api.ts).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ROUTES } from '../../functions/lib/api.ts';
import { NianbaoFunction } from './function.ts';

export interface ArchiveApiProps {
  bucket: s3.IBucket;
  table: dynamodb.ITableV2;
  registry: string;
}

export class ArchiveApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly fn: lambda.IFunction;

  constructor(scope: Construct, id: string, props: ArchiveApiProps) {
    super(scope, id);
    this.fn = new NianbaoFunction(this, 'Handler', {
      entry: 'archive-api',
      description: 'nianbao: archive API (read-only but for dismissing an alert; presigned downloads and exports)',
      architecture: lambda.Architecture.ARM_64,
      memorySize: 1024,
      timeout: Duration.seconds(29), // the HTTP API integration limit
      environment: { NIANBAO_BUCKET: props.bucket.bucketName, NIANBAO_TABLE: props.table.tableName },
      registry: props.registry,
    }).fn;
    // Read-only on the archive; the one write is the export file under exports/ (expired after 30 days).
    props.table.grantReadData(this.fn);
    // The one write to the table: a dismissed alert (POST /alerts/{id}/dismiss), and only alert items (their keys
    // begin ALERT#, store/state.ts): never a capture, a parsed report or a state.
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ALERT#*'] } },
      }),
    );
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [props.bucket.arnForObjects('blobs/*'), props.bucket.arnForObjects('exports/*')] }),
    );
    this.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [props.bucket.arnForObjects('exports/*')] }));
    this.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.bucket.bucketArn] }));

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.DESTROY });
    this.api = new apigw.HttpApi(this, 'Api', { description: 'nianbao archive API', defaultAuthorizer: new HttpIamAuthorizer(), createDefaultStage: false });
    new apigw.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 20, burstLimit: 40 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    });
    const integration = new HttpLambdaIntegration('Integration', this.fn);
    for (const route of ROUTES) {
      const [method, path] = route.split(' ') as [string, string];
      this.api.addRoutes({ path, methods: [method as apigw.HttpMethod], integration });
    }
  }
}
