/**
 * The store contract (contract.ts) against every adapter: the local SQLite store of a home, and the DynamoDB
 * adapters on dynalite started in-process (over HTTP, the same adapter as production). To run the DynamoDB side
 * against real DynamoDB instead, set NIANBAO_TEST_DYNAMODB_ENDPOINT (or `aws` with AWS credentials) and
 * NIANBAO_TEST_TABLE (docs/store.md).
 */
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe } from 'vitest';
import { DynamoStore } from '../../shared/store/dynamo.ts';
import { documentClient, ensureTable } from '../../shared/store/dynamo-client.ts';
import { FsArchiveStore } from '../../shared/store/fs-archive.ts';
import { openLocalStore, type LocalStore } from '../../shared/store/local.ts';
import { DynamoStateStore } from '../../shared/store/state.ts';
import { storeContract, type Stores } from './contract.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

describe('the local SQLite store', () => {
  let local: LocalStore;
  beforeAll(async () => {
    local = await openLocalStore(mkdtempSync(join(tmpdir(), 'nianbao-contract-')));
  });
  afterAll(async () => local?.close());
  storeContract(() => local);
});

describe('the DynamoDB adapters', () => {
  let server: Server | null = null;
  let stores: Stores & { doc: ReturnType<typeof documentClient> };
  beforeAll(async () => {
    const real = process.env.NIANBAO_TEST_DYNAMODB_ENDPOINT;
    let endpoint: string | undefined;
    if (!real) {
      server = dynalite({ createTableMs: 0 });
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
      endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    } else if (real !== 'aws') endpoint = real;
    const doc = documentClient(endpoint);
    const table = process.env.NIANBAO_TEST_TABLE ?? `nianbao-test-${Date.now()}`;
    await ensureTable(doc, table);
    const archive = new FsArchiveStore(mkdtempSync(join(tmpdir(), 'nianbao-dyn-')));
    stores = { doc, archive, store: new DynamoStore(doc, archive, table), state: new DynamoStateStore(doc, table) };
  });
  afterAll(async () => {
    stores?.doc.destroy();
    if (server) await new Promise<void>((r) => server!.close(() => r()));
  });
  storeContract(() => stores);
});
