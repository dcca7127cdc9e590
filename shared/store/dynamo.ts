/**
 * CaptureLog and ReportStore on the single DynamoDB table (table.ts), through an injected DynamoDB document
 * client. Writes are idempotent (conditional puts, deterministic keys) and need no transactions (the local
 * emulator has none). A record too large for one item (400 KB) is kept in the archive and referenced.
 */
import { validatorsOf } from './validators.ts';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { batchWrite, type WriteRequest } from './batch.ts';
import { queryAllItems } from './query.ts';
import { currentAfterPut } from './current.ts';
import { checkRowValues, readCapture, readEach, readEachAsync, readReport, StoredRecordError } from './records.ts';
import { cursorDecoder, encodeCursor } from './cursor.ts';
import type {
  ArchiveStore,
  CaptureLog,
  CaptureQuery,
  CaptureRecord,
  ListOptions,
  Page,
  PreviousCapture,
  PutParsedOptions,
  ReportStore,
  RowQuery,
  StoredReport,
  StoredRow,
} from './ports.ts';
import {
  MAX_INLINE_BYTES,
  TABLE_NAME,
  bodyYearCaptures,
  bodyYearKey,
  captureIdKey,
  captureSort,
  reportSort,
  rowAcrossKey,
  rowSort,
  shaKey,
  urlKey,
} from './table.ts';

