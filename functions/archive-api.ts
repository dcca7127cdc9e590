/** archive-api — API Gateway HTTP API (IAM) → read-only archive routes (functions/lib/api.ts). */
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { DynamoStore } from '../shared/store/dynamo.ts';
import { S3ArchiveStore } from '../shared/store/s3.ts';
import { DynamoStateStore } from '../shared/store/state.ts';
import { routeApi, type ApiDeps } from './lib/api.ts';
import { clientsFromEnv } from './lib/aws.ts';
import { registryBodies } from './lib/bodies.ts';
import { configFromEnv } from './lib/config.ts';
import { errorDetails, jsonLogger } from './lib/log.ts';

let deps: ApiDeps | undefined;
const log = jsonLogger({ fn: 'archive-api' });

export async function handler(event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<APIGatewayProxyResultV2> {
  if (!deps) {
    const config = configFromEnv();
    const clients = clientsFromEnv();
    const archive = new S3ArchiveStore(clients.s3, config.bucket);
    const store = new DynamoStore(clients.doc, archive, config.table);
    deps = { bodies: registryBodies(config.registryFile), captures: store, reports: store, state: new DynamoStateStore(clients.doc, config.table), archive, s3: clients.s3, bucket: config.bucket };
  }
  try {
    const res = await routeApi(event, deps);
    log.log('info', 'request', { route: event.routeKey, caller: event.requestContext?.authorizer?.iam?.userArn, status: typeof res === 'object' ? res.statusCode : 200 });
    return res;
  } catch (e) {
    log.log('error', 'request failed', { route: event.routeKey, ...errorDetails(e, true) });
    return { statusCode: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'internal error', requestId: event.requestContext?.requestId }) };
  }
}
