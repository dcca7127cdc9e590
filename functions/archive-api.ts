/** archive-api — API Gateway HTTP API (IAM) → read-only archive routes (functions/lib/api.ts). */
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { routeApi, type ApiDeps } from './lib/api.ts';
import { clientsFromEnv } from './lib/aws.ts';
import { registryBodies } from './lib/bodies.ts';
import { configFromEnv } from './lib/config.ts';
import { awsStores } from './lib/deps.ts';
import { errorDetails } from './lib/log.ts';
import { observe } from './lib/observe.ts';

let deps: ApiDeps | undefined;
const obs = observe('archive-api');

export async function handler(event: APIGatewayProxyEventV2WithIAMAuthorizer, context?: Context): Promise<APIGatewayProxyResultV2> {
  obs.start(context);
  const log = obs.log;
  if (!deps) {
    const config = configFromEnv();
    const clients = clientsFromEnv();
    deps = { ...awsStores(clients, config), bodies: registryBodies(config.registryFile), s3: clients.s3, bucket: config.bucket };
  }
  try {
    const res = await routeApi(event, deps);
    log.log('info', 'request', {
      route: event.routeKey,
      caller: event.requestContext?.authorizer?.iam?.userArn,
      status: typeof res === 'object' ? res.statusCode : 200,
    });
    return res;
  } catch (e) {
    log.log('error', 'request failed', { route: event.routeKey, ...errorDetails(e, true) });
    return {
      statusCode: 500,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: 'internal error', requestId: event.requestContext?.requestId }),
    };
  }
}
