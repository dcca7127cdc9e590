/**
 * The one DynamoDB table (single-table design), used by the local bootstrap (dynalite) and the CDK construct.
 * Access patterns and their keys (docs/store.md has the full list):
 *
 * | pattern                                   | index | key                                             |
 * |-------------------------------------------|-------|-------------------------------------------------|
 * | captures of a URL in time order, latest   | table | PK `URL#<sha256(url)[0:40]>`, SK `CAP#<time>#<id>` |
 * | captures of a body-year                   | GSI1  | `BODYYEAR#<body>#<year>`, `CAP#<time>#<id>`      |
 * | captures by sha256                        | GSI2  | `SHA#<sha256>`, `CAP#<time>#<id>`                |
 * | a capture by id                           | GSI3  | `CAPID#<id>`                                     |
 * | reports (sources) of a body-year          | table | PK `BODY#<body>#<year>`, SK `REPORT#<sha256>`    |
 * | rows of one parsed source                 | table | PK `BODY#<body>#<year>`, SK `ROW#<sha256>#<row>` |
 * | one row key across all bodies of a year   | GSI2  | `ROW#<year>#<row>`, `<body>#<sha256>` (current source only) |
 * | all years of a body                       | table | PK `BODY#<body>#…` via GSI1 `BODY#<body>` (pipeline issue) |
 * | all bodies of a year by status, alerts by state | GSI1 | `YEAR#<year>`, `ALERTS#<state>` (state.ts)       |
 * | alerts of a body                          | GSI3  | `ALERTBODY#<body>` (state.ts)                    |
 * | undelivered alerts (sparse)               | GSI2  | `OUTBOX#<shard>`, `<body>#<openedAt>#<id>` (state.ts) |
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import { OUTBOX_SHARDS } from './outbox.ts';

export const TABLE_NAME = 'nianbao';

export const GSIS = ['GSI1', 'GSI2', 'GSI3'] as const;

/**
 * What each index carries besides its keys: only what its access patterns read, never a capture record (≈5.6 KB,
 * written once per fetch for ever — projected ALL into three indexes it would be stored four times). A capture
 * found through an index is read from the table by its key (dynamo.ts `loadCaptures`).
 *
 * - GSI1: states by year and alerts by state read `data`/`version`;
 * - GSI2: rows across bodies read the row's attributes, the outbox reads the alert's `data`/`version`;
 * - GSI3: alerts of a body read `data`/`version`.
 */
export const GSI_PROJECTIONS: Record<(typeof GSIS)[number], string[]> = {
  GSI1: ['kind', 'data', 'version'],
  GSI2: ['kind', 'data', 'version', 'bodyId', 'year', 'sha256', 'row', 'values'],
  GSI3: ['kind', 'data', 'version'],
};

/** The table definition (on-demand). The CDK construct builds the same keys from this. */
export function tableDefinition(name = TABLE_NAME): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'PK', AttributeType: 'S' },
      { AttributeName: 'SK', AttributeType: 'S' },
      { AttributeName: 'GSI1PK', AttributeType: 'S' },
      { AttributeName: 'GSI1SK', AttributeType: 'S' },
      { AttributeName: 'GSI2PK', AttributeType: 'S' },
      { AttributeName: 'GSI2SK', AttributeType: 'S' },
      { AttributeName: 'GSI3PK', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'GSI1',
        KeySchema: [
          { AttributeName: 'GSI1PK', KeyType: 'HASH' },
          { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: GSI_PROJECTIONS.GSI1 },
      },
      {
        IndexName: 'GSI2',
        KeySchema: [
          { AttributeName: 'GSI2PK', KeyType: 'HASH' },
          { AttributeName: 'GSI2SK', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: GSI_PROJECTIONS.GSI2 },
      },
      {
        IndexName: 'GSI3',
        KeySchema: [{ AttributeName: 'GSI3PK', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: GSI_PROJECTIONS.GSI3 },
      },
    ],
  };
}

/** URLs can be longer than a key allows: the partition key holds a hash, the item the URL. */
export const urlKey = (url: string) => `URL#${createHash('sha256').update(url).digest('hex').slice(0, 40)}`;
export const captureSort = (time: string, id: string) => `CAP#${time}#${id}`;
export const bodyYearKey = (body: string, year: number) => `BODY#${body}#${year}`;
export const bodyYearCaptures = (body: string, year: number | undefined) => `BODYYEAR#${body}#${year ?? 'none'}`;
export const shaKey = (sha256: string) => `SHA#${sha256}`;
export const captureIdKey = (id: string) => `CAPID#${id}`;
export const reportSort = (sha256: string) => `REPORT#${sha256}`;
export const rowSort = (sha256: string, row: string) => `ROW#${sha256}#${row}`;
/** The outbox partition of a body's alerts (state.ts `undelivered`). */
export const outboxKey = (bodyId: string) => `OUTBOX#${createHash('sha256').update(bodyId).digest()[0]! % OUTBOX_SHARDS}`;
export const OUTBOX_SHARD_KEYS = Array.from({ length: OUTBOX_SHARDS }, (_, i) => `OUTBOX#${i}`);
export const rowAcrossKey = (year: number, row: string) => `ROW#${year}#${row}`;

/** Items above this size keep their data in the archive and a reference in the table (items are ≤ 400 KB). */
export const MAX_INLINE_BYTES = 350 * 1024;
