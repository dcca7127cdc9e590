/**
 * parse — S3 ObjectCreated on `blobs/` → the captures of that object → `parseCapture` → figures and
 * findings in DynamoDB → `inconsistent` alerts for a body-year's report page (lib/parse-objects.ts). The crawl function parses what it fetches as it goes (its alerts need the
 * figures at once); this function covers every other way bytes reach the archive (imports, re-parsing
 * after a parser upgrade by re-invoking it, a crawl that stopped between archiving and parsing). A report
 * already stored by the current parser version is skipped, so the usual double delivery costs one query.
 */
import type { S3Event } from 'aws-lambda';
import { systemClock } from '../shared/store/ports.ts';
import { registryBodies } from './lib/bodies.ts';
import { clientsFromEnv } from './lib/aws.ts';
import { configFromEnv } from './lib/config.ts';
import { awsStores } from './lib/deps.ts';
import { jsonLogger } from './lib/log.ts';
import { parseObjects, type ParseDeps } from './lib/parse-objects.ts';

let deps: ParseDeps | undefined;

export async function handler(event: S3Event) {
  if (!deps) {
    const config = configFromEnv();
    const clients = clientsFromEnv();
    deps = { ...awsStores(clients, config), bodies: registryBodies(config.registryFile), clock: systemClock, log: jsonLogger({ fn: 'parse' }) };
  }
  const result = await parseObjects(event, deps);
  if (result.failed) throw new Error(`${result.failed} captures could not be parsed (see the log); S3 retries the event`);
  return result;
}
