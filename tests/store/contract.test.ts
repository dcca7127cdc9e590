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
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../shared/store/dynamo.ts';
import { MemoryArchiveStore, MemoryStateStore, MemoryStore } from '../../shared/store/memory.ts';
import { documentClient, ensureTable } from '../../shared/store/dynamo-client.ts';
import { FsArchiveStore } from '../../shared/store/fs-archive.ts';
import { dbFile, openLocalStore, type LocalStore } from '../../shared/store/local.ts';
import { StoredRecordError } from '../../shared/store/records.ts';
import { bodyYearKey, reportSort } from '../../shared/store/table.ts';
import { sha256Hex } from '../../shared/store/hash.ts';
import { DynamoStateStore } from '../../shared/store/state.ts';
import { storeContract, type Stores } from './contract.ts';
import { captureRecord, foundState, openAlert } from '../helpers/records.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** A capture record with what every capture has. */
const captureOf = (id: string) => captureRecord(id, `https://www.example.gov.cn/${id}.html`, { sha256: 'b'.repeat(64), size: 1 });

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

  it('a stored record that does not hold its shape is named, field and all — never read as something else', async () => {
    const state = foundState('damaged');
    await local.state.putState(state);
    await local.store.put({ ...captureOf('damaged-1'), bodyId: 'damaged', year: 2024 });
    const db = new Database(dbFile(local.home));
    try {
      db.prepare('UPDATE states SET data = ? WHERE body_id = ?').run(JSON.stringify({ ...state, status: 'published' }), 'damaged');
      db.prepare('UPDATE captures SET data = ? WHERE id = ?').run('{"id":"damaged-1","url":', 'damaged-1');
    } finally {
      db.close();
    }
    const stateError = await local.state.getState('damaged', 2024).catch((e: unknown) => e);
    expect(stateError).toBeInstanceOf(StoredRecordError);
    expect(String(stateError)).toMatch(/state of damaged 2024 \(SQLite states\): status: must be one of pending, found/);
    await expect(local.state.states(2024)).rejects.toThrow(/state of damaged 2024 \(SQLite states\): status/); // named in a listing too
    // A listing for people goes on without it, and hands it over named; the other records are all there.
    await local.state.putState(foundState('sound'));
    const damaged: Error[] = [];
    const listed = await local.state.states(2024, { onDamaged: (e) => damaged.push(e) });
    expect(listed.map((s) => s.bodyId)).toContain('sound');
    expect(listed.map((s) => s.bodyId)).not.toContain('damaged');
    expect(damaged).toHaveLength(1);
    expect(damaged[0]).toBeInstanceOf(StoredRecordError);
    expect(damaged[0]!.message).toMatch(/state of damaged 2024 \(SQLite states\): status/);
    expect((damaged[0] as StoredRecordError).record).toEqual({ bodyId: 'damaged', year: 2024 }); // a page can mark its cell
    // Alerts alike: by state, by body; without onDamaged the listing throws (reconciling must not act on part of it).
    await local.state.saveAlert(openAlert('damaged-a1', { bodyId: 'damaged', year: 2024 }));
    await local.state.saveAlert(openAlert('sound-a1', { bodyId: 'damaged', year: 2024 }));
    const raw = new Database(dbFile(local.home));
    try {
      raw.prepare('UPDATE alerts SET data = ? WHERE id = ?').run('{"id":"damaged-a1"}', 'damaged-a1');
    } finally {
      raw.close();
    }
    await expect(local.state.alertsOf('damaged', 2024)).rejects.toThrow(/alert damaged-a1 \(SQLite alerts\): missing field/);
    const alertDamage: Error[] = [];
    const onDamaged = (e: Error) => void alertDamage.push(e);
    expect((await local.state.alertsOf('damaged', 2024, { onDamaged })).map((a) => a.id)).toEqual(['sound-a1']);
    expect((await local.state.alerts('open', { onDamaged })).map((a) => a.id)).toContain('sound-a1');
    expect(alertDamage.map((e) => e.message)).toEqual([expect.stringMatching(/alert damaged-a1/), expect.stringMatching(/alert damaged-a1/)]);
    await expect(local.store.get('damaged-1')).rejects.toThrow(/capture damaged-1 \(SQLite captures\): not JSON/);
    await expect(local.store.byBody('damaged', 2024)).rejects.toThrow(StoredRecordError);
    // A parsed row's figures, cut short: named by row, body, year and source, never a SyntaxError from nowhere.
    const sha = 'd'.repeat(64);
    await local.store.putParsed(
      {
        bodyId: 'damaged',
        year: 2024,
        sha256: sha,
        url: 'https://www.example.gov.cn/r.html',
        title: null,
        published: null,
        parsedAt: '2025-03-01T00:00:00.000Z',
        parserVersion: '1.1.0',
        format: 'html',
        findings: [],
      },
      [{ bodyId: 'damaged', year: 2024, sha256: sha, row: 'table3.received', values: { total: 12, natural_person: null } }],
    );
    expect((await local.store.rows('damaged', 2024, sha))[0]!.values).toEqual({ total: 12, natural_person: null });
    const rowDb = new Database(dbFile(local.home));
    try {
      rowDb.prepare('UPDATE report_rows SET cells = ? WHERE body_id = ?').run('{"total":12,', 'damaged');
    } finally {
      rowDb.close();
    }
    await expect(local.store.rows('damaged', 2024, sha)).rejects.toThrow(
      /^stored record row table3\.received of damaged 2024 dddddddddddd \(SQLite report_rows\): not JSON/,
    );
    // A listing for people (`nianbao report --json`) is handed the damaged row and goes on without it.
    const handed: StoredRecordError[] = [];
    expect(await local.store.rows('damaged', 2024, sha, { onDamaged: (e) => handed.push(e as StoredRecordError) })).toEqual([]);
    expect(handed.map((e) => [e.message.split(':')[0], e.record])).toEqual([
      ['stored record row table3.received of damaged 2024 dddddddddddd (SQLite report_rows)', { bodyId: 'damaged', year: 2024 }],
    ]);
    await expect(local.store.rowAcrossBodies(2024, 'table3.received')).rejects.toThrow(StoredRecordError);
    await local.state.putState(state); // a good write replaces the damaged record
    expect(await local.state.getState('damaged', 2024)).toEqual(state);
  });

  it("bodiesWithRows and currentRows (the export, body by body): a year's current rows only, in source and row order; a damaged one handed over", async () => {
    const source = (bodyId: string, sha256: string, year: number, parsedAt: string) => ({
      bodyId,
      year,
      sha256,
      url: `https://www.${bodyId}.gov.cn/r.html`,
      title: null,
      format: 'html' as const,
      published: null,
      findings: [],
      parserVersion: '1.2.0',
      parsedAt,
    });
    const rows = (bodyId: string, sha256: string, year: number) =>
      ['table4', 'table3.received'].map((row) => ({ bodyId, year, sha256, row, values: { total: sha256.charCodeAt(0) } }));
    const [old, current, other] = ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)];
    await local.store.putParsed(source('ry-2', old, 2031, '2032-01-01T00:00:00.000Z'), rows('ry-2', old, 2031));
    await local.store.putParsed(source('ry-2', current, 2031, '2032-02-01T00:00:00.000Z'), rows('ry-2', current, 2031)); // the older source leaves the year's rows
    await local.store.putParsed(source('ry-1', other, 2031, '2032-01-01T00:00:00.000Z'), rows('ry-1', other, 2031));
    await local.store.putParsed(source('ry-1', old, 2030, '2031-01-01T00:00:00.000Z'), rows('ry-1', old, 2030)); // another year
    const bodies = await local.store.bodiesWithRows(2031);
    expect(bodies.filter((b) => b.startsWith('ry-'))).toEqual(['ry-1', 'ry-2']);
    const read = (await Promise.all(['ry-1', 'ry-2'].map((b) => local.store.currentRows(b, 2031)))).flat();
    expect(read.map((r) => `${r.bodyId} ${r.sha256[0]} ${r.row} ${r.values.total}`)).toEqual([
      'ry-1 c table3.received 99',
      'ry-1 c table4 99',
      'ry-2 b table3.received 98',
      'ry-2 b table4 98',
    ]);
    expect(await local.store.bodiesWithRows(2029)).toEqual([]);
    const raw = new Database(dbFile(local.home));
    raw.prepare("UPDATE report_rows SET cells = '{' WHERE body_id = 'ry-1' AND year = 2031 AND row = 'table4'").run();
    raw.close();
    await expect(local.store.currentRows('ry-1', 2031)).rejects.toThrow(StoredRecordError);
    const damaged: StoredRecordError[] = [];
    expect((await local.store.currentRows('ry-1', 2031, { onDamaged: (e) => damaged.push(e) })).map((r) => r.row)).toEqual(['table3.received']);
    expect(damaged.map((e) => e.record)).toEqual([{ bodyId: 'ry-1', year: 2031 }]);
  });

  it('records written by earlier versions, with fewer optional fields, still read', async () => {
    const legacy = { bodyId: 'legacy', year: 2019, status: 'missing', missedAt: ['2020-02-01T02:00:00.000Z'], consecutiveFailures: 0 };
    const db = new Database(dbFile(local.home));
    try {
      db.prepare('INSERT INTO states (body_id, year, status, data) VALUES (?, ?, ?, ?)').run('legacy', 2019, 'missing', JSON.stringify(legacy));
    } finally {
      db.close();
    }
    expect(await local.state.getState('legacy', 2019)).toEqual(legacy);
  });
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

  it('a stored item that does not hold its shape, or whose overflow blob is gone, is named — never read as something else', async () => {
    const { doc, store, state } = stores;
    const table = (store as DynamoStore).table;
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          PK: bodyYearKey('damaged', 2024),
          SK: 'STATE',
          GSI1PK: 'YEAR#2024', // in the year's index, as the adapter writes it
          GSI1SK: 'found#damaged',
          kind: 'state',
          data: JSON.stringify({ bodyId: 'damaged', year: 2024, missedAt: [] }),
        },
      }),
    );
    await expect(state.getState('damaged', 2024)).rejects.toThrow(/state of damaged 2024 \(DynamoDB .*\): missing field "status"/);
    // Listings: without onDamaged they throw; with it the damaged item is handed over and the others listed.
    await state.putState(foundState('sound'));
    await expect(state.states(2024)).rejects.toThrow(StoredRecordError);
    const damaged: Error[] = [];
    const listed = await state.states(2024, { onDamaged: (e) => damaged.push(e) });
    expect(listed.map((s) => s.bodyId)).toContain('sound');
    expect(listed.map((s) => s.bodyId)).not.toContain('damaged');
    expect(damaged.map((e) => e.message)).toEqual([expect.stringMatching(/^stored record state \S*damaged\S* \(DynamoDB .*\): missing field "status"/)]);
    expect((damaged[0] as StoredRecordError).record).toEqual({ bodyId: 'damaged', year: 2024 });
    // A row item whose figures are not figures: named, not handed on to fail later.
    const sha = 'e'.repeat(64);
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          PK: bodyYearKey('damaged', 2024),
          SK: `ROW#${sha}#table3.received`,
          bodyId: 'damaged',
          year: 2024,
          sha256: sha,
          row: 'table3.received',
          values: 'twelve',
        },
      }),
    );
    await expect(store.rows('damaged', 2024, sha)).rejects.toThrow(/^stored record row table3\.received of damaged 2024 \(DynamoDB .*\): must be object/);
    const handed: string[] = [];
    expect(await store.rows('damaged', 2024, sha, { onDamaged: (e) => handed.push(e.message) })).toEqual([]);
    expect(handed).toEqual([expect.stringMatching(/^stored record row table3\.received of damaged 2024 \(DynamoDB .*\): must be object/)]);
    // A parsed source's record alike: the export (a listing for people) goes on with the body-year's other sources.
    const source = (sha256: string) => ({
      bodyId: 'damaged',
      year: 2024,
      sha256,
      url: 'https://www.example.gov.cn/r.html',
      title: null,
      format: 'html' as const,
      published: '2025-01-20',
      findings: [],
      parserVersion: '1.2.0',
      parsedAt: `2025-02-0${sha256[0]}T02:00:00.000Z`,
    });
    for (const s of ['1'.repeat(64), '2'.repeat(64)]) await store.putParsed(source(s), []);
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { PK: bodyYearKey('damaged', 2024), SK: reportSort('1'.repeat(64)) },
        UpdateExpression: 'SET #d = :d',
        ExpressionAttributeNames: { '#d': 'data' },
        ExpressionAttributeValues: { ':d': '{"bodyId":' },
      }),
    );
    await expect(store.reports('damaged', 2024)).rejects.toThrow(StoredRecordError);
    const lostSources: StoredRecordError[] = [];
    const sources = await store.reports('damaged', 2024, { onDamaged: (e) => lostSources.push(e) });
    expect(sources.map((r) => r.sha256)).toEqual(['2'.repeat(64)]);
    expect(lostSources.map((e) => [e.message, e.record])).toEqual([
      [expect.stringMatching(/^stored record report \S+ \S+ \(DynamoDB\): not JSON/), { bodyId: 'damaged', year: 2024 }],
    ]);
    const big = { ...captureOf('overflow-1'), bodyId: 'overflow-body', year: 2024, requestHeaders: { 'user-agent': 'x'.repeat(500_000) } };
    await store.put(big);
    expect(await store.get('overflow-1')).toEqual(big); // over DynamoDB's item size: kept in the archive
    const blob = await stores.archive.get(sha256Hex(Buffer.from(JSON.stringify(big))));
    expect(blob).not.toBeNull();
    const missing = new DynamoStore(doc, new MemoryArchiveStore(), table); // an archive without that blob
    await expect(missing.get('overflow-1')).rejects.toThrow(/overflow blob [0-9a-f]{64} is missing from the archive/);
    // A listing for people goes on without it and hands it over; a listing that did not ask stops.
    await store.put({ ...captureOf('overflow-2'), bodyId: 'overflow-body', year: 2024 });
    await expect(missing.byBody('overflow-body', 2024)).rejects.toThrow(StoredRecordError);
    const lost: Error[] = [];
    const page = await missing.byBody('overflow-body', 2024, { onDamaged: (e) => lost.push(e) });
    expect(page.items.map((c) => c.id)).toEqual(['overflow-2']);
    expect(lost.map((e) => e.message)).toEqual([expect.stringMatching(/overflow blob [0-9a-f]{64} is missing from the archive/)]);
  });

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
    const record = captureRecord('proj-1', 'https://www.example.gov.cn/proj.html', {
      requestHeaders: { 'user-agent': 'x'.repeat(2000) },
      sha256: 'a'.repeat(64),
      size: 1,
      bodyId: 'proj-body',
      year: 2024,
    });
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
