/**
 * BatchWriteItem in groups of 25 (the API's limit), asking again for what DynamoDB leaves unprocessed (with
 * backoff, as the API reference asks: UnprocessedItems are throttled writes, not failures).
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

const MAX_ROUNDS = 8;

export async function batchWrite(doc: DynamoDBDocumentClient, table: string, requests: WriteRequest[]): Promise<void> {
  for (let at = 0; at < requests.length; at += 25) {
    let pending: WriteRequest[] = requests.slice(at, at + 25);
    for (let round = 0; pending.length; round++) {
      if (round >= MAX_ROUNDS) throw new Error(`BatchWriteItem on ${table}: ${pending.length} writes still unprocessed after ${MAX_ROUNDS} rounds`);
      if (round > 0) await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** round)));
      const r = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (r.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    }
  }
}