const keyCursor = (k: Record<string, unknown> | undefined) => (k ? encodeCursor(k) : undefined);
/** A query's cursor: its LastEvaluatedKey, the table's and an index's key attributes (strings). */
const decodeKey = cursorDecoder<Record<string, unknown>>({
  type: 'object',
  maxProperties: 4,
  propertyNames: { enum: ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK'] },
  additionalProperties: { type: 'string' },
});
const decodeCursor = (c: string | undefined) => (c ? decodeKey(c) : undefined);
/** byBody(…, 'all')'s cursor: the partition (report year) and the cursor within it. */
const decodePartition = cursorDecoder<{ p: number; c?: string }>({
  type: 'object',
  required: ['p'],
  properties: { p: { type: 'integer', minimum: 0, maximum: 1000 }, c: { type: 'string' } },
  additionalProperties: false,
});

/** Stores a JSON payload inline, or in the archive when it would not fit one item. */
async function pack(archive: ArchiveStore, value: unknown): Promise<{ data?: string; overflow?: string }> {
  const json = JSON.stringify(value);
  if (Buffer.byteLength(json) <= MAX_INLINE_BYTES) return { data: json };
  const { sha256 } = await archive.put(Buffer.from(json));
  return { overflow: sha256 };
}

/** A capture record: in `record`, or in the archive (`overflow`) when too large for an item. */
async function packCapture(archive: ArchiveStore, record: CaptureRecord): Promise<{ record?: string | undefined; overflow?: string | undefined }> {
  const { data, overflow } = await pack(archive, record);
  return data !== undefined ? { record: data } : { overflow };
}

async function unpackCapture(archive: ArchiveStore, item: Record<string, unknown>): Promise<CaptureRecord> {
  return unpack(archive, typeof item.record === 'string' ? { ...item, data: item.record } : item, readCapture, 'capture');
}

/** A record's JSON: in the item (`data`), or — over DynamoDB's item size — in the archive blob `overflow` names. */
async function unpack<T>(archive: ArchiveStore, item: Record<string, unknown>, read: (text: unknown, source: string) => T, what: string): Promise<T> {
  const source = `${what} ${String(item.PK)} ${String(item.SK)} (DynamoDB)`;
  if (typeof item.data === 'string' || typeof item.overflow !== 'string') return read(item.data, source);
  const bytes = await archive.get(item.overflow);
  if (!bytes) throw new StoredRecordError(`stored record ${source}: its overflow blob ${item.overflow} is missing from the archive`);
  return read(Buffer.from(bytes).toString(), `${source}, overflow blob ${item.overflow}`);
}

/**
 * Whether the stored row items are exactly `rows`: the same names and cells, this parser's, each in the across-bodies
 * index when `current` and none of them when not.
 */
function rowsStand(items: Record<string, unknown>[], rows: StoredRow[], parserVersion: string, current: boolean): boolean {
  if (items.length !== rows.length) return false;
  const byRow = new Map(items.map((i) => [i.row, i]));
  return rows.every((r) => {
    const item = byRow.get(r.row);
    if (!item || (item.GSI2PK !== undefined) !== current || item.parserVersion !== parserVersion) return false;
    const values = item.values as Record<string, unknown> | undefined;
    const keys = Object.keys(r.values);
    return values !== undefined && Object.keys(values).length === keys.length && keys.every((k) => values[k] === r.values[k]);
  });
}

export class DynamoStore implements CaptureLog, ReportStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly archive: ArchiveStore,
    readonly table = TABLE_NAME,
    /** "Every year so far" of a body's captures ends at this clock's next year. */
    private readonly now: () => number = Date.now,
  ) {}

  // ---------------------------------------------------------------------------------------- captures

  async put(record: CaptureRecord): Promise<void> {
    const item: Record<string, unknown> = {
      PK: urlKey(record.url),
      SK: captureSort(record.time, record.id),
      GSI3PK: captureIdKey(record.id),
      GSI1PK: bodyYearCaptures(record.bodyId ?? 'unknown', record.year),
      GSI1SK: captureSort(record.time, record.id),
      kind: 'capture',
      url: record.url,
      // `record`, not `data`: the indexes project `data` (table.ts GSI_PROJECTIONS), and a capture is read from the table.
      ...(await packCapture(this.archive, record)),
    };
    if (record.sha256) {
      item.GSI2PK = shaKey(record.sha256);
      item.GSI2SK = captureSort(record.time, record.id);
    }
    try {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }));
    } catch (e) {
      if ((e as { name?: string }).name !== 'ConditionalCheckFailedException') throw e; // already stored: idempotent
    }
  }

  async get(id: string): Promise<CaptureRecord | null> {
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :k',
        ExpressionAttributeValues: { ':k': captureIdKey(id) },
      }),
    );
    const item = r.Items?.[0];
    return item ? ((await this.loadCaptures([item]))[0] ?? null) : null;
  }

  /**
   * The capture records of items found through an index, which carries only their keys: read from the table
   * (BatchGetItem, 100 keys a request, unprocessed keys asked again), in the order found. Items read from the
   * table itself — or written before the projections, with the record in `data` — are unpacked as they are.
   */
  private async loadCaptures(items: Record<string, unknown>[], options?: ListOptions): Promise<CaptureRecord[]> {
    const keyOf = (i: Record<string, unknown>) => `${String(i.PK)}\n${String(i.SK)}`;
    const missing = items.filter((i) => i.record === undefined && i.data === undefined && i.overflow === undefined);
    const full = new Map<string, Record<string, unknown>>();
    for (let at = 0; at < missing.length; at += 100) {
      let keys: Record<string, unknown>[] | undefined = missing.slice(at, at + 100).map((i) => ({ PK: i.PK, SK: i.SK }));
      for (let round = 0; keys?.length; round++) {
        if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** round)));
        if (round > 8) throw new Error(`BatchGetItem on ${this.table}: ${keys.length} keys still unprocessed after ${round} rounds`);
        const r: BatchGetCommandOutput = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }));
        for (const i of r.Responses?.[this.table] ?? []) full.set(keyOf(i), i);
        keys = r.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    const found = items
      .map((i) => full.get(keyOf(i)) ?? i)
      // Gone between the index read and the table read (indexes are eventually consistent): not listed.
      .filter((item) => item.record !== undefined || item.data !== undefined || item.overflow !== undefined);
    return readEachAsync(found, (item) => unpackCapture(this.archive, item), options);
  }

  async latestCapture(url: string, opts: { withBody?: boolean } = {}): Promise<CaptureRecord | null> {
    let cursor: string | undefined;
    do {
      const page = await this.byUrl(url, { limit: opts.withBody ? 25 : 1, newestFirst: true, cursor });
      const hit = opts.withBody ? page.items.find((c) => c.sha256) : page.items[0];
      if (hit) return hit;
      cursor = opts.withBody ? page.next : undefined;
    } while (cursor);
    return null;
  }

  /** The CaptureLogReader side: validators of the latest capture that had a body (for conditional GET). */
  async latest(url: string): Promise<PreviousCapture | null> {
    return validatorsOf(url, await this.latestCapture(url, { withBody: true }));
  }

  async byUrl(url: string, q: CaptureQuery = {}): Promise<Page<CaptureRecord>> {
    return this.queryCaptures(this.range('PK', urlKey(url), 'SK', q), q, q.newestFirst ?? false);
  }

  async byBody(bodyId: string, year?: number | 'all', q: CaptureQuery = {}): Promise<Page<CaptureRecord>> {
    if (year !== 'all')
      return this.queryCaptures({ IndexName: 'GSI1', ...this.range('GSI1PK', bodyYearCaptures(bodyId, year), 'GSI1SK', q) }, q, q.newestFirst ?? false);
    if (q.newestFirst) throw new Error("byBody(…, 'all') is in year order; ask for one year newest first");
    // Every report year's partition in turn (the 条例's first reports to next year), then the column pages';
    // the cursor carries the partition and the key within it.
    const partitions: (number | undefined)[] = [...Array.from({ length: new Date(this.now()).getUTCFullYear() + 2 - 2008 }, (_, i) => 2008 + i), undefined];
    const at = q.cursor ? decodePartition(q.cursor) : { p: 0 };
    const limit = q.limit ?? 100;
    const items: CaptureRecord[] = [];
    for (let p = at.p, cursor = at.c; p < partitions.length; p++, cursor = undefined) {
      const page = await this.byBody(bodyId, partitions[p], { ...q, cursor, limit: limit - items.length });
      items.push(...page.items);
      if (page.next) return { items, next: encodeCursor({ p, c: page.next }) };
      if (items.length >= limit) return { items, next: p + 1 < partitions.length ? encodeCursor({ p: p + 1 }) : undefined };
    }
    return { items, next: undefined };
  }

  async bySha256(sha256: string, q: CaptureQuery = {}): Promise<Page<CaptureRecord>> {
    return this.queryCaptures({ IndexName: 'GSI2', ...this.range('GSI2PK', shaKey(sha256), 'GSI2SK', q) }, q, false);
  }

  private range(
    pk: string,
    value: string,
    sk: string,
    q: CaptureQuery,
  ): Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues' | 'ExpressionAttributeNames'> {
    return {
      KeyConditionExpression: `#pk = :pk AND #sk BETWEEN :from AND :to`,
      ExpressionAttributeNames: { '#pk': pk, '#sk': sk },
      ExpressionAttributeValues: { ':pk': value, ':from': `CAP#${q.from ?? ''}`, ':to': `CAP#${q.to ?? '~'}~` },
    };
  }

  private async queryCaptures(input: Omit<QueryCommandInput, 'TableName'>, q: CaptureQuery, newestFirst: boolean): Promise<Page<CaptureRecord>> {
    const r = await this.doc.send(
      new QueryCommand({ TableName: this.table, ...input, ScanIndexForward: !newestFirst, Limit: q.limit ?? 100, ExclusiveStartKey: decodeCursor(q.cursor) }),
    );
    const items = await this.loadCaptures(r.Items ?? [], q);
    return { items, next: keyCursor(r.LastEvaluatedKey) };
  }

  // ----------------------------------------------------------------------------------------- reports

  async putParsed(report: StoredReport, rows: StoredRow[], options: PutParsedOptions = {}): Promise<void> {
    const pk = bodyYearKey(report.bodyId, report.year);
    const existing = await this.doc.send(new GetCommand({ TableName: this.table, Key: { PK: pk, SK: reportSort(report.sha256) } }));
    const firstParsedAt = (existing.Item?.firstParsedAt as string | undefined) ?? report.parsedAt;
    const rowItem = (row: StoredRow, sha256: string, parserVersion: string | undefined, current: boolean) => ({
      PK: pk,
      SK: rowSort(sha256, row.row),
      ...(current ? { GSI2PK: rowAcrossKey(report.year, row.row), GSI2SK: `${report.bodyId}#${sha256}` } : {}),
      kind: 'row',
      bodyId: row.bodyId,
      year: row.year,
      sha256,
      row: row.row,
      values: row.values,
      ...(parserVersion ? { parserVersion } : {}),
    });
    // Every source's rows of the body-year, in one query: this source's as they stand, and the others' that are current.
    const yearRows = await queryAllItems(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :r)',
      ExpressionAttributeValues: { ':pk': pk, ':r': 'ROW#' },
    });
    const oldItems = yearRows.filter((i) => i.sha256 === report.sha256);
    const otherCurrent = yearRows.filter((i) => i.sha256 !== report.sha256 && i.GSI2PK !== undefined);
    const makeCurrent = options.current ?? true;
    const current = currentAfterPut(
      makeCurrent,
      oldItems.some((i) => i.GSI2PK !== undefined),
      otherCurrent.length > 0,
    );
    // Older sources of this body-year leave the across-bodies index (their figures stay, for old → new): their rows
    // are written again without the index keys. Everything in batches of 25 (batch.ts), not one call per row.
    const writes: WriteRequest[] = [];
    if (makeCurrent) for (const { GSI2PK: _pk, GSI2SK: _sk, ...rest } of otherCurrent) writes.push({ PutRequest: { Item: rest } });
    // A daily crawl puts most sources again as they are: when this one's rows stand as they would be written (current
    // or not, the same parser, cell for cell) and no other source leaves the index, they are left alone — a report's
    // ~33 writes a crawl saved (sqlite-store.ts does the same). The report item is written either way.
    if (writes.length > 0 || !rowsStand(oldItems, rows, report.parserVersion, current)) {
      for (const row of rows) writes.push({ PutRequest: { Item: rowItem(row, report.sha256, report.parserVersion, current) } });
      // Rows a newer parser no longer produces are removed (re-parsing replaces that source's rows).
      for (const stale of oldItems.filter((o) => !rows.some((r) => r.row === o.row)))
        writes.push({ DeleteRequest: { Key: { PK: pk, SK: rowSort(report.sha256, String(stale.row)) } } });
      await batchWrite(this.doc, this.table, writes);
    }
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { PK: pk, SK: reportSort(report.sha256), kind: 'report', firstParsedAt, ...(await pack(this.archive, report)) },
      }),
    );
  }

  async reports(bodyId: string, year: number, options?: ListOptions): Promise<StoredReport[]> {
    const items = await queryAllItems(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :r)',
      ExpressionAttributeValues: { ':pk': bodyYearKey(bodyId, year), ':r': 'REPORT#' },
    });
    items.sort((a, b) => String(a.firstParsedAt).localeCompare(String(b.firstParsedAt)));
    return readEachAsync(
      items,
      (i) => unpack(this.archive, i, readReport, 'report'),
      options,
      () => ({ bodyId, year }),
    );
  }

  async rows(bodyId: string, year: number, sha256: string, options?: ListOptions): Promise<StoredRow[]> {
    const items = await queryAllItems(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :r)',
      ExpressionAttributeValues: { ':pk': bodyYearKey(bodyId, year), ':r': `ROW#${sha256}#` },
    });
    return readEach(
      items,
      (i) => rowOf(i, this.table),
      options,
      () => ({ bodyId, year }),
    );
  }

  async rowAcrossBodies(year: number, row: string, q: RowQuery = {}): Promise<Page<StoredRow>> {
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :k',
        ExpressionAttributeValues: { ':k': rowAcrossKey(year, row) },
        Limit: q.limit ?? 100,
        ExclusiveStartKey: decodeCursor(q.cursor),
      }),
    );
    return {
      items: readEach(r.Items ?? [], (i) => rowOf(i, this.table), q),
      next: keyCursor(r.LastEvaluatedKey),
    };
  }
}

/** A row item as a StoredRow, its figures checked (a damaged item is named, never a TypeError later). */
function rowOf(i: Record<string, unknown>, table: string): StoredRow {
  const source = `row ${String(i.row)} of ${String(i.bodyId)} ${String(i.year)} (DynamoDB ${table})`;
  if (typeof i.bodyId !== 'string' || typeof i.row !== 'string' || typeof i.sha256 !== 'string' || typeof i.year !== 'number')
    throw new StoredRecordError(`stored record ${source}: missing bodyId, year, sha256 or row`);
  return { bodyId: i.bodyId, year: i.year, sha256: i.sha256, row: i.row, values: checkRowValues(i.values, source) };
}
