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
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../shared/store/dynamo.ts';
import { MemoryArchiveStore, MemoryStateStore, MemoryStore } from '../../shared/store/memory.ts';
import { documentClient, ensureTable } from '../../shared/store/dynamo-client.ts';
import { FsArchiveStore } from '../../shared/store/fs-archive.ts';
import { openLocalStore, type LocalStore } from '../../shared/store/local.ts';
import { DynamoStateStore } from '../../shared/store/state.ts';
import { storeContract, type Stores } from './contract.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

describe('the stores in memory', () => {
  const stores = { archive: new MemoryArchiveStore(), store: new MemoryStore(), state: new MemoryStateStore() };
  storeContract(() => stores);
});

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

  it('a parsed source is written in batches (BatchWriteItem, 25 a call), not one call per row', async () => {
    const { store, doc } = stores;
    const calls: string[] = [];
    const send = doc.send.bind(doc);
    doc.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
      calls.push(command.constructor.name);
      return (send as (...a: unknown[]) => unknown)(command, ...rest);
    }) as typeof doc.send;
    try {
      const rows = Array.from({ length: 40 }, (_, i) => ({
        bodyId: 'batch-body',
        year: 2024,
        sha256: 'c'.repeat(64),
        row: `table3.r${i}`,
        values: { total: i },
      }));
      const report = {
        bodyId: 'batch-body',
        year: 2024,
        sha256: 'c'.repeat(64),
        url: 'https://www.example.gov.cn/r.html',
        parsedAt: '2025-03-01T00:00:00.000Z',
        parserVersion: '1.1.0',
      } as unknown as Parameters<typeof store.putParsed>[0];
      await store.putParsed(report, rows as never);
      expect(calls.filter((c) => c === 'BatchWriteCommand')).toHaveLength(2);
      expect(calls.filter((c) => c === 'PutCommand')).toHaveLength(1); // the report item
      expect((await store.rows('batch-body', 2024, 'c'.repeat(64))).length).toBe(40);
    } finally {
      doc.send = send;
    }
  });

  it('indexes carry no capture record: a capture found through one is read from the table', async () => {
    const { store, doc } = stores;
    const record = {
      id: 'proj-1',
      url: 'https://www.example.gov.cn/proj.html',
      finalUrl: 'https://www.example.gov.cn/proj.html',
      redirects: [],
      time: '2025-03-01T00:00:00.000Z',
      method: 'static' as const,
      httpMethod: 'GET' as const,
      status: 200,
      outcome: 'ok' as const,
      requestHeaders: { 'user-agent': 'x'.repeat(2000) },
      responseHeaders: {},
      sha256: 'a'.repeat(64),
      size: 1,
      contentType: 'text/html',
      bodyId: 'proj-body',
      year: 2024,
    };
    await store.put(record);
    for (const [index, key, value] of [
      ['GSI1', 'GSI1PK', 'BODYYEAR#proj-body#2024'],
      ['GSI2', 'GSI2PK', `SHA#${'a'.repeat(64)}`],
      ['GSI3', 'GSI3PK', 'CAPID#proj-1'],
    ] as const) {
      const raw = await doc.send(
        new QueryCommand({
          TableName: (store as DynamoStore).table,
          IndexName: index,
          KeyConditionExpression: '#k = :v',
          ExpressionAttributeNames: { '#k': key },
          ExpressionAttributeValues: { ':v': value },
        }),
      );
      expect(raw.Items, index).toHaveLength(1);
      expect(Object.keys(raw.Items![0]!).sort(), index).toEqual(expect.arrayContaining(['PK', 'SK', 'kind']));
      expect(JSON.stringify(raw.Items![0]).length, index).toBeLessThan(400);
    }
    expect((await store.byBody('proj-body', 2024)).items[0]).toEqual(record);
    expect((await store.bySha256('a'.repeat(64))).items[0]).toEqual(record);
    expect(await store.get('proj-1')).toEqual(record);
  });
});
