/**
 * The archive: an S3 bucket of content-addressed captures (never overwritten; docs/store.md) and the single
 * DynamoDB table. Both are retained when the stack is deleted — an archive outlives its deployment.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { GSIS, GSI_PROJECTIONS, tableDefinition } from '../../shared/store/table.ts';

export interface ArchiveProps {
  objectLockYears: number;
}

export class Archive extends Construct {
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.TableV2;
  /** The access-log bucket (the archive's, the site bucket's and CloudFront's logs). */
  readonly logs: s3.Bucket;

  constructor(scope: Construct, id: string, props: ArchiveProps) {
    super(scope, id);
    const logs = (this.logs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    }));
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the access logs of the archive and site buckets and of CloudFront; logging it to itself would loop.',
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'archive/',
      objectLockEnabled: props.objectLockYears > 0 ? true : undefined,
      objectLockDefaultRetention: props.objectLockYears > 0 ? s3.ObjectLockRetention.governance(Duration.days(365 * props.objectLockYears)) : undefined,
      lifecycleRules: [
        // Captures are never overwritten, so noncurrent versions only come from deletions by hand.
        { id: 'noncurrent', noncurrentVersionExpiration: Duration.days(365) },
        { id: 'uploads', prefix: 'tmp/', expiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'exports', prefix: 'exports/', expiration: Duration.days(30) },
        // Reports already read (shared/parse-cache.ts): a cache. An expired one costs its document one more reading.
        // KEPT_REPORT_DAYS there (a home's cache expires its entries alike); not imported: it would load the parser.
        { id: 'parsed', prefix: 'parsed/', expiration: Duration.days(90) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The table's keys and indexes come from the one definition the store uses (shared/store/table.ts).
    const def = tableDefinition('unused');
    const attrType = (name: string) => {
      const t = def.AttributeDefinitions!.find((a) => a.AttributeName === name)!.AttributeType;
      return t === 'N' ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING;
    };
    const key = (schema: { AttributeName?: string | undefined; KeyType?: string | undefined }[], type: 'HASH' | 'RANGE') => {
      const k = schema.find((s) => s.KeyType === type);
      return k ? { name: k.AttributeName!, type: attrType(k.AttributeName!) } : undefined;
    };
    // A key schema without a RANGE key has no sortKey at all (not one set to undefined).
    const sortKeyOf = (schema: Parameters<typeof key>[0]) => {
      const sortKey = key(schema, 'RANGE');
      return sortKey ? { sortKey } : {};
    };
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: key(def.KeySchema!, 'HASH')!,
      ...sortKeyOf(def.KeySchema!),
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: GSIS.map((name) => {
        const gsi = def.GlobalSecondaryIndexes!.find((g) => g.IndexName === name)!;
        return {
          indexName: name,
          partitionKey: key(gsi.KeySchema!, 'HASH')!,
          ...sortKeyOf(gsi.KeySchema!),
          projectionType: dynamodb.ProjectionType.INCLUDE,
          nonKeyAttributes: GSI_PROJECTIONS[name],
        };
      }),
    });
  }
}
