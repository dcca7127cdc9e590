/**
 * StateStore on the same single table: the status of each (body, year) and the alerts with their state.
 *
 * | pattern                         | index | key                                            |
 * |---------------------------------|-------|------------------------------------------------|
 * | the state of a body-year        | table | PK `BODY#<body>#<year>`, SK `STATE`             |
 * | all bodies of a year by status  | GSI1  | `YEAR#<year>`, `<status>#<body>`               |
 * | an alert                        | table | PK `ALERT#<id>`, SK `ALERT`                     |
 * | alerts by state (open alerts)   | GSI1  | `ALERTS#<state>`, `<openedAt>#<id>`            |
 * | alerts of a body                | GSI3  | `ALERTBODY#<body>`                              |
 * | the outbox (undelivered alerts) | GSI2  | `OUTBOX#<shard of body>`, `<body>#<openedAt>#<id>` (sparse: only while undelivered) |
 * | a delivery claim                | table | PK `ALERT#<id>`, SK `DELIVERY#<openedAt>#<event>#<channel>` |
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { queryAllItems } from './query.ts';
import { inOutbox } from './outbox.ts';
import { readAlert, readEach, readState } from './records.ts';
import type { Alert, AlertEvent, AlertOpening, AlertState, BodyYearState, ListOptions, StateStore } from './ports.ts';
import { OUTBOX_SHARD_KEYS, TABLE_NAME, bodyYearKey, outboxKey } from './table.ts';

export class DynamoStateStore implements StateStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly table = TABLE_NAME,
    /** The time of delivery records and of "every year so far" (an injected clock in tests). */
    private readonly now: () => number = Date.now,
  ) {}

  async getState(bodyId: string, year: number): Promise<BodyYearState | null> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { PK: bodyYearKey(bodyId, year), SK: 'STATE' } }));
    return r.Item ? readState(r.Item.data, `state of ${bodyId} ${year} (DynamoDB ${this.table})`) : null;
  }

  async putState(s: BodyYearState): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          PK: bodyYearKey(s.bodyId, s.year),
          SK: 'STATE',
          GSI1PK: `YEAR#${s.year}`,
          GSI1SK: `${s.status}#${s.bodyId}`,
          kind: 'state',
          data: JSON.stringify(s),
        },
      }),
    );
  }

  async states(year?: number, options?: ListOptions): Promise<BodyYearState[]> {
    if (year !== undefined)
      return this.queryAll({ IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :k', ExpressionAttributeValues: { ':k': `YEAR#${year}` } }, options);
    const out: BodyYearState[] = [];
    for (let y = 2019; y <= new Date(this.now()).getUTCFullYear(); y++) out.push(...(await this.states(y, options)));
    return out;
  }

  async getAlert(id: string): Promise<Alert | null> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { PK: `ALERT#${id}`, SK: 'ALERT' } }));
    return r.Item ? alertOf(r.Item) : null;
  }

  async saveAlert(a: Alert): Promise<boolean> {
    const expected = a.version ?? 0;
    const stored = { ...a, version: expected + 1 };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            PK: `ALERT#${a.id}`,
            SK: 'ALERT',
            GSI1PK: `ALERTS#${a.state}`,
            GSI1SK: `${a.openedAt}#${a.id}`,
            GSI3PK: `ALERTBODY#${a.bodyId}`,
            // In the outbox while undelivered: a sparse index entry that disappears when the item is rewritten without it.
            ...(inOutbox(stored) ? { GSI2PK: outboxKey(a.bodyId), GSI2SK: `${a.bodyId}#${a.openedAt}#${a.id}` } : {}),
            kind: 'alert',
            version: stored.version,
            data: JSON.stringify(stored),
          },
          // Alerts written before versions existed count as version 0.
          ...(expected === 0
            ? { ConditionExpression: 'attribute_not_exists(PK) OR attribute_not_exists(version)' }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expected } }),
        }),
      );
    } catch (e) {
      if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
    a.version = stored.version;
    return true;
  }

  async alertsOf(bodyId: string, year?: number, options?: ListOptions): Promise<Alert[]> {
    const alerts = await this.queryAll<Alert>(
      {
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :k',
        ExpressionAttributeValues: { ':k': `ALERTBODY#${bodyId}` },
      },
      options,
    );
    // The index is keyed by body only and an alert item keeps its year inside `data`, not as an attribute a
    // FilterExpression could test: the year is picked here (the read costs the same as the body's whole list).
    return alerts.filter((a) => year === undefined || a.year === year).sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  }

  async undelivered(bodies?: string[], options?: ListOptions): Promise<Alert[]> {
    const queries = bodies
      ? [...new Set(bodies)].map((b) => ({
          KeyConditionExpression: 'GSI2PK = :k AND begins_with(GSI2SK, :b)',
          ExpressionAttributeValues: { ':k': outboxKey(b), ':b': `${b}#` },
        }))
      : OUTBOX_SHARD_KEYS.map((k) => ({ KeyConditionExpression: 'GSI2PK = :k', ExpressionAttributeValues: { ':k': k } }));
    const out: Alert[] = [];
    for (const q of queries) out.push(...(await this.queryAll<Alert>({ IndexName: 'GSI2', ...q }, options)));
    return out.filter(inOutbox).sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.id.localeCompare(b.id));
  }

  // Delivery claims: one item per (alert, event, channel) beside the alert, written conditionally.
  private claimKey(a: AlertOpening, event: AlertEvent, channel: string) {
    return { PK: `ALERT#${a.id}`, SK: `DELIVERY#${a.openedAt}#${event}#${channel}` };
  }

  async claimDelivery(alert: AlertOpening, event: AlertEvent, channel: string, now: number, staleMs: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...this.claimKey(alert, event, channel), kind: 'delivery', claimedAt: now },
          ConditionExpression: 'attribute_not_exists(PK) OR (attribute_not_exists(deliveredAt) AND claimedAt < :stale)',
          ExpressionAttributeValues: { ':stale': now - staleMs },
        }),
      );
      return true;
    } catch (e) {
      if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  async completeDelivery(alert: AlertOpening, event: AlertEvent, channel: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.claimKey(alert, event, channel),
        UpdateExpression: 'SET deliveredAt = :t',
        ExpressionAttributeValues: { ':t': new Date(this.now()).toISOString() },
      }),
    );
  }

  async deliveryCompleted(alert: AlertOpening, event: AlertEvent, channel: string): Promise<boolean> {
    const r = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: this.claimKey(alert, event, channel), ProjectionExpression: 'deliveredAt', ConsistentRead: true }),
    );
    return r.Item?.deliveredAt !== undefined;
  }

  async releaseDelivery(alert: AlertOpening, event: AlertEvent, channel: string): Promise<void> {
    await this.doc
      .send(new DeleteCommand({ TableName: this.table, Key: this.claimKey(alert, event, channel), ConditionExpression: 'attribute_not_exists(deliveredAt)' }))
      .catch((e) => {
        if ((e as { name?: string }).name !== 'ConditionalCheckFailedException') throw e;
      });
  }

  async alerts(state?: AlertState, options?: ListOptions): Promise<Alert[]> {
    const states = state ? [state] : (['open', 'resolved', 'dismissed'] as const);
    const out: Alert[] = [];
    for (const s of states)
      out.push(
        ...(await this.queryAll<Alert>(
          { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :k', ExpressionAttributeValues: { ':k': `ALERTS#${s}` } },
          options,
        )),
      );
    return out.sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  }

  private async queryAll<T = BodyYearState>(input: Omit<QueryCommandInput, 'TableName'>, options?: ListOptions): Promise<T[]> {
    const items = await queryAllItems(this.doc, { TableName: this.table, ...input });
    return readEach(
      items,
      (i) => (i.kind === 'alert' ? alertOf(i) : readState(i.data, `state ${String(i.PK)} (DynamoDB ${this.table})`)) as T,
      options,
      stateKeyOf,
    );
  }
}

/** An alert item: its JSON, with the item's version (alerts stored before versions existed are version 0). */
function alertOf(item: Record<string, unknown>): Alert {
  const a = readAlert(item.data, `alert ${String(item.PK)} (DynamoDB)`);
  return { ...a, version: typeof item.version === 'number' ? item.version : 0 };
}

/** The body-year of a state item, from its key (`BODY#<body>#<year>`, table.ts bodyYearKey); undefined for others. */
function stateKeyOf(item: Record<string, unknown>): { bodyId: string; year: number } | undefined {
  const m = item.SK === 'STATE' && typeof item.PK === 'string' ? /^BODY#(.+)#(\d{4})$/.exec(item.PK) : null;
  return m ? { bodyId: m[1]!, year: Number(m[2]) } : undefined;
}
