/**
 * AWS SDK clients for the functions. In AWS they use the function's role and region; `NIANBAO_AWS_ENDPOINT`
 * points all of them at one emulator (fauxqs for S3/SQS/SNS, with dynalite on `NIANBAO_DYNAMODB_ENDPOINT` and a
 * Secrets Manager stand-in on `NIANBAO_SECRETSMANAGER_ENDPOINT`) for local runs and tests.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface AwsClients {
  s3: S3Client;
  doc: DynamoDBDocumentClient;
  sns: SNSClient;
  sqs: SQSClient;
}

type Env = Record<string, string | undefined>;

function local(endpoint: string | undefined, env: Env) {
  if (!endpoint) return {};
  return {
    endpoint,
    region: env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'local', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'local' },
  };
}

export function clientsFromEnv(env: Env = process.env): AwsClients {
  const endpoint = env.NIANBAO_AWS_ENDPOINT;
  const emulated = local(endpoint, env);
  return {
    // Emulators need path-style addressing and no streamed checksums (CONTRIBUTING.md).
    s3: new S3Client(
      endpoint ? { ...emulated, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {},
    ),
    doc: DynamoDBDocumentClient.from(new DynamoDBClient(local(env.NIANBAO_DYNAMODB_ENDPOINT ?? endpoint, env)), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    sns: new SNSClient(emulated),
    sqs: new SQSClient(emulated),
  };
}

/** The Secrets Manager client (webhook URLs, the egress proxy): a separate endpoint when emulated. */
export function secretsClientFromEnv(env: Env = process.env): SecretsManagerClient {
  return new SecretsManagerClient(local(env.NIANBAO_SECRETSMANAGER_ENDPOINT ?? env.NIANBAO_AWS_ENDPOINT, env));
}
